import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { HttpError } from '../../lib/index.js';
import { invoke, startApp, useApp, type TestServer } from '../support/server.js';

describe('POST /invocations', () => {
  let server: TestServer;
  before(async () => {
    server = await startApp({ maxBodyBytes: 1024 }, (app) =>
      app.entrypoint((payload, context) => ({ payload, type: payload instanceof Uint8Array ? 'bytes' : typeof payload, sessionId: context.sessionId ?? null })),
    );
  });
  after(() => server.close());

  it('passes any JSON value to the handler', async () => {
    for (const value of [{ a: 1 }, [1, 2], 'text', 42, true, null]) {
      const response = await invoke(server, JSON.stringify(value));
      assert.equal(response.status, 200);
      assert.deepEqual((response.json() as { payload: unknown }).payload, value);
    }
  });

  it('parses JSON media types, no content type and curl\'s form default as JSON', async () => {
    for (const contentType of ['application/json; charset=utf-8', 'application/vnd.api+json', 'application/x-www-form-urlencoded', undefined]) {
      const headers: Record<string, string> = contentType === undefined ? {} : { 'content-type': contentType };
      const response = await fetch(`${server.url}/invocations`, { method: 'POST', headers, body: new TextEncoder().encode('{"a":1}') });
      assert.equal(response.status, 200, String(contentType));
      assert.deepEqual(((await response.json()) as { payload: unknown }).payload, { a: 1 });
    }
  });

  it('hands text/* to the handler as a string and other types as bytes', async () => {
    const text = await invoke(server, 'héllo', { 'content-type': 'text/plain; charset=utf-8' });
    assert.deepEqual(text.json(), { payload: 'héllo', type: 'string', sessionId: null });
    const bytes = await invoke(server, new Uint8Array([0, 1, 255]), { 'content-type': 'application/octet-stream' });
    assert.equal((bytes.json() as { type: string }).type, 'bytes');
  });

  it('answers 400 Invalid JSON with the position, line and column', async () => {
    const response = await invoke(server, '{\n  "a": 1,\n  oops\n}');
    assert.equal(response.status, 400);
    const body = response.json() as Record<string, unknown>;
    assert.equal(body.error, 'Invalid JSON');
    assert.equal(body.code, 'INVALID_JSON');
    assert.equal(body.position, 14);
    assert.equal(body.line, 3);
    assert.equal(body.column, 3);
    assert.equal(typeof body.message, 'string');
  });

  it('answers 400 for an empty body and for invalid UTF-8', async () => {
    const empty = await invoke(server, '');
    assert.equal(empty.status, 400);
    assert.equal((empty.json() as { code: string }).code, 'EMPTY_BODY');
    const invalid = await invoke(server, new Uint8Array([0x22, 0xff, 0xfe, 0x22]));
    assert.equal(invalid.status, 400);
    assert.equal((invalid.json() as { code: string }).code, 'INVALID_UTF8');
  });

  it('answers 413 for a body over the limit, by Content-Length and while streaming', async () => {
    const declared = await invoke(server, JSON.stringify({ big: 'x'.repeat(2000) }));
    assert.equal(declared.status, 413);
    assert.deepEqual(declared.json(), { error: 'Request body exceeds the limit of 1024 bytes', code: 'BODY_TOO_LARGE', limit: 1024 });
    const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${server.url}/invocations`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      req.write('"' + 'y'.repeat(800));
      req.end('y'.repeat(800) + '"');
    });
    assert.equal(streamed.status, 413);
    assert.equal((JSON.parse(streamed.body) as { code: string }).code, 'BODY_TOO_LARGE');
  });

  it('does not let __proto__ keys pollute anything', async () => {
    const response = await invoke(server, '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}');
    assert.equal(response.status, 200);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual((response.json() as { payload: unknown }).payload, { ['__proto__']: { polluted: true }, constructor: { prototype: { polluted: true } } });
  });

  it('accepts a request without a session id', async () => {
    const response = await invoke(server, {});
    assert.equal((response.json() as { sessionId: unknown }).sessionId, null);
  });
});

describe('handler results and errors', () => {
  let server: TestServer;
  before(async () => {
    server = await startApp({}, (app) =>
      app.entrypoint(async (payload: { kind: string }) => {
        switch (payload.kind) {
          case 'undefined':
            return undefined;
          case 'exotic': {
            const circular: Record<string, unknown> = { name: 'loop' };
            circular.self = circular;
            return { big: 10n, map: new Map([['a', 1]]), set: new Set([1, 2]), date: new Date(0), circular };
          }
          case 'throw':
            throw new TypeError('handler exploded');
          case 'throw-string':
            throw 'just a string';
          case 'http-error':
            throw new HttpError(422, 'Unprocessable input', { code: 'BAD_INPUT', details: { field: 'x' } });
          default:
            return { ok: true };
        }
      }),
    );
  });
  after(() => server.close());

  it('answers 500 with the message and logs the error with the request id', async () => {
    const response = await invoke(server, { kind: 'throw' }, {
      'content-type': 'application/json',
      'X-Amzn-Bedrock-AgentCore-Runtime-Request-Id': 'req-500',
    });
    assert.equal(response.status, 500);
    assert.deepEqual(response.json(), { error: 'handler exploded', code: 'HANDLER_ERROR', error_type: 'TypeError' });
    const record = server.logs.find((entry) => entry.level === 'error' && entry.requestId === 'req-500');
    assert.ok(record, 'an error log line carries the request id');
    assert.equal(record.errorMessage, 'handler exploded');
    assert.equal(record.errorType, 'TypeError');
  });

  it('answers 500 for a thrown non-Error too', async () => {
    const response = await invoke(server, { kind: 'throw-string' });
    assert.equal(response.status, 500);
    assert.equal((response.json() as { error: string }).error, 'just a string');
  });

  it('lets a handler choose a 4xx with HttpError', async () => {
    const response = await invoke(server, { kind: 'http-error' });
    assert.equal(response.status, 422);
    assert.deepEqual(response.json(), { error: 'Unprocessable input', code: 'BAD_INPUT', field: 'x' });
  });

  it('keeps serving after all of the above', async () => {
    assert.deepEqual((await invoke(server, {})).json(), { ok: true });
  });

  it('answers 500 with a clear message when no entrypoint is registered', async (t) => {
    const bare = await useApp(t);
    const response = await invoke(bare, {});
    assert.equal(response.status, 500);
    assert.equal((response.json() as { code: string }).code, 'NO_ENTRYPOINT');
  });
});

describe('answers to values a handler throws that are not Errors', () => {
  it('says what was thrown: the string itself, an object as JSON, and its kind', async (t) => {
    const thrown: unknown[] = ['boom', { code: 42 }, 7, null];
    let next = 0;
    const server = await startApp({}, (app) =>
      app.entrypoint(() => {
        throw thrown[next++];
      }),
    );
    t.after(() => server.close());
    const answers = [];
    for (let i = 0; i < thrown.length; i++) answers.push((await invoke(server, {})).json());
    assert.deepEqual(answers, [
      { error: 'boom', code: 'HANDLER_ERROR', error_type: 'thrown string' },
      { error: '{"code":42}', code: 'HANDLER_ERROR', error_type: 'thrown object' },
      { error: '7', code: 'HANDLER_ERROR', error_type: 'thrown number' },
      { error: 'null', code: 'HANDLER_ERROR', error_type: 'thrown null' },
    ]);
    const logged = server.logs.filter((record) => record.message === 'invocation handler failed');
    assert.deepEqual(logged.map((record) => [record.errorType, record.errorMessage]), [
      ['thrown string', 'boom'],
      ['thrown object', '{"code":42}'],
      ['thrown number', '7'],
      ['thrown null', 'null'],
    ]);
  });
});
