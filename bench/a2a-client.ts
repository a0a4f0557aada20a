/**
 * `npm run test:a2a-client`: the A2A example agent (`dist/examples/a2a-async-processing.js`)
 * driven from outside by a client we did not write, `@a2a-js/sdk` 1.3.0's own (`ClientFactory`
 * with its JSON-RPC transport), in A2A 1.0 and in 0.3 (`legacyCompat`), plus raw requests for
 * what that client cannot send (bad JSON, an unknown method, an unsupported version).
 *
 * The SDK is installed into a temporary prefix (`A2A_CLIENT_PREFIX` to reuse one), never into
 * the project; without the npm registry the check prints SKIP and exits 0. Prints one line per
 * check and exits 1 when one fails. Run it on Node 22 or later (the SDK's fetch and streams).
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { envWithThisNode, startServer, stopServer, type RunningServer } from './servers.js';

const SDK = '@a2a-js/sdk@1.3.0';
const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const AGENT = join(DIST, 'examples', 'a2a-async-processing.js');
const PING_POLL_MS = 100;

// The SDK's modules, loaded from the prefix: typed loosely, as this project has no types for them.
/* eslint-disable @typescript-eslint/no-explicit-any */
type Sdk = { core: any; client: any; errors: any };

const results: { check: string; ok: boolean; detail: string }[] = [];

async function check(name: string, run: () => Promise<string | void>): Promise<void> {
  try {
    const detail = (await run()) ?? '';
    results.push({ check: name, ok: true, detail });
    console.log(`PASS ${name}${detail === '' ? '' : `: ${detail}`}`);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    results.push({ check: name, ok: false, detail });
    console.log(`FAIL ${name}: ${detail}`);
  }
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Installs the SDK into `prefix` unless it is there; false without the registry. */
function install(prefix: string): boolean {
  const manifest = join(prefix, 'node_modules', '@a2a-js', 'sdk', 'package.json');
  if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version === '1.3.0') return true;
  const result = spawnSync('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-package-lock', SDK], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000, env: envWithThisNode() });
  if (result.status !== 0) console.error(String(result.stderr).split('\n').slice(-5).join('\n'));
  return result.status === 0;
}

async function loadSdk(prefix: string): Promise<Sdk> {
  const root = join(prefix, 'node_modules', '@a2a-js', 'sdk', 'dist');
  const load = (path: string): Promise<any> => import(pathToFileURL(join(root, path)).href);
  return { core: await load('index.js'), client: await load('client/index.js'), errors: await load('errors/index.js') };
}

async function pingStatus(base: string): Promise<string> {
  return ((await (await fetch(`${base}/ping`)).json()) as { status: string }).status;
}

/** Raw JSON-RPC over fetch, for what the SDK client cannot send. */
async function raw(base: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(`${base}/`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, body: await response.json() };
}

