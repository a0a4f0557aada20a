/**
 * The 2026-07-28 half of `npm run test:mcp-clients` (see bench/mcp-clients.ts), with clients we
 * did not write, from a temporary prefix:
 *
 * 1. the official conformance suite `@modelcontextprotocol/conformance@0.2.0-alpha.12` against
 *    `examples/mcp-everything.ts`: `--requirements 2025-11-25` and `--requirements 2026-07-28`
 *    (every server scenario of each, the not scored ones included: the tasks extension and the
 *    pending ones), then each `tasks-*` scenario alone with `--scenario`. A check that fails
 *    fails the run, whether or not the suite scores its scenario;
 * 2. the official v2 client `@modelcontextprotocol/client@2.4.0` in the modern era
 *    (`versionNegotiation` pinned to 2026-07-28, and `auto`) against
 *    `examples/mcp-async-processing.ts`: it lists and calls the tools, answers the multi
 *    round-trip `delete_data` with its elicitation handler, and follows `process` as a task of
 *    the tasks extension to `completed` with `tasks/get`, `/ping` HealthyBusy meanwhile.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { attempt, conformanceSummary, expect, runConformance, versionOf } from './client-checks.js';
import { httpRequest, startServer, stopServer, type RunningServer } from './servers.js';

/** What this half installs into its prefix. */
export const MODERN_PACKAGES = ['@modelcontextprotocol/conformance@0.2.0-alpha.12', '@modelcontextprotocol/client@2.4.0'];

/** The extension scenarios, run one by one (their failures do not change `--requirements`' exit status). */
export const TASKS_SCENARIOS = [
  'tasks-lifecycle',
  'tasks-capability-negotiation',
  'tasks-wire-fields',
  'tasks-request-state-removal',
  'tasks-mrtr-input',
  'tasks-request-headers',
  'tasks-dispatch-and-envelope',
  'tasks-status-notifications',
  'tasks-required-task-error',
  'tasks-mrtr-composition',
];

/** Scenarios each requirement set holds (a run with fewer is a failure: the suite changed). */
const REQUIREMENT_SCENARIOS: Readonly<Record<string, number>> = { '2025-11-25': 33, '2026-07-28': 50 };
const REQUIREMENTS_TIMEOUT_MS = 600_000;
const SCENARIO_TIMEOUT_MS = 120_000;
const TASK_SECONDS = 2;
const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/** The conformance suite 0.2.0-alpha.12: both requirement sets, then each tasks-* scenario alone. */
export async function modernConformance(prefix: string, dist: string): Promise<void> {
  const bin = join(prefix, 'node_modules', '.bin', 'conformance');
  const version = await versionOf(prefix, '@modelcontextprotocol/conformance');
  const everything = (): Promise<RunningServer> => startServer(process.execPath, [join(dist, 'examples', 'mcp-everything.js')], { LOG_LEVEL: 'warn' });
  for (const requirements of Object.keys(REQUIREMENT_SCENARIOS)) {
    await attempt(`conformance suite ${version}, server --requirements ${requirements}, against examples/mcp-everything`, async () => {
      const server = await everything();
      try {
        return conformanceSummary(await runConformance(bin, `${server.url}/mcp`, ['--requirements', requirements], REQUIREMENTS_TIMEOUT_MS), REQUIREMENT_SCENARIOS[requirements]!);
      } finally {
        await stopServer(server);
      }
    });
  }
  await attempt(`conformance suite ${version}, each tasks-* scenario with --scenario, against examples/mcp-everything`, async () => {
    const server = await everything();
    try {
      const passed: string[] = [];
      for (const scenario of TASKS_SCENARIOS) {
        const run = await runConformance(bin, `${server.url}/mcp`, ['--scenario', scenario], SCENARIO_TIMEOUT_MS);
        const checks = run.scenarios.get(scenario) ?? [];
        expect(run.status === 0 && !checks.includes('FAILURE'), `${scenario}: exit ${run.status}, checks ${checks.join(',') || 'none'}`);
        const count = (status: string): number => checks.filter((check) => check === status).length;
        passed.push(`${scenario} ${count('SUCCESS')}/${count('SUCCESS') + count('FAILURE')}${count('SKIPPED') > 0 ? ` (${count('SKIPPED')} skipped)` : ''}`);
      }
      return passed.join(', ');
    } finally {
      await stopServer(server);
    }
  });
}

/** A Standard Schema that takes any value: results of the tasks extension, which 2.4.0 has no schema for. */
const ANY = { '~standard': { version: 1, vendor: 'agentcore-lite-check', validate: (value: unknown) => ({ value }) } };

