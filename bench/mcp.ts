/**
 * `npm run bench:mcp`: agentcore-lite/mcp against a bare `node:http` JSON responder (the floor,
 * `bench/mcp-floor.ts`) and the official TypeScript SDK's stateless server
 * (`bench/mcp-sdk-server.ts`), each with one trivial tool, in one run on the Node that runs this
 * script (Node 22 for the recorded figures). Measures, per server: cold start (spawn to the first
 * `200` on `/ping`, median of BENCH_SPAWNS, the servers interleaved), idle RSS (half a second after
 * start), and server CPU per `tools/call` under keep-alive load (bench/load.ts in its own process,
 * BENCH_CONNECTIONS connections, best of BENCH_ROUNDS rounds), for a legacy-era call (2025-11-25
 * headers) and a 2026-07-28 one (the `_meta` envelope, `MCP-Protocol-Version`, `Mcp-Method` and
 * `Mcp-Name`; the official 1.x SDK does not serve that era, so its column says n/a). Prints a
 * markdown table with the ratios to the floor and PASS/FAIL against the targets: CPU per call
 * ≤ 2× (each era), cold start ≤ 1.2×, idle RSS ≤ 1.1×. agentcore-lite runs at its default level
 * (info: one line per call), every server's stdout going to a file.
 *
 * The SDK is installed into a temporary prefix (`npm install @modelcontextprotocol/sdk`), never
 * into the project; `MCP_SDK_PREFIX` names an existing one instead. Without the registry the SDK
 * column is left out. Environment as `bench/run.ts`: BENCH_DURATION_MS (3000), BENCH_WARMUP_MS
 * (1000), BENCH_CONNECTIONS (16), BENCH_SPAWNS (11 here), BENCH_ROUNDS (2), BENCH_PIN=0.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { LoadOptions, LoadResult } from './load.js';
import { cpuTimeMs, envNumber, envWithThisNode, memoryOf, startServer, stopServer, type RunningServer } from './servers.js';

const run = promisify(execFile);
const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LOAD_CLIENT = join(DIST, 'bench', 'load.js');
const DURATION_MS = envNumber('BENCH_DURATION_MS', 3000);
const WARMUP_MS = envNumber('BENCH_WARMUP_MS', 1000);
const CONNECTIONS = envNumber('BENCH_CONNECTIONS', 16);
const SPAWNS = envNumber('BENCH_SPAWNS', 11);
const ROUNDS = envNumber('BENCH_ROUNDS', 2);
const IDLE_SETTLE_MS = 500;
const PIN = availableParallelism() >= 2 && process.platform === 'linux' && spawnSync('sh', ['-c', 'command -v taskset']).status === 0 && process.env.BENCH_PIN !== '0';
const SERVER_CORE = 0;
const CLIENT_CORE = 1;

/** The call every server answers, with the headers an MCP client sends. */
const CALL = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hello' } } });
const CALL_HEADERS = { accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' };

/** The same call in 2026-07-28, as the official v2 client sends it. */
const MODERN_CALL = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: {
    name: 'echo',
    arguments: { text: 'hello' },
    _meta: {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1.0.0' },
      'io.modelcontextprotocol/clientCapabilities': {},
    },
  },
});
const MODERN_HEADERS = { accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'echo' };

interface Contender {
  label: string;
  script: string;
  env: NodeJS.ProcessEnv;
  /** Serves 2026-07-28 calls (the official 1.x SDK does not). */
  modern: boolean;
}

interface Measured {
  coldStartMs: number;
  idleRssMb: number;
  cpuMicrosPerCall: number;
  callsPerSecond: number;
  modernCpuMicrosPerCall: number | undefined;
  modernCallsPerSecond: number | undefined;
}

