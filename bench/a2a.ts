/**
 * `npm run bench:a2a`: agentcore-lite's A2A server against a bare `node:http` floor and an
 * `@a2a-js/sdk` 1.3.0 agent (on Express, the way AWS's TypeScript SDK hosts A2A), in one run, on
 * the Node running it (use Node 22: AgentCore's runtime). All three are echo agents: each
 * `SendMessage` is answered with a task completed with one artifact echoing the text.
 *
 * Measured per server: cold start (spawn to the first 200 on /ping, median of BENCH_SPAWNS,
 * interleaved), idle RSS, server CPU per SendMessage under keep-alive load (bench/load.ts,
 * BENCH_CONNECTIONS, the lowest of BENCH_ROUNDS), then a burst of BENCH_BURST_TASKS (20,000)
 * SendMessage calls, BURST_CONCURRENCY at a time, with /ping polled throughout: RSS after it,
 * its peak, the slowest /ping, and the tasks the server still holds. Targets, as ratios to the
 * floor: CPU per SendMessage at most 2×, cold start at most 1.2×, idle RSS at most 1.1×.
 *
 * The SDK and Express are installed into a temporary prefix (BENCH_A2A_PREFIX to reuse one),
 * never into the project; without the registry the SDK column says n/a.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { LoadOptions, LoadResult } from './load.js';
import { cpuTimeMs, envNumber, envWithThisNode, memoryOf, startServer, stopServer, type RunningServer } from './servers.js';

const run = promisify(execFile);
const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LOAD_CLIENT = join(DIST, 'bench', 'load.js');
const OURS = join(DIST, 'bench', 'a2a-agent.js');
const FLOOR = join(DIST, 'bench', 'a2a-baseline.js');

const SPAWNS = envNumber('BENCH_SPAWNS', 11);
const ROUNDS = envNumber('BENCH_ROUNDS', 3);
const CONNECTIONS = envNumber('BENCH_CONNECTIONS', 16);
const DURATION_MS = envNumber('BENCH_DURATION_MS', 3000);
const WARMUP_MS = envNumber('BENCH_WARMUP_MS', 1000);
const BURST_TASKS = envNumber('BENCH_BURST_TASKS', 20_000);
const BURST_CONCURRENCY = 64;
const PING_POLL_MS = 50;
const IDLE_SETTLE_MS = 500;
const AFTER_BURST_SETTLE_MS = 2000;
const MB = 1024 * 1024;

const SEND = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'SendMessage',
  params: { message: { messageId: 'bench-message', role: 'ROLE_USER', parts: [{ text: 'hello' }] } },
});
const V1 = { 'a2a-version': '1.0' };

/** The @a2a-js/sdk echo agent, written into the prefix so its imports resolve there. */
const SDK_AGENT = `import express from 'express';
import { AgentEvent, DefaultRequestHandler, InMemoryTaskStore } from '@a2a-js/sdk/server';
import { jsonRpcHandler, agentCardHandler, UserBuilder } from '@a2a-js/sdk/server/express';
import { TaskState } from '@a2a-js/sdk';

const port = Number(process.env.PORT ?? 9003);
const url = 'http://127.0.0.1:' + port + '/';
const card = {
  name: 'echo', description: 'Echoes each message as an artifact', version: '1.0.0',
  supportedInterfaces: [{ url, protocolBinding: 'JSONRPC', protocolVersion: '1.0', tenant: '' }, { url, protocolBinding: 'JSONRPC', protocolVersion: '0.3', tenant: '' }],
  capabilities: { streaming: true, pushNotifications: false, extendedAgentCard: false, extensions: [] },
  defaultInputModes: ['text/plain'], defaultOutputModes: ['text/plain'],
  skills: [{ id: 'echo', name: 'echo', description: 'echo', tags: ['echo'], examples: [], inputModes: [], outputModes: [], securityRequirements: [] }],
  securitySchemes: {}, securityRequirements: [], signatures: [],
};
const executor = {
  async execute(context, bus) {
    const { taskId, contextId } = context;
    const first = context.userMessage.parts[0];
    const text = first?.content?.$case === 'text' ? first.content.value : '';
    bus.publish(AgentEvent.task({ id: taskId, contextId, status: { state: TaskState.TASK_STATE_SUBMITTED, timestamp: new Date().toISOString() }, artifacts: [], history: [context.userMessage] }));
    bus.publish(AgentEvent.artifactUpdate({ taskId, contextId, artifact: { artifactId: 'echo', name: 'echo', description: '', parts: [{ content: { $case: 'text', value: text }, filename: '', mediaType: '' }], extensions: [] }, append: false, lastChunk: true }));
    bus.publish(AgentEvent.statusUpdate({ taskId, contextId, status: { state: TaskState.TASK_STATE_COMPLETED, timestamp: new Date().toISOString() } }));
    bus.finished();
  },
  async cancelTask() {},
};
const handler = new DefaultRequestHandler(card, new InMemoryTaskStore(), executor);
const app = express();
app.get('/ping', (_request, response) => response.json({ status: 'Healthy', time_of_last_update: Math.floor(Date.now() / 1000) }));
app.use('/.well-known/agent-card.json', agentCardHandler({ agentCardProvider: handler, legacyCompat: { enabled: true } }));
app.use('/', jsonRpcHandler({ requestHandler: handler, userBuilder: UserBuilder.noAuthentication, legacyCompat: { enabled: true } }));
const server = app.listen(port, process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

// ---------------------------------------------------------------------------------------------

const PIN = availableParallelism() >= 2 && process.platform === 'linux' && spawnSync('sh', ['-c', 'command -v taskset']).status === 0 && process.env.BENCH_PIN !== '0';

function pinned(core: number, command: string, args: readonly string[]): [string, string[]] {
  return PIN ? ['taskset', ['-c', String(core), command, ...args]] : [command, [...args]];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Installs the SDK and Express into `prefix` unless there; false without the registry. */
function install(prefix: string): boolean {
  const manifest = join(prefix, 'node_modules', '@a2a-js', 'sdk', 'package.json');
  if (!existsSync(manifest) || (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version !== '1.3.0') {
    const result = spawnSync('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-package-lock', '@a2a-js/sdk@1.3.0', 'express@5'], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000, env: envWithThisNode() });
    if (result.status !== 0) return false;
  }
  writeFileSync(join(prefix, 'a2a-sdk-agent.mjs'), SDK_AGENT);
  return true;
}

interface Contender {
  label: string;
  script: string;
}

/** A POST of `body` over `agent`, resolving with the status and the text. */
function post(url: string, body: string, agent: Agent): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...V1 } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

async function coldStarts(contenders: readonly Contender[]): Promise<number[]> {
  const samples: number[][] = contenders.map(() => []);
  for (let round = 0; round < SPAWNS; round++) {
    for (const [index, contender] of contenders.entries()) {
      const server = await startServer(process.execPath, [contender.script], { LOG_LEVEL: undefined });
      samples[index]!.push(server.readyMs);
      await stopServer(server);
    }
  }
  return samples.map(median);
}

/** Server CPU per SendMessage (µs), the lowest of the rounds, and the best req/s. */
async function cpuPerSend(server: RunningServer): Promise<{ micros: number; rps: number; failures: number }> {
  let micros = Infinity;
  let rps = 0;
  let failures = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const options: LoadOptions = { url: `${server.url}/`, body: SEND, headers: V1, connections: CONNECTIONS, durationMs: DURATION_MS, warmupMs: WARMUP_MS };
    const before = cpuTimeMs(server.child.pid!)!;
    const [command, args] = pinned(1, process.execPath, [LOAD_CLIENT, JSON.stringify(options)]);
    const result = JSON.parse((await run(command, args, { maxBuffer: 1 << 20 })).stdout) as LoadResult;
    const after = cpuTimeMs(server.child.pid!)!;
    micros = Math.min(micros, ((after - before) * 1000) / result.totalRequests);
    rps = Math.max(rps, result.requestsPerSecond);
    failures += result.errors + result.non2xx;
  }
  return { micros, rps, failures };
}

/**
 * BURST_TASKS SendMessage calls, BURST_CONCURRENCY at a time, from a load process on the client
 * core; meanwhile this process (otherwise idle) polls /ping and keeps its slowest answer.
 */
async function burst(server: RunningServer): Promise<{ failures: number; slowestPingMs: number; pingFailures: number; seconds: number }> {
  let done = false;
  let slowestPingMs = 0;
  let pingFailures = 0;
  const pingAgent = new Agent({ keepAlive: true, maxSockets: 1 });
  const pinger = (async () => {
    while (!done) {
      const startedAt = performance.now();
      try {
        const status = await new Promise<number>((resolve, reject) => {
          request(`${server.url}/ping`, { agent: pingAgent }, (response) => {
            response.resume();
            response.on('end', () => resolve(response.statusCode ?? 0));
          }).on('error', reject).end();
        });
        if (status !== 200) pingFailures++;
      } catch {
        pingFailures++;
      }
      slowestPingMs = Math.max(slowestPingMs, performance.now() - startedAt);
      await new Promise((wait) => setTimeout(wait, PING_POLL_MS));
    }
  })();
  const options: LoadOptions = { url: `${server.url}/`, body: SEND, headers: V1, connections: BURST_CONCURRENCY, durationMs: 600_000, warmupMs: 0, maxRequests: BURST_TASKS };
  const startedAt = performance.now();
  const [command, args] = pinned(1, process.execPath, [LOAD_CLIENT, JSON.stringify(options)]);
  const result = JSON.parse((await run(command, args, { maxBuffer: 1 << 20 })).stdout) as LoadResult;
  const seconds = (performance.now() - startedAt) / 1000;
  done = true;
  await pinger;
  pingAgent.destroy();
  return { failures: result.errors + result.non2xx + (BURST_TASKS - result.totalRequests), slowestPingMs, pingFailures, seconds };
}

/** How many tasks agentcore-lite holds (ListTasks' totalSize); other servers: undefined. */
async function heldTasks(server: RunningServer): Promise<number | undefined> {
  const agent = new Agent();
  const reply = await post(`${server.url}/`, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ListTasks', params: { pageSize: 1 } }), agent);
  agent.destroy();
  try {
    return (JSON.parse(reply.text) as { result?: { totalSize?: number } }).result?.totalSize;
  } catch {
    return undefined;
  }
}

interface Measured {
  cold: number;
  idleRss: number;
  cpu: { micros: number; rps: number; failures: number };
  burst: { failures: number; slowestPingMs: number; pingFailures: number; seconds: number };
  rssAfterBurst: number;
  second: { failures: number; slowestPingMs: number; pingFailures: number; seconds: number };
  rssAfterSecond: number;
  peakRss: number;
  held: number | undefined;
}

async function measure(contender: Contender, cold: number): Promise<Measured> {
  console.error(`  ${contender.label}...`);
  const [command, args] = pinned(0, process.execPath, [contender.script]);
  const server = await startServer(command, args, { LOG_LEVEL: undefined });
  try {
    await new Promise((wait) => setTimeout(wait, IDLE_SETTLE_MS));
    const idleRss = memoryOf(server.child.pid!)!.rss / MB;
    const cpu = await cpuPerSend(server);
    const first = await burst(server);
    await new Promise((wait) => setTimeout(wait, AFTER_BURST_SETTLE_MS));
    const rssAfterBurst = memoryOf(server.child.pid!)!.rss / MB;
    // A second burst as large: a server whose memory is bounded ends where the first left it.
    const second = await burst(server);
    await new Promise((wait) => setTimeout(wait, AFTER_BURST_SETTLE_MS));
    const memory = memoryOf(server.child.pid!)!;
    return { cold, idleRss, cpu, burst: first, rssAfterBurst, second, rssAfterSecond: memory.rss / MB, peakRss: memory.peak / MB, held: await heldTasks(server) };
  } finally {
    await stopServer(server);
  }
}

function cell(value: number | undefined, digits: number): string {
  return value === undefined || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits);
}

async function main(): Promise<void> {
  const ownPrefix = process.env.BENCH_A2A_PREFIX === undefined;
  const prefix = process.env.BENCH_A2A_PREFIX ?? mkdtempSync(join(tmpdir(), 'agentcore-lite-a2a-bench-'));
  try {
    const contenders: Contender[] = [
      { label: 'bare node:http floor', script: FLOOR },
      { label: 'agentcore-lite/a2a', script: OURS },
    ];
    if (install(prefix)) contenders.push({ label: '@a2a-js/sdk 1.3.0 (Express 5)', script: join(prefix, 'a2a-sdk-agent.mjs') });
    else console.error('could not install @a2a-js/sdk and express from the npm registry; that column is n/a');
    console.log('# A2A: agentcore-lite against a bare node:http floor and @a2a-js/sdk\n');
    console.log(
      `Machine: nproc ${availableParallelism()}, ${cpus()[0]?.model ?? 'unknown CPU'}; Node ${process.version}; ` +
        `load: dist/bench/load.js, ${CONNECTIONS} connections, ${WARMUP_MS} ms warm-up + ${DURATION_MS} ms, lowest CPU of ${ROUNDS} rounds; ` +
        `cold start: median of ${SPAWNS}; burst: ${BURST_TASKS} SendMessage calls, ${BURST_CONCURRENCY} at a time, /ping every ${PING_POLL_MS} ms` +
        (PIN ? '; servers on core 0, clients on core 1' : ''),
    );
    console.error(`cold starts (${SPAWNS} each, interleaved)...`);
    const colds = await coldStarts(contenders);
    const results: Measured[] = [];
    for (const [index, contender] of contenders.entries()) results.push(await measure(contender, colds[index]!));
    const [floor, ours, sdk] = results as [Measured, Measured, Measured | undefined];
    const ratio = (value: number | undefined, base: number | undefined): string => (value === undefined || base === undefined ? 'n/a' : `${(value / base).toFixed(2)}×`);
    const verdict = (value: number, base: number, target: number): string => (value / base <= target ? 'PASS' : 'FAIL');
    const rows: [string, (m: Measured) => number | undefined, number, number | undefined][] = [
      ['cold start to first /ping 200 (ms)', (m) => m.cold, 1, 1.2],
      ['idle RSS (MB)', (m) => m.idleRss, 1, 1.1],
      ['server CPU per SendMessage (µs)', (m) => m.cpu.micros, 1, 2],
      ['SendMessage req/s (one client core)', (m) => m.cpu.rps, 0, undefined],
      [`RSS ${AFTER_BURST_SETTLE_MS / 1000} s after ${BURST_TASKS} tasks in a burst (MB)`, (m) => m.rssAfterBurst, 1, undefined],
      [`RSS after a second burst of ${BURST_TASKS} (MB)`, (m) => m.rssAfterSecond, 1, undefined],
      ['peak RSS (MB)', (m) => m.peakRss, 1, undefined],
      ['burst duration (s)', (m) => m.burst.seconds, 1, undefined],
      ['slowest /ping during the bursts (ms)', (m) => Math.max(m.burst.slowestPingMs, m.second.slowestPingMs), 1, undefined],
      ['tasks held after the bursts', (m) => m.held, 0, undefined],
    ];
    console.log('\n| metric | floor | agentcore-lite | @a2a-js/sdk | ours ÷ floor | target | result | sdk ÷ floor |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | :---: | ---: |');
    for (const [name, read, digits, target] of rows) {
      const base = read(floor);
      const mine = read(ours);
      const theirs = sdk === undefined ? undefined : read(sdk);
      const checked = target !== undefined && mine !== undefined && base !== undefined;
      console.log(
        `| ${name} | ${cell(base, digits)} | ${cell(mine, digits)} | ${cell(theirs, digits)} | ${ratio(mine, base)} | ${target === undefined ? '' : `≤ ${target}×`} | ${checked ? verdict(mine, base, target) : ''} | ${ratio(theirs, base)} |`,
      );
    }
    const problems = results.flatMap((result, index) => {
      const label = contenders[index]!.label;
      const found: string[] = [];
      if (result.cpu.failures > 0) found.push(`${label}: ${result.cpu.failures} failed calls under load`);
      for (const round of [result.burst, result.second]) {
        if (round.failures > 0) found.push(`${label}: ${round.failures} failed calls in a burst`);
        if (round.pingFailures > 0) found.push(`${label}: ${round.pingFailures} failed /ping during a burst`);
      }
      return found;
    });
    console.log(problems.length === 0 ? '\nEvery call answered; /ping answered throughout every burst.' : `\n${problems.join('\n')}`);
  } finally {
    if (ownPrefix) rmSync(prefix, { recursive: true, force: true });
  }
}

await main();