/** One client's checks: `label` is `1.0` or `0.3`. */
async function clientChecks(sdk: Sdk, client: any, label: string, base: string, listing: any): Promise<string[]> {
  const { Role, TaskState } = sdk.core;
  const created: string[] = [];
  const message = (text: string): any => ({ messageId: randomUUID(), role: Role.ROLE_USER, parts: [{ content: { $case: 'text', value: text } }] });
  const texts = (parts: any[]): string[] => parts.filter((part) => part.content?.$case === 'text').map((part) => part.content.value);

  await check(`${label}: the client speaks ${label}`, async () => {
    assert(client.protocolVersion === label, `protocolVersion is ${client.protocolVersion}`);
  });

  await check(`${label}: sendMessage (blocking) runs "process" to completion with its artifact`, async () => {
    const task = await client.sendMessage({ message: message('process blocking-1 1') });
    created.push(task.id);
    assert(task.status.state === TaskState.TASK_STATE_COMPLETED, `state ${task.status.state}`);
    const artifactText = texts(task.artifacts[0].parts);
    assert(artifactText.includes('Processed blocking-1'), `artifact ${JSON.stringify(artifactText)}`);
    return `task ${task.id} COMPLETED, artifact "${artifactText[0]}"`;
  });

  await check(`${label}: a 2-second "process" keeps /ping HealthyBusy until it completes, then Healthy`, async () => {
    assert((await pingStatus(base)) === 'Healthy', 'not Healthy before');
    const task = await client.sendMessage({ message: message('process busy-2 2'), configuration: { returnImmediately: true } });
    created.push(task.id);
    assert([TaskState.TASK_STATE_SUBMITTED, TaskState.TASK_STATE_WORKING].includes(task.status.state), `state ${task.status.state} at once`);
    const seen: string[] = [];
    const started = Date.now();
    for (;;) {
      // /ping first, then the task: a task still working afterwards was working when /ping answered.
      const status = await pingStatus(base);
      const state = (await client.getTask({ id: task.id })).status.state;
      seen.push(`${Date.now() - started}ms ${status}`);
      if (state === TaskState.TASK_STATE_COMPLETED && status === 'Healthy') break;
      if (state !== TaskState.TASK_STATE_COMPLETED) assert(status === 'HealthyBusy', `${status} while the task is ${state}`);
      assert(Date.now() - started < 10_000, 'the task did not complete, or /ping did not go back to Healthy');
      await new Promise((wait) => setTimeout(wait, PING_POLL_MS));
    }
    const busy = seen.filter((line) => line.endsWith('HealthyBusy')).length;
    return `non-blocking send answered ${task.status.state === TaskState.TASK_STATE_WORKING ? 'WORKING' : 'SUBMITTED'}; /ping HealthyBusy ${busy} polls over ${seen.at(-2)?.split(' ')[0]}, then ${seen.at(-1)}`;
  });

  await check(`${label}: sendMessageStream yields the task, then working, the artifact and completed`, async () => {
    const kinds: string[] = [];
    let id = '';
    for await (const event of client.sendMessageStream({ message: message('process stream-1 1') })) {
      const payload = event.payload;
      kinds.push(payload.$case === 'statusUpdate' ? `statusUpdate(${TaskState[payload.value.status.state]})` : payload.$case);
      if (payload.$case === 'task') id = payload.value.id;
    }
    created.push(id);
    assert(kinds[0] === 'task', `first ${kinds[0]}`);
    assert(kinds.at(-1) === 'statusUpdate(TASK_STATE_COMPLETED)', `last ${kinds.at(-1)}`);
    assert(kinds.includes('artifactUpdate'), 'no artifact');
    return kinds.join(' → ');
  });

  await check(`${label}: "status" is answered with a message (no task) carrying the ping status`, async () => {
    const answer = await client.sendMessage({ message: message('status') });
    assert('messageId' in answer && !('status' in answer), 'not a message');
    const data = answer.parts[0].content;
    assert(data.$case === 'data' && typeof data.value.ping_status === 'string', `part ${JSON.stringify(data)}`);
    return JSON.stringify(data.value);
  });

  await check(`${label}: getTask with historyLength`, async () => {
    const task = await client.getTask({ id: created[0], historyLength: 1 });
    assert(task.id === created[0] && task.history.length === 1, `history ${task.history.length}`);
    return `history 1 of ${(await client.getTask({ id: created[0] })).history.length}`;
  });

  await check(`${label}: listTasks`, async () => {
    if (label === '0.3') {
      try {
        await client.listTasks({ pageSize: 10 });
        throw new Error('the 0.3 client listed');
      } catch (error: any) {
        assert(error.envelopeCode === -32601 || error.code === -32601, `0.3 listTasks threw ${error.message}`);
      }
    }
    const list = await listing.listTasks({ pageSize: 10 });
    const ids = list.tasks.map((task: any) => task.id);
    const missing = created.filter((id) => !ids.includes(id));
    assert(missing.length === 0, `missing ${missing.join(', ')} from ${ids.length} tasks`);
    return `${label === '0.3' ? 'the 0.3 client has no tasks/list (it throws -32601 itself, sends nothing); the 1.0 client lists the tasks made over 0.3: ' : ''}${list.tasks.length} tasks, totalSize ${list.totalSize}, nextPageToken "${list.nextPageToken}"`;
  });

  await check(`${label}: cancelTask cancels a working task; a finished one is -32002; an unknown one -32001`, async () => {
    const task = await client.sendMessage({ message: message('process cancel-me 30'), configuration: { returnImmediately: true } });
    const canceled = await client.cancelTask({ id: task.id });
    assert(canceled.status.state === TaskState.TASK_STATE_CANCELED, `state ${canceled.status.state}`);
    let code = 0;
    try {
      await client.cancelTask({ id: created[0] });
    } catch (error: any) {
      assert(error instanceof sdk.errors.TaskNotCancelableError, `threw ${error.constructor.name}`);
      code = error.envelopeCode;
    }
    assert(code === -32002, `finished task: ${code}`);
    try {
      await client.getTask({ id: 'no-such-task' });
      throw new Error('an unknown task was found');
    } catch (error: any) {
      assert(error instanceof sdk.errors.TaskNotFoundError, `threw ${error.constructor.name}: ${error.message}`);
    }
    return `CANCELED; TaskNotCancelableError -32002; TaskNotFoundError -32001`;
  });

  await check(`${label}: resubscribeTask follows a working task to the end; a finished one is -32004`, async () => {
    const task = await client.sendMessage({ message: message('process resubscribe 1'), configuration: { returnImmediately: true } });
    const kinds: string[] = [];
    for await (const event of client.resubscribeTask({ id: task.id })) kinds.push(event.payload.$case);
    assert(kinds[0] === 'task' && kinds.length >= 2, `events ${kinds.join(',')}`);
    let failed: any;
    try {
      for await (const _event of client.resubscribeTask({ id: created[0] })) void _event;
    } catch (error: any) {
      failed = error.cause ?? error;
    }
    assert(failed instanceof sdk.errors.UnsupportedOperationError, `finished task: ${failed}`);
    return `${kinds.join(' → ')}; UnsupportedOperationError on a finished task`;
  });
  return created;
}

