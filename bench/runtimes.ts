/**
 * `npm run test:runtimes`: runs the seed example unchanged under every JavaScript runtime found
 * (node always; bun and deno when on PATH or installed under RUNTIMES_PREFIX, default
 * /tmp/runtimes, e.g. by `npm install --prefix /tmp/runtimes bun deno`) and smoke-tests the
 * contract over real HTTP: /ping, process, status, the task finishing, a 400, a streamed reply
 * when the library streams, and a clean SIGTERM exit. Exits 1 if any runtime found fails.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { httpRequest, startServer, type RunningServer } from './servers.js';

const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const AGENT = join(DIST, 'examples', 'async-processing.js');
const SSE_AGENT = join(DIST, 'bench', 'sse-agent.js');
const RUNTIMES_PREFIX = process.env.RUNTIMES_PREFIX ?? '/tmp/runtimes';
const TASK_SECONDS = 1;
const TASK_SETTLE_MS = 600;
const STREAM_EVENTS = 3;
const EXIT_TIMEOUT_MS = 5000;
/** Deno needs permissions for what the library does: listen, read env, check /.dockerenv. */
const DENO_PERMISSIONS = ['--allow-net', '--allow-env', '--allow-read'];

interface Runtime {
  name: string;
  command: string;
  /** Arguments before the script path. */
  args: string[];
}

/** The runtime's binary, when one is found that runs (a half-finished install counts as absent). */
function findBinary(name: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const local = join(RUNTIMES_PREFIX, 'node_modules', '.bin', name);
  const binary = found.status === 0 && found.stdout.trim() !== '' ? found.stdout.trim() : existsSync(local) ? local : undefined;
  return binary !== undefined && spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0 ? binary : undefined;
}

function version(command: string): string {
  const result = spawnSync(command, ['--version'], { encoding: 'utf8' });
  return (result.stdout || result.stderr || '').split('\n')[0]!.trim();
}

function runtimes(): Runtime[] {
  const found: Runtime[] = [{ name: 'node', command: process.execPath, args: [] }];
  const bun = findBinary('bun');
  if (bun !== undefined) found.push({ name: 'bun', command: bun, args: ['run'] });
  const deno = findBinary('deno');
  if (deno !== undefined) found.push({ name: 'deno', command: deno, args: ['run', ...DENO_PERMISSIONS] });
  return found;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

async function invoke(server: RunningServer, body: string): Promise<{ status: number; contentType: string; body: string }> {
  return httpRequest(`${server.url}/invocations`, 'POST', body);
}

async function ping(server: RunningServer): Promise<{ status: string; time_of_last_update: number }> {
  const reply = await httpRequest(`${server.url}/ping`);
  check(reply.status === 200, `/ping answered ${reply.status}`);
  check(reply.contentType.startsWith('application/json'), `/ping content type ${reply.contentType}`);
  return JSON.parse(reply.body) as { status: string; time_of_last_update: number };
}

/** Stops with SIGTERM and resolves with the exit code (`null` when it had to be killed). */
async function stopAndGetExitCode(server: RunningServer): Promise<number | null> {
  const child = server.child;
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

async function smokeAgent(runtime: Runtime, notes: string[]): Promise<void> {
  const server = await startServer(runtime.command, [...runtime.args, AGENT], { LOG_LEVEL: 'error' });
  notes.push(`ready in ${Math.round(server.readyMs)} ms`);
  try {
    const idle = await ping(server);
    check(idle.status === 'Healthy' && Number.isInteger(idle.time_of_last_update), `idle ping ${JSON.stringify(idle)}`);

    const started = await invoke(server, JSON.stringify({ action: 'process', data_id: 'smoke', seconds: TASK_SECONDS }));
    check(started.status === 200, `process answered ${started.status}`);
    check(typeof (JSON.parse(started.body) as { task_id: unknown }).task_id === 'number', `process body ${started.body}`);

    const busy = await ping(server);
    check(busy.status === 'HealthyBusy', `ping while busy: ${busy.status}`);
    check(busy.time_of_last_update >= idle.time_of_last_update, 'the stamp went backwards');

    const status = JSON.parse((await invoke(server, JSON.stringify({ action: 'status' }))).body) as {
      active_tasks: number;
      running_jobs: { name: string }[];
    };
    check(status.active_tasks === 1 && status.running_jobs[0]?.name === 'data_processing', `status ${JSON.stringify(status)}`);

    await sleep(TASK_SECONDS * 1000 + TASK_SETTLE_MS);
    const done = await ping(server);
    check(done.status === 'Healthy', `ping after the task: ${done.status}`);

    const invalid = await invoke(server, '{"action":');
    check(invalid.status === 400, `invalid JSON answered ${invalid.status}`);
  } finally {
    const code = await stopAndGetExitCode(server);
    check(code === 0, `SIGTERM exit code ${String(code)}`);
  }
}

async function smokeStreaming(runtime: Runtime, notes: string[]): Promise<void> {
  const server = await startServer(runtime.command, [...runtime.args, SSE_AGENT], { LOG_LEVEL: 'error' });
  try {
    const reply = await invoke(server, JSON.stringify({ events: STREAM_EVENTS }));
    check(reply.status === 200, `streaming handler answered ${reply.status}`);
    if (!reply.contentType.startsWith('text/event-stream')) {
      notes.push('streaming: n/a (this build of the library does not stream)');
      return;
    }
    const events = reply.body.split('\n\n').filter((block) => block.startsWith('data:'));
    check(events.length === STREAM_EVENTS, `expected ${STREAM_EVENTS} events, got ${JSON.stringify(reply.body)}`);
    notes.push(`streaming: ${events.length} events`);
  } finally {
    await stopAndGetExitCode(server);
  }
}

async function main(): Promise<void> {
  let failures = 0;
  for (const runtime of runtimes()) {
    const notes: string[] = [];
    const label = `${runtime.name} (${version(runtime.command)})`;
    try {
      await smokeAgent(runtime, notes);
      await smokeStreaming(runtime, notes);
      console.log(`PASS ${label}: ping, process, status, task completion, 400, SIGTERM exit 0; ${notes.join('; ')}`);
    } catch (error) {
      failures++;
      console.log(`FAIL ${label}: ${(error as Error).message}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`);
    }
  }
  for (const name of ['bun', 'deno']) {
    if (findBinary(name) === undefined) console.log(`SKIP ${name}: no working binary on PATH nor in ${RUNTIMES_PREFIX}/node_modules/.bin`);
  }
  process.exitCode = failures === 0 ? 0 : 1;
}

await main();