function pinned(core: number, command: string, args: readonly string[]): [string, string[]] {
  return PIN ? ['taskset', ['-c', String(core), command, ...args]] : [command, [...args]];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Installs the SDK into a temporary prefix, or uses MCP_SDK_PREFIX; `undefined` without the registry. */
async function sdkPrefix(): Promise<{ prefix: string; version: string; temporary: boolean } | undefined> {
  let prefix = process.env.MCP_SDK_PREFIX;
  let temporary = false;
  if (prefix === undefined) {
    prefix = await mkdtemp(join(tmpdir(), 'agentcore-lite-mcp-sdk-'));
    temporary = true;
    console.error(`installing @modelcontextprotocol/sdk into ${prefix}...`);
    const install = spawnSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--no-package-lock', '@modelcontextprotocol/sdk@1.32.2'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 300_000,
      env: envWithThisNode(),
    });
    if (install.status !== 0) {
      await rm(prefix, { recursive: true, force: true });
      return undefined;
    }
  }
  const manifest = join(prefix, 'node_modules', '@modelcontextprotocol', 'sdk', 'package.json');
  if (!existsSync(manifest)) return undefined;
  const { version } = JSON.parse(await readFile(manifest, 'utf8')) as { version: string };
  return { prefix, version, temporary };
}

async function callLoad(server: RunningServer, modern: boolean): Promise<{ result: LoadResult; cpuMicrosPerCall: number }> {
  const options: LoadOptions = {
    url: `${server.url}/mcp`,
    body: modern ? MODERN_CALL : CALL,
    headers: modern ? MODERN_HEADERS : CALL_HEADERS,
    connections: CONNECTIONS,
    durationMs: DURATION_MS,
    warmupMs: WARMUP_MS,
  };
  const pid = server.child.pid!;
  const cpuBefore = cpuTimeMs(pid)!;
  const [command, args] = pinned(CLIENT_CORE, process.execPath, [LOAD_CLIENT, JSON.stringify(options)]);
  const { stdout } = await run(command, args, { maxBuffer: 1 << 20 });
  const result = JSON.parse(stdout) as LoadResult;
  const cpuAfter = cpuTimeMs(pid)!;
  if (result.errors > 0 || result.non2xx > 0 || result.totalRequests === 0) throw new Error(`tools/call load failed on ${server.url}: ${stdout}`);
  return { result, cpuMicrosPerCall: ((cpuAfter - cpuBefore) * 1000) / result.totalRequests };
}

async function measure(contenders: readonly Contender[], logDir: string): Promise<Map<string, Measured>> {
  const cold = new Map<string, number[]>(contenders.map((contender) => [contender.label, []]));
  for (let spawn = 0; spawn < SPAWNS; spawn++) {
    for (const contender of contenders) {
      const server = await startServer(process.execPath, [contender.script], contender.env);
      cold.get(contender.label)!.push(server.readyMs);
      await stopServer(server);
    }
  }
  const measured = new Map<string, Measured>();
  const servers: RunningServer[] = [];
  try {
    for (const contender of contenders) {
      const [command, args] = pinned(SERVER_CORE, process.execPath, [contender.script]);
      // Stdout to a file, as a container runtime collects it (ours writes one line per call at info).
      const file = await open(join(logDir, `${contender.label}.log`), 'w');
      try {
        servers.push(await startServer(command, args, contender.env, undefined, file.fd));
      } finally {
        await file.close();
      }
    }
    await sleep(IDLE_SETTLE_MS);
    const idle = servers.map((server) => memoryOf(server.child.pid!)!.rss);
    const best = contenders.map(() => ({ cpu: Number.POSITIVE_INFINITY, rate: 0, modernCpu: Number.POSITIVE_INFINITY, modernRate: 0 }));
    // Rounds rotate which server goes first, so none always meets a warmer or colder machine.
    for (let round = 0; round < ROUNDS; round++) {
      for (let offset = 0; offset < servers.length; offset++) {
        const index = (round + offset) % servers.length;
        const { result, cpuMicrosPerCall } = await callLoad(servers[index]!, false);
        best[index]!.cpu = Math.min(best[index]!.cpu, cpuMicrosPerCall);
        best[index]!.rate = Math.max(best[index]!.rate, result.requestsPerSecond);
        if (!contenders[index]!.modern) continue;
        const modern = await callLoad(servers[index]!, true);
        best[index]!.modernCpu = Math.min(best[index]!.modernCpu, modern.cpuMicrosPerCall);
        best[index]!.modernRate = Math.max(best[index]!.modernRate, modern.result.requestsPerSecond);
      }
    }
    contenders.forEach((contender, index) => {
      measured.set(contender.label, {
        coldStartMs: median(cold.get(contender.label)!),
        idleRssMb: idle[index]! / (1024 * 1024),
        cpuMicrosPerCall: best[index]!.cpu,
        callsPerSecond: best[index]!.rate,
        modernCpuMicrosPerCall: contender.modern ? best[index]!.modernCpu : undefined,
        modernCallsPerSecond: contender.modern ? best[index]!.modernRate : undefined,
      });
    });
  } finally {
    for (const server of servers) await stopServer(server);
  }
  return measured;
}

