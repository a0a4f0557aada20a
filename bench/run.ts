/**
 * `npm run bench`: agentcore-lite against a bare `node:http` floor, measured in the same run, on
 * each Node version asked for.
 *
 * Servers: the seed example (dist/examples/async-processing.js) at the library's default log
 * level (`info`: one JSON line per invocation) and at `LOG_LEVEL=warn`, its streaming sibling
 * (dist/bench/sse-agent.js, an async or a sync generator) and dist/bench/baseline.js. Every
 * server's stdout goes to a file, as a container runtime collects it. Load comes from a separate
 * process: `wrk` or `autocannon` when on PATH, else dist/bench/load.js (node:http, keep-alive);
 * SSE phases always use load.js, which counts events. Prints a markdown table of
 * library/baseline ratios with PASS/FAIL per target for each Node, then a summary across them;
 * when a target fails (or with `--profile`) it profiles the library with `--cpu-prof` and prints
 * the hot spots.
 *
 * Environment: BENCH_NODES (comma-separated; each `current`, a path to a node binary, or a major
 * version such as `22`, looked for in BENCH_NODE_PREFIX, default <tmpdir>/agentcore-lite-node,
 * and installed there from the npm registry with `npm install node-<platform>-<arch>@<major>`
 * when missing; default `current,22,24`), BENCH_DURATION_MS (per phase, default 3000),
 * BENCH_WARMUP_MS (1000), BENCH_CONNECTIONS (16), BENCH_SPAWNS (cold-start samples, 21),
 * BENCH_CLIENT (node|wrk|autocannon), BENCH_ROUNDS (rounds per load phase, rotating which server
 * goes first; best kept, 2), BENCH_PIN=0 to not pin servers and client to separate cores with
 * taskset, BENCH_LOG_DIR (where the servers' stdout files go, default a temporary directory),
 * BENCH_PHASES (comma-separated subset of `ping,status,tasks,sse`; cold starts run with `ping`).
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, rm, stat, writeFile } from 'node:fs/promises';
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
const NODES = (process.env.BENCH_NODES ?? 'current,22,24').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
const NODE_PREFIX = process.env.BENCH_NODE_PREFIX ?? join(tmpdir(), 'agentcore-lite-node');
const PHASES = new Set((process.env.BENCH_PHASES ?? 'ping,status,tasks,sse').split(',').map((name) => name.trim()));
const TRACKED_TASKS = 200;
const TASK_SECONDS = 600;
const SSE_EVENTS_PER_REQUEST = 100;
const IDLE_SETTLE_MS = 500;
const HOT_SPOTS = 15;
/** The library's default level: no LOG_LEVEL at all. */
const DEFAULT_LEVEL_ENV: NodeJS.ProcessEnv = { LOG_LEVEL: undefined };
const WARN_LEVEL_ENV: NodeJS.ProcessEnv = { LOG_LEVEL: 'warn' };

const STATUS_BODY = JSON.stringify({ action: 'status' });
const PROCESS_BODY = JSON.stringify({ action: 'process', data_id: 'bench', seconds: TASK_SECONDS });
const SSE_ASYNC_BODY = JSON.stringify({ action: 'stream', events: SSE_EVENTS_PER_REQUEST });
const SSE_SYNC_BODY = JSON.stringify({ action: 'stream', events: SSE_EVENTS_PER_REQUEST, source: 'sync' });

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

// ---------------------------------------------------------------------------------------------
// Node versions

/** One Node binary to run the servers with. */
interface NodeBinary {
  path: string;
  version: string;
}

