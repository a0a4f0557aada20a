import type { IncomingMessage } from 'node:http';
import type { BodyTooLargeError } from '../errors.js';
import { collectBody, parseJson, RequestAbortedError } from '../http/body.js';
import { JsonRpcError } from './errors.js';

/** Receives a request body's JSON value, or why there is none. */
export type JsonBodyCallback = (error: JsonRpcError | BodyTooLargeError | RequestAbortedError | undefined, value: unknown) => void;

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a JSON-RPC request body (UTF-8 JSON, whatever `Content-Type` says: checking it is the
 * protocol's business) and calls `done` once: with the parsed value; with a `-32700 Parse error`
 * for an empty body, invalid UTF-8 or invalid JSON (`data` says where: position, line, column);
 * with `BodyTooLargeError` past `limit` (answer it 413, then `drainRefusedBody`); or with
 * `RequestAbortedError` when the client went away.
 */
export function readJsonBody(request: IncomingMessage, limit: number, done: JsonBodyCallback): void {
  collectBody(request, limit, (error, body) => {
    if (error !== undefined) {
      done(error, undefined);
      return;
    }
    let value: unknown;
    try {
      value = decodeJson(body!);
    } catch (failure) {
      done(failure as JsonRpcError, undefined);
      return;
    }
    done(undefined, value);
  });
}

/** `readJsonBody` as a promise: resolves with the value, rejects with the same errors. */
export function readJsonBodyAsync(request: IncomingMessage, limit: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    readJsonBody(request, limit, (error, value) => (error === undefined ? resolve(value) : reject(error)));
  });
}

/**
 * Parses a body's bytes as UTF-8 JSON.
 * @throws JsonRpcError `-32700` with `data` naming what is wrong.
 */
export function decodeJson(body: Uint8Array): unknown {
  if (body.length === 0) throw JsonRpcError.parseError({ message: 'The body is empty' });
  let text: string;
  try {
    text = decoder.decode(body);
  } catch {
    throw JsonRpcError.parseError({ message: 'The body is not valid UTF-8' });
  }
  try {
    return parseJson(text);
  } catch (error) {
    throw JsonRpcError.parseError((error as { details?: unknown }).details);
  }
}

