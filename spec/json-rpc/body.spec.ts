import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import { BodyTooLargeError } from '../../lib/errors.js';
import { JsonRpcError } from '../../lib/json-rpc/errors.js';
import { decodeJson, readJsonBody, readJsonBodyAsync } from '../../lib/json-rpc/body.js';
import { useHttpServer } from '../support/server.js';

/** A server that answers what readJsonBody made of the body. */
function reporter(limit: number) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    readJsonBody(request, limit, (error, value) => {
      if (error instanceof JsonRpcError) response.end(JSON.stringify({ code: error.code, data: error.data }));
      else if (error instanceof BodyTooLargeError) response.end(JSON.stringify({ status: error.status }));
      else response.end(JSON.stringify({ value }));
    });
  };
}

describe('readJsonBody', () => {
  it('parses a UTF-8 JSON body whatever its content type', async (t) => {
    const { url } = await useHttpServer(t, reporter(1024));
    const answer = await fetch(url, { method: 'POST', body: '{"jsonrpc":"2.0","id":1,"method":"é"}', headers: { 'content-type': 'text/plain' } });
    assert.deepEqual(await answer.json(), { value: { jsonrpc: '2.0', id: 1, method: 'é' } });
  });

  it('answers -32700 with where the JSON breaks', async (t) => {
    const { url } = await useHttpServer(t, reporter(1024));
    const answer = (await (await fetch(url, { method: 'POST', body: '{"a":\n  tru}' })).json()) as { code: number; data: { line: number; column: number } };
    assert.equal(answer.code, -32700);
    assert.equal(answer.data.line, 2);
    assert.equal(typeof answer.data.column, 'number');
  });

  it('answers -32700 for an empty body and for invalid UTF-8', async (t) => {
    const { url } = await useHttpServer(t, reporter(1024));
    assert.deepEqual(await (await fetch(url, { method: 'POST' })).json(), { code: -32700, data: { message: 'The body is empty' } });
    const bytes = new Uint8Array([0x22, 0xff, 0x22]);
    assert.deepEqual(await (await fetch(url, { method: 'POST', body: bytes })).json(), { code: -32700, data: { message: 'The body is not valid UTF-8' } });
  });

  it('refuses a body over the limit', async (t) => {
    const { url } = await useHttpServer(t, reporter(8));
    assert.deepEqual(await (await fetch(url, { method: 'POST', body: '"0123456789"' })).json(), { status: 413 });
  });

  it('has a promise form', async (t) => {
    const { url } = await useHttpServer(t, (request, response) => {
      readJsonBodyAsync(request, 1024).then(
        (value) => response.end(JSON.stringify({ value })),
        (error: JsonRpcError) => response.end(JSON.stringify({ code: error.code })),
      );
    });
    assert.deepEqual(await (await fetch(url, { method: 'POST', body: '[1]' })).json(), { value: [1] });
    assert.deepEqual(await (await fetch(url, { method: 'POST', body: '[' })).json(), { code: -32700 });
  });
});

describe('decodeJson', () => {
  it('parses deeply nested bodies without blowing the stack', () => {
    const depth = 10_000;
    const value = decodeJson(Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`));
    assert.ok(Array.isArray(value));
  });

  it('never gives __proto__ a meaning', () => {
    const value = decodeJson(Buffer.from('{"__proto__":{"polluted":true}}')) as Record<string, unknown>;
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.ok(Object.hasOwn(value, '__proto__'));
  });
});
