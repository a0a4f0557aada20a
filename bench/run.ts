/**
 * `npm run bench`: agentcore-lite against a bare `node:http` floor, measured in the same run.
 *
 * Servers: the seed example (dist/examples/async-processing.js, LOG_LEVEL=warn) and its
 * streaming sibling (dist/bench/sse-agent.js) against dist/bench/baseline.js. Load comes from a
 * separate process: `wrk` or `autocannon` when on PATH, else dist/bench/load.js (node:http,
 * keep-alive). Prints a markdown table of library/baseline ratios with PASS/FAIL per target;
 * when a target fails (or with `--profile`) it profiles the library with `--cpu-prof` and prints
 * the hot spots.
 *
 * Environment: BENCH_DURATION_MS (per phase, default 3000), BENCH_WARMUP_MS (1000),
 * BENCH_CONNECTIONS (16), BENCH_SPAWNS (cold-start samples, 21), BENCH_CLIENT (node|wrk|autocannon),
 * BENCH_ROUNDS (rounds per load phase, alternating which server goes first; best kept, 2),
 * BENCH_PIN=0 to not pin servers and client to separate cores with taskset.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { hotSpots } from './cpu-profile.js';
import type { LoadOptions, LoadResult } from './load.js';
import { cpuTimeMs, envNumber, httpRequest, memoryOf, startServer, stopServer, type RunningServer } from './servers.js';

const run = promisify(execFile);

const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LIBRARY_AGENT = join(DIST, 'examples', 'async-processing.js');
const LIBRARY_SSE_AGENT = join(DIST, 'bench', 'sse-agent.js');
const BASELINE = join(DIST, 'bench', 'baseline.js');
const LOAD_CLIENT = join(DIST, 'bench', 'load.js');

const DURATION_MS = envNumber('BENCH_DURATION_MS', 3000);
const WARMUP_MS = envNumber('BENCH_WARMUP_MS', 1000);
const CONNECTIONS = envNumber('BENCH_CONNECTIONS', 16);
const SPAWNS = envNumber('BENCH_SPAWNS', 21);
const ROUNDS = envNumber('BENCH_ROUNDS', 2);
const TRACKED_TASKS = 200;
const TASK_SECONDS = 600;
const SSE_EVENTS_PER_REQUEST = 100;
const IDLE_SETTLE_MS = 500;
const HOT_SPOTS = 15;
/** Per-invocation info logs are the library's default; the benchmark measures the server, not stdout. */
const SERVER_ENV = { LOG_LEVEL: 'warn' };

const STATUS_BODY = JSON.stringify({ action: 'status' });
const PROCESS_BODY = JSON.stringify({ action: 'process', data_id: 'bench', seconds: TASK_SECONDS });

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

// ---------------------------------------------------------------------------------------------
// Load clients

type ClientName = 'node' | 'wrk' | 'autocannon';

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function chooseClient(): ClientName {
  const wanted = process.env.BENCH_CLIENT;
  if (wanted === 'node' || wanted === 'wrk' || wanted === 'autocannon') return wanted;
  if (onPath('wrk')) return 'wrk';
  if (onPath('autocannon')) return 'autocannon';
  return 'node';
}

/** Parses wrk's `50%  1.23ms` style durations into milliseconds. */
function wrkMs(text: string): number {
  const match = /([\d.]+)(us|ms|s)/.exec(text);
  if (match === null) return NaN;
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}

