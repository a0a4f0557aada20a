import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpError } from '../../lib/index.js';
import { DEGRADED_RESULT_WARNING_INTERVAL_MS, DegradedResultWarnings } from '../../lib/invocation/result.js';
import { Logger, type LogRecord } from '../../lib/logger.js';
import { invoke, startApp, useApp, type TestServer } from '../support/server.js';
import { jsonData, parseSse } from '../support/sse-reader.js';

type Kind = { kind: string };

/** Results by name, so one server serves the whole suite. */
const results: Record<string, () => unknown> = {
  'async-generator': () =>
    (async function* () {
      yield 'text';
      await sleep(1);
      yield { step: 2 };
      yield [3];
    })(),
  'sync-generator': () =>
    (function* () {
      yield 1;
      yield 'two';
      yield null;
    })(),
  'custom-async-iterable': () => {
    let n = 0;
    return { [Symbol.asyncIterator]: () => ({ next: async () => (n < 2 ? { done: false, value: { n: n++ } } : { done: true, value: undefined }) }) };
  },
  'readable-objects': () => Readable.from([{ a: 1 }, 'b']),
  'readable-bytes': () => {
    const bytes = Buffer.from('héllo, wörld');
    const readable = new Readable({ read() {} });
    let offset = 0;
    const timer = setInterval(() => {
      // Two-byte chunks split both two-byte characters across chunks.
      readable.push(bytes.subarray(offset, (offset += 2)));
      if (offset >= bytes.length) {
        clearInterval(timer);
        readable.push(null);
      }
    }, 1);
    return readable;
  },
  'web-stream': () =>
    new ReadableStream({
      start(controller) {
        controller.enqueue({ web: true });
        controller.enqueue('w');
        controller.close();
      },
    }),
  'web-byte-stream': () => new Response('streamed text').body,
  empty: () => (async function* () {})(),
  'throws-first': () =>
    (async function* () {
      throw new TypeError('broke before the first item');
    })(),
  'http-error-first': () =>
    (async function* () {
      throw new HttpError(409, 'conflict', { code: 'CONFLICT' });
    })(),
  buffer: () => Buffer.from([0, 1, 2, 255]),
  'uint8array': () => new Uint8Array([7, 8]),
  arraybuffer: () => Uint8Array.of(9).buffer,
  array: () => [1, 2, 3],
  set: () => new Set(['s']),
  undefined: () => undefined,
  exotic: () => {
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    return { big: 10n, map: new Map([['a', 1]]), set: new Set([1, 2]), date: new Date(0), circular };
  },
};

