import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as constants from '../../lib/websocket/constants.js';
import * as errors from '../../lib/websocket/errors.js';
import * as handshake from '../../lib/websocket/handshake.js';
import * as websocket from '../../lib/websocket/index.js';
import * as server from '../../lib/websocket/server.js';
import * as socket from '../../lib/websocket/socket.js';
import { useApp } from '../support/server.js';
import { RawClient } from './frames.js';

describe('the agentcore-lite/websocket entry (lib/websocket/index.ts)', () => {
  it('exports exactly the protocol surface: the default limits, the errors, the handshake helpers, acceptWebSocket and the socket', () => {
    assert.deepEqual(Object.keys(websocket).sort(), [
      'AgentCoreWebSocket',
      'DEFAULT_CLOSE_TIMEOUT_MS',
      'DEFAULT_IDLE_PING_MS',
      'DEFAULT_MAX_BUFFERED_BYTES',
      'DEFAULT_MAX_FRAMES_PER_SECOND',
      'DEFAULT_MAX_FRAME_BYTES',
      'DEFAULT_MAX_MESSAGE_BYTES',
      'DEFAULT_SLOW_PEER_TIMEOUT_MS',
      'WebSocketHandshakeError',
      'WebSocketNotOpenError',
      'WebSocketProtocolError',
      'acceptWebSocket',
      'computeAcceptKey',
      'rejectHandshake',
    ]);
  });

  it('re-exports the modules\' own objects', () => {
    assert.equal(websocket.AgentCoreWebSocket, socket.AgentCoreWebSocket);
    assert.equal(websocket.acceptWebSocket, server.acceptWebSocket);
    assert.equal(websocket.computeAcceptKey, handshake.computeAcceptKey);
    assert.equal(websocket.rejectHandshake, handshake.rejectHandshake);
    assert.equal(websocket.WebSocketProtocolError, errors.WebSocketProtocolError);
    assert.equal(websocket.DEFAULT_MAX_FRAME_BYTES, constants.DEFAULT_MAX_FRAME_BYTES);
  });

  it('is the same implementation the app loads for /ws: its sockets are instances of the exported class', async (t) => {
    let opened!: (isInstance: boolean) => void;
    const seen = new Promise<boolean>((resolve) => (opened = resolve));
    const app = await useApp(t, {}, (agent) => agent.websocket((ws) => opened(ws instanceof websocket.AgentCoreWebSocket)));
    const client = await RawClient.connect(app.port);
    t.after(() => client.socket.destroy());
    assert.equal(await seen, true);
  });
});
