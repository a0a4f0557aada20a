/**
 * Accepting a WebSocket upgrade: the one entry point the app mounts on `GET /ws`.
 * @module
 */

import type { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  DEFAULT_CLOSE_TIMEOUT_MS,
  DEFAULT_IDLE_PING_MS,
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_MAX_FRAME_BYTES,
  DEFAULT_MAX_FRAMES_PER_SECOND,
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_SLOW_PEER_TIMEOUT_MS,
} from './constants.js';
import { checkLimit } from '../limits.js';
import { WebSocketHandshakeError } from './errors.js';
import { formatHandshakeResponse, rejectHandshake, validateHandshake, type SelectProtocol } from './handshake.js';
import { AgentCoreWebSocket, type AgentCoreWebSocketOptions } from './socket.js';

/** Limits and hooks for accepted WebSocket connections. Every field is optional. */
export interface WebSocketOptions {
  /** Largest incoming message in bytes, over all fragments (default 16 MiB); larger closes with 1009. */
  maxMessageBytes?: number;
  /** Largest outgoing frame payload in bytes (default 60 KiB, under the platform's 64 KB). */
  maxFrameBytes?: number;
  /** Most outgoing frames per connection in any 1-second window (default 0: no pacing; platform limit 250). */
  maxFramesPerSecond?: number;
  /** Keepalive: ping after this many ms without incoming data, destroy after as many more (default 0: off). */
  idlePingMs?: number;
  /** How long to wait for the peer's side of the closing handshake before destroying, in ms (default 5000). */
  closeTimeoutMs?: number;
  /**
   * Send backlog in bytes above which the connection stops reading from the peer (default 16 MiB):
   * `bufferedAmount` plus 512 bytes for each queued message. Reading resumes once it is back under.
   */
  maxBufferedBytes?: number;
  /**
   * How long the peer may take none of our bytes while the backlog (or an unanswered ping) keeps
   * reading paused, before the connection is closed with 1008, in ms (default 30 000; 0: never).
   */
  slowPeerTimeoutMs?: number;
  /** Chooses a subprotocol from the offered list; the bearer rule applies when it returns undefined. */
  selectProtocol?: SelectProtocol;
  /** Log hook for rejected handshakes, protocol, handler and transport (e.g. ECONNRESET) errors. Never sees the bearer token. */
  onError?: (error: Error) => void;
}

/**
 * Completes a WebSocket upgrade. Call it from the HTTP server's `'upgrade'` event.
 *
 * An invalid request is answered on `socket` with an HTTP error (JSON body, `Connection: close`),
 * reported to `onError`, and `undefined` is returned. Otherwise the `101` response is written and
 * an open {@link AgentCoreWebSocket} is returned; attach listeners before the next tick.
 * @throws RangeError when an option is not a valid number (a programming error, not a request error).
 */
export function acceptWebSocket(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  options: WebSocketOptions = {},
): AgentCoreWebSocket | undefined {
  const resolved = resolveOptions(options);
  if (!socket.readable || !socket.writable) {
    socket.destroy();
    return undefined;
  }
  let result;
  try {
    result = validateHandshake(req, options.selectProtocol);
  } catch (error) {
    if (!(error instanceof WebSocketHandshakeError)) throw error;
    reportSafely(resolved, error);
    rejectHandshake(socket, error);
    return undefined;
  }
  if (socket instanceof Socket) {
    // Messages are latency-sensitive (streamed tokens); the HTTP server's idle timeout no longer applies.
    socket.setNoDelay(true);
    socket.setTimeout(0);
  }
  socket.write(formatHandshakeResponse(result));
  return new AgentCoreWebSocket(socket, resolved, {
    protocol: result.protocol,
    bearerToken: result.bearerToken,
    head,
  });
}

/** Fills in defaults and checks that every limit is usable. */
function resolveOptions(options: WebSocketOptions): AgentCoreWebSocketOptions {
  return {
    maxMessageBytes: checkLimit('maxMessageBytes', options.maxMessageBytes, DEFAULT_MAX_MESSAGE_BYTES),
    maxFrameBytes: checkLimit('maxFrameBytes', options.maxFrameBytes, DEFAULT_MAX_FRAME_BYTES),
    maxFramesPerSecond: checkLimit('maxFramesPerSecond', options.maxFramesPerSecond, DEFAULT_MAX_FRAMES_PER_SECOND, true),
    idlePingMs: checkLimit('idlePingMs', options.idlePingMs, DEFAULT_IDLE_PING_MS, true),
    closeTimeoutMs: checkLimit('closeTimeoutMs', options.closeTimeoutMs, DEFAULT_CLOSE_TIMEOUT_MS),
    maxBufferedBytes: checkLimit('maxBufferedBytes', options.maxBufferedBytes, DEFAULT_MAX_BUFFERED_BYTES),
    slowPeerTimeoutMs: checkLimit('slowPeerTimeoutMs', options.slowPeerTimeoutMs, DEFAULT_SLOW_PEER_TIMEOUT_MS, true),
    onError: options.onError,
  };
}

function reportSafely(options: AgentCoreWebSocketOptions, error: Error): void {
  try {
    options.onError?.(error);
  } catch {
    // A failing log hook must not leave the client without an answer.
  }
}
