import { describeThrown } from '../errors.js';
import { toJsonStrict } from '../serialize.js';
import { JsonRpcError } from './errors.js';
import type { JsonRpcId } from './messages.js';

/** The media type of a JSON-RPC message on the wire. */
export const JSON_RPC_CONTENT_TYPE = 'application/json';

/**
 * The text of a success response. A result JSON cannot carry (nested deeper than
 * `MAX_JSON_DEPTH`) becomes a `-32603` error response instead: the client always gets a
 * well-formed answer to its id.
 */
export function resultResponse(id: JsonRpcId, result: unknown): string {
  let json: string;
  try {
    json = toJsonStrict(result);
  } catch (error) {
    return errorResponse(id, JsonRpcError.internalError({ reason: describeThrown(error).message }));
  }
  return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${json}}`;
}

/** The text of an error response: the one place a protocol error becomes its wire shape. */
export function errorResponse(id: JsonRpcId | null, error: JsonRpcError): string {
  const body: { code: number; message: string; data?: unknown } = { code: error.code, message: error.message };
  if (error.data !== undefined) body.data = error.data;
  return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"error":${toJsonStrictOr(body, { code: error.code, message: error.message })}}`;
}

/** The text of a notification (a server-sent message that expects no answer). */
export function notificationMessage(method: string, params?: unknown): string {
  return params === undefined
    ? `{"jsonrpc":"2.0","method":${JSON.stringify(method)}}`
    : `{"jsonrpc":"2.0","method":${JSON.stringify(method)},"params":${toJsonStrictOr(params, {})}}`;
}

/** The text of a request the server sends (MCP's sampling and elicitation). */
export function requestMessage(id: JsonRpcId, method: string, params?: unknown): string {
  const head = `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"method":${JSON.stringify(method)}`;
  return params === undefined ? `${head}}` : `${head},"params":${toJsonStrictOr(params, {})}}`;
}

/**
 * The protocol error a thrown value stands for: a `JsonRpcError` as it is; anything else is a
 * failure of the server, `-32603 Internal error`, whose own message stays out of the answer
 * (log it with the error).
 */
export function toJsonRpcError(thrown: unknown): JsonRpcError {
  return thrown instanceof JsonRpcError ? thrown : JsonRpcError.internalError();
}

function toJsonStrictOr(value: unknown, fallback: unknown): string {
  try {
    return toJsonStrict(value);
  } catch {
    return JSON.stringify(fallback);
  }
}
