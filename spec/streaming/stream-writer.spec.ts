import assert from 'node:assert/strict';
import { createServer, get, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';
import { after, before, describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ResultOutcome, ResultWriterOptions } from '../../lib/invocation/result.js';
import { Logger, SSE_MAX_EVENT_BYTES, sseEvent, sseRaw, type LogRecord } from '../../lib/index.js';
import { writeEventStream, writeFetchResponse } from '../../lib/streaming/stream-writer.js';
import { openSocket, rawExchange } from '../support/raw.js';
import { invoke, startApp, useApp, useHttpServer, type TestServer } from '../support/server.js';
import { jsonData, parseSse } from '../support/sse-reader.js';

type Kind = { kind: string };

/** Results by name, so one server serves the whole suite. */
const results: Record<string, () => unknown> = {
  'explicit-events': () =>
    (function* () {
      yield sseEvent({ event: 'progress', id: 'p1', retry: 1000, comment: 'starting', data: { percent: 50 } });
      yield sseEvent({ event: 'log', data: 'line one\r\nline two\rline three\nline four' });
      yield sseRaw('event: done\r\ndata: {"ok":true}\r\n\r\n');
    })(),
  'throws-mid': () =>
    (async function* () {
      yield 'one';
      yield 'two';
      throw new RangeError('broke mid-stream');
    })(),
  'huge-event': () =>
    (function* () {
      yield 'x'.repeat(SSE_MAX_EVENT_BYTES);
    })(),
  array: () => [1, 2, 3],
  'response-text': () =>
    new Response('plain text', { status: 201, statusText: 'Made It', headers: { 'content-type': 'text/plain', 'x-custom': 'yes' } }),
  'response-bytes': () => new Response(Uint8Array.of(1, 2, 3), { headers: { 'content-type': 'image/png' } }),
  'response-stream': () =>
    new Response(
      new ReadableStream({
        async pull(controller) {
          await sleep(1);
          controller.enqueue(new TextEncoder().encode('chunk;'));
          if (++streamPulls === 3) controller.close();
        },
      }),
      { headers: { 'content-type': 'text/csv' } },
    ),
  'response-empty': () => new Response(null, { status: 204, headers: { 'set-cookie': 'a=1' } }),
  'response-cookies': () => {
    const headers = new Headers({ 'content-type': 'application/json' });
    headers.append('set-cookie', 'a=1; Path=/');
    headers.append('set-cookie', 'b=2; Path=/');
    return new Response('{}', { headers });
  },
  'response-404': () => Response.json({ error: 'no such thing' }, { status: 404 }),
  'response-fails-first': () =>
    new Response(
      new ReadableStream({
        pull() {
          throw new Error('body failed first');
        },
      }),
    ),
  'response-fails-mid': () => {
    let pulls = 0;
    return new Response(
      new ReadableStream({
        async pull(controller) {
          if (pulls++ === 0) controller.enqueue(new TextEncoder().encode('partial'));
          else throw new Error('body failed mid-way');
        },
      }),
    );
  },
  'response-bad-chunk': () =>
    new Response(
      new ReadableStream<unknown>({
        start(controller) {
          controller.enqueue('text chunk;');
          controller.enqueue(42);
          controller.close();
        },
      }) as ReadableStream<Uint8Array>,
    ),
};
let streamPulls = 0;

describe('event streams and Responses on the wire', () => {
  let server: TestServer;
  before(async () => {
    server = await startApp({}, (app) => app.entrypoint((payload: Kind) => results[payload.kind]!()));
  });
  after(() => server.close());

  async function stream(kind: string, headers: Record<string, string> = {}): Promise<{ response: Response; text: string }> {
    const response = await fetch(`${server.url}/invocations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ kind }),
    });
    return { response, text: await response.text() };
  }

  describe('explicit events', () => {
    it('sends event, id, retry, comment, multi-line data and raw text as given', async () => {
      const { text } = await stream('explicit-events');
      const reader = parseSse(text);
      assert.deepEqual(reader.events, [
        { type: 'progress', data: '{"percent":50}', lastEventId: 'p1', retry: 1000 },
        { type: 'log', data: 'line one\nline two\nline three\nline four', lastEventId: 'p1' },
        { type: 'done', data: '{"ok":true}', lastEventId: 'p1' },
      ]);
      assert.deepEqual(reader.comments, ['starting']);
      assert.ok(text.endsWith('event: done\r\ndata: {"ok":true}\r\n\r\n'), 'raw text passes through untouched');
    });
  });

  describe('stream failures after the first event', () => {
    it('ends a stream that fails mid-way with one error event and a clean end, logged with the request id', async () => {
      const { response, text } = await stream('throws-mid', { 'X-Amzn-Bedrock-AgentCore-Runtime-Request-Id': 'req-mid' });
      assert.equal(response.status, 200);
      assert.deepEqual(jsonData(parseSse(text)), ['one', 'two', { error: 'broke mid-stream', error_type: 'RangeError', message: 'broke mid-stream' }]);
      const record = server.logs.find((entry) => entry.level === 'error' && entry.requestId === 'req-mid');
      assert.equal(record?.errorMessage, 'broke mid-stream');
      assert.deepEqual((await invoke(server, { kind: 'array' })).json(), [1, 2, 3], 'the server keeps serving');
    });

    it('warns about an event over the 10 MB platform limit but still sends it', async () => {
      const { text } = await stream('huge-event', { 'X-Amzn-Bedrock-AgentCore-Runtime-Request-Id': 'req-huge' });
      assert.equal((jsonData(parseSse(text))[0] as string).length, SSE_MAX_EVENT_BYTES);
      const warning = server.logs.find((record) => record.level === 'warn' && record.requestId === 'req-huge');
      assert.match(String(warning?.message), /streaming chunk limit/);
      assert.equal(warning?.bytes, SSE_MAX_EVENT_BYTES + 'data: ""\n\n'.length);
    });
  });

  describe('a returned Response', () => {
    it('sets status, status text, headers and a text body', async () => {
      const { response, text } = await stream('response-text');
      assert.equal(response.status, 201);
      assert.equal(response.statusText, 'Made It');
      assert.equal(response.headers.get('content-type'), 'text/plain');
      assert.equal(response.headers.get('x-custom'), 'yes');
      assert.equal(text, 'plain text');
    });

    it('sends a bytes body', async () => {
      const response = await fetch(`${server.url}/invocations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"kind":"response-bytes"}' });
      assert.equal(response.headers.get('content-type'), 'image/png');
      assert.deepEqual([...new Uint8Array(await response.arrayBuffer())], [1, 2, 3]);
    });

    it('pipes a stream body chunk by chunk', async () => {
      streamPulls = 0;
      const { response, text } = await stream('response-stream');
      assert.equal(response.headers.get('content-type'), 'text/csv');
      assert.equal(response.headers.get('transfer-encoding'), 'chunked');
      assert.equal(text, 'chunk;chunk;chunk;');
    });

    it('sends no body for a null body, and every Set-Cookie separately', async () => {
      const empty = await stream('response-empty');
      assert.equal(empty.response.status, 204);
      assert.equal(empty.text, '');
      assert.deepEqual(empty.response.headers.getSetCookie(), ['a=1']);
      const cookies = await stream('response-cookies');
      assert.deepEqual(cookies.response.headers.getSetCookie(), ['a=1; Path=/', 'b=2; Path=/']);
    });

    it('logs a 4xx or 5xx Response at warn with the request id', async () => {
      const { response, text } = await stream('response-404', { 'X-Amzn-Bedrock-AgentCore-Runtime-Request-Id': 'req-404' });
      assert.equal(response.status, 404);
      assert.deepEqual(JSON.parse(text), { error: 'no such thing' });
      const warning = server.logs.find((record) => record.level === 'warn' && record.requestId === 'req-404');
      assert.equal(warning?.status, 404);
      const done = server.logs.find((record) => record.requestId === 'req-404' && record.message === 'invocation completed');
      assert.equal(done?.status, 404);
    });

    it('answers 500 JSON when its body fails before the first chunk', async () => {
      const response = await invoke(server, { kind: 'response-fails-first' });
      assert.equal(response.status, 500);
      assert.equal((response.json() as { error: string }).error, 'body failed first');
    });

    it('aborts the connection when its body fails mid-way, so the client sees a truncated body', async () => {
      const response = await fetch(`${server.url}/invocations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"kind":"response-fails-mid"}' });
      assert.equal(response.status, 200);
      await assert.rejects(response.text());
      assert.ok(server.logs.some((record) => record.level === 'error' && record.errorMessage === 'body failed mid-way'));
    });

    it('treats a body chunk that is neither bytes nor text as a mid-way failure', async () => {
      const response = await fetch(`${server.url}/invocations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"kind":"response-bad-chunk"}' });
      await assert.rejects(response.text());
      assert.ok(server.logs.some((record) => record.level === 'error' && /must be Uint8Array or string, got number/.test(String(record.errorMessage))));
    });
  });
});

