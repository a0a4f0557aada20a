import assert from 'node:assert/strict';
import { request as httpRequest, type ServerResponse } from 'node:http';
import { describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { RequestLifetime } from '../../lib/http/context.js';
import { SSE_OPENING_COMMENT, SseConnection, type SseConnectionOptions } from '../../lib/mcp/sse-connection.js';
import { useHttpServer } from '../support/server.js';

/** A server whose every answer is an SseConnection; the test gets each connection and how it ended. */
async function sseServer(t: TestContext, options: Partial<SseConnectionOptions> = {}) {
  const connections: { connection: SseConnection; ended: Promise<unknown> }[] = [];
  const { url, port } = await useHttpServer(t, (_request, response: ServerResponse) => {
    const lifetime = new RequestLifetime();
    response.on('close', () => lifetime.abort());
    let resolveEnded!: (value: unknown) => void;
    const ended = new Promise((resolve) => (resolveEnded = resolve));
    const connection = new SseConnection(response, {
      signal: lifetime.signal,
      headers: { 'mcp-session-id': 's-1' },
      heartbeatMs: 0,
      stallTimeoutMs: 0,
      bufferBytes: 1024,
      onEnd: (outcome) => resolveEnded(outcome),
      ...options,
    });
    connections.push({ connection, ended });
  });
  return { url, port, connections };
}

describe('SseConnection: one SSE answer', () => {
  it('writes the SSE headers and the events pushed, then ends', async (t) => {
    const { url, connections } = await sseServer(t);
    const pending = fetch(url);
    while (connections.length === 0) await sleep(5);
    const { connection, ended } = connections[0]!;
    connection.push(SSE_OPENING_COMMENT);
    connection.push('data: 1\n\n');
    connection.end();
    const response = await pending;
    assert.equal(response.headers.get('content-type'), 'text/event-stream');
    assert.equal(response.headers.get('cache-control'), 'no-cache');
    assert.equal(response.headers.get('mcp-session-id'), 's-1');
    assert.equal(await response.text(), ': stream open\n\ndata: 1\n\n');
    assert.deepEqual(await ended, { ended: 'completed', items: 2 });
    assert.equal(connection.open, false);
    assert.equal(connection.push('data: late\n\n'), false);
  });

  it('writes heartbeats on a quiet connection', async (t) => {
    const { url, connections } = await sseServer(t, { heartbeatMs: 20 });
    const pending = fetch(url);
    while (connections.length === 0) await sleep(5);
    connections[0]!.connection.push(SSE_OPENING_COMMENT);
    await sleep(90);
    connections[0]!.connection.end();
    assert.match(await (await pending).text(), /: keepalive\n\n/);
  });

  it('cuts a client that reads nothing once the events waiting pass the buffer, holding no more', async (t) => {
    const { port, connections } = await sseServer(t, { bufferBytes: 64 * 1024 });
    const client = httpRequest({ port, host: '127.0.0.1', path: '/' });
    client.on('response', (response) => response.pause());
    client.on('error', () => undefined);
    client.end();
    while (connections.length === 0) await sleep(5);
    const { connection, ended } = connections[0]!;
    const event = `data: ${'x'.repeat(16 * 1024)}\n\n`;
    let pushed = 0;
    while (connection.push(event) && pushed < 100_000) pushed++;
    assert.ok(pushed < 100_000, 'the connection never refused an event');
    await ended;
    assert.equal(connection.open, false);
    client.destroy();
  });

  it('ends a connection whose client read nothing for the stall timeout', async (t) => {
    const { port, connections } = await sseServer(t, { stallTimeoutMs: 100, bufferBytes: 64 * 1024 * 1024 });
    const client = httpRequest({ port, host: '127.0.0.1', path: '/' });
    client.on('response', (response) => response.pause());
    client.on('error', () => undefined);
    client.end();
    while (connections.length === 0) await sleep(5);
    const { connection, ended } = connections[0]!;
    const event = `data: ${'x'.repeat(64 * 1024)}\n\n`;
    for (let index = 0; index < 200 && connection.open; index++) {
      connection.push(event);
      await sleep(1);
    }
    assert.equal(((await ended) as { ended: string }).ended, 'stalled');
    client.destroy();
  });

  it('ends when the client goes away', async (t) => {
    const { url, connections } = await sseServer(t);
    const controller = new AbortController();
    const pending = fetch(url, { signal: controller.signal });
    while (connections.length === 0) await sleep(5);
    connections[0]!.connection.push(SSE_OPENING_COMMENT);
    await pending;
    controller.abort();
    assert.equal(((await connections[0]!.ended) as { ended: string }).ended, 'aborted');
  });
});