describe('handler results on the wire', () => {
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

  describe('streams become 200 text/event-stream, one data event per item', () => {
    for (const [kind, expected] of [
      ['async-generator', ['text', { step: 2 }, [3]]],
      ['sync-generator', [1, 'two', null]],
      ['custom-async-iterable', [{ n: 0 }, { n: 1 }]],
      ['readable-objects', [{ a: 1 }, 'b']],
      ['web-stream', [{ web: true }, 'w']],
      ['empty', []],
    ] as const) {
      it(`streams a ${kind}`, async () => {
        const { response, text } = await stream(kind);
        assert.equal(response.status, 200);
        assert.equal(response.headers.get('content-type'), 'text/event-stream');
        assert.equal(response.headers.get('cache-control'), 'no-cache');
        assert.equal(response.headers.get('connection'), 'keep-alive');
        assert.equal(response.headers.get('x-accel-buffering'), 'no');
        assert.equal(response.headers.get('content-length'), null);
        const reader = parseSse(text);
        assert.deepEqual(jsonData(reader), expected);
        assert.ok(reader.events.every((event) => event.type === 'message'));
        assert.ok(text.split('\n\n').slice(0, -1).every((block) => block.startsWith('data: ')), 'the Python SDK format: "data: <json>"');
      });
    }

    it('decodes a byte-mode Readable as UTF-8 text events, never splitting a character', async () => {
      const { response, text } = await stream('readable-bytes');
      assert.equal(response.headers.get('content-type'), 'text/event-stream');
      const chunks = jsonData(parseSse(text)) as string[];
      assert.ok(chunks.every((chunk) => typeof chunk === 'string' && !chunk.includes('\uFFFD')));
      assert.equal(chunks.join(''), 'héllo, wörld');
    });

    it('decodes a WHATWG byte stream the same way', async () => {
      assert.deepEqual(jsonData(parseSse((await stream('web-byte-stream')).text)).join(''), 'streamed text');
    });

    it('streams even when the client asks for JSON', async () => {
      const { response, text } = await stream('async-generator', { accept: 'application/json' });
      assert.equal(response.headers.get('content-type'), 'text/event-stream');
      assert.equal(parseSse(text).events.length, 3);
    });

    it('logs the completion with the event count', async () => {
      await stream('sync-generator', { 'X-Amzn-Bedrock-AgentCore-Runtime-Request-Id': 'req-sse-done' });
      const done = server.logs.find((record) => record.requestId === 'req-sse-done' && record.message === 'invocation completed');
      assert.equal(done?.kind, 'event-stream');
      assert.equal(done?.ended, 'completed');
      assert.equal(done?.items, 3);
    });
  });

  describe('stream failures', () => {
    it('answers the normal 500 JSON when a stream fails before its first item', async () => {
      const response = await invoke(server, { kind: 'throws-first' }, {
        'content-type': 'application/json',
        'X-Amzn-Bedrock-AgentCore-Runtime-Request-Id': 'req-first',
      });
      assert.equal(response.status, 500);
      assert.match(response.headers.get('content-type')!, /application\/json/);
      assert.deepEqual(response.json(), { error: 'broke before the first item', code: 'HANDLER_ERROR', error_type: 'TypeError' });
      assert.ok(server.logs.some((record) => record.level === 'error' && record.requestId === 'req-first'));
    });

    it('answers an HttpError\'s status when the first pull throws one', async () => {
      const response = await invoke(server, { kind: 'http-error-first' });
      assert.equal(response.status, 409);
      assert.deepEqual(response.json(), { error: 'conflict', code: 'CONFLICT' });
    });
  });

  describe('bytes', () => {
    for (const [kind, bytes] of [
      ['buffer', [0, 1, 2, 255]],
      ['uint8array', [7, 8]],
      ['arraybuffer', [9]],
    ] as const) {
      it(`answers a ${kind} as 200 application/octet-stream`, async () => {
        const response = await fetch(`${server.url}/invocations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind }) });
        assert.equal(response.status, 200);
        assert.equal(response.headers.get('content-type'), 'application/octet-stream');
        assert.equal(response.headers.get('content-length'), String(bytes.length));
        assert.deepEqual([...new Uint8Array(await response.arrayBuffer())], bytes);
      });
    }

    it('keeps arrays and Sets as JSON', async () => {
      assert.deepEqual((await invoke(server, { kind: 'array' })).json(), [1, 2, 3]);
      assert.deepEqual((await invoke(server, { kind: 'set' })).json(), ['s']);
    });
  });

  describe('plain values become 200 application/json', () => {
    it('serializes undefined as null', async () => {
      const response = await invoke(server, { kind: 'undefined' });
      assert.equal(response.status, 200);
      assert.equal(response.text, 'null');
      assert.match(response.headers.get('content-type')!, /application\/json/);
    });

    it('serializes BigInt, Map, Set, Date and circular references without failing', async () => {
      const response = await invoke(server, { kind: 'exotic' });
      assert.equal(response.status, 200);
      assert.deepEqual(response.json(), {
        big: '10',
        map: { a: 1 },
        set: [1, 2],
        date: '1970-01-01T00:00:00.000Z',
        circular: { name: 'loop', self: '[Circular]' },
      });
    });
  });
});

describe('a result JSON cannot carry faithfully', () => {
  const DEGRADED = 'the result held values JSON cannot carry; they were replaced in the answer';

  it('is answered 200 with replacements, and logs one warning naming what was replaced, with the request id', async (t) => {
    const server = await useApp(t, {}, (app) => app.entrypoint(() => ({ usage: { tokens: 42n }, callback: () => 'lost' })));
    const response = await invoke(server, {}, { 'x-amzn-bedrock-agentcore-runtime-request-id': 'req-big' });
    assert.equal(response.status, 200);
    assert.deepEqual(response.json(), { usage: { tokens: '42' } });
    const warnings = server.logs.filter((record) => record.message === DEGRADED);
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]!.level, 'warn');
    assert.deepEqual(warnings[0]!.replaced, { BigInt: 'tokens', function: 'callback' });
    assert.equal(warnings[0]!.requestId, 'req-big');
  });

  it('warns once however often a hot path returns it, and again for a new kind', async (t) => {
    let kind = 'big';
    const server = await useApp(t, {}, (app) => app.entrypoint(() => (kind === 'big' ? { n: 1n } : { ratio: Number.NaN })));
    for (let i = 0; i < 50; i++) assert.equal((await invoke(server, {})).status, 200);
    assert.equal(server.logs.filter((record) => record.message === DEGRADED).length, 1);
    kind = 'nan';
    await invoke(server, {});
    await invoke(server, {});
    const warnings = server.logs.filter((record) => record.message === DEGRADED);
    assert.deepEqual(warnings.map((record) => record.replaced), [{ BigInt: 'n' }, { 'NaN or Infinity': 'ratio' }]);
    assert.equal(warnings[1]!.suppressed, 49, 'the results left unreported are counted');
  });

  it('logs nothing for plain data, Maps, Sets and Dates', async (t) => {
    const server = await useApp(t, {}, (app) => app.entrypoint(() => ({ map: new Map([['a', 1]]), set: new Set([1]), date: new Date(0), text: 'ok' })));
    assert.equal((await invoke(server, {})).status, 200);
    assert.equal(server.logs.some((record) => record.level === 'warn'), false);
  });

  it(`warns about a kind again after ${DEGRADED_RESULT_WARNING_INTERVAL_MS / 1000} s`, () => {
    const records: LogRecord[] = [];
    let now = 1000;
    const warnings = new DegradedResultWarnings(new Logger({ sink: (_line, record) => records.push(record) }), () => now);
    const big = new Map([['BigInt', 'n']] as const);
    warnings.replaced(big);
    now += DEGRADED_RESULT_WARNING_INTERVAL_MS - 1;
    warnings.replaced(big);
    warnings.replaced(big);
    assert.equal(records.length, 1);
    now += 1;
    warnings.replaced(big);
    assert.equal(records.length, 2);
    assert.equal(records[1]!.suppressed, 2);
    assert.equal(records[0]!.suppressed, undefined);
  });
});
