/**
 * The error codes JSON-RPC 2.0 reserves (§5.1). Protocols define their own in the server range
 * (-32000 to -32099) and beyond: MCP's -32002 or -32042, A2A's -32001 to -32009.
 */
export const JsonRpcErrorCode = Object.freeze({
  /** The body is not valid JSON. */
  ParseError: -32700,
  /** The JSON is not a valid request object (or a batch where the protocol allows none). */
  InvalidRequest: -32600,
  /** No such method. */
  MethodNotFound: -32601,
  /** Invalid method parameters. */
  InvalidParams: -32602,
  /** An internal error of the server. */
  InternalError: -32603,
});

/**
 * A protocol error as a value: its code, a message and optional `data`. Throw one from a method
 * handler to answer with exactly that error; `errorResponse()` turns it into the wire shape, the
 * only place that happens.
 */
export class JsonRpcError extends Error {
  /** The JSON-RPC error code: an integer, negative for the reserved and protocol ranges. */
  readonly code: number;
  /** Extra information for the client (`error.data` on the wire); omitted when `undefined`. */
  readonly data: unknown;

  /** @throws TypeError when `code` is not an integer. */
  constructor(code: number, message: string, data?: unknown, options?: { cause?: unknown }) {
    if (!Number.isInteger(code)) throw new TypeError(`A JSON-RPC error code must be an integer, got ${String(code)}`);
    super(message, options);
    this.name = 'JsonRpcError';
    this.code = code;
    this.data = data;
  }

  /** `-32700 Parse error`. */
  static parseError(data?: unknown): JsonRpcError {
    return new JsonRpcError(JsonRpcErrorCode.ParseError, 'Parse error', data);
  }

  /** `-32600 Invalid Request`, with what is wrong. */
  static invalidRequest(detail: string, data?: unknown): JsonRpcError {
    return new JsonRpcError(JsonRpcErrorCode.InvalidRequest, `Invalid Request: ${detail}`, data);
  }

  /** `-32601 Method not found`, naming the method. */
  static methodNotFound(method: string): JsonRpcError {
    return new JsonRpcError(JsonRpcErrorCode.MethodNotFound, `Method not found: ${method}`);
  }

  /** `-32602 Invalid params`, with what is wrong. */
  static invalidParams(detail: string, data?: unknown): JsonRpcError {
    return new JsonRpcError(JsonRpcErrorCode.InvalidParams, `Invalid params: ${detail}`, data);
  }

  /** `-32603 Internal error`; the message never carries the failure's own text. */
  static internalError(data?: unknown): JsonRpcError {
    return new JsonRpcError(JsonRpcErrorCode.InternalError, 'Internal error', data);
  }
}