function versionOf(path: string): string | undefined {
  const result = spawnSync(path, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/**
 * The binary for one BENCH_NODES entry: `current`, a path, or a major version, installed into
 * BENCH_NODE_PREFIX/<major> from the npm registry (the `node-<platform>-<arch>` package that
 * carries the official binary) when it is not there yet.
 */
async function resolveNode(entry: string): Promise<NodeBinary | undefined> {
  let path: string;
  if (entry === 'current') {
    path = process.execPath;
  } else if (/^\d+$/.test(entry)) {
    const packageName = `node-${process.platform}-${process.arch}`;
    const prefix = join(NODE_PREFIX, entry);
    path = join(prefix, 'node_modules', packageName, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
    if (!existsSync(path)) {
      console.error(`installing Node ${entry} into ${prefix} (npm install ${packageName}@${entry})...`);
      await mkdir(prefix, { recursive: true });
      const install = spawnSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `${packageName}@${entry}`], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      if (install.status !== 0) {
        console.error(`could not install Node ${entry}; skipping it`);
        return undefined;
      }
    }
  } else {
    path = entry;
  }
  const version = versionOf(path);
  if (version === undefined) {
    console.error(`${path} does not run; skipping it`);
    return undefined;
  }
  return { path, version };
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
  const args = ['-t1', `-c${CONNECTIONS}`, `-d${Math.ceil((options.durationMs ?? DURATION_MS) / 1000)}s`, '--latency'];
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
  const args = ['-c', String(CONNECTIONS), '-d', String(Math.ceil((options.durationMs ?? DURATION_MS) / 1000)), '-j'];
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

/** A server under test, its stdout going to `logFile`. */
interface Server extends RunningServer {
  label: string;
  logFile: string;
}

async function startPinnedServer(node: NodeBinary, label: string, args: readonly string[], env: NodeJS.ProcessEnv, logDir: string): Promise<Server> {
  const [command, commandArgs] = pinned(SERVER_CORE, node.path, args);
  const logFile = join(logDir, `${label.replace(/\W+/g, '-')}.log`);
  const file = await open(logFile, 'w');
  try {
    return { ...(await startServer(command, commandArgs, env, undefined, file.fd)), label, logFile };
  } finally {
    // The child holds its own copy of the descriptor.
    await file.close();
  }
}

/** Runs one load phase against `server`, measuring its CPU time alongside. */
async function phase(server: RunningServer, path: string, body: string | undefined, sse = false): Promise<PhaseResult> {
  const options: LoadOptions = { url: server.url + path, body, connections: CONNECTIONS, durationMs: DURATION_MS, warmupMs: WARMUP_MS, sse };
  const pid = server.child.pid!;
  // bench/load.ts warms up inside its run (and its count leaves those requests out); wrk and
  // autocannon get an unmeasured run first, so no client measures a server V8 is still compiling.
  if (!sse && client !== 'node' && WARMUP_MS > 0) {
    const warmup = { ...options, durationMs: WARMUP_MS };
    await (client === 'wrk' ? loadWithWrk(warmup) : loadWithAutocannon(warmup));
  }
  const cpuBefore = cpuTimeMs(pid);
  const result = sse || client === 'node' ? await loadWithNode(options) : client === 'wrk' ? await loadWithWrk(options) : await loadWithAutocannon(options);
  const cpuAfter = cpuTimeMs(pid);
  const units = sse ? result.events * (result.totalRequests / Math.max(result.requests, 1)) : result.totalRequests;
  const cpuMicrosPerUnit =
    cpuBefore === undefined || cpuAfter === undefined || units === 0 ? undefined : Math.round(((cpuAfter - cpuBefore) * 1000) / units * 100) / 100;
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

/**
 * The same load against every server, `ROUNDS` times, rotating which goes first so a noisy
 * moment on the machine hits them alike; the best round of each.
 */
async function compare(name: string, servers: readonly Server[], path: string, body: string | undefined, sse = false): Promise<PhaseResult[]> {
  console.error(`  ${name}...`);
  const rounds: PhaseResult[][] = servers.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (let offset = 0; offset < servers.length; offset++) {
      const index = (round + offset) % servers.length;
      rounds[index]!.push(await phase(servers[index]!, path, body, sse));
    }
  }
  return rounds.map(bestOf);
}

async function createTasks(server: RunningServer): Promise<void> {
  for (let i = 0; i < TRACKED_TASKS; i++) {
    const reply = await httpRequest(`${server.url}/invocations`, 'POST', PROCESS_BODY);
    if (reply.status !== 200) throw new Error(`creating a task failed with ${reply.status}: ${reply.body}`);
  }
  const status = JSON.parse((await httpRequest(`${server.url}/invocations`, 'POST', STATUS_BODY)).body) as { active_tasks: number };
  if (status.active_tasks !== TRACKED_TASKS) throw new Error(`expected ${TRACKED_TASKS} tasks, found ${status.active_tasks}`);
}

async function coldStarts(node: NodeBinary, logDir: string): Promise<{ library: number; baseline: number }> {
  const library: number[] = [];
  const baseline: number[] = [];
  const file = await open(join(logDir, 'cold-starts.log'), 'a');
  try {
    // Interleaved, so drift in the machine's state hits both alike.
    for (let i = 0; i < SPAWNS; i++) {
      for (const [script, samples] of [
        [LIBRARY_AGENT, library],
        [BASELINE, baseline],
      ] as const) {
        const server = await startServer(node.path, [script], DEFAULT_LEVEL_ENV, undefined, file.fd);
        samples.push(server.readyMs);
        await stopServer(server);
      }
    }
  } finally {
    await file.close();
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

function ratioOf(row: Row): number | undefined {
  if (row.library === undefined || row.baseline === undefined || row.baseline === 0 || Number.isNaN(row.library)) return undefined;
  return row.library / row.baseline;
}

function targetText(row: Row): string {
  return row.target === undefined ? '' : `${row.target.op} ${row.target.ratio.toFixed(2)}×`;
}

function verdict(row: Row): { ratio: string; result: string } {
  const ratio = ratioOf(row);
  if (ratio === undefined) return { ratio: 'n/a', result: row.target === undefined ? '' : 'n/a' };
  if (row.target === undefined) return { ratio: `${ratio.toFixed(2)}×`, result: '' };
  const pass = row.target.op === '>=' ? ratio >= row.target.ratio : ratio <= row.target.ratio;
  // Three decimals on checked rows, so a verdict at the line never reads "0.95× FAIL against 0.95×".
  return { ratio: `${ratio.toFixed(3)}×`, result: pass ? 'PASS' : 'FAIL' };
}

function table(rows: Row[]): { markdown: string; failed: string[] } {
  const lines = ['| Metric | agentcore-lite | baseline | ratio | target | result |', '| --- | ---: | ---: | ---: | ---: | :---: |'];
  const failed: string[] = [];
  for (const row of rows) {
    const { ratio, result } = verdict(row);
    if (result === 'FAIL') failed.push(row.metric);
    lines.push(`| ${row.metric} | ${format(row.library, row.digits)} | ${format(row.baseline, row.digits)} | ${ratio} | ${targetText(row)} | ${result} |`);
  }
  return { markdown: lines.join('\n'), failed };
}

/** Requests one fully busy server core would answer per second, from the measured CPU cost. */
function capacity(result: PhaseResult): number | undefined {
  return result.cpuMicrosPerUnit === undefined ? undefined : 1e6 / result.cpuMicrosPerUnit;
}

/** Rows for one load phase; the target is checked on req per server CPU-second, the issue's measure. */
function loadRows(label: string, library: PhaseResult | undefined, baseline: PhaseResult | undefined, target?: Row['target']): Row[] {
  if (library === undefined || baseline === undefined) return [];
  return [
    { metric: `${label} req/s`, library: library.requestsPerSecond, baseline: baseline.requestsPerSecond, digits: 0 },
    { metric: `${label} p50 latency (ms)`, library: library.latencyMs.p50, baseline: baseline.latencyMs.p50, digits: 2 },
    { metric: `${label} p99 latency (ms)`, library: library.latencyMs.p99, baseline: baseline.latencyMs.p99, digits: 2 },
    { metric: `${label} server CPU per request (µs)`, library: library.cpuMicrosPerUnit, baseline: baseline.cpuMicrosPerUnit, digits: 2 },
    { metric: `${label} req per server CPU-second`, library: capacity(library), baseline: capacity(baseline), digits: 0, target },
  ];
}

/**
 * What one log line per request costs any server: the floor writing the library's line (plainly,
 * batched per turn) against the bare floor, and the library at its default level against that
 * logging floor. Informational rows; the "baseline" column holds the server named last.
 */
function referenceRows(library: PhaseResult | undefined, baseline: PhaseResult | undefined, loggingBaseline: PhaseResult | undefined): Row[] {
  if (library === undefined || baseline === undefined || loggingBaseline === undefined) return [];
  return [
    {
      metric: 'status req per server CPU-second: the floor writing one log line per request ÷ the bare floor',
      library: capacity(loggingBaseline),
      baseline: capacity(baseline),
      digits: 0,
    },
    {
      metric: 'status req per server CPU-second: the library at info ÷ the floor writing the same line',
      library: capacity(library),
      baseline: capacity(loggingBaseline),
      digits: 0,
    },
  ];
}

function sseRows(label: string, library: PhaseResult | undefined, baseline: PhaseResult | undefined): Row[] {
  if (library === undefined || baseline === undefined) return [];
  const streams = library.contentType?.startsWith('text/event-stream') === true;
  return [
    { metric: `${label} events/s`, library: streams ? library.eventsPerSecond : undefined, baseline: baseline.eventsPerSecond, digits: 0 },
    { metric: `${label} server CPU per event (µs)`, library: streams ? library.cpuMicrosPerUnit : undefined, baseline: baseline.cpuMicrosPerUnit, digits: 3 },
    {
      metric: `${label} events per server CPU-second`,
      library: streams ? capacity(library) : undefined,
      baseline: capacity(baseline),
      digits: 0,
      target: { op: '>=', ratio: 0.75 },
    },
  ];
}

function machineInfo(): string {
  const model = cpus()[0]?.model ?? 'unknown CPU';
  return `nproc ${availableParallelism()}, ${model}, ${process.platform}/${process.arch}`;
}

// ---------------------------------------------------------------------------------------------
// Profiling

async function profile(node: NodeBinary, title: string, agent: string, body: string, sse: boolean, logDir: string): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), 'agentcore-lite-profile-'));
  const server = await startPinnedServer(node, 'profiled', ['--cpu-prof', `--cpu-prof-dir=${directory}`, agent], DEFAULT_LEVEL_ENV, logDir);
  await phase(server, '/invocations', body, sse);
  // The agents stop on SIGTERM through app.run(), and a clean exit writes the profile.
  await stopServer(server);
  const files = (await readdir(directory)).filter((file) => file.endsWith('.cpuprofile'));
  if (files.length === 0) {
    console.log(`\nNo profile was written in ${directory}.`);
    return;
  }
  const file = join(directory, files[0]!);
  console.log(`\n#### Hot spots: ${title}, Node ${node.version} (self time, idle excluded)\n`);
  console.log(`Profile: ${file}\n`);
  console.log('| self ms | % | function | location |\n| ---: | ---: | --- | --- |');
  for (const spot of await hotSpots(file, HOT_SPOTS)) {
    console.log(`| ${spot.selfMs} | ${spot.percent} | ${spot.name} | ${spot.location} |`);
  }
}

// ---------------------------------------------------------------------------------------------

/** What one Node version measured: its rows, the failed targets, where the servers' stdout went. */
interface NodeReport {
  node: NodeBinary;
  rows: Row[];
  failed: string[];
}

async function benchNode(node: NodeBinary, logDir: string): Promise<NodeReport> {
  console.error(`Node ${node.version} (${node.path}): cold starts (${SPAWNS} spawns each)...`);
  const cold = PHASES.has('start') || PHASES.has('ping') ? await coldStarts(node, logDir) : { library: undefined, baseline: undefined };

  const started: Server[] = [];
  const start = async (label: string, script: string, env: NodeJS.ProcessEnv): Promise<Server> => {
    const server = await startPinnedServer(node, label, [script], env, logDir);
    started.push(server);
    return server;
  };
  try {
    const atInfo = await start('library, default level', LIBRARY_AGENT, DEFAULT_LEVEL_ENV);
    const atWarn = await start('library, warn', LIBRARY_AGENT, WARN_LEVEL_ENV);
    const baseline = await start('baseline', BASELINE, {});
    // A reference, not a target: the floor also writing the library's log line (bench/baseline.ts).
    const loggingBaseline = await start('baseline writing a log line', BASELINE, { BASELINE_LOG: '1' });
    await new Promise((resolve) => setTimeout(resolve, IDLE_SETTLE_MS));
    const idleLibrary = memoryOf(atInfo.child.pid!)?.rss;
    const idleBaseline = memoryOf(baseline.child.pid!)?.rss;

    const skipped: PhaseResult[] = [];
    const only = async (phaseName: string, measure: () => Promise<PhaseResult[]>): Promise<PhaseResult[]> => (PHASES.has(phaseName) ? measure() : skipped);
    // Every server takes every load phase, even where only two are reported: on Node 22 a server
    // that sat idle for ~20 s costs about a quarter more CPU per request for a while afterwards
    // (V8's memory reducer; `--no-memory-reducer` removes it, Node 24 does not show it), so a
    // server left out of a phase would be measured cold against ones that were not.
    const [pingInfo, , pingBase] = await only('ping', () => compare('/ping', [atInfo, atWarn, baseline, loggingBaseline], '/ping', undefined));
    const [statusInfo, statusWarn, statusBase, statusLoggingBase] = await only('status', () =>
      compare('status', [atInfo, atWarn, baseline, loggingBaseline], '/invocations', STATUS_BODY),
    );
    if (PHASES.has('tasks')) for (const server of [atInfo, atWarn, baseline]) await createTasks(server);
    const [ping200Info, , ping200Base] = await only('tasks', () => compare(`/ping, ${TRACKED_TASKS} tasks`, [atInfo, atWarn, baseline], '/ping', undefined));
    const [status200Info, status200Warn, status200Base] = await only('tasks', () =>
      compare(`status, ${TRACKED_TASKS} tasks`, [atInfo, atWarn, baseline], '/invocations', STATUS_BODY),
    );
    // The SSE agent and a baseline of its own start together, so both come to the SSE load with
    // the same history (see the note on idle servers above).
    const [sseAgent, sseBaseline] = PHASES.has('sse')
      ? [await start('sse agent, default level', LIBRARY_SSE_AGENT, DEFAULT_LEVEL_ENV), await start('baseline for SSE', BASELINE, {})]
      : [undefined, undefined];
    const [sseAsync, sseAsyncBase] = await only('sse', () => compare('SSE, async generator', [sseAgent!, sseBaseline!], '/invocations', SSE_ASYNC_BODY, true));
    const [sseSync, sseSyncBase] = await only('sse', () => compare('SSE, sync generator', [sseAgent!, sseBaseline!], '/invocations', SSE_SYNC_BODY, true));

    const peakLibrary = memoryOf(atInfo.child.pid!)?.peak;
    const peakBaseline = memoryOf(baseline.child.pid!)?.peak;
    const logBytes = (await stat(atInfo.logFile)).size;
    const MB = 1024 * 1024;
    const rows: Row[] = [
      { metric: `cold start to first /ping 200 (ms, median of ${SPAWNS})`, library: cold.library, baseline: cold.baseline, digits: 1, target: { op: '<=', ratio: 1.1 } },
      { metric: 'idle RSS (MB)', library: idleLibrary && idleLibrary / MB, baseline: idleBaseline && idleBaseline / MB, digits: 1, target: { op: '<=', ratio: 1.1 } },
      { metric: 'peak RSS under load (MB)', library: peakLibrary && peakLibrary / MB, baseline: peakBaseline && peakBaseline / MB, digits: 1 },
      ...loadRows('/ping', pingInfo, pingBase, { op: '>=', ratio: 0.95 }),
      ...loadRows('status, default level (info)', statusInfo, statusBase, { op: '>=', ratio: 0.85 }),
      ...loadRows('status, warn', statusWarn, statusBase, { op: '>=', ratio: 0.9 }),
      ...referenceRows(statusInfo, statusBase, statusLoggingBase),
      ...loadRows(`/ping, ${TRACKED_TASKS} tasks`, ping200Info, ping200Base, { op: '>=', ratio: 0.95 }),
      ...loadRows(`status, ${TRACKED_TASKS} tasks, default level (info)`, status200Info, status200Base, { op: '>=', ratio: 0.8 }),
      ...loadRows(`status, ${TRACKED_TASKS} tasks, warn`, status200Warn, status200Base),
      ...sseRows(`SSE, async generator (${SSE_EVENTS_PER_REQUEST} per response)`, sseAsync, sseAsyncBase),
      ...sseRows(`SSE, sync generator (${SSE_EVENTS_PER_REQUEST} per response)`, sseSync, sseSyncBase),
    ];
    const { markdown, failed } = table(rows);
    console.log(`\n## Node ${node.version}\n`);
    console.log(markdown);
    console.log(`\nThe default-level library wrote ${(logBytes / MB).toFixed(1)} MB of log lines to ${atInfo.logFile}.`);
    console.log(failed.length === 0 ? '\nAll targets PASS.' : `\nFAIL: ${failed.join('; ')}`);
    return { node, rows, failed };
  } finally {
    await Promise.all(started.map((server) => stopServer(server)));
  }
}

/** Ratios of the checked rows side by side, one column per Node version. */
function summary(reports: readonly NodeReport[]): string {
  const header = `| Metric (library ÷ baseline) | ${reports.map((report) => `Node ${report.node.version}`).join(' | ')} | target |`;
  const lines = [header, `| --- | ${reports.map(() => '---:').join(' | ')} | ---: |`];
  for (const [index, row] of reports[0]!.rows.entries()) {
    if (row.target === undefined) continue;
    const cells = reports.map((report) => {
      const { ratio, result } = verdict(report.rows[index]!);
      return `${ratio} ${result}`;
    });
    lines.push(`| ${row.metric} | ${cells.join(' | ')} | ${targetText(row)} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  client = chooseClient();
  const nodes: NodeBinary[] = [];
  for (const entry of NODES) {
    const node = await resolveNode(entry);
    if (node !== undefined && !nodes.some((known) => known.version === node.version)) nodes.push(node);
  }
  if (nodes.length === 0) throw new Error('no Node binary to benchmark (BENCH_NODES)');
  const logDir = process.env.BENCH_LOG_DIR ?? (await mkdtemp(join(tmpdir(), 'agentcore-lite-bench-logs-')));
  await mkdir(logDir, { recursive: true });
  console.log(`# agentcore-lite vs bare node:http\n`);
  console.log(`Machine: ${machineInfo()}; runner node ${process.version}; servers on ${nodes.map((node) => `Node ${node.version}`).join(', ')}`);
  console.log(
    `Load: ${client === 'node' ? 'dist/bench/load.js (node:http keep-alive; wrk and autocannon not found)' : `${client} (SSE phases: dist/bench/load.js, which counts events)`}, ` +
      `${CONNECTIONS} connections, ${WARMUP_MS} ms warm-up + ${DURATION_MS} ms per phase, best of ${ROUNDS} rounds; ` +
      `servers' stdout to files in ${logDir}; the library at its default level (info: one line per invocation) and at LOG_LEVEL=warn` +
      (PIN ? `; servers pinned to core ${SERVER_CORE}, client to core ${CLIENT_CORE}` : ''),
  );
  const reports: NodeReport[] = [];
  try {
    for (const node of nodes) reports.push(await benchNode(node, logDir));
    console.log(`\n## Summary\n`);
    console.log(summary(reports));
    const failing = reports.find((report) => report.failed.length > 0);
    if (failing !== undefined || process.argv.includes('--profile')) {
      const node = (failing ?? reports[0]!).node;
      const failed = failing?.failed ?? [];
      if (failing === undefined || failed.some((metric) => !metric.startsWith('SSE'))) {
        await profile(node, 'the library at the default level under the status load', LIBRARY_AGENT, STATUS_BODY, false, logDir);
      }
      if (failing === undefined || failed.some((metric) => metric.startsWith('SSE'))) {
        await profile(node, 'the SSE agent (async generator)', LIBRARY_SSE_AGENT, SSE_ASYNC_BODY, true, logDir);
      }
    }
  } finally {
    if (process.env.BENCH_LOG_DIR === undefined) await rm(logDir, { recursive: true, force: true });
  }
}

await main();
