import { JsonRpcError, JsonRpcErrorCode } from '../json-rpc/errors.js';

/**
 * The error codes MCP uses besides JSON-RPC's reserved ones (`JsonRpcErrorCode`). Every protocol
 * error is a `JsonRpcError` carrying one of these; `errorResponse()` (lib/json-rpc/wire.ts) is
 * the one place it becomes wire text.
 */
export const McpErrorCode = Object.freeze({
  ...JsonRpcErrorCode,
  /**
   * A transport-level refusal (bad header, unknown media type, body too large, no session): the
   * code the official SDK uses on every HTTP error answer, so clients recognise the body.
   */
  TransportError: -32000,
  /** The session named by `Mcp-Session-Id` does not exist (any more): HTTP 404. */
  SessionNotFound: -32001,
  /** A request the server sent the client got no answer in time (the SDK's code for it). */
  RequestTimeout: -32001,
  /** `resources/read` of a URI the server does not have (2025-03-26 to 2025-11-25). */
  ResourceNotFound: -32002,
  /** The request needs the user to visit URLs first (2025-11-25 URL elicitation). */
  UrlElicitationRequired: -32042,
  /**
   * 2026-07-28: a standard header (`MCP-Protocol-Version`, `Mcp-Method`, `Mcp-Name`) or a
   * parameter header (`Mcp-Param-*`) missing, malformed, or disagreeing with the body: HTTP 400.
   */
  HeaderMismatch: -32020,
  /** 2026-07-28: serving the request needs a client capability this request did not declare: HTTP 400. */
  MissingRequiredClientCapability: -32021,
  /** 2026-07-28: the request's protocol version is not one the server speaks: HTTP 400. */
  UnsupportedProtocolVersion: -32022,
});

/**
 * A refusal at the HTTP level (the transport's, before or instead of dispatch): an HTTP status,
 * headers, and the JSON-RPC error the body carries (`"id": null`, as the request's id is not
 * known, or not the point).
 */
export class McpHttpError extends JsonRpcError {
  /** The HTTP status: 400, 403, 404, 405, 406, 413, 415, 503. */
  readonly status: number;
  /** Extra response headers (`Allow` on a 405). */
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(status: number, message: string, options: { code?: number; headers?: Record<string, string>; data?: unknown } = {}) {
    super(options.code ?? McpErrorCode.TransportError, message, options.data);
    this.name = 'McpHttpError';
    this.status = status;
    this.headers = options.headers;
  }
}

/** `-32002`: `resources/read` of an unknown URI, with the URI in `data` (`-32602` since 2026-07-28). */
export function resourceNotFound(uri: string): JsonRpcError {
  return new JsonRpcError(McpErrorCode.ResourceNotFound, `Resource not found: ${uri}`, { uri });
}

/** `-32020`: a header missing, malformed or disagreeing with the body (2026-07-28). */
export function headerMismatch(message: string, data?: unknown): JsonRpcError {
  return new JsonRpcError(McpErrorCode.HeaderMismatch, `Header mismatch: ${message}`, data);
}

/**
 * `-32021`: serving the request needs `required` (a `ClientCapabilities` object, such as
 * `{ sampling: {} }`), which the request did not declare (2026-07-28).
 */
export function missingClientCapability(required: Record<string, unknown>, message = 'Missing required client capability'): JsonRpcError {
  return new JsonRpcError(McpErrorCode.MissingRequiredClientCapability, message, { requiredCapabilities: required });
}

/**
 * What a tool (or prompt) handler calls when the client cannot be asked something right now:
 * no stateful session to carry a server-initiated request, or the client did not declare the
 * capability (`-32601`, the code MCP uses for a capability not supported).
 */
export function clientCapabilityMissing(method: string, reason: string): JsonRpcError {
  return new JsonRpcError(McpErrorCode.MethodNotFound, `Cannot send ${method}: ${reason}`, { method });
}

/**
 * Thrown into a handler by `ctx.elicitInput()`, `ctx.createMessage()` or `ctx.listRoots()` when
 * the client has not answered yet: the call is answered `input_required` and re-run when the
 * client retries with the answers. A handler that catches it changes nothing: whatever it does
 * next, the answer is `input_required`.
 */
export class InputRequiredSignal extends Error {
  /** The key of the input request the client is asked to answer. */
  readonly key: string;

  constructor(key: string) {
    super(`Input required from the client (${key}); the call is answered input_required and re-run with the answer`);
    this.name = 'InputRequiredSignal';
    this.key = key;
  }
}
