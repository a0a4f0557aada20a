import { JsonRpcError } from './errors.js';

/** A request id: a string or a number, echoed back with its type. */
export type JsonRpcId = string | number;

/** Parameters by name (every AgentCore protocol) or by position. */
export type JsonRpcParams = Record<string, unknown> | unknown[];

/** A call that expects an answer. */
export interface JsonRpcRequest {
  readonly jsonrpc: '2.0';
  readonly id: JsonRpcId;
  readonly method: string;
  readonly params?: JsonRpcParams;
}

/** A call that expects none. */
export interface JsonRpcNotification {
  readonly jsonrpc: '2.0';
  readonly method: string;
  readonly params?: JsonRpcParams;
}

/** The answer to a request that succeeded. */
export interface JsonRpcSuccess {
  readonly jsonrpc: '2.0';
  readonly id: JsonRpcId;
  readonly result: unknown;
}

/** The answer to a request that failed; `id` is `null` when the request's id could not be read. */
export interface JsonRpcFailure {
  readonly jsonrpc: '2.0';
  readonly id: JsonRpcId | null;
  readonly error: { readonly code: number; readonly message: string; readonly data?: unknown };
}

/** A response, either way. */
export type JsonRpcResponse = JsonRpcSuccess | JsonRpcFailure;

/** What one JSON value received turned out to be. */
export type ParsedMessage =
  | { readonly kind: 'request'; readonly message: JsonRpcRequest }
  | { readonly kind: 'notification'; readonly message: JsonRpcNotification }
  | { readonly kind: 'response'; readonly message: JsonRpcResponse }
  /** Not a valid message: answer `error` to `id` (the request's own, when it could be read). */
  | { readonly kind: 'invalid'; readonly id: JsonRpcId | null; readonly error: JsonRpcError };

/**
 * Classifies one parsed JSON value as a JSON-RPC 2.0 request, notification or response, or says
 * why it is none (`-32600`, with the request's id when it had a usable one). Ids must be strings
 * or numbers: `null` ids are refused, as MCP requires and nothing in A2A needs. A batch (an
 * array) is the caller's decision and is reported invalid here.
 */
export function parseMessage(value: unknown): ParsedMessage {
  if (typeof value !== 'object' || value === null) return invalid(null, 'a message must be a JSON object');
  if (Array.isArray(value)) return invalid(null, 'batches are not supported');
  const message = value as Record<string, unknown>;
  const id = message.id;
  const usableId = isId(id) ? id : null;
  if (message.jsonrpc !== '2.0') return invalid(usableId, 'jsonrpc must be "2.0"');
  if (Object.hasOwn(message, 'method')) {
    if (typeof message.method !== 'string') return invalid(usableId, 'method must be a string');
    const params = message.params;
    if (params !== undefined && (typeof params !== 'object' || params === null)) return invalid(usableId, 'params must be an object or an array');
    if (!Object.hasOwn(message, 'id')) return { kind: 'notification', message: message as unknown as JsonRpcNotification };
    if (usableId === null) return invalid(null, 'id must be a string or a number');
    return { kind: 'request', message: message as unknown as JsonRpcRequest };
  }
  const hasResult = Object.hasOwn(message, 'result');
  const hasError = Object.hasOwn(message, 'error');
  if (hasResult === hasError) return invalid(usableId, 'a message needs a method, or exactly one of result and error');
  if (usableId === null && !(hasError && id === null)) return invalid(null, 'id must be a string or a number');
  if (hasError && !isErrorObject(message.error)) return invalid(usableId, 'error must be an object with an integer code and a string message');
  return { kind: 'response', message: message as unknown as JsonRpcResponse };
}

/** True for a usable request id: a string, or a finite number. */
export function isId(value: unknown): value is JsonRpcId {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

function isErrorObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const error = value as Record<string, unknown>;
  return Number.isInteger(error.code) && typeof error.message === 'string';
}

function invalid(id: JsonRpcId | null, detail: string): ParsedMessage {
  return { kind: 'invalid', id, error: JsonRpcError.invalidRequest(detail) };
}