/**
 * The v2 client in the modern era: pinned to 2026-07-28 (and `auto`, which must pick it too).
 * 2.4.0 cannot follow a task itself (`callTool` rejects a task handle with
 * UNSUPPORTED_RESULT_TYPE): the check reads the handle from the answer through a `fetch` wrapper
 * and polls `tasks/get` with `client.request`.
 */
export async function modernClient(prefix: string, dist: string): Promise<void> {
  const version = await versionOf(prefix, '@modelcontextprotocol/client');
  await attempt(`official v2 client ${version}, 2026-07-28: lists and calls the tools, a multi round-trip tool, a ${TASK_SECONDS} s task followed to completed with /ping busy`, async () => {
    const { Client, StreamableHTTPClientTransport } = (await import(pathToFileURL(join(prefix, 'node_modules', '@modelcontextprotocol', 'client', 'dist', 'index.mjs')).href)) as any;
    const server = await startServer(process.execPath, [join(dist, 'examples', 'mcp-async-processing.js')], { LOG_LEVEL: 'warn' });
    let lastBody = '';
    const spy = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const response = await fetch(input, init);
      lastBody = await response.clone().text();
      return response;
    };
    const capabilities = { elicitation: {}, extensions: { [TASKS_EXTENSION]: {} } };
    const client = new Client({ name: 'agentcore-lite-check', version: '1.0.0' }, { capabilities, versionNegotiation: { mode: { pin: '2026-07-28' } } });
    const asked: string[] = [];
    client.setRequestHandler('elicitation/create', async (request: { params: { message: string } }) => {
      asked.push(request.params.message);
      return { action: 'accept', content: { confirm: true } };
    });
    const auto = new Client({ name: 'agentcore-lite-check', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
    try {
      await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { fetch: spy }));
      expect(client.getProtocolEra() === 'modern' && client.getNegotiatedProtocolVersion() === '2026-07-28', `era ${client.getProtocolEra()}`);
      const tools = (await client.listTools()).tools.map((tool: { name: string }) => tool.name);
      expect(tools.join() === 'process,status,cleanup,delete_data', `tools ${tools.join()}`);
      const status = await client.callTool({ name: 'status', arguments: {} });
      expect(status.structuredContent?.ping_status === 'Healthy', JSON.stringify(status));
      const deleted = await client.callTool({ name: 'delete_data', arguments: { data_id: 'd-1' } });
      expect(deleted.content?.[0]?.text === 'Deleted d-1' && asked.join() === 'Delete data set d-1?', `delete_data: ${JSON.stringify(deleted)}, asked ${asked.join()}`);
      const handle = await client.callTool({ name: 'process', arguments: { data_id: 'as-task', seconds: TASK_SECONDS } }).then(
        (result: unknown) => ({ unexpected: result }),
        (error: { code?: string }) => ({ code: error.code }),
      );
      expect('code' in handle && handle.code === 'UNSUPPORTED_RESULT_TYPE', `process answered ${JSON.stringify(handle)}`);
      const created = JSON.parse(lastBody).result as { resultType: string; taskId: string; status: string };
      expect(created.resultType === 'task' && created.status === 'working', lastBody);
      const polls: string[] = [];
      let task: { status: string; result?: { content?: { text?: string }[] } };
      do {
        await sleep(500);
        task = await client.request({ method: 'tasks/get', params: { taskId: created.taskId } }, ANY);
        const ping = JSON.parse((await httpRequest(`${server.url}/ping`)).body) as { status: string };
        polls.push(`${task.status}/${ping.status}`);
        expect(polls.length < 40, `no end: ${polls.join(' ')}`);
      } while (task.status === 'working');
      expect(task.status === 'completed' && task.result?.content?.[0]?.text === 'Processed as-task', JSON.stringify(task));
      expect(polls.slice(0, -1).every((poll) => poll === 'working/HealthyBusy') && polls.length >= 2, `polls ${polls.join(' ')}`);
      expect(polls.at(-1) === 'completed/Healthy', `last poll ${polls.at(-1)}`);
      await auto.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`)));
      expect(auto.getProtocolEra() === 'modern', `auto picked ${auto.getProtocolEra()}`);
      return `era modern, delete_data asked and answered in two rounds, task polls ${polls.join(' ')}; mode auto picked modern`;
    } finally {
      await client.close().catch(() => undefined);
      await auto.close().catch(() => undefined);
      await stopServer(server);
    }
  });
}
