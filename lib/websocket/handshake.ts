/**
 * The opening handshake (RFC 6455 §4.2): validating an upgrade request, negotiating the
 * subprotocol, and writing the 101 answer or an HTTP error to the raw socket.
 * @module
 */

import { createHash } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  BEARER_PROTOCOL,
  BEARER_PROTOCOL_PREFIX,
  HANDSHAKE_FAILURE_LINGER_MS,
  WEBSOCKET_GUID,
  WEBSOCKET_VERSION,
} from './constants.js';
import { WebSocketHandshakeError } from './errors.js';

/** A `Sec-WebSocket-Key` is the base64 encoding of exactly 16 bytes: 22 characters and `==`. */
const SEC_WEBSOCKET_KEY_PATTERN = /^[A-Za-z0-9+/]{22}==$/;

/** A base64url bearer token (padding tolerated). */
const BASE64URL_PATTERN = /^[A-Za-z0-9_-]+={0,2}$/;

/**
 * `Authorization: Bearer <token>` (RFC 6750 §2.1): the scheme is case-insensitive (RFC 9110
 * §11.1) and the token is `b64token` syntax, taken as sent.
 */
const AUTHORIZATION_BEARER_PATTERN = /^bearer +([A-Za-z0-9._~+/-]+=*)$/i;

/**
 * Chooses a subprotocol from those the client offered.
 * @param offered - The client's `Sec-WebSocket-Protocol` list, in order. The
 * `base64UrlBearerAuthorization.<token>` entry is removed so the token is never echoed.
 * @returns One of `offered`, or `undefined` to select none (or to defer to the built-in rule).
 */
export type SelectProtocol = (offered: readonly string[]) => string | undefined;

/** What a successful handshake negotiated. */
export interface HandshakeResult {
  /** The `Sec-WebSocket-Accept` value for the 101 response. */
  accept: string;
  /** The selected subprotocol, or `''` when none was selected. */
  protocol: string;
  /** The bearer token (see {@link bearerTokenOf}), if the client sent one. */
  bearerToken: string | undefined;
}

/**
 * Computes `Sec-WebSocket-Accept` for a `Sec-WebSocket-Key` (RFC 6455 §4.2.2).
 * @returns base64 of SHA-1 over the key followed by the protocol GUID.
 */
export function computeAcceptKey(key: string): string {
  return createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64');
}

/**
 * Validates an upgrade request and negotiates the subprotocol.
 * @param selectProtocol - Optional application choice; when it returns `undefined` the built-in
 * bearer rule applies.
 * @returns The accept key, protocol and bearer token.
 * @throws WebSocketHandshakeError describing the HTTP response to send: 405 for a method other
 * than GET, 400 for a malformed request, 426 for a version other than 13, 500 when
 * `selectProtocol` throws or returns a protocol the client did not offer.
 */
export function validateHandshake(req: IncomingMessage, selectProtocol?: SelectProtocol): HandshakeResult {
  if (req.method !== 'GET') {
    throw new WebSocketHandshakeError('WebSocket upgrades must use GET', 405, 'WS_ERR_METHOD_NOT_ALLOWED', { Allow: 'GET' });
  }
  if (req.httpVersionMajor !== 1 || req.httpVersionMinor < 1) {
    throw new WebSocketHandshakeError('WebSocket upgrades require HTTP/1.1', 400, 'WS_ERR_HTTP_VERSION');
  }
  if (!headerTokens(req.headers.upgrade).includes('websocket')) {
    throw new WebSocketHandshakeError('Upgrade header must be "websocket"', 400, 'WS_ERR_INVALID_UPGRADE');
  }
  if (!headerTokens(req.headers.connection).includes('upgrade')) {
    throw new WebSocketHandshakeError('Connection header must contain "upgrade"', 400, 'WS_ERR_INVALID_CONNECTION');
  }
  if (req.headers['sec-websocket-version'] !== WEBSOCKET_VERSION) {
    throw new WebSocketHandshakeError('Unsupported WebSocket version; use 13', 426, 'WS_ERR_UNSUPPORTED_VERSION', {
      'Sec-WebSocket-Version': WEBSOCKET_VERSION,
    });
  }
  const key = req.headers['sec-websocket-key'];
  if (key === undefined || !SEC_WEBSOCKET_KEY_PATTERN.test(key)) {
    throw new WebSocketHandshakeError('Sec-WebSocket-Key must be base64 of 16 bytes', 400, 'WS_ERR_INVALID_KEY');
  }
  const negotiated = negotiateProtocol(req.headers['sec-websocket-protocol'], selectProtocol);
  return {
    accept: computeAcceptKey(key),
    protocol: negotiated.protocol,
    bearerToken: bearerTokenOf(req.headers.authorization, negotiated.bearerToken),
  };
}

