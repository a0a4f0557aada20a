/**
 * `npm run bench:instructions`: the CPU cost of one request as machine instructions, counted by
 * valgrind (callgrind), for the library agent and the bare baseline.
 *
 * CPU time on a shared machine moves by ±5 % between runs, so a throughput ratio that sits at
 * its target's line passes or fails by luck. Instruction counts repeat within a few per cent
 * (when V8 optimizes a function, and when the collector runs, vary a little), which narrows down
 * where such a ratio really is. Each server runs twice under valgrind, serving WARMUP and then
 * WARMUP + REQUESTS sequential keep-alive requests of one kind; the difference divided by
 * REQUESTS is the warm cost of one request (start-up, warm-up and shutdown cancel out). Only
 * user-space instructions are counted: system calls (a log write, a read of /dev/urandom) cost
 * kernel time these counts do not show.
 * "req per instruction budget" is then baseline ÷ library, comparable with the benchmark's
 * "req per server CPU-second" ratios. Instructions are not time (a cache miss costs more than an
 * add), so this complements `npm run bench`, it does not replace it.
 *
 * Needs valgrind on PATH (prints SKIP otherwise); takes about ten minutes, valgrind runs code
 * about 50× slower. Environment: BENCH_IR_WARMUP (10000), BENCH_IR_REQUESTS (10000), BENCH_IR_NODE (the
 * Node binary for the servers, default this one), BENCH_IR_ONLY (only workloads whose name
 * contains it).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { envNumber, startServer, stopServer } from './servers.js';

const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The library's agent: the seed example, or BENCH_IR_AGENT (another build of it, for an A/B count). */
const LIBRARY_AGENT = process.env.BENCH_IR_AGENT ?? join(DIST, 'examples', 'async-processing.js');
const BASELINE = join(DIST, 'bench', 'baseline.js');
/** The Node that runs the servers: BENCH_IR_NODE, else the one running this script. */
const NODE = process.env.BENCH_IR_NODE ?? process.execPath;
const ONLY = process.env.BENCH_IR_ONLY;
/**
 * Requests before and within the counted window. Both are long because V8 keeps compiling (in
 * threads valgrind counts too) for thousands of requests: with 1,000 + 5,000 a warm `status`
 * request seemed to cost ~210,000 instructions, with 10,000 + 10,000 it costs ~85,000.
 */
const WARMUP = envNumber('BENCH_IR_WARMUP', 10_000);
const REQUESTS = envNumber('BENCH_IR_REQUESTS', 10_000);
/** Valgrind starts Node in seconds, not milliseconds. */
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 120_000;

interface Workload {
  name: string;
  path: string;
  body?: string;
  /** The server's LOG_LEVEL; `undefined` is the library's default (info). */
  logLevel: string | undefined;
}

const STATUS_BODY = JSON.stringify({ action: 'status' });
const WORKLOADS: Workload[] = [
  { name: '/ping', path: '/ping', logLevel: 'warn' },
  { name: 'status, warn', path: '/invocations', body: STATUS_BODY, logLevel: 'warn' },
  // The default level writes one line per invocation; stdout goes to a file, as a container
  // runtime collects it. Sequential requests are one per event-loop turn, so each line is its
  // own write here: the batching that a loaded server gets is not in these counts.
  { name: 'status, default level (info)', path: '/invocations', body: STATUS_BODY, logLevel: undefined },
];

/** Sends `count` requests one after another on one keep-alive connection. */
async function sendSequentially(port: number, workload: Workload, count: number): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (let i = 0; i < count; i++) {
      await new Promise<void>((done, fail) => {
        const headers: Record<string, string | number> =
          workload.body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(workload.body) };
        const outgoing = request(
          { host: '127.0.0.1', port, path: workload.path, method: workload.body === undefined ? 'GET' : 'POST', headers, agent },
          (response) => {
            if (response.statusCode !== 200) fail(new Error(`${workload.path} answered ${response.statusCode}`));
            response.resume();
            response.on('end', done);
          },
        );
        outgoing.on('error', fail);
        outgoing.end(workload.body);
      });
    }
  } finally {
    agent.destroy();
  }
}

/** Total instructions of one server process that served `count` requests of `workload`. */
async function instructions(script: string, workload: Workload, count: number, log: string): Promise<number> {
  const stdout = await open(`${log}.stdout`, 'w');
  try {
    // Readiness is one /ping that succeeds; earlier attempts are refused before the server listens.
    const server = await startServer(
      'valgrind',
      ['--tool=callgrind', '--callgrind-out-file=/dev/null', `--log-file=${log}`, NODE, script],
      { LOG_LEVEL: workload.logLevel },
      READY_TIMEOUT_MS,
      stdout.fd,
    );
    try {
      await sendSequentially(server.port, workload, count);
    } finally {
      // A killed valgrind writes no count: give it all the time it needs to exit on SIGTERM.
      await stopServer(server, STOP_TIMEOUT_MS);
    }
  } finally {
    await stdout.close();
  }
  const collected = /Collected : (\d+)/.exec(await readFile(log, 'utf8'));
  if (collected === null) throw new Error(`valgrind reported no instruction count for ${script} (see ${log})`);
  return Number(collected[1]);
}

/** Warm instructions per request: the difference between two runs, so fixed costs cancel. */
async function perRequest(script: string, workload: Workload, logDir: string): Promise<number> {
  const short = await instructions(script, workload, WARMUP, join(logDir, 'short.log'));
  const long = await instructions(script, workload, WARMUP + REQUESTS, join(logDir, 'long.log'));
  return (long - short) / REQUESTS;
}

async function main(): Promise<void> {
  if (spawnSync('valgrind', ['--version']).status !== 0) {
    console.log('SKIP: valgrind is not on PATH (Debian: apt-get install valgrind).');
    return;
  }
  const logDir = await mkdtemp(join(tmpdir(), 'agentcore-lite-ir-'));
  try {
    console.log(`# Instructions per request (valgrind callgrind; ${REQUESTS} warm requests after ${WARMUP}, one keep-alive connection; servers on Node ${spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout.trim()})\n`);
    console.log('| request | agentcore-lite | baseline | library ÷ baseline | req per instruction budget |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    // The baseline logs nothing: one count per request kind serves every log level.
    const baselines = new Map<string, number>();
    for (const workload of WORKLOADS.filter((candidate) => ONLY === undefined || candidate.name.includes(ONLY))) {
      console.error(`${workload.name}: library...`);
      const library = await perRequest(LIBRARY_AGENT, workload, logDir);
      const kind = `${workload.path} ${workload.body ?? ''}`;
      let baseline = baselines.get(kind);
      if (baseline === undefined) {
        console.error(`${workload.name}: baseline...`);
        baseline = await perRequest(BASELINE, workload, logDir);
        baselines.set(kind, baseline);
      }
      const ratio = library / baseline;
      console.log(
        `| ${workload.name} | ${Math.round(library).toLocaleString('en')} | ${Math.round(baseline).toLocaleString('en')} | ${ratio.toFixed(3)}× | ${(1 / ratio).toFixed(3)}× |`,
      );
    }
  } finally {
    await rm(logDir, { recursive: true, force: true });
  }
}

await main();