async function loadWithWrk(options: LoadOptions): Promise<LoadResult> {
  const args = ['-t1', `-c${CONNECTIONS}`, `-d${Math.ceil(DURATION_MS / 1000)}s`, '--latency'];
  if (options.body !== undefined) {
    const script = join(await mkdtemp(join(tmpdir(), 'agentcore-bench-')), 'post.lua');
    await writeFile(
      script,
      `wrk.method = "POST"\nwrk.body = ${JSON.stringify(options.body)}\nwrk.headers["Content-Type"] = "application/json"\n`,
    );
    args.push('-s', script);
  }
  const [command, commandArgs] = pinned(CLIENT_CORE, 'wrk', [...args, options.url]);
  const { stdout } = await run(command, commandArgs);
  const line = (label: string): string => new RegExp(`^\\s*${label}\\s+(.+)$`, 'm').exec(stdout)?.[1] ?? '';
  const requestsPerSecond = Math.round(Number(line('Requests/sec:')));
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
  return {
    requests: Number(/(\d+) requests in/.exec(stdout)?.[1] ?? 0),
    totalRequests: Number(/(\d+) requests in/.exec(stdout)?.[1] ?? 0),
    requestsPerSecond,
    events: 0,
    eventsPerSecond: 0,
    errors: Number(/Socket errors:.*?(\d+)/.exec(stdout)?.[1] ?? 0),
    non2xx,
    contentType: undefined,
    latencyMs: { p50: wrkMs(line('50%')), p90: wrkMs(line('90%')), p99: wrkMs(line('99%')), max: NaN },
  };
}

async function loadWithAutocannon(options: LoadOptions): Promise<LoadResult> {
  const args = ['-c', String(CONNECTIONS), '-d', String(Math.ceil(DURATION_MS / 1000)), '-j'];
  if (options.body !== undefined) args.push('-m', 'POST', '-H', 'content-type=application/json', '-b', options.body);
  const [command, commandArgs] = pinned(CLIENT_CORE, 'autocannon', [...args, options.url]);
  const { stdout } = await run(command, commandArgs);
  const result = JSON.parse(stdout) as {
    requests: { total: number; average: number };
    latency: { p50: number; p90: number; p99: number; max: number };
    errors: number;
    non2xx: number;
  };
  return {
    requests: result.requests.total,
    totalRequests: result.requests.total,
    requestsPerSecond: Math.round(result.requests.average),
    events: 0,
    eventsPerSecond: 0,
    errors: result.errors,
    non2xx: result.non2xx,
    contentType: undefined,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
  };
}

