/**
 * Error values raised by the WebSocket modules. Each carries a stable string `code` that
 * logs and tests can match on, plus what the peer is told: a close code or an HTTP status.
 * @module
 */

/** Stable codes for framing violations found by the receiver, and for peers that break a limit. */
export type WebSocketProtocolErrorCode =
  | 'WS_ERR_UNEXPECTED_RSV'
  | 'WS_ERR_INVALID_OPCODE'
  | 'WS_ERR_UNMASKED_FRAME'
  | 'WS_ERR_CONTROL_FRAME_TOO_BIG'
  | 'WS_ERR_FRAGMENTED_CONTROL_FRAME'
  | 'WS_ERR_UNEXPECTED_CONTINUATION'
  | 'WS_ERR_EXPECTED_CONTINUATION'
  | 'WS_ERR_UNSUPPORTED_PAYLOAD_LENGTH'
  | 'WS_ERR_MESSAGE_TOO_BIG'
  | 'WS_ERR_INVALID_UTF8'
  | 'WS_ERR_INVALID_CLOSE_PAYLOAD'
  | 'WS_ERR_INVALID_CLOSE_CODE'
  | 'WS_ERR_SLOW_PEER';

/**
 * A violation of RFC 6455 or of a limit by the peer (for example a message over
 * `maxMessageBytes`, or a peer that stopped reading). The connection is failed with `closeCode`.
 */
export class WebSocketProtocolError extends Error {
  /** Close status code sent to the peer (1002, 1007, 1008 or 1009). */
  readonly closeCode: number;
  /** Stable machine-readable code, e.g. `WS_ERR_INVALID_OPCODE`. */
  readonly code: WebSocketProtocolErrorCode;

  /**
   * @param message - Human-readable description (never contains payload data).
   * @param closeCode - Close status code to fail the connection with.
   * @param code - Stable error code.
   */
  constructor(message: string, closeCode: number, code: WebSocketProtocolErrorCode) {
    super(message);
    this.name = 'WebSocketProtocolError';
    this.closeCode = closeCode;
    this.code = code;
  }
}

/** Stable codes for rejected upgrade requests. */
export type WebSocketHandshakeErrorCode =
  | 'WS_ERR_METHOD_NOT_ALLOWED'
  | 'WS_ERR_HTTP_VERSION'
  | 'WS_ERR_INVALID_UPGRADE'
  | 'WS_ERR_INVALID_CONNECTION'
  | 'WS_ERR_UNSUPPORTED_VERSION'
  | 'WS_ERR_INVALID_KEY'
  | 'WS_ERR_PROTOCOL_SELECTION'
  | 'WS_ERR_NOT_FOUND'
  | 'WS_ERR_NO_HANDLER'
  | 'WS_ERR_SHUTTING_DOWN';

/**
 * An upgrade request that cannot be accepted. It is answered with an HTTP response of
 * `status` (plus `headers`) and a JSON body `{"error": message, "code": code}`.
 */
export class WebSocketHandshakeError extends Error {
  /** HTTP status of the rejection (400, 404, 405, 426, 500 or 503). */
  readonly status: number;
  /** Stable machine-readable code, e.g. `WS_ERR_INVALID_KEY`. */
  readonly code: WebSocketHandshakeErrorCode;
  /** Extra response headers, e.g. `Sec-WebSocket-Version` on a 426. */
  readonly headers: Readonly<Record<string, string>>;

  /**
   * @param message - Human-readable description, sent to the client.
   * @param status - HTTP status code.
   * @param code - Stable error code.
   * @param headers - Extra response headers.
   */
  constructor(
    message: string,
    status: number,
    code: WebSocketHandshakeErrorCode,
    headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'WebSocketHandshakeError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/**
 * Raised when data is sent on a WebSocket that is not open, or that closed before the data
 * could be written. Its `code` is `WS_ERR_NOT_OPEN`.
 */
export class WebSocketNotOpenError extends Error {
  /** Stable machine-readable code. */
  readonly code = 'WS_ERR_NOT_OPEN';

  /** @param message - What could not be done. */
  constructor(message = 'WebSocket is not open') {
    super(message);
    this.name = 'WebSocketNotOpenError';
  }
}