/**
 * The bearer token of an upgrade request. `Authorization: Bearer <token>` (what the AWS SDKs'
 * OAuth WebSocket connections send) wins over the browser form
 * `base64UrlBearerAuthorization.<base64url token>`: the header is the standard way (RFC 6750
 * §2.1), and browsers, which cannot set it, are the only reason for the subprotocol form. A
 * client must not send both (RFC 6750 §2); an `Authorization` header of another scheme (SigV4's
 * `AWS4-HMAC-SHA256 …`) carries no bearer token and leaves the subprotocol's in place.
 * @param authorization - The `Authorization` header value, if any.
 * @param fromProtocol - The token decoded from the subprotocol list, if any.
 * @returns The token, or `undefined` when neither form carries a well-formed one.
 */
export function bearerTokenOf(authorization: string | undefined, fromProtocol: string | undefined): string | undefined {
  const match = authorization === undefined ? null : AUTHORIZATION_BEARER_PATTERN.exec(authorization);
  return match?.[1] ?? fromProtocol;
}

/**
 * Picks the subprotocol from a `Sec-WebSocket-Protocol` header value.
 *
 * The application's `selectProtocol` decides first. Otherwise, when the client offers both
 * `base64UrlBearerAuthorization.<token>` and `base64UrlBearerAuthorization` (what browsers do
 * to authenticate to AgentCore), the bare `base64UrlBearerAuthorization` is selected. The
 * token is decoded whenever offered; it is never echoed back or logged.
 * @throws WebSocketHandshakeError 500 when `selectProtocol` throws or picks an unoffered value.
 */
export function negotiateProtocol(
  header: string | undefined,
  selectProtocol?: SelectProtocol,
): { protocol: string; bearerToken: string | undefined } {
  const offered: string[] = [];
  let bearerToken: string | undefined;
  for (const entry of (header ?? '').split(',')) {
    const token = entry.trim();
    if (token.startsWith(BEARER_PROTOCOL_PREFIX)) {
      bearerToken ??= decodeBearerToken(token.slice(BEARER_PROTOCOL_PREFIX.length));
    } else if (token !== '') {
      offered.push(token);
    }
  }

  let protocol: string | undefined;
  if (selectProtocol !== undefined) {
    try {
      protocol = selectProtocol(offered);
    } catch {
      throw new WebSocketHandshakeError('Subprotocol selection failed', 500, 'WS_ERR_PROTOCOL_SELECTION');
    }
    if (protocol !== undefined && !offered.includes(protocol)) {
      throw new WebSocketHandshakeError('Selected subprotocol was not offered', 500, 'WS_ERR_PROTOCOL_SELECTION');
    }
  }
  if (protocol === undefined && bearerToken !== undefined && offered.includes(BEARER_PROTOCOL)) {
    protocol = BEARER_PROTOCOL;
  }
  return { protocol: protocol ?? '', bearerToken };
}

/**
 * Builds the `101 Switching Protocols` response head.
 * @returns The complete response head, ending with the blank line.
 */
export function formatHandshakeResponse(result: HandshakeResult): string {
  const lines = [
    'HTTP/1.1 101 Switching Protocols',
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Accept: ${result.accept}`,
  ];
  if (result.protocol !== '') lines.push(`Sec-WebSocket-Protocol: ${result.protocol}`);
  return lines.join('\r\n') + '\r\n\r\n';
}

/**
 * Answers a rejected upgrade on the raw socket with a small JSON HTTP/1.1 response and
 * `Connection: close`, then ends the socket; it is destroyed if the client keeps it open.
 */
export function rejectHandshake(socket: Duplex, error: WebSocketHandshakeError): void {
  // The client may already be gone; a reset must not become an uncaught 'error'.
  socket.on('error', ignore);
  const body = JSON.stringify({ error: error.message, code: error.code });
  const headers: Record<string, string | number> = {
    ...error.headers,
    Connection: 'close',
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
  };
  let head = `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status]}\r\n`;
  for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
  socket.end(`${head}\r\n${body}`);
  // Give the client a moment to read the answer, but never leave the socket hanging.
  setTimeout(() => socket.destroy(), HANDSHAKE_FAILURE_LINGER_MS).unref();
}

/** Splits a comma-separated header into lower-case tokens. */
function headerTokens(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value.split(',').map((token) => token.trim().toLowerCase());
}

/** Decodes a base64url bearer token; `undefined` when it is empty or malformed. */
function decodeBearerToken(encoded: string): string | undefined {
  if (!BASE64URL_PATTERN.test(encoded)) return undefined;
  return Buffer.from(encoded, 'base64url').toString('utf8');
}

function ignore(): void {}
