import assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sseRaw } from '../../lib/index.js';
import { MAX_BATCH_CHARS } from '../../lib/streaming/pipe.js';
import { openSocket } from '../support/raw.js';
import { startApp, type TestServer } from '../support/server.js';
import { parseSse } from '../support/sse-reader.js';

const ITEMS = 1000;
/** The second stream of each kind, to tell the promises per item from those per request. */
const MORE_ITEMS = 3 * ITEMS;

/** The body of a chunked HTTP answer, split into its chunks. */
function chunksOf(raw: string): string[] {
  let rest = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  const chunks: string[] = [];
  for (;;) {
    const lineEnd = rest.indexOf('\r\n');
    const size = Number.parseInt(rest.slice(0, lineEnd), 16);
    if (size === 0) return chunks;
    chunks.push(rest.slice(lineEnd + 2, lineEnd + 2 + size));
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
}

/**
 * Sends `bytes` on a fresh connection and resolves with what was read up to the end of a chunked
 * body (SSE answers keep the connection open).
 */
async function rawExchange(port: number, bytes: string): Promise<string> {
  const socket = await openSocket(port);
  return new Promise((resolve, reject) => {
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no end of the body within 5 s; got ${received.length} characters`));
    }, 5000);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (received.endsWith('\r\n0\r\n\r\n')) {
        clearTimeout(timer);
        socket.destroy();
        resolve(received);
      }
    });
    socket.write(bytes);
  });
}

function request(kind: string, items = ITEMS): string {
  const body = JSON.stringify({ kind, items });
  return `POST /invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
}

describe('the streaming pipe takes items a producer has at hand without a promise each', () => {
  let server: TestServer;
  const producers: Record<string, (items: number) => unknown> = {
    'sync-generator': (items) =>
      (function* () {
        for (let index = 0; index < items; index++) yield { index };
      })(),
    'buffered-readable': (items) => Readable.from(Array.from({ length: items }, (_, index) => ({ index }))),
    'pushed-readable': (items) => {
      const readable = new Readable({ objectMode: true, read() {} });
      for (let index = 0; index < items; index++) readable.push({ index });
      readable.push(null);
      return readable;
    },
    'async-generator': (items) =>
      (async function* () {
        for (let index = 0; index < items; index++) yield { index };
      })(),
    'hundred-events': () =>
      (function* () {
        for (let index = 0; index < 100; index++) yield { index, text: 'token' };
      })(),
  };
  before(async () => {
    server = await startApp({ logLevel: 'silent' }, (app) =>
      app.entrypoint((payload: { kind: string; items?: number }) => producers[payload.kind]!(payload.items ?? ITEMS)),
    );
    // The first stream loads the streaming code (module loading makes promises of its own).
    await rawExchange(server.port, request('hundred-events'));
  });
  after(() => server.close());

  /** Promises created in this process while one stream of `kind` is answered over a raw socket. */
  async function promisesFor(kind: string, items: number): Promise<{ promises: number; events: number }> {
    let promises = 0;
    const hook = createHook({
      init(_id, type) {
        if (type === 'PROMISE') promises++;
      },
    });
    hook.enable();
    let raw: string;
    try {
      raw = await rawExchange(server.port, request(kind, items));
    } finally {
      hook.disable();
    }
    return { promises, events: parseSse(chunksOf(raw).join('')).events.length };
  }

  /** Promises per item: what a longer stream costs more, so the request's own cancel out. */
  async function promisesPerItem(kind: string): Promise<number> {
    const short = await promisesFor(kind, ITEMS);
    const long = await promisesFor(kind, MORE_ITEMS);
    assert.equal(short.events, ITEMS);
    assert.equal(long.events, MORE_ITEMS);
    return (long.promises - short.promises) / (MORE_ITEMS - ITEMS);
  }

  for (const kind of ['sync-generator', 'pushed-readable']) {
    it(`streams the items of a ${kind} without a promise per item`, async () => {
      const perItem = await promisesPerItem(kind);
      assert.ok(perItem < 0.01, `${perItem} promises per item`);
    });
  }

  it('adds one promise per item to what an async generator makes itself', async () => {
    const perItem = await promisesPerItem('async-generator');
    // An async generator makes three per item (next()'s, and two for its yield); the pipe's
    // `then` is the fourth.
    assert.ok(perItem < 4.1, `${perItem} promises per item`);
  });

  it('still reads a Readable.from() stream whole, its items arriving over several turns', async () => {
    const { events } = await promisesFor('buffered-readable', ITEMS);
    assert.equal(events, ITEMS);
  });

  it('writes events that come within one tick together, in few chunks', async () => {
    const chunks = chunksOf(await rawExchange(server.port, request('hundred-events')));
    const events = parseSse(chunks.join('')).events;
    assert.deepEqual(events.map((event) => (JSON.parse(event.data) as { index: number }).index), Array.from({ length: 100 }, (_, i) => i));
    assert.ok(chunks.length <= 2, `${chunks.length} chunks for 100 events`);
    assert.ok(chunks.every((chunk) => chunk.length <= MAX_BATCH_CHARS + 64));
  });
});

describe('events held to the end of the tick', () => {
  it('still pause a producer whose items come one per tick when the client reads nothing', async (t) => {
    let pulled = 0;
    const server = await startApp({ logLevel: 'silent' }, (app) =>
      app.entrypoint(() =>
        (async function* () {
          for (;;) {
            pulled++;
            yield 'x'.repeat(MAX_BATCH_CHARS / 2);
            // One item per turn: each is written by the end-of-tick write, never by a full batch.
            await new Promise((resolve) => setImmediate(resolve));
          }
        })(),
      ),
    );
    const socket = await openSocket(server.port);
    try {
      socket.pause();
      socket.write(request('any'));
      await sleep(300);
      const stalled = pulled;
      await sleep(300);
      t.diagnostic(`pulled ${stalled} items of ${MAX_BATCH_CHARS / 2} characters while the client read nothing`);
      assert.equal(pulled, stalled, 'no pulls while the socket is full');
      let received = 0;
      socket.on('data', (chunk: Buffer) => (received += chunk.length));
      socket.resume();
      const waitedFor = pulled;
      for (let i = 0; i < 200 && pulled < waitedFor + 10; i++) await sleep(10);
      assert.ok(pulled >= waitedFor + 10, 'reading again resumes the producer');
      assert.ok(received > 0);
    } finally {
      socket.destroy();
      await server.close();
    }
  });
});

describe('a producer whose items write nothing', () => {
  it('cannot keep the event loop from /ping', async (t) => {
    // In a child process: if the pipe never let the event loop run, this test's own timers would
    // starve with it.
    const moduleUrl = new URL('../../lib/index.js', import.meta.url).href;
    const script = `
      import { AgentCoreApp, sseRaw } from ${JSON.stringify(moduleUrl)};
      const app = new AgentCoreApp({ logLevel: 'info' });
      app.entrypoint(() => (function* () { for (;;) yield sseRaw(''); })());
      await app.listen({ port: 0, host: '127.0.0.1' });
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      let output = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      while (!/"port":(\d+)/.test(output)) await sleep(10);
      const port = Number(/"port":(\d+)/.exec(output)![1]);
      const stream = fetch(`http://127.0.0.1:${port}/invocations`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(3000) }).catch(() => undefined);
      await sleep(100);
      const startedAt = performance.now();
      const ping = await fetch(`http://127.0.0.1:${port}/ping`, { signal: AbortSignal.timeout(2000) });
      const elapsed = performance.now() - startedAt;
      t.diagnostic(`/ping answered in ${elapsed.toFixed(1)} ms beside the stream`);
      assert.equal(ping.status, 200);
      assert.ok(elapsed < 1000, `${elapsed} ms`);
      void stream;
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('still ends the stream when the producer ends', async () => {
    const server = await startApp({ logLevel: 'silent' }, (app) => app.entrypoint(() => (function* () { for (let i = 0; i < 5000; i++) yield sseRaw(''); yield sseRaw('data: done\n\n'); })()));
    try {
      const chunks = chunksOf(await rawExchange(server.port, request('any')));
      assert.deepEqual(parseSse(chunks.join('')).events.map((event) => event.data), ['done']);
    } finally {
      await server.close();
    }
  });
});
