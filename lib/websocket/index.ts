/**
 * The WebSocket protocol on its own (`agentcore-lite/websocket`): for mounting `/ws` on a server
 * of your own, `instanceof` checks on its errors, and the `readyState` constants. The app loads
 * this module only when the first upgrade arrives, so agents without WebSockets never pay for it.
 */
export {
  DEFAULT_CLOSE_TIMEOUT_MS,
  DEFAULT_IDLE_PING_MS,
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_MAX_FRAME_BYTES,
  DEFAULT_MAX_FRAMES_PER_SECOND,
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_SLOW_PEER_TIMEOUT_MS,
} from './constants.js';
export {
  WebSocketHandshakeError,
  WebSocketNotOpenError,
  WebSocketProtocolError,
  type WebSocketHandshakeErrorCode,
  type WebSocketProtocolErrorCode,
} from './errors.js';
export { computeAcceptKey, rejectHandshake, type SelectProtocol } from './handshake.js';
export { acceptWebSocket, type WebSocketOptions } from './server.js';
export { AgentCoreWebSocket, type AgentCoreWebSocketEventMap, type WebSocketData } from './socket.js';
