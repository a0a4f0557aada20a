import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonRpcError } from '../../lib/json-rpc/errors.js';
import { errorResponse, notificationMessage, requestMessage, resultResponse, toJsonRpcError } from '../../lib/json-rpc/wire.js';

describe('the wire text of JSON-RPC messages', () => {
  it('echoes the id with its type in a success response', () => {
    assert.deepEqual(JSON.parse(resultResponse(1, { ok: true })), { jsonrpc: '2.0', id: 1, result: { ok: true } });
    assert.deepEqual(JSON.parse(resultResponse('1', {})), { jsonrpc: '2.0', id: '1', result: {} });
    assert.deepEqual(JSON.parse(resultResponse('', null)), { jsonrpc: '2.0', id: '', result: null });
  });

  it('answers an internal error to the same id when a result cannot be written', () => {
    let deep: unknown = 'bottom';
    for (let level = 0; level < 5000; level++) deep = [deep];
    const answer = JSON.parse(resultResponse(9, deep)) as { id: number; error: { code: number; message: string } };
    assert.equal(answer.id, 9);
    assert.equal(answer.error.code, -32603);
    assert.equal(answer.error.message, 'Internal error');
  });

  it('writes results JSON cannot carry as the library always does (BigInt as a string)', () => {
    assert.deepEqual(JSON.parse(resultResponse(1, { big: 10n })), { jsonrpc: '2.0', id: 1, result: { big: '10' } });
  });

  it('writes error responses with data only when there is some', () => {
    assert.equal(errorResponse(3, JsonRpcError.methodNotFound('x')), '{"jsonrpc":"2.0","id":3,"error":{"code":-32601,"message":"Method not found: x"}}');
    assert.deepEqual(JSON.parse(errorResponse(null, JsonRpcError.parseError({ position: 4 }))), {
      jsonrpc: '2.0',
      id: null,
      error: { code: -32700, message: 'Parse error', data: { position: 4 } },
    });
  });

  it('drops error data that cannot be written rather than the answer', () => {
    let deep: unknown = 0;
    for (let level = 0; level < 5000; level++) deep = { deep };
    assert.deepEqual(JSON.parse(errorResponse('a', new JsonRpcError(-32000, 'x', deep))), { jsonrpc: '2.0', id: 'a', error: { code: -32000, message: 'x' } });
  });

  it('writes notifications and server requests', () => {
    assert.deepEqual(JSON.parse(notificationMessage('notifications/tools/list_changed')), { jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
    assert.deepEqual(JSON.parse(notificationMessage('notifications/progress', { progress: 1 })), {
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: { progress: 1 },
    });
    assert.deepEqual(JSON.parse(requestMessage(5, 'ping')), { jsonrpc: '2.0', id: 5, method: 'ping' });
    assert.deepEqual(JSON.parse(requestMessage('s-1', 'sampling/createMessage', { maxTokens: 1 })), {
      jsonrpc: '2.0',
      id: 's-1',
      method: 'sampling/createMessage',
      params: { maxTokens: 1 },
    });
  });

  it('turns a thrown value into its protocol error, hiding what is not one', () => {
    const error = JsonRpcError.invalidParams('name');
    assert.equal(toJsonRpcError(error), error);
    const hidden = toJsonRpcError(new Error('database password is hunter2'));
    assert.equal(hidden.code, -32603);
    assert.doesNotMatch(hidden.message, /hunter2/);
    assert.equal(toJsonRpcError('thrown string').code, -32603);
  });
});
