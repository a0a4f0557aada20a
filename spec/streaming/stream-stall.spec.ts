import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AgentCoreApp, DEFAULT_STREAM_STALL_TIMEOUT_MS, type RequestContext } from '../../lib/index.js';
import { openSocket } from '../support/raw.js';
import { startApp } from '../support/server.js';
import { waitFor } from '../support/stream-client.js';

const STALL_MS = 300;
const ITEM = 'x'.repeat(64 * 1024);
/** How long after the stall time the stream must be gone: timers and a loaded machine. */
const GRACE_MS = 2000;

/** Sends a streaming invocation and never reads the answer. */
async function stalledClient(port: number, body = '{}'): Promise<Socket> {
  const socket = await openSocket(port);
  socket.pause();
  socket.on('error', () => undefined);
  socket.write(`POST /invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  return socket;
}

describe('a client that reads nothing', () => {
  it(`has its stream ended and its producer stopped after streamStallTimeoutMs`, async (t) => {
    let stoppedAt: number | undefined;
    let signalAborted = false;
    const server = await startApp({ streamStallTimeoutMs: STALL_MS }, (app) =>
      app.entrypoint((_payload, context: RequestContext) => {
        context.signal.addEventListener('abort', () => (signalAborted = true));
        return (function* () {
          try {
            for (;;) yield ITEM;
          } finally {
            stoppedAt = performance.now();
          }
        })();
      }),
    );
    const socket = await stalledClient(server.port);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    try {
      const startedAt = performance.now();
      assert.ok(await waitFor(() => stoppedAt !== undefined, STALL_MS + GRACE_MS), 'the producer was stopped');
      t.diagnostic(`stopped ${(stoppedAt! - startedAt).toFixed(0)} ms after the request (stall limit ${STALL_MS} ms)`);
      assert.ok(stoppedAt! - startedAt >= STALL_MS - 50, 'not before the stall time');
      assert.ok(await waitFor(() => signalAborted), 'context.signal aborted');
      socket.resume();
      await closed;
      const record = server.logs.find((entry) => entry.message === 'invocation completed');
      assert.equal(record?.ended, 'stalled');
      const warning = server.logs.find((entry) => entry.level === 'warn' && /read nothing/.test(entry.message));
      assert.equal(warning?.streamStallTimeoutMs, STALL_MS);
    } finally {
      socket.destroy();
      await server.close();
    }
  });

  it('is told apart from one that reads slowly: a reader that pauses less than the limit gets the whole stream', async () => {
    const items = 256;
    const server = await startApp({ streamStallTimeoutMs: STALL_MS }, (app) =>
      app.entrypoint(() =>
        (function* () {
          for (let i = 0; i < items; i++) yield ITEM;
        })(),
      ),
    );
    const socket = await stalledClient(server.port);
    let received = 0;
    let nextPause = 0;
    let ended = false;
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      ended ||= chunk.toString('latin1').endsWith('\r\n0\r\n\r\n');
      // Every megabyte, stop reading for a third of the limit: slow, but never stalled that long.
      if (received >= nextPause) {
        nextPause = received + 1024 * 1024;
        socket.pause();
        setTimeout(() => socket.resume(), STALL_MS / 3);
      }
    });
    socket.resume();
    try {
      assert.ok(await waitFor(() => ended, 30_000), `${received} bytes read`);
      const record = server.logs.find((entry) => entry.message === 'invocation completed');
      assert.equal(record?.ended, 'completed');
      assert.equal(record?.items, items);
      assert.ok(received > items * ITEM.length);
    } finally {
      socket.destroy();
      await server.close();
    }
  });

  it('holds no producer of 100 stalled streams after the limit', async () => {
    let open = 0;
    let stopped = 0;
    const server = await startApp({ logLevel: 'warn', streamStallTimeoutMs: STALL_MS }, (app) =>
      app.entrypoint(() =>
        (async function* () {
          open++;
          try {
            for (;;) yield ITEM;
          } finally {
            stopped++;
          }
        })(),
      ),
    );
    const sockets = await Promise.all(Array.from({ length: 100 }, () => stalledClient(server.port)));
    try {
      assert.ok(await waitFor(() => stopped === 100, STALL_MS + 5 * GRACE_MS), `${stopped} of ${open} producers stopped`);
      const connections = await new Promise<number>((resolve, reject) => server.app.server!.getConnections((error, count) => (error ? reject(error) : resolve(count))));
      assert.equal(connections, 0, 'every stalled connection was closed');
    } finally {
      for (const socket of sockets) socket.destroy();
      await server.close();
    }
  });

  it('ends a streamed Response body the same way and cancels its source', async () => {
    let cancelled = false;
    const server = await startApp({ streamStallTimeoutMs: STALL_MS }, (app) =>
      app.entrypoint(
        () =>
          new Response(
            new ReadableStream({
              pull: (controller) => controller.enqueue(new TextEncoder().encode(ITEM)),
              cancel: () => void (cancelled = true),
            }),
          ),
      ),
    );
    const socket = await stalledClient(server.port);
    try {
      assert.ok(await waitFor(() => cancelled, STALL_MS + GRACE_MS), 'the body was cancelled');
      assert.ok(await waitFor(() => server.logs.some((entry) => entry.message === 'invocation completed' && entry.ended === 'stalled')));
    } finally {
      socket.destroy();
      await server.close();
    }
  });

  it(`waits ${DEFAULT_STREAM_STALL_TIMEOUT_MS} ms by default; 0 turns the limit off; other values are refused`, async () => {
    assert.equal(DEFAULT_STREAM_STALL_TIMEOUT_MS, 60_000);
    for (const streamStallTimeoutMs of [-1, 1.5, Number.NaN]) {
      assert.throws(() => new AgentCoreApp({ logLevel: 'silent', streamStallTimeoutMs }), /streamStallTimeoutMs/);
    }
    let stopped = false;
    const server = await startApp({ streamStallTimeoutMs: 0 }, (app) =>
      app.entrypoint(() =>
        (function* () {
          try {
            for (;;) yield ITEM;
          } finally {
            stopped = true;
          }
        })(),
      ),
    );
    const socket = await stalledClient(server.port);
    try {
      await sleep(STALL_MS * 2);
      assert.equal(stopped, false, 'without a limit the stream waits for its client');
    } finally {
      socket.destroy();
      assert.ok(await waitFor(() => stopped), 'and stops when the client goes');
      await server.close();
    }
  });
});