async function loadWithNode(options: LoadOptions): Promise<LoadResult> {
  const [command, args] = pinned(CLIENT_CORE, process.execPath, [LOAD_CLIENT, JSON.stringify(options)]);
  const { stdout } = await run(command, args, { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as LoadResult;
}

// ---------------------------------------------------------------------------------------------
// Phases

interface PhaseResult extends LoadResult {
  /** Server CPU time per request (or per event for SSE), in microseconds. */
  cpuMicrosPerUnit: number | undefined;
}

let client: ClientName = 'node';

/**
 * With two or more cores and `taskset`, servers run on core 0 and the load client on core 1, so
 * they do not take turns on one core. Cold starts are never pinned.
 */
const PIN = availableParallelism() >= 2 && process.platform === 'linux' && onPath('taskset') && process.env.BENCH_PIN !== '0';

function pinned(core: number, command: string, args: readonly string[]): [string, string[]] {
  return PIN ? ['taskset', ['-c', String(core), command, ...args]] : [command, [...args]];
}

const SERVER_CORE = 0;
const CLIENT_CORE = 1;

function startPinnedServer(args: readonly string[]): Promise<RunningServer> {
  const [command, commandArgs] = pinned(SERVER_CORE, process.execPath, args);
  return startServer(command, commandArgs, SERVER_ENV);
}

/** Runs one load phase against `server`, measuring its CPU time alongside. */
async function phase(server: RunningServer, path: string, body: string | undefined, sse = false): Promise<PhaseResult> {
  const options: LoadOptions = { url: server.url + path, body, connections: CONNECTIONS, durationMs: DURATION_MS, warmupMs: WARMUP_MS, sse };
  const pid = server.child.pid!;
  const cpuBefore = cpuTimeMs(pid);
  const result = sse || client === 'node' ? await loadWithNode(options) : client === 'wrk' ? await loadWithWrk(options) : await loadWithAutocannon(options);
  const cpuAfter = cpuTimeMs(pid);
  const units = sse ? result.events * (result.totalRequests / Math.max(result.requests, 1)) : result.totalRequests;
  const cpuMicrosPerUnit =
    cpuBefore === undefined || cpuAfter === undefined || units === 0 ? undefined : Math.round(((cpuAfter - cpuBefore) * 1000) / units * 10) / 10;
  if (result.errors > 0 || result.non2xx > 0) {
    console.error(`warning: ${server.url}${path}: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
  }
  return { ...result, cpuMicrosPerUnit };
}

/** The fastest round (its latencies), with the lowest CPU cost seen in any round. */
function bestOf(rounds: PhaseResult[]): PhaseResult {
  const fastest = rounds.reduce((best, round) => (round.requestsPerSecond > best.requestsPerSecond ? round : best));
  const costs = rounds.map((round) => round.cpuMicrosPerUnit).filter((cost): cost is number => cost !== undefined);
  return { ...fastest, cpuMicrosPerUnit: costs.length === 0 ? undefined : Math.min(...costs) };
}

async function createTasks(server: RunningServer): Promise<void> {
  for (let i = 0; i < TRACKED_TASKS; i++) {
    const reply = await httpRequest(`${server.url}/invocations`, 'POST', PROCESS_BODY);
    if (reply.status !== 200) throw new Error(`creating a task failed with ${reply.status}: ${reply.body}`);
  }
  const status = JSON.parse((await httpRequest(`${server.url}/invocations`, 'POST', STATUS_BODY)).body) as { active_tasks: number };
  if (status.active_tasks !== TRACKED_TASKS) throw new Error(`expected ${TRACKED_TASKS} tasks, found ${status.active_tasks}`);
}

async function coldStarts(): Promise<{ library: number; baseline: number }> {
  const library: number[] = [];
  const baseline: number[] = [];
  // Interleaved, so drift in the machine's state hits both alike.
  for (let i = 0; i < SPAWNS; i++) {
    for (const [script, samples] of [
      [LIBRARY_AGENT, library],
      [BASELINE, baseline],
    ] as const) {
      const server = await startServer(process.execPath, [script], SERVER_ENV);
      samples.push(server.readyMs);
      await stopServer(server);
    }
  }
  return { library: median(library), baseline: median(baseline) };
}

// ---------------------------------------------------------------------------------------------
// Report

interface Row {
  metric: string;
  library: number | undefined;
  baseline: number | undefined;
  digits: number;
  /** `>=` when higher is better, `<=` when lower is better; absent: informational. */
  target?: { op: '>=' | '<='; ratio: number };
}

function format(value: number | undefined, digits: number): string {
  return value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(digits);
}

function verdict(row: Row): { ratio: string; target: string; result: string } {
  if (row.library === undefined || row.baseline === undefined || row.baseline === 0 || Number.isNaN(row.library)) {
    return { ratio: 'n/a', target: row.target === undefined ? '' : `${row.target.op} ${row.target.ratio.toFixed(2)}×`, result: row.target === undefined ? '' : 'n/a' };
  }
  const ratio = row.library / row.baseline;
  if (row.target === undefined) return { ratio: `${ratio.toFixed(2)}×`, target: '', result: '' };
  const pass = row.target.op === '>=' ? ratio >= row.target.ratio : ratio <= row.target.ratio;
  // Three decimals on checked rows, so a verdict at the line never reads "0.95× FAIL against 0.95×".
  return { ratio: `${ratio.toFixed(3)}×`, target: `${row.target.op} ${row.target.ratio.toFixed(2)}×`, result: pass ? 'PASS' : 'FAIL' };
}

function table(rows: Row[]): { markdown: string; failed: string[] } {
  const lines = ['| Metric | agentcore-lite | baseline | ratio | target | result |', '| --- | ---: | ---: | ---: | ---: | :---: |'];
  const failed: string[] = [];
  for (const row of rows) {
    const { ratio, target, result } = verdict(row);
    if (result === 'FAIL') failed.push(row.metric);
    lines.push(`| ${row.metric} | ${format(row.library, row.digits)} | ${format(row.baseline, row.digits)} | ${ratio} | ${target} | ${result} |`);
  }
  return { markdown: lines.join('\n'), failed };
}

/** Requests one fully busy server core would answer per second, from the measured CPU cost. */
function capacity(result: PhaseResult): number | undefined {
  return result.cpuMicrosPerUnit === undefined ? undefined : 1e6 / result.cpuMicrosPerUnit;
}

function loadRows(label: string, library: PhaseResult, baseline: PhaseResult, target?: Row['target']): Row[] {
  return [
    { metric: `${label} req/s`, library: library.requestsPerSecond, baseline: baseline.requestsPerSecond, digits: 0, target },
    { metric: `${label} p50 latency (ms)`, library: library.latencyMs.p50, baseline: baseline.latencyMs.p50, digits: 2 },
    { metric: `${label} p99 latency (ms)`, library: library.latencyMs.p99, baseline: baseline.latencyMs.p99, digits: 2 },
    { metric: `${label} server CPU per request (µs)`, library: library.cpuMicrosPerUnit, baseline: baseline.cpuMicrosPerUnit, digits: 1 },
    { metric: `${label} req per server CPU-second`, library: capacity(library), baseline: capacity(baseline), digits: 0, target },
  ];
}

function machineInfo(): string {
  const model = cpus()[0]?.model ?? 'unknown CPU';
  return `nproc ${availableParallelism()}, ${model}, node ${process.version}, ${process.platform}/${process.arch}`;
}

// ---------------------------------------------------------------------------------------------
// Profiling

async function profileLibrary(): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), 'agentcore-lite-profile-'));
  const server = await startPinnedServer(['--cpu-prof', `--cpu-prof-dir=${directory}`, LIBRARY_AGENT]);
  await phase(server, '/invocations', STATUS_BODY);
  // The example stops on SIGTERM through app.run(), and a clean exit writes the profile.
  await stopServer(server);
  const files = (await readdir(directory)).filter((file) => file.endsWith('.cpuprofile'));
  if (files.length === 0) {
    console.log(`\nNo profile was written in ${directory}.`);
    return;
  }
  const file = join(directory, files[0]!);
  console.log(`\n### Hot spots of the library agent under the status load (self time, idle excluded)\n`);
  console.log(`Profile: ${file}\n`);
  console.log('| self ms | % | function | location |\n| ---: | ---: | --- | --- |');
  for (const spot of await hotSpots(file, HOT_SPOTS)) {
    console.log(`| ${spot.selfMs} | ${spot.percent} | ${spot.name} | ${spot.location} |`);
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  client = chooseClient();
  console.log(`# agentcore-lite vs bare node:http\n`);
  console.log(`Machine: ${machineInfo()}`);
  console.log(
    `Load: ${client === 'node' ? 'dist/bench/load.js (node:http keep-alive)' : client}, ${CONNECTIONS} connections, ` +
      `${WARMUP_MS} ms warm-up + ${DURATION_MS} ms per phase, best of ${ROUNDS} rounds; servers run with LOG_LEVEL=warn` +
      (PIN ? `; server pinned to core ${SERVER_CORE}, client to core ${CLIENT_CORE}\n` : '\n'),
  );

  console.error(`cold starts (${SPAWNS} spawns each)...`);
  const cold = await coldStarts();

  const library = await startPinnedServer([LIBRARY_AGENT]);
  const baseline = await startPinnedServer([BASELINE]);
  const sseAgent = await startPinnedServer([LIBRARY_SSE_AGENT]);
  try {
    await new Promise((resolve) => setTimeout(resolve, IDLE_SETTLE_MS));
    const idleLibrary = memoryOf(library.child.pid!)?.rss;
    const idleBaseline = memoryOf(baseline.child.pid!)?.rss;

    const results: Record<string, [PhaseResult, PhaseResult]> = {};
    const both = async (name: string, path: string, body: string | undefined): Promise<void> => {
      console.error(`${name}...`);
      const libraryRounds: PhaseResult[] = [];
      const baselineRounds: PhaseResult[] = [];
      // Alternating which server goes first, so a noisy moment on the machine hits both alike.
      for (let round = 0; round < ROUNDS; round++) {
        if (round % 2 === 0) {
          libraryRounds.push(await phase(library, path, body));
          baselineRounds.push(await phase(baseline, path, body));
        } else {
          baselineRounds.push(await phase(baseline, path, body));
          libraryRounds.push(await phase(library, path, body));
        }
      }
      results[name] = [bestOf(libraryRounds), bestOf(baselineRounds)];
    };
    await both('ping', '/ping', undefined);
    await both('status', '/invocations', STATUS_BODY);
    await createTasks(library);
    await createTasks(baseline);
    await both('ping200', '/ping', undefined);
    await both('status200', '/invocations', STATUS_BODY);

    console.error('sse...');
    const sseBody = JSON.stringify({ action: 'stream', events: SSE_EVENTS_PER_REQUEST });
    const sseLibrary = await phase(sseAgent, '/invocations', sseBody, true);
    const sseBaseline = await phase(baseline, '/invocations', sseBody, true);
    const streams = sseLibrary.contentType?.startsWith('text/event-stream') === true;

    const peakLibrary = memoryOf(library.child.pid!)?.peak;
    const peakBaseline = memoryOf(baseline.child.pid!)?.peak;
    const MB = 1024 * 1024;
    const rows: Row[] = [
      { metric: `cold start to first /ping 200 (ms, median of ${SPAWNS})`, library: cold.library, baseline: cold.baseline, digits: 1, target: { op: '<=', ratio: 1.1 } },
      { metric: 'idle RSS (MB)', library: idleLibrary && idleLibrary / MB, baseline: idleBaseline && idleBaseline / MB, digits: 1, target: { op: '<=', ratio: 1.1 } },
      { metric: 'peak RSS under load (MB)', library: peakLibrary && peakLibrary / MB, baseline: peakBaseline && peakBaseline / MB, digits: 1 },
      ...loadRows('/ping', results.ping![0], results.ping![1], { op: '>=', ratio: 0.95 }),
      ...loadRows('status', results.status![0], results.status![1], { op: '>=', ratio: 0.9 }),
      ...loadRows(`/ping, ${TRACKED_TASKS} tasks`, results.ping200![0], results.ping200![1], { op: '>=', ratio: 0.95 }),
      ...loadRows(`status, ${TRACKED_TASKS} tasks`, results.status200![0], results.status200![1]),
      {
        metric: `SSE events/s (${SSE_EVENTS_PER_REQUEST} per response)`,
        library: streams ? sseLibrary.eventsPerSecond : undefined,
        baseline: sseBaseline.eventsPerSecond,
        digits: 0,
      },
      {
        metric: 'SSE server CPU per event (µs)',
        library: streams ? sseLibrary.cpuMicrosPerUnit : undefined,
        baseline: sseBaseline.cpuMicrosPerUnit,
        digits: 2,
      },
    ];
    const { markdown, failed } = table(rows);
    console.log(markdown);
    if (!streams) console.log(`\nSSE: the library answered ${sseLibrary.contentType ?? 'nothing'}, not text/event-stream: no streaming support in this build (n/a).`);
    console.log(failed.length === 0 ? '\nAll targets PASS.' : `\nFAIL: ${failed.join('; ')}`);
    if (failed.length > 0 || process.argv.includes('--profile')) {
      await Promise.all([stopServer(library), stopServer(baseline), stopServer(sseAgent)]);
      await profileLibrary();
    }
  } finally {
    await Promise.all([stopServer(library), stopServer(baseline), stopServer(sseAgent)]);
  }
}

await main();
