/**
 * `npm run test:mcp-clients`: agentcore-lite/mcp tried from outside, with clients we did not
 * write, each installed into a temporary prefix (never into the project; `MCP_CLIENTS_PREFIX`
 * and `MCP_MODERN_CLIENTS_PREFIX` name existing ones instead). The legacy era first:
 *
 * 1. the official conformance suite, `@modelcontextprotocol/conformance@0.1.16`
 *    (`server --suite all`), against `examples/mcp-everything.ts`: every scenario must pass;
 * 2. the official TypeScript client, `@modelcontextprotocol/sdk` (`StreamableHTTPClientTransport`),
 *    against `examples/mcp-async-processing.ts`, stateless and stateful: it lists and calls the
 *    tools, then follows a task-augmented `process` of 2 s through `tasks/get` to `completed` and
 *    reads `tasks/result`, while `/ping` must say `HealthyBusy` until it completes and `Healthy`
 *    after, its stamp moving once each way;
 * 3. MCP Inspector's CLI (`@modelcontextprotocol/inspector --cli`) lists and calls the same tools,
 *    stateless and stateful, and with its `protocolEra: "modern"` setting (2026-07-28; it needs
 *    Node 22.19 or later);
 * 4. a zod 4 schema (Standard JSON Schema) as a tool's input schema, called through the SDK client.
 *
 * Then 2026-07-28 (bench/mcp-modern-clients.ts): the conformance suite 0.2.0-alpha.12 (both
 * requirement sets and every tasks-* scenario) and the official v2 client 2.4.0.
 *
 * Run it with Node 22 (the figures in docs/mcp.md were taken so). Prints PASS/FAIL per check and
 * exits 1 when one failed; prints SKIP (and leaves that half out) when the registry cannot be reached.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { McpServer } from '../lib/mcp/index.js';
import { attempt, clientPrefix, conformanceSummary, expect, results, runConformance, versionOf } from './client-checks.js';
import { MODERN_PACKAGES, modernClient, modernConformance } from './mcp-modern-clients.js';
import { envWithThisNode, httpRequest, startServer, stopServer, type RunningServer } from './servers.js';

const run = promisify(execFile);
const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Pinned: the versions these checks were written against (a newer one may change under us).
const PACKAGES = ['@modelcontextprotocol/conformance@0.1.16', '@modelcontextprotocol/sdk@1.32.2', '@modelcontextprotocol/inspector@2.12.0', 'zod@4.6.7'];
const CONFORMANCE_TIMEOUT_MS = 300_000;
const INSPECTOR_TIMEOUT_MS = 60_000;
const TASK_SECONDS = 2;
const INSPECTOR_MIN_NODE: readonly [number, number] = [22, 19];
const SUITE_ALL_SCENARIOS = 32;

// ── The conformance suite ──────────────────────────────────────────────────────────────────

async function conformance(prefix: string): Promise<void> {
  await attempt('conformance suite 0.1.16, server --suite all, against examples/mcp-everything', async () => {
    const server = await startServer(process.execPath, [join(DIST, 'examples', 'mcp-everything.js')], { LOG_LEVEL: 'warn' });
    try {
      const bin = join(prefix, 'node_modules', '.bin', 'conformance');
      return conformanceSummary(await runConformance(bin, `${server.url}/mcp`, ['--suite', 'all'], CONFORMANCE_TIMEOUT_MS), SUITE_ALL_SCENARIOS);
    } finally {
      await stopServer(server);
    }
  });
}

// ── The official TypeScript client ─────────────────────────────────────────────────────────

interface Sdk {
  Client: any;
  StreamableHTTPClientTransport: any;
  CallToolResultSchema: any;
}

async function loadSdk(prefix: string): Promise<Sdk> {
  const load = async (path: string): Promise<any> => import(pathToFileURL(join(prefix, 'node_modules', '@modelcontextprotocol', 'sdk', 'dist', 'esm', path)).href);
  const [{ Client }, { StreamableHTTPClientTransport }, { CallToolResultSchema }] = await Promise.all([load('client/index.js'), load('client/streamableHttp.js'), load('types.js')]);
  return { Client, StreamableHTTPClientTransport, CallToolResultSchema };
}

async function ping(server: RunningServer): Promise<{ status: string; time_of_last_update: number }> {
  return JSON.parse((await httpRequest(`${server.url}/ping`)).body) as { status: string; time_of_last_update: number };
}

async function untilHealthy(server: RunningServer): Promise<void> {
  for (let waited = 0; (await ping(server)).status !== 'Healthy'; waited += 100) {
    expect(waited < 10_000, 'the server never became Healthy');
    await sleep(100);
  }
}

async function sdkClient(sdk: Sdk, stateful: boolean): Promise<void> {
  await attempt(`official TypeScript client, ${stateful ? 'stateful' : 'stateless'}: lists and calls the tools, follows a 2 s task with /ping busy, then healthy`, async () => {
    const server = await startServer(process.execPath, [join(DIST, 'examples', 'mcp-async-processing.js')], { LOG_LEVEL: 'warn', MCP_STATEFUL: stateful ? '1' : '0' });
    const client = new sdk.Client({ name: 'agentcore-lite-check', version: '1.0.0' });
    const transport = new sdk.StreamableHTTPClientTransport(new URL(`${server.url}/mcp`));
    try {
      await client.connect(transport);
      expect(stateful === (transport.sessionId !== undefined), `session id ${String(transport.sessionId)}`);
      const tools = (await client.listTools()).tools.map((tool: { name: string }) => tool.name);
      expect(tools.join() === 'process,status,cleanup,delete_data', `tools ${tools.join()}`);
      const status = await client.callTool({ name: 'status', arguments: {} });
      expect(status.structuredContent?.ping_status === 'Healthy', JSON.stringify(status));
      const background = await client.callTool({ name: 'process', arguments: { data_id: 'plain', seconds: 0 } });
      expect(background.structuredContent?.status === 'processing', JSON.stringify(background));
      await untilHealthy(server);
      const before = await ping(server);
      const seen: { status: string; time_of_last_update: number }[] = [];
      let taskId = '';
      let result: any;
      const stream = client.experimental.tasks.callToolStream({ name: 'process', arguments: { data_id: 'as-task', seconds: TASK_SECONDS } }, sdk.CallToolResultSchema, { task: { ttl: 60_000 } });
      for await (const message of stream) {
        if (message.type === 'taskCreated') taskId = message.task.taskId;
        if (message.type === 'taskStatus' && message.task.status !== 'completed') seen.push(await ping(server));
        if (message.type === 'result') result = message.result;
        if (message.type === 'error') throw new Error(`task error ${JSON.stringify(message.error)}`);
      }
      const after = await ping(server);
      const task = await client.experimental.tasks.getTask(taskId);
      const fetched = await client.experimental.tasks.getTaskResult(taskId, sdk.CallToolResultSchema);
      expect(task.status === 'completed', `tasks/get says ${task.status}`);
      expect(result?.content?.[0]?.text === 'Processed as-task' && fetched.content?.[0]?.text === 'Processed as-task', `result ${JSON.stringify(result)}`);
      expect(seen.length >= 2 && seen.every((poll) => poll.status === 'HealthyBusy'), `polls while working: ${JSON.stringify(seen)}`);
      const busyStamp = seen[0]!.time_of_last_update;
      expect(seen.every((poll) => poll.time_of_last_update === busyStamp) && busyStamp >= before.time_of_last_update, 'the stamp moved while busy');
      expect(after.status === 'Healthy' && after.time_of_last_update >= busyStamp, `after: ${JSON.stringify(after)}`);
      if (stateful) await transport.terminateSession();
      return `${seen.length} polls HealthyBusy at ${busyStamp}, then Healthy at ${after.time_of_last_update}`;
    } finally {
      await client.close().catch(() => undefined);
      await stopServer(server);
    }
  });
}

// ── MCP Inspector's CLI ────────────────────────────────────────────────────────────────────

/** How MCP Inspector reaches the example: legacy stateless or stateful, or (a config file) its `protocolEra: "modern"`. */
type InspectorMode = 'stateless' | 'stateful' | 'modern';

