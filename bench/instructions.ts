/**
 * `npm run bench:instructions`: the CPU cost of one request as machine instructions, counted by
 * valgrind (callgrind), for the library agent and the bare baseline.
 *
 * CPU time on a shared machine moves by ±5 % between runs, so a throughput ratio that sits at
 * its target's line passes or fails by luck. Instruction counts repeat within about ±2.5 % (when
 * V8 optimizes a function varies a little), which narrows down where such a ratio really is. Each server runs twice under valgrind, serving WARMUP and then
 * WARMUP + REQUESTS sequential keep-alive requests of one kind; the difference divided by
 * REQUESTS is the warm cost of one request (start-up, warm-up and shutdown cancel out).
 * "req per instruction budget" is then baseline ÷ library, comparable with the benchmark's
 * "req per server CPU-second" ratios. Instructions are not time (a cache miss costs more than an
 * add), so this complements `npm run bench`, it does not replace it.
 *
 * Needs valgrind on PATH (prints SKIP otherwise); takes a few minutes, valgrind runs code about
 * 50× slower. Environment: BENCH_IR_WARMUP (1000), BENCH_IR_REQUESTS (5000).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { envNumber, startServer, stopServer } from './servers.js';

const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LIBRARY_AGENT = join(DIST, 'examples', 'async-processing.js');
const BASELINE = join(DIST, 'bench', 'baseline.js');
const WARMUP = envNumber('BENCH_IR_WARMUP', 1000);
const REQUESTS = envNumber('BENCH_IR_REQUESTS', 5000);
/** Valgrind starts Node in seconds, not milliseconds. */
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 120_000;

interface Workload {
  name: string;
  path: string;
  body?: string;
}

const WORKLOADS: Workload[] = [
  { name: '/ping', path: '/ping' },
  { name: 'status', path: '/invocations', body: JSON.stringify({ action: 'status' }) },
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
  // Readiness is one /ping that succeeds; earlier attempts are refused before the server listens.
  const server = await startServer(
    'valgrind',
    ['--tool=callgrind', '--callgrind-out-file=/dev/null', `--log-file=${log}`, process.execPath, script],
    { LOG_LEVEL: 'warn' },
    READY_TIMEOUT_MS,
  );
  try {
    await sendSequentially(server.port, workload, count);
  } finally {
    // A killed valgrind writes no count: give it all the time it needs to exit on SIGTERM.
    await stopServer(server, STOP_TIMEOUT_MS);
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
    console.log(`# Instructions per request (valgrind callgrind; ${REQUESTS} warm requests after ${WARMUP}, one keep-alive connection)\n`);
    console.log('| request | agentcore-lite | baseline | library ÷ baseline | req per instruction budget |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const workload of WORKLOADS) {
      console.error(`${workload.name}: library...`);
      const library = await perRequest(LIBRARY_AGENT, workload, logDir);
      console.error(`${workload.name}: baseline...`);
      const baseline = await perRequest(BASELINE, workload, logDir);
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
