/**
 * Child-process check for spec/pipe.spec.ts, run with `node --expose-gc`: opens many streaming
 * invocations, drops each client after its first event, and prints heap and handle numbers
 * (after forced GC) before and after as one JSON line.
 *
 *   node --expose-gc dist/spec/support/leak-check.js [streams]
 */
import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { AgentCoreApp } from '../../lib/index.js';

const STREAMS = Number(process.argv[2] ?? 1000);
const BATCH = 50;
const WARM_UP = 100;
const PAD = 'x'.repeat(256);

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

let started = 0;
let stopped = 0;
const app = new AgentCoreApp({ logLevel: 'silent' });
app.entrypoint(() =>
  (async function* () {
    started++;
    try {
      for (let i = 0; ; i++) {
        yield { i, pad: PAD };
        await sleep(1);
      }
    } finally {
      stopped++;
    }
  })(),
);

const { port } = await app.listen({ port: 0, host: '127.0.0.1' });

function abortedStream(): Promise<void> {
  return new Promise<void>((resolve) => {
    const request = httpRequest({ host: '127.0.0.1', port, path: '/invocations', method: 'POST', agent: false, headers: { 'content-type': 'application/json' } });
    request.on('response', (response) => {
      response.once('data', () => request.destroy());
      response.on('error', () => {});
    });
    request.on('error', () => {});
    request.on('close', () => resolve());
    request.end('{}');
  });
}

async function run(count: number): Promise<void> {
  for (let done = 0; done < count; done += BATCH) {
    await Promise.all(Array.from({ length: Math.min(BATCH, count - done) }, abortedStream));
  }
}

async function settle(): Promise<void> {
  const deadline = Date.now() + 5000;
  while (stopped < started || (await connections()) > 0) {
    if (Date.now() > deadline) break;
    await sleep(5);
  }
  await sleep(50);
  for (let i = 0; i < 3; i++) {
    gc!();
    await sleep(10);
  }
}

function connections(): Promise<number> {
  return new Promise((resolve) => app.server!.getConnections((_error, count) => resolve(count)));
}

function handles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

await run(WARM_UP);
await settle();
const heapBefore = process.memoryUsage().heapUsed;
const handlesBefore = handles();
const startedAt = performance.now();
await run(STREAMS);
const elapsedMs = Math.round(performance.now() - startedAt);
await settle();
const heapAfter = process.memoryUsage().heapUsed;
const handlesAfter = handles();
const report = {
  streams: STREAMS,
  started: started - WARM_UP,
  stopped: stopped - WARM_UP,
  openConnections: await connections(),
  heapBefore,
  heapAfter,
  handlesBefore,
  handlesAfter,
  elapsedMs,
};
await app.close();
process.stdout.write(JSON.stringify(report) + '\n');