async function rawChecks(base: string): Promise<void> {
  await check('raw: invalid JSON is -32700 with id null', async () => {
    const { body } = await raw(base, '{"jsonrpc":', { 'a2a-version': '1.0' });
    assert(body.error.code === -32700 && body.id === null, JSON.stringify(body));
    return body.error.message;
  });
  await check('raw: an unknown method is -32601', async () => {
    const { body } = await raw(base, '{"jsonrpc":"2.0","id":1,"method":"Nope"}', { 'a2a-version': '1.0' });
    assert(body.error.code === -32601, JSON.stringify(body));
    return body.error.message;
  });
  await check('raw: A2A-Version 9.9 is -32009', async () => {
    const { body } = await raw(base, '{"jsonrpc":"2.0","id":1,"method":"GetTask","params":{"id":"x"}}', { 'a2a-version': '9.9' });
    assert(body.error.code === -32009, JSON.stringify(body));
    return body.error.message;
  });
  await check('raw: a 1.0 method without A2A-Version (which means 0.3) is -32009', async () => {
    const { body } = await raw(base, '{"jsonrpc":"2.0","id":1,"method":"GetTask","params":{"id":"x"}}');
    assert(body.error.code === -32009, JSON.stringify(body));
    return body.error.message;
  });
  await check('raw: /ping still answers after all of it', async () => {
    const status = await pingStatus(base);
    assert(status === 'Healthy' || status === 'HealthyBusy', status);
    return status;
  });
}

async function main(): Promise<void> {
  const ownPrefix = process.env.A2A_CLIENT_PREFIX === undefined;
  const prefix = process.env.A2A_CLIENT_PREFIX ?? mkdtempSync(join(tmpdir(), 'agentcore-lite-a2a-client-'));
  let server: RunningServer | undefined;
  try {
    if (!install(prefix)) {
      console.log(`SKIP: could not install ${SDK} from the npm registry`);
      return;
    }
    const sdk = await loadSdk(prefix);
    // The agent's log (one line per call, with its method and version) shows what went over the wire.
    const logFile = join(prefix, 'agent.log');
    const log = openSync(logFile, 'w');
    server = await startServer(process.execPath, [AGENT], { LOG_LEVEL: 'info' }, undefined, log);
    closeSync(log);
    const base = server.url;
    console.log(`${SDK} (client) against ${AGENT} on ${base}, Node ${process.version}`);
    const { ClientFactory, ClientFactoryOptions, DefaultAgentCardResolver, JsonRpcTransportFactory } = sdk.client;

    let card: any;
    await check('card: the resolver reads it; JSON-RPC at 1.0 and 0.3, and the 0.3 fields', async () => {
      card = await new DefaultAgentCardResolver().resolve(base);
      const versions = card.supportedInterfaces.map((entry: any) => `${entry.protocolBinding} ${entry.protocolVersion}`);
      assert(versions.join(',') === 'JSONRPC 1.0,JSONRPC 0.3', versions.join(','));
      assert(card.url === `${base}/` && card.protocolVersion === '0.3.0' && card.preferredTransport === 'JSONRPC', 'the 0.3 fields');
      return `${card.name}: ${versions.join(', ')}; url ${card.url}`;
    });

    const v1 = await new ClientFactory().createFromUrl(base);
    await clientChecks(sdk, v1, '1.0', base, v1);

    const resolver = new DefaultAgentCardResolver({ legacyCompat: { enabled: true } });
    const resolved = await resolver.resolve(base);
    const legacyCard = { ...resolved, supportedInterfaces: resolved.supportedInterfaces.filter((entry: any) => entry.protocolVersion.startsWith('0.3')) };
    const factory = new ClientFactory(
      ClientFactoryOptions.createFrom(ClientFactoryOptions.default, { cardResolver: resolver, transports: [new JsonRpcTransportFactory({ legacyCompat: { enabled: true } })] }),
    );
    const v03 = await factory.createFromAgentCard(legacyCard);
    await clientChecks(sdk, v03, '0.3', base, v1);

    await rawChecks(base);

    await check('wire: each client called the methods of its own version (from the agent’s log)', async () => {
      const calls = new Set(
        readFileSync(logFile, 'utf8')
          .split('\n')
          .filter((line) => line.includes('"a2a call answered"'))
          .map((line) => JSON.parse(line) as { method: string; a2aVersion: string })
          .map((call) => `${call.method}@${call.a2aVersion}`),
      );
      const expected = [
        ...['SendMessage', 'SendStreamingMessage', 'GetTask', 'ListTasks', 'CancelTask', 'SubscribeToTask'].map((method) => `${method}@1.0`),
        ...['message/send', 'message/stream', 'tasks/get', 'tasks/cancel', 'tasks/resubscribe'].map((method) => `${method}@0.3`),
      ];
      const missing = expected.filter((call) => !calls.has(call));
      assert(missing.length === 0, `not seen: ${missing.join(', ')}`);
      return [...calls].sort().join(', ');
    });
  } finally {
    if (server !== undefined) await stopServer(server);
    if (ownPrefix) rmSync(prefix, { recursive: true, force: true });
  }
  const failed = results.filter((result) => !result.ok);
  console.log(`\n${results.length - failed.length} passed, ${failed.length} failed`);
  if (failed.length > 0) process.exitCode = 1;
}

await main();
