import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { RequestLifetime } from '../../lib/http/context.js';
import { EventStore } from '../../lib/mcp/event-store.js';
import { McpStream, parseEventId, type ConnectionOptions } from '../../lib/mcp/stream.js';
import { parseSse } from '../support/sse-reader.js';
import { useHttpServer } from '../support/server.js';

/** A server that hands each response to the test, with connection options for it. */
async function responses(t: TestContext) {
  const waiting: ((pair: { response: ServerResponse; options: ConnectionOptions }) => void)[] = [];
  const { url } = await useHttpServer(t, (_request, response) => {
    const lifetime = new RequestLifetime();
    response.on('close', () => lifetime.abort());
    waiting.shift()!({ response, options: { signal: lifetime.signal, headers: undefined, heartbeatMs: 0, stallTimeoutMs: 0, bufferBytes: 1 << 20 } });
  });
  return {
    /** Opens a request and resolves with the server's side of it and the client's answer. */
    open(signal?: AbortSignal) {
      const server = new Promise<{ response: ServerResponse; options: ConnectionOptions }>((resolve) => waiting.push(resolve));
      const client = fetch(url, { signal });
      return { server, client };
    },
  };
}

describe('McpStream', () => {
  it('sends messages as `message` events without ids when it keeps no log, and ends with its connection', async (t) => {
    const http = await responses(t);
    let lost = 0;
    const stream = new McpStream(1, undefined, () => lost++);
    const { server, client } = http.open();
    const { response, options } = await server;
    stream.connect(response, options);
    stream.send('{"a":1}');
    stream.prime(1000);
    stream.finish();
    stream.send('{"ignored":true}');
    assert.equal(await (await client).text(), 'event: message\ndata: {"a":1}\n\n');
    assert.equal(stream.resumable, false);
    assert.equal(lost, 0);
  });

  it('numbers events <stream>_<seq> when it keeps a log, and replays after a Last-Event-ID on a new connection', async (t) => {
    const http = await responses(t);
    const store = new EventStore(1 << 20, 1000);
    let lost = 0;
    const stream = new McpStream(7, store.createLog(), () => lost++);
    const controller = new AbortController();
    const first = http.open(controller.signal);
    const one = await first.server;
    stream.connect(one.response, one.options);
    stream.prime(500);
    stream.send('{"n":1}');
    assert.equal(stream.resumable, true);
    const response = await first.client;
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    while (stream.connected) await sleep(5);
    assert.equal(lost, 1);
    stream.send('{"n":2}');
    stream.finish();
    const second = http.open();
    const two = await second.server;
    stream.connect(two.response, two.options, 2);
    const replay = parseSse(await (await second.client).text());
    assert.deepEqual(replay.events.map((event) => [event.lastEventId, event.data]), [['7_3', '{"n":2}']]);
  });

  it('closes a connection without ending the stream only when it can be resumed, telling the client when to come back', async (t) => {
    const http = await responses(t);
    const plain = new McpStream(1, undefined);
    assert.equal(plain.closeConnection(100), false);
    const stream = new McpStream(2, new EventStore(1 << 20, 100).createLog());
    const { server, client } = http.open();
    const { response, options } = await server;
    stream.connect(response, options);
    assert.equal(stream.closeConnection(100), false, 'nothing with an id went out yet');
    stream.prime(100);
    assert.equal(stream.closeConnection(250), true);
    assert.match(await (await client).text(), /retry: 250\n\n$/);
    assert.equal(stream.finished, false);
  });

  it('replaces a connection still open with a new one', async (t) => {
    const http = await responses(t);
    const stream = new McpStream(3, new EventStore(1 << 20, 100).createLog());
    const first = http.open();
    const one = await first.server;
    stream.connect(one.response, one.options);
    stream.comment(': hi\n\n');
    const second = http.open();
    const two = await second.server;
    stream.connect(two.response, two.options);
    assert.equal(await (await first.client).text(), ': hi\n\n');
    stream.finish();
    assert.equal(await (await second.client).text(), '');
  });

  it('reads the event ids it made, and only those', () => {
    assert.deepEqual(parseEventId('12_345'), { stream: 12, seq: 345 });
    assert.deepEqual(parseEventId(' 1_2 '), { stream: 1, seq: 2 });
    for (const id of ['', '1', '1_', '_1', 'a_b', '1_2_3', `${'9'.repeat(20)}_1`]) assert.equal(parseEventId(id), undefined, id);
  });
});
