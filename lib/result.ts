import type { ServerResponse } from 'node:http';
import type { Logger } from './logger.js';
import { pipeSource, type PipeEnd, type PipeFormat } from './pipe.js';
import { sendBytes, sendJson } from './response.js';
import { toJson } from './serialize.js';
import { exceedsSseEventLimit, SSE_CONTENT_TYPE, SSE_HEARTBEAT, SSE_MAX_EVENT_BYTES, SseEncoder, sseErrorEvent } from './sse.js';
import { toPullSource, type PullSource } from './streams.js';

/** Default `sseHeartbeatMs`: 0, no heartbeat comments. */
export const DEFAULT_SSE_HEARTBEAT_MS = 0;

const SSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': SSE_CONTENT_TYPE,
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  // Tells nginx-style proxies not to hold events back in their buffers.
  'x-accel-buffering': 'no',
});

/** How the result writer behaves; built once per app by `resultWriterOptions`. */
export interface ResultWriterOptions {
  readonly logger: Logger;
  /** Heartbeat comment interval on quiet event streams; 0 = off. */
  readonly sseHeartbeatMs: number;
}

/** What kind of answer a handler result became. */
export type ResultKind = 'json' | 'bytes' | 'response' | 'event-stream';

/** What `writeResult` did, for the completion log line. */
export interface ResultOutcome {
  status: number;
  kind: ResultKind;
  /** For streamed bodies: how the stream ended. */
  ended?: PipeEnd;
  /** For streamed bodies: items (events or body chunks) written. */
  items?: number;
}

/**
 * Validates the app options the result writer uses.
 * @throws RangeError when `sseHeartbeatMs` is not a non-negative integer.
 */
export function resultWriterOptions(logger: Logger, sseHeartbeatMs: number | undefined): ResultWriterOptions {
  const heartbeat = sseHeartbeatMs ?? DEFAULT_SSE_HEARTBEAT_MS;
  if (!Number.isSafeInteger(heartbeat) || heartbeat < 0) {
    throw new RangeError(`sseHeartbeatMs must be a non-negative integer, got ${String(sseHeartbeatMs)}`);
  }
  return { logger, sseHeartbeatMs: heartbeat };
}

/**
 * Answers with a handler's result, choosing the form from its type:
 * - a WHATWG `Response` → its status, headers and body (streamed with backpressure);
 * - `Uint8Array` (and `Buffer`) or `ArrayBuffer` → `200 application/octet-stream`;
 * - a stream (see `toPullSource`) → `200 text/event-stream`, one event per item;
 * - anything else → `200 application/json` via `toJson`.
 * Resolves when the answer is complete (or the client has gone).
 * @throws (rejects with) the producer's error when a stream fails before its first item; nothing
 * has been written then, so the caller can still answer with an ordinary error.
 */
export async function writeResult(
  response: ServerResponse,
  result: unknown,
  signal: AbortSignal,
  options: ResultWriterOptions,
): Promise<ResultOutcome> {
  if (typeof result === 'object' && result !== null) {
    if (result instanceof Response) return writeFetchResponse(response, result, signal, options);
    if (result instanceof Uint8Array || result instanceof ArrayBuffer) {
      sendBytes(response, 200, result instanceof Uint8Array ? result : new Uint8Array(result));
      return { status: 200, kind: 'bytes' };
    }
    const source = toPullSource(result);
    if (source !== undefined) return writeEventStream(response, source, signal, options);
  }
  sendJson(response, 200, toJson(result));
  return { status: 200, kind: 'json' };
}

async function writeEventStream(
  response: ServerResponse,
  source: PullSource,
  signal: AbortSignal,
  options: ResultWriterOptions,
): Promise<ResultOutcome> {
  const encoder = new SseEncoder();
  const logger = options.logger;
  const outcome = await pipeSource(response, source, signal, {
    head: (res) => res.writeHead(200, SSE_HEADERS),
    encode: (item) => {
      const text = encoder.encode(item);
      if (exceedsSseEventLimit(text)) {
        logger.warn('SSE event exceeds the platform streaming chunk limit', { limitBytes: SSE_MAX_EVENT_BYTES, bytes: Buffer.byteLength(text) });
      }
      return text;
    },
    finish: () => encoder.flush(),
    failure: sseErrorEvent,
    heartbeatMs: options.sseHeartbeatMs,
    heartbeat: SSE_HEARTBEAT,
  });
  logStreamEnd(logger, 'event stream', outcome.ended, outcome.items, outcome.error);
  return { status: 200, kind: 'event-stream', ended: outcome.ended, items: outcome.items };
}

async function writeFetchResponse(
  response: ServerResponse,
  fetched: Response,
  signal: AbortSignal,
  options: ResultWriterOptions,
): Promise<ResultOutcome> {
  const status = fetched.status;
  const logger = options.logger;
  const format: PipeFormat = {
    head: (res) => writeFetchHead(res, fetched),
    encode: responseChunk,
    // Headers promised a body that cannot be completed: abort, so the client sees a truncation.
    failure: () => undefined,
  };
  if (status >= 400) logger.warn('invocation answered with an error response', { status });
  if (fetched.body === null) {
    format.head(response);
    response.end();
    return { status, kind: 'response' };
  }
  const outcome = await pipeSource(response, toPullSource(fetched.body)!, signal, format);
  logStreamEnd(logger, 'response body', outcome.ended, outcome.items, outcome.error);
  return { status, kind: 'response', ended: outcome.ended, items: outcome.items };
}

function writeFetchHead(response: ServerResponse, fetched: Response): void {
  fetched.headers.forEach((value, name) => {
    if (name !== 'set-cookie') response.setHeader(name, value);
  });
  const cookies = fetched.headers.getSetCookie();
  if (cookies.length > 0) response.setHeader('set-cookie', cookies);
  if (fetched.statusText === '') response.writeHead(fetched.status);
  else response.writeHead(fetched.status, fetched.statusText);
}

/** A Response body chunk as bytes for the socket; a body stream may only carry bytes or text. */
function responseChunk(chunk: unknown): string | Uint8Array {
  if (chunk instanceof Uint8Array || typeof chunk === 'string') return chunk;
  throw new TypeError(`Response body chunks must be Uint8Array or string, got ${chunk === null ? 'null' : typeof chunk}`);
}

function logStreamEnd(logger: Logger, what: string, ended: PipeEnd, items: number, error: unknown): void {
  if (ended === 'aborted') {
    logger.debug(`request aborted (client disconnected); ${what} stopped`, { items });
  } else if (ended === 'failed') {
    logger.error(`${what} failed after the response started`, { items, error });
  }
}