async function inspector(prefix: string, mode: InspectorMode): Promise<void> {
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  if (major < INSPECTOR_MIN_NODE[0] || (major === INSPECTOR_MIN_NODE[0] && minor < INSPECTOR_MIN_NODE[1])) {
    console.log(`SKIP MCP Inspector CLI: it needs Node ${INSPECTOR_MIN_NODE.join('.')} or later`);
    return;
  }
  const what = mode === 'modern' ? 'protocolEra modern (2026-07-28)' : mode;
  await attempt(`MCP Inspector CLI ${await versionOf(prefix, '@modelcontextprotocol/inspector')}, ${what}: lists and calls the tools`, async () => {
    const server = await startServer(process.execPath, [join(DIST, 'examples', 'mcp-async-processing.js')], { LOG_LEVEL: 'warn', MCP_STATEFUL: mode === 'stateful' ? '1' : '0' });
    const home = await mkdtemp(join(tmpdir(), 'agentcore-lite-inspector-home-'));
    try {
      // The CLI takes the era from a server's config entry only (there is no flag for it).
      const config = join(home, 'servers.json');
      await writeFile(config, JSON.stringify({ mcpServers: { lite: { type: 'http', url: `${server.url}/mcp`, protocolEra: 'modern', modernLogLevel: 'off' } } }));
      const target = mode === 'modern' ? ['--config', config, '--server', 'lite'] : [`${server.url}/mcp`, '--transport', 'http'];
      const cli = async (...args: string[]): Promise<any> => {
        const bin = join(prefix, 'node_modules', '.bin', 'mcp-inspector');
        const env = envWithThisNode({ HOME: home, MCP_INSPECTOR_SECRET_STORE: 'memory' });
        const { stdout } = await run(bin, ['--cli', ...target, ...args, '--format', 'json'], { env, timeout: INSPECTOR_TIMEOUT_MS });
        return (JSON.parse(stdout) as { result: unknown }).result;
      };
      const listed = await cli('--method', 'tools/list');
      expect(listed.tools.map((tool: { name: string }) => tool.name).join() === 'process,status,cleanup,delete_data', JSON.stringify(listed));
      const status = await cli('--method', 'tools/call', '--tool-name', 'status');
      expect(status.structuredContent.ping_status === 'Healthy', JSON.stringify(status));
      // Only a 2026-07-28 answer names the result's type and the server in its _meta.
      expect((status.resultType === 'complete') === (mode === 'modern'), `resultType ${String(status.resultType)} in mode ${mode}`);
      const started = await cli('--method', 'tools/call', '--tool-name', 'process', '--tool-arg', 'data_id=from-inspector', '--tool-arg', 'seconds=0');
      if (mode !== 'modern') {
        expect(started.structuredContent.message === 'Started processing from-inspector', JSON.stringify(started));
        return 'tools/list, tools/call status and process';
      }
      // The modern Inspector declares the tasks extension: process runs as a task, which it follows to its result.
      expect(started.structuredContent?.status === 'completed' && started.content?.[0]?.text === 'Processed from-inspector', JSON.stringify(started));
      return 'tools/list, tools/call status, and process as a task of the extension followed to its result, in 2026-07-28';
    } finally {
      await rm(home, { recursive: true, force: true });
      await stopServer(server);
    }
  });
}

