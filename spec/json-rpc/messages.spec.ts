import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonRpcError, JsonRpcErrorCode } from '../../lib/json-rpc/errors.js';
import { isId, parseMessage } from '../../lib/json-rpc/messages.js';

describe('parseMessage', () => {
  it('tells requests, notifications and responses apart', () => {
    assert.equal(parseMessage({ jsonrpc: '2.0', id: 1, method: 'ping' }).kind, 'request');
    assert.equal(parseMessage({ jsonrpc: '2.0', id: 'a', method: 'tools/call', params: { name: 'x' } }).kind, 'request');
    assert.equal(parseMessage({ jsonrpc: '2.0', method: 'notifications/initialized' }).kind, 'notification');
    assert.equal(parseMessage({ jsonrpc: '2.0', id: 7, result: {} }).kind, 'response');
    assert.equal(parseMessage({ jsonrpc: '2.0', id: 7, error: { code: -1, message: 'no' } }).kind, 'response');
    assert.equal(parseMessage({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }).kind, 'response');
  });

  it('keeps the message as it came, ids with their type', () => {
    const parsed = parseMessage({ jsonrpc: '2.0', id: '42', method: 'm', params: [1] });
    assert.equal(parsed.kind, 'request');
    if (parsed.kind === 'request') {
      assert.equal(parsed.message.id, '42');
      assert.deepEqual(parsed.message.params, [1]);
    }
  });

  it('answers -32600 for what is not a message, with the id when it was usable', () => {
    const cases: [unknown, string | number | null, RegExp][] = [
      [42, null, /must be a JSON object/],
      [null, null, /must be a JSON object/],
      [[{ jsonrpc: '2.0', id: 1, method: 'a' }], null, /batches/],
      [{ id: 1, method: 'a' }, 1, /jsonrpc must be "2.0"/],
      [{ jsonrpc: '1.0', id: 'x', method: 'a' }, 'x', /jsonrpc/],
      [{ jsonrpc: '2.0', id: 2, method: 7 }, 2, /method must be a string/],
      [{ jsonrpc: '2.0', id: 3, method: 'a', params: 'text' }, 3, /params must be an object or an array/],
      [{ jsonrpc: '2.0', id: 4, method: 'a', params: null }, 4, /params must be an object or an array/],
      [{ jsonrpc: '2.0', id: null, method: 'a' }, null, /id must be a string or a number/],
      [{ jsonrpc: '2.0', id: { a: 1 }, method: 'a' }, null, /id must be/],
      [{ jsonrpc: '2.0', id: Number.NaN, method: 'a' }, null, /id must be/],
      [{ jsonrpc: '2.0', id: 5 }, 5, /needs a method, or exactly one of result and error/],
      [{ jsonrpc: '2.0', id: 5, result: 1, error: { code: 1, message: 'x' } }, 5, /exactly one/],
      [{ jsonrpc: '2.0', id: 6, error: { code: 1.5, message: 'x' } }, 6, /integer code/],
      [{ jsonrpc: '2.0', id: 6, error: 'bad' }, 6, /integer code/],
      [{ jsonrpc: '2.0', id: [1], result: 1 }, null, /id must be/],
      [{ jsonrpc: '2.0', id: null, result: 1 }, null, /id must be/],
    ];
    for (const [value, id, message] of cases) {
      const parsed = parseMessage(value);
      assert.equal(parsed.kind, 'invalid', JSON.stringify(value));
      if (parsed.kind !== 'invalid') continue;
      assert.equal(parsed.id, id, JSON.stringify(value));
      assert.equal(parsed.error.code, JsonRpcErrorCode.InvalidRequest);
      assert.match(parsed.error.message, message, JSON.stringify(value));
    }
  });

  it('reads a method whose name is an own property only', () => {
    const inherited = Object.create({ method: 'ping' }) as Record<string, unknown>;
    inherited.jsonrpc = '2.0';
    inherited.id = 1;
    assert.equal(parseMessage(inherited).kind, 'invalid');
  });
});

describe('isId', () => {
  it('accepts strings and finite numbers only', () => {
    for (const id of ['', 'a', 0, -1, 1.5]) assert.equal(isId(id), true, String(id));
    for (const id of [null, undefined, Number.POSITIVE_INFINITY, {}, [], true]) assert.equal(isId(id), false, String(id));
  });
});

describe('JsonRpcError', () => {
  it('carries a code, a message and data, with the reserved codes at hand', () => {
    assert.deepEqual(
      [JsonRpcError.parseError(), JsonRpcError.invalidRequest('x'), JsonRpcError.methodNotFound('m'), JsonRpcError.invalidParams('p', { at: 'name' }), JsonRpcError.internalError()].map(
        (error) => [error.code, error.message, error.data],
      ),
      [
        [-32700, 'Parse error', undefined],
        [-32600, 'Invalid Request: x', undefined],
        [-32601, 'Method not found: m', undefined],
        [-32602, 'Invalid params: p', { at: 'name' }],
        [-32603, 'Internal error', undefined],
      ],
    );
    const error = new JsonRpcError(-32001, 'Task not found', { taskId: 't' }, { cause: new Error('inner') });
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'JsonRpcError');
    assert.equal((error.cause as Error).message, 'inner');
  });

  it('refuses a code that is not an integer', () => {
    assert.throws(() => new JsonRpcError(1.5, 'x'), TypeError);
    assert.throws(() => new JsonRpcError(Number.NaN, 'x'), /must be an integer/);
  });
});
