import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WebSocketHandshakeError, WebSocketNotOpenError, WebSocketProtocolError } from '../../lib/websocket/errors.js';

describe('WebSocketProtocolError', () => {
  it('is an Error carrying the close code the peer is failed with and a stable code', () => {
    const error = new WebSocketProtocolError('Invalid opcode 3', 1002, 'WS_ERR_INVALID_OPCODE');
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'WebSocketProtocolError');
    assert.equal(error.message, 'Invalid opcode 3');
    assert.equal(error.closeCode, 1002);
    assert.equal(error.code, 'WS_ERR_INVALID_OPCODE');
    assert.match(String(error.stack), /^WebSocketProtocolError: Invalid opcode 3/);
  });
});

describe('WebSocketHandshakeError', () => {
  it('carries the HTTP status, a stable code and the extra headers of the refusal', () => {
    const error = new WebSocketHandshakeError('Unsupported version', 426, 'WS_ERR_UNSUPPORTED_VERSION', { 'Sec-WebSocket-Version': '13' });
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'WebSocketHandshakeError');
    assert.equal(error.status, 426);
    assert.equal(error.code, 'WS_ERR_UNSUPPORTED_VERSION');
    assert.deepEqual(error.headers, { 'Sec-WebSocket-Version': '13' });
  });

  it('has no extra headers unless given some', () => {
    assert.deepEqual(new WebSocketHandshakeError('Not found', 404, 'WS_ERR_NOT_FOUND').headers, {});
  });
});

describe('WebSocketNotOpenError', () => {
  it('has the code WS_ERR_NOT_OPEN and a default message', () => {
    const error = new WebSocketNotOpenError();
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'WebSocketNotOpenError');
    assert.equal(error.code, 'WS_ERR_NOT_OPEN');
    assert.equal(error.message, 'WebSocket is not open');
    assert.equal(new WebSocketNotOpenError('closed before the send').message, 'closed before the send');
  });
});