// ── A zod schema through the SDK client ────────────────────────────────────────────────────

async function zodSchema(prefix: string, sdk: Sdk): Promise<void> {
  await attempt(`zod ${await versionOf(prefix, 'zod')} as a tool input schema (Standard JSON Schema), called by the SDK client`, async () => {
    const { z } = (await import(pathToFileURL(join(prefix, 'node_modules', 'zod', 'index.js')).href)) as { z: any };
    const server = new McpServer({ logLevel: 'warn' });
    server.registerTool('order', { description: 'Orders an item', inputSchema: z.object({ sku: z.string(), quantity: z.coerce.number().int().positive() }) }, (order: any) => `${order.quantity} × ${order.sku} (${typeof order.quantity})`);
    const address = await server.listen({ port: 0, host: '127.0.0.1' });
    const client = new sdk.Client({ name: 'agentcore-lite-check', version: '1.0.0' });
    try {
      await client.connect(new sdk.StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${address.port}/mcp`)));
      const [tool] = (await client.listTools()).tools;
      expect(tool.inputSchema.properties.quantity.type === 'integer', JSON.stringify(tool.inputSchema));
      const ordered = await client.callTool({ name: 'order', arguments: { sku: 'A-1', quantity: '3' } });
      expect(ordered.content[0].text === '3 × A-1 (number)', JSON.stringify(ordered));
      const refused = await client.callTool({ name: 'order', arguments: { sku: 'A-1', quantity: 0 } });
      expect(refused.isError === true, JSON.stringify(refused));
      return 'listed with its JSON Schema, coerced output reached the handler, a bad quantity refused';
    } finally {
      await client.close().catch(() => undefined);
      await server.close({ graceMs: 0 });
    }
  });
}

async function main(): Promise<void> {
  const legacy = await clientPrefix(process.env.MCP_CLIENTS_PREFIX, PACKAGES);
  if (legacy !== undefined) {
    try {
      expect(existsSync(join(legacy.prefix, 'node_modules', '@modelcontextprotocol', 'sdk', 'package.json')), `no SDK in ${legacy.prefix}`);
      console.log(`Node ${process.version}; SDK ${await versionOf(legacy.prefix, '@modelcontextprotocol/sdk')}`);
      await conformance(legacy.prefix);
      const sdk = await loadSdk(legacy.prefix);
      await sdkClient(sdk, false);
      await sdkClient(sdk, true);
      await inspector(legacy.prefix, 'stateless');
      await inspector(legacy.prefix, 'stateful');
      await inspector(legacy.prefix, 'modern');
      await zodSchema(legacy.prefix, sdk);
    } finally {
      if (legacy.temporary) await rm(legacy.prefix, { recursive: true, force: true });
    }
  }
  const modern = await clientPrefix(process.env.MCP_MODERN_CLIENTS_PREFIX, MODERN_PACKAGES);
  if (modern !== undefined) {
    try {
      await modernConformance(modern.prefix, DIST);
      await modernClient(modern.prefix, DIST);
    } finally {
      if (modern.temporary) await rm(modern.prefix, { recursive: true, force: true });
    }
  }
  if (results.length === 0) return;
  const failed = results.filter((result) => !result.passed);
  console.log(`mcp clients: ${results.length - failed.length} passed, ${failed.length} failed`);
  if (failed.length > 0) process.exitCode = 1;
}

await main();