function row(metric: string, values: (number | undefined)[], digits: number, target?: number): string {
  const floor = values[0]!;
  const cells = values.map((value) => (value === undefined ? 'n/a' : value.toFixed(digits)));
  const ratios = values.slice(1).map((value) => (value === undefined ? 'n/a' : `${(value / floor).toFixed(2)}×`));
  const ours = values[values.length - 1]! / floor;
  const verdict = target === undefined ? '' : `${ours <= target ? 'PASS' : 'FAIL'} (≤ ${target}×)`;
  return `| ${metric} | ${cells.join(' | ')} | ${ratios.join(' | ')} | ${verdict} |`;
}

async function main(): Promise<void> {
  const sdk = await sdkPrefix();
  const contenders: Contender[] = [{ label: 'floor', script: join(DIST, 'bench', 'mcp-floor.js'), env: {}, modern: true }];
  if (sdk !== undefined) contenders.push({ label: 'sdk', script: join(DIST, 'bench', 'mcp-sdk-server.js'), env: { MCP_SDK_PREFIX: sdk.prefix }, modern: false });
  else console.error('SKIP the SDK: @modelcontextprotocol/sdk could not be installed');
  contenders.push({ label: 'ours', script: join(DIST, 'bench', 'mcp-agent.js'), env: { LOG_LEVEL: undefined }, modern: true });
  const logDir = await mkdtemp(join(tmpdir(), 'agentcore-lite-mcp-bench-logs-'));
  try {
    const results = await measure(contenders, logDir);
    const value = (label: string, key: keyof Measured): number | undefined => results.get(label)?.[key];
    const labels = contenders.map((contender) => contender.label);
    const sdkLabel = sdk === undefined ? [] : [`official SDK ${sdk.version}`];
    console.log(`# agentcore-lite/mcp vs bare node:http and the official SDK\n`);
    console.log(
      `Node ${process.version}; ${cpus()[0]?.model ?? 'unknown CPU'} (${availableParallelism()} cores); ${CONNECTIONS} connections, ` +
        `${WARMUP_MS} ms warm-up + ${DURATION_MS} ms per load phase, best of ${ROUNDS}; cold start median of ${SPAWNS}` +
        (PIN ? `; servers pinned to core ${SERVER_CORE}, load client to core ${CLIENT_CORE}` : '') +
        '\n',
    );
    const ratioHeads = [...sdkLabel, 'agentcore-lite'].map((label) => `${label} ÷ floor`);
    console.log(`| | floor (bare node:http) | ${[...sdkLabel, 'agentcore-lite/mcp'].join(' | ')} | ${ratioHeads.join(' | ')} | target |`);
    console.log(`| --- |${' ---: |'.repeat(labels.length * 2 - 1)} --- |`);
    console.log(row('server CPU per tools/call, legacy era (µs)', labels.map((label) => value(label, 'cpuMicrosPerCall')), 1, 2));
    console.log(row('tools/call per second, legacy era (16 connections)', labels.map((label) => value(label, 'callsPerSecond')), 0));
    console.log(row('server CPU per tools/call, 2026-07-28 (µs)', labels.map((label) => value(label, 'modernCpuMicrosPerCall')), 1, 2));
    console.log(row('tools/call per second, 2026-07-28 (16 connections)', labels.map((label) => value(label, 'modernCallsPerSecond')), 0));
    console.log(row('cold start to first /ping (ms)', labels.map((label) => value(label, 'coldStartMs')), 1, 1.2));
    console.log(row('idle RSS (MB)', labels.map((label) => value(label, 'idleRssMb')), 1, 1.1));
  } finally {
    await rm(logDir, { recursive: true, force: true });
    if (sdk?.temporary === true) await rm(sdk.prefix, { recursive: true, force: true });
  }
}

await main();