describe('a returned Response, proxied or built with connection headers', () => {
  let server: TestServer;
  let upstream: Server;
  let upstreamUrl: string;
  const plain = 'hello from upstream '.repeat(50);

  before(async () => {
    upstream = createServer((_request, response) => {
      const body = gzipSync(plain);
      response.writeHead(200, {
        'content-type': 'text/plain',
        'content-encoding': 'gzip',
        'content-length': body.length,
        'x-upstream': 'yes',
      });
      response.end(body);
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/`;
    server = await startApp({}, (app) => {
      app.entrypoint((payload: { kind: string }) => {
        if (payload.kind === 'proxy') return fetch(upstreamUrl);
        return new Response('built', {
          headers: {
            'x-kept': 'yes',
            'x-listed': 'named in Connection',
            connection: 'close, x-listed',
            'keep-alive': 'timeout=1',
            'transfer-encoding': 'chunked',
            upgrade: 'h2c',
            te: 'trailers',
            trailer: 'x-checksum',
          },
        });
      });
    });
  });

  after(async () => {
    await server.close();
    await new Promise((resolve) => upstream.close(resolve));
  });

  /** The answer's head (lower-cased names) and body, as the bytes on the wire show them. */
  async function rawAnswer(kind: string): Promise<{ head: Map<string, string>; body: string }> {
    const body = JSON.stringify({ kind });
    const text = await rawExchange(
      server.port,
      `POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
    const [head, rest] = [text.slice(0, text.indexOf('\r\n\r\n')), text.slice(text.indexOf('\r\n\r\n') + 4)];
    const fields = new Map<string, string>();
    for (const line of head.split('\r\n').slice(1)) {
      const colon = line.indexOf(':');
      fields.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
    }
    // De-chunk: size line, data, CRLF, until the zero-size chunk.
    let decodedBody = '';
    let cursor = rest;
    for (;;) {
      const lineEnd = cursor.indexOf('\r\n');
      const size = Number.parseInt(cursor.slice(0, lineEnd), 16);
      if (size === 0 || Number.isNaN(size)) break;
      decodedBody += cursor.slice(lineEnd + 2, lineEnd + 2 + size);
      cursor = cursor.slice(lineEnd + 2 + size + 2);
    }
    return { head: fields, body: decodedBody };
  }

  it('drops the upstream encoding and length of a fetch() Response, whose body fetch already decoded', async () => {
    const { head, body } = await rawAnswer('proxy');
    assert.equal(body, plain);
    assert.equal(head.get('content-encoding'), undefined);
    assert.equal(head.get('content-length'), undefined);
    assert.equal(head.get('transfer-encoding'), 'chunked');
    assert.equal(head.get('x-upstream'), 'yes');
    assert.equal(head.get('content-type'), 'text/plain');
  });

  it('drops hop-by-hop headers and those named in Connection; Node frames the answer itself', async () => {
    const { head, body } = await rawAnswer('built');
    assert.equal(body, 'built');
    assert.equal(head.get('x-kept'), 'yes');
    for (const name of ['x-listed', 'keep-alive', 'upgrade', 'te', 'trailer']) assert.equal(head.get(name), undefined, name);
    // Connection reflects this connection (the client asked to close), not the Response's value.
    assert.equal(head.get('connection'), 'close');
    assert.equal(head.get('transfer-encoding'), 'chunked');
  });

  it('keeps the connection alive when the Response asked to close it', async () => {
    const first = await fetch(`${server.url}/invocations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"kind":"built"}' });
    assert.equal(await first.text(), 'built');
    assert.notEqual(first.headers.get('connection'), 'close');
  });
});

describe('the connection of an event stream', () => {
  /** Writes `request` on a fresh connection; resolves with what arrived, and whether the server closed it within `withinMs`. */
  async function exchange(port: number, request: string, withinMs: number): Promise<{ text: string; closed: boolean }> {
    const socket = await openSocket(port);
    return new Promise((resolve) => {
      let text = '';
      const timer = setTimeout(() => {
        socket.destroy();
        resolve({ text, closed: false });
      }, withinMs);
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('close', () => {
        clearTimeout(timer);
        resolve({ text, closed: true });
      });
      socket.write(request);
    });
  }

  const STREAM_REQUEST = 'POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n';

  it("honours a client's Connection: close: the answer says close and the connection ends with the stream", async (t) => {
    const server = await useApp(t, { keepAliveTimeoutMs: 60_000 }, (app) => app.entrypoint(() => [1, 2, 3].values()));
    const { text, closed } = await exchange(server.port, `${STREAM_REQUEST}Connection: close\r\n\r\n{}`, 2000);
    assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(text, /\r\nConnection: close\r\n/i);
    assert.doesNotMatch(text, /keep-alive/i);
    assert.match(text, /data: 3\n\n\r\n0\r\n\r\n$/);
    assert.equal(closed, true, 'the server closed the connection once the stream ended, not after keepAliveTimeoutMs');
  });

  it('keeps a keep-alive connection open by default, as for any answer', async (t) => {
    const server = await useApp(t, { keepAliveTimeoutMs: 60_000 }, (app) => app.entrypoint(() => [1].values()));
    const { text, closed } = await exchange(server.port, `${STREAM_REQUEST}\r\n{}`, 300);
    assert.match(text, /\r\nConnection: keep-alive\r\n/i);
    assert.equal(closed, false);
  });

  it('closes its connection when it starts during a shutdown, so the client sends nothing more on it', async (t) => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const server = await useApp(t, { keepAliveTimeoutMs: 60_000 }, (app) =>
      app.entrypoint(async () => {
        await gate;
        return [1, 2].values();
      }),
    );
    const answer = exchange(server.port, `${STREAM_REQUEST}\r\n{}`, 2000);
    // The request is in (its handler waits at the gate) before the shutdown begins.
    await sleep(50);
    // A task holds the shutdown open well past the stream: the connection must close with the stream, not at the end.
    const task = server.app.addAsyncTask('holding the shutdown open');
    const closing = server.close({ graceMs: 5000 });
    release();
    const { text, closed } = await answer;
    assert.match(text, /\r\nConnection: close\r\n/i);
    assert.match(text, /data: 2\n\n\r\n0\r\n\r\n$/);
    assert.equal(closed, true, 'the connection closed when the stream ended');
    server.app.completeAsyncTask(task);
    await closing;
  });
});

describe('heartbeat comments', () => {
  const quiet = () =>
    (async function* () {
      yield 'first';
      await sleep(130);
      yield 'second';
    })();

  it('are written on a quiet stream when sseHeartbeatMs is set', async (t) => {
    const server = await useApp(t, { sseHeartbeatMs: 25 }, (app) => app.entrypoint(quiet));
    const reader = parseSse((await invoke(server, {})).text);
    assert.deepEqual(jsonData(reader), ['first', 'second']);
    assert.ok(reader.comments.length >= 2, `${reader.comments.length} heartbeats`);
    assert.ok(reader.comments.every((comment) => comment === 'keepalive'));
  });

  it('are off by default', async (t) => {
    const server = await useApp(t, {}, (app) => app.entrypoint(quiet));
    assert.deepEqual(parseSse((await invoke(server, {})).text).comments, []);
  });
});

/**
 * A plain server whose answers are written by `write` (one of the stream writers, called
 * directly): the outcome it reports and the log records, once an exchange is done.
 */
async function writerServer(
  t: TestContext,
  write: (response: ServerResponse, signal: AbortSignal, options: ResultWriterOptions) => Promise<ResultOutcome>,
): Promise<{ url: string; port: number; logs: LogRecord[]; outcome: () => Promise<ResultOutcome> }> {
  const logs: LogRecord[] = [];
  const logger = new Logger({ level: 'debug', sink: (_line, record) => logs.push(record) });
  let outcome: Promise<ResultOutcome> | undefined;
  const { url, port } = await useHttpServer(t, (_request, response) => {
    outcome = write(response, new AbortController().signal, { logger, sseHeartbeatMs: 0, streamStallTimeoutMs: 0 });
  });
  return { url, port, logs, outcome: () => outcome! };
}

/** GETs `url` with node:http, which leaves the body encoded as it came. */
function getUndecoded(url: string): Promise<{ headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

describe('writeEventStream', () => {
  it('answers 200 with the event-stream headers, one data event per item, and reports the items written', async (t) => {
    const server = await writerServer(t, (response, signal, options) =>
      writeEventStream(response, (function* () { yield 'a'; yield { b: 2 }; yield [3]; })(), { signal }, options),
    );
    const response = await fetch(server.url);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/event-stream');
    assert.equal(response.headers.get('cache-control'), 'no-cache');
    assert.equal(response.headers.get('x-accel-buffering'), 'no');
    assert.equal(response.headers.get('content-length'), null);
    assert.equal(await response.text(), 'data: "a"\n\ndata: {"b":2}\n\ndata: [3]\n\n');
    assert.deepEqual(await server.outcome(), { status: 200, kind: 'event-stream', ended: 'completed', items: 3 });
  });

  it('reports a stream its signal stopped as aborted, ends the answer cleanly and logs it at debug', async (t) => {
    const server = await writerServer(t, (response, _signal, options) => {
      const controller = new AbortController();
      const items = (function* () {
        yield 'one';
        yield 'two';
        controller.abort();
        yield 'never';
      })();
      return writeEventStream(response, items, { signal: controller.signal }, options);
    });
    const text = await (await fetch(server.url)).text();
    assert.equal(text, 'data: "one"\n\ndata: "two"\n\n');
    assert.deepEqual(await server.outcome(), { status: 200, kind: 'event-stream', ended: 'aborted', items: 2 });
    assert.ok(server.logs.some((record) => record.level === 'debug' && /request aborted.*event stream stopped/.test(record.message)));
  });

  it('reports a failure after the first event as failed, ends with one error event and logs an error', async (t) => {
    const server = await writerServer(t, (response, signal, options) => {
      const items = (async function* () {
        yield 'one';
        throw new RangeError('producer broke');
      })();
      return writeEventStream(response, items, { signal }, options);
    });
    const events = jsonData(parseSse(await (await fetch(server.url)).text()));
    assert.deepEqual(events, ['one', { error: 'producer broke', error_type: 'RangeError', message: 'producer broke' }]);
    assert.deepEqual(await server.outcome(), { status: 200, kind: 'event-stream', ended: 'failed', items: 1 });
    const record = server.logs.find((entry) => entry.level === 'error');
    assert.match(String(record?.message), /event stream failed after the response started/);
    assert.equal(record?.errorMessage, 'producer broke');
  });
});

describe('writeFetchResponse', () => {
  it('passes the status, status text, headers and body chunks through, and reports the chunks written', async (t) => {
    const server = await writerServer(t, (response, signal, options) => {
      const chunks = ['alpha;', 'beta;', 'gamma;'];
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          const chunk = chunks.shift();
          if (chunk === undefined) controller.close();
          else controller.enqueue(new TextEncoder().encode(chunk));
        },
      });
      const fetched = new Response(body, { status: 207, statusText: 'Several', headers: { 'content-type': 'text/csv', 'x-kept': 'yes' } });
      return writeFetchResponse(response, fetched, { signal }, options);
    });
    const response = await fetch(server.url);
    assert.equal(response.status, 207);
    assert.equal(response.statusText, 'Several');
    assert.equal(response.headers.get('content-type'), 'text/csv');
    assert.equal(response.headers.get('x-kept'), 'yes');
    assert.equal(await response.text(), 'alpha;beta;gamma;');
    assert.deepEqual(await server.outcome(), { status: 207, kind: 'response', ended: 'completed', items: 3 });
  });

  it('gives a Response without a status text Node\'s standard reason phrase', async (t) => {
    const server = await writerServer(t, (response, signal, options) =>
      writeFetchResponse(response, new Response('short and stout', { status: 418 }), { signal }, options),
    );
    const text = await rawExchange(server.port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.match(text, /^HTTP\/1\.1 418 I'm a Teapot\r\n/);
  });

  it('answers a Response without a body with its head alone, and reports no stream', async (t) => {
    const server = await writerServer(t, (response, signal, options) =>
      writeFetchResponse(response, new Response(null, { status: 204, headers: { 'x-empty': 'yes' } }), { signal }, options),
    );
    const response = await fetch(server.url);
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('x-empty'), 'yes');
    assert.equal(await response.text(), '');
    assert.deepEqual(await server.outcome(), { status: 204, kind: 'response' });
  });

  it('keeps Content-Encoding and Content-Length on a Response built by hand, whose body is still encoded', async (t) => {
    const plain = 'compressed by the handler itself '.repeat(20);
    const gzipped = gzipSync(plain);
    const server = await writerServer(t, (response, signal, options) =>
      writeFetchResponse(
        response,
        new Response(gzipped, { headers: { 'content-encoding': 'gzip', 'content-length': String(gzipped.length) } }),
        { signal },
        options,
      ),
    );
    // node:http's client, unlike fetch(), hands over the body exactly as sent.
    const { headers, body } = await getUndecoded(server.url);
    assert.equal(headers['content-encoding'], 'gzip');
    assert.equal(headers['content-length'], String(gzipped.length));
    assert.equal(gunzipSync(body).toString(), plain);
  });

  it('logs an error status at warn', async (t) => {
    const server = await writerServer(t, (response, signal, options) =>
      writeFetchResponse(response, Response.json({ error: 'upstream down' }, { status: 502 }), { signal }, options),
    );
    assert.equal((await fetch(server.url)).status, 502);
    const warning = server.logs.find((record) => record.level === 'warn');
    assert.equal(warning?.status, 502);
    assert.match(String(warning?.message), /error response/);
  });
});
