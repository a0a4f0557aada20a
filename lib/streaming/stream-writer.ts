import type { ServerResponse } from 'node:http';
import { addVary } from '../http/response.js';
import type { Logger } from '../logger.js';
import { pipeSource, type PipeFormat, type PipeOutcome } from './pipe.js';
import type { ResultOutcome, ResultWriterOptions } from '../invocation/result.js';
import { exceedsSseEventLimit, SSE_CONTENT_TYPE, SSE_HEARTBEAT, SSE_MAX_EVENT_BYTES, SseEncoder, sseErrorEvent } from './sse.js';
import { streamErrorEventOf } from './stream-error.js';
import { toPullSource } from './streams.js';

/**
 * The event-stream headers. No `Connection`: Node writes the one this connection needs
 * (`keep-alive`, or `close` when the client asked for it or the app is shutting down), and a
 * hard-coded `keep-alive` would override both.
 */
const SSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': SSE_CONTENT_TYPE,
  'cache-control': 'no-cache',
  // Tells nginx-style proxies not to hold events back in their buffers.
  'x-accel-buffering': 'no',
});

/**
 * Streams a handler's stream result as `text/event-stream`, one event per item. A failure after
 * the headers ends the stream with the result's own error event (`withStreamErrorEvent`), else
 * with `sseErrorEvent`.
 */
export async function writeEventStream(
  response: ServerResponse,
  result: object,
  context: { readonly signal: AbortSignal },
  options: ResultWriterOptions,
): Promise<ResultOutcome> {
  const encoder = new SseEncoder();
  const logger = options.logger;
  const outcome = await pipeSource(response, toPullSource(result)!, context.signal, {
    head: (res) => res.writeHead(200, SSE_HEADERS),
    encode: (item) => {
      const text = encoder.encode(item);
      if (exceedsSseEventLimit(text)) {
        logger.warn('SSE event exceeds the platform streaming chunk limit', { limitBytes: SSE_MAX_EVENT_BYTES, bytes: Buffer.byteLength(text) });
      }
      return text;
    },
    finish: () => encoder.flush(),
    failure: (error) => failureEvent(result, error, encoder, logger),
    heartbeatMs: options.sseHeartbeatMs,
    heartbeat: SSE_HEARTBEAT,
    stallTimeoutMs: options.streamStallTimeoutMs,
  });
  logStreamEnd(logger, 'event stream', outcome, options.streamStallTimeoutMs);
  return { status: 200, kind: 'event-stream', ended: outcome.ended, items: outcome.items };
}

/** The last words of a failed event stream: the stream's own error event, encoded like its items. */
function failureEvent(result: object, error: unknown, encoder: SseEncoder, logger: Logger): string {
  const errorEvent = streamErrorEventOf(result);
  if (errorEvent === undefined) return sseErrorEvent(error);
  try {
    const item = errorEvent(error);
    return item === undefined ? '' : encoder.encode(item);
  } catch (failure) {
    // The client must still learn that the stream failed: fall back to the default frame.
    logger.error('the stream error event could not be made; the default error frame was sent', { error: failure });
    return sseErrorEvent(error);
  }
}

/** Answers with a WHATWG `Response`: its status, headers and body, streamed with backpressure. */
export async function writeFetchResponse(
  response: ServerResponse,
  fetched: Response,
  context: { readonly signal: AbortSignal },
  options: ResultWriterOptions,
): Promise<ResultOutcome> {
  const status = fetched.status;
  const logger = options.logger;
  const format: PipeFormat = {
    head: (res) => writeFetchHead(res, fetched),
    encode: responseChunk,
    // Headers promised a body that cannot be completed: abort, so the client sees a truncation.
    failure: () => undefined,
    stallTimeoutMs: options.streamStallTimeoutMs,
  };
  if (status >= 400) logger.warn('invocation answered with an error response', { status });
  if (fetched.body === null) {
    format.head(response);
    response.end();
    return { status, kind: 'response' };
  }
  const outcome = await pipeSource(response, toPullSource(fetched.body)!, context.signal, format);
  logStreamEnd(logger, 'response body', outcome, options.streamStallTimeoutMs);
  return { status, kind: 'response', ended: outcome.ended, items: outcome.items };
}

/**
 * Headers about a connection or its framing, not about the answer (RFC 9110 §7.6.1): Node frames
 * the answer itself, on its own connection, so a Response's values would be wrong or harmful.
 */
const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Content codings `fetch()` decodes before handing out the body (undici's list). */
const FETCH_DECODED_CODINGS: ReadonlySet<string> = new Set(['gzip', 'x-gzip', 'deflate', 'br']);

function writeFetchHead(response: ServerResponse, fetched: Response): void {
  const headers = fetched.headers;
  // Names listed in Connection are hop-by-hop too.
  const listed = new Set((headers.get('connection') ?? '').split(',').map((name) => name.trim().toLowerCase()));
  // A Response from fetch() (type "basic" or "cors"; a constructed one is "default") still carries
  // the upstream's Content-Encoding and Content-Length, but its body is already decoded.
  const encoding = headers.get('content-encoding');
  const decoded = fetched.type !== 'default' && encoding !== null && isDecodedByFetch(encoding);
  headers.forEach((value, name) => {
    if (name === 'set-cookie' || HOP_BY_HOP_HEADERS.has(name) || listed.has(name)) return;
    if (decoded && (name === 'content-encoding' || name === 'content-length')) return;
    // The app's own Vary (CORS's Origin) stays: the Response's names are added to it.
    if (name === 'vary') addVary(response, value);
    else response.setHeader(name, value);
  });
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) response.setHeader('set-cookie', cookies);
  if (fetched.statusText === '') response.writeHead(fetched.status);
  else response.writeHead(fetched.status, fetched.statusText);
}

function isDecodedByFetch(encoding: string): boolean {
  return encoding.split(',').every((coding) => FETCH_DECODED_CODINGS.has(coding.trim().toLowerCase()));
}

/** A Response body chunk as bytes for the socket; a body stream may only carry bytes or text. */
function responseChunk(chunk: unknown): string | Uint8Array {
  if (chunk instanceof Uint8Array || typeof chunk === 'string') return chunk;
  throw new TypeError(`Response body chunks must be Uint8Array or string, got ${chunk === null ? 'null' : typeof chunk}`);
}

function logStreamEnd(logger: Logger, what: string, outcome: PipeOutcome, stallTimeoutMs: number): void {
  const items = outcome.items;
  if (outcome.ended === 'aborted') {
    logger.debug(`request aborted (client disconnected); ${what} stopped`, { items });
  } else if (outcome.ended === 'stalled') {
    logger.warn(`client read nothing for streamStallTimeoutMs; ${what} ended and its producer stopped`, { items, streamStallTimeoutMs: stallTimeoutMs });
  } else if (outcome.ended === 'failed') {
    logger.error(`${what} failed after the response started`, { items, error: outcome.error });
  }
}
