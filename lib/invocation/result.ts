import type { ServerResponse } from 'node:http';
import { sendBytes, sendJson } from '../http/response.js';
import type { Logger } from '../logger.js';
import { onDemand } from '../on-demand.js';
import { toJsonStrict } from '../serialize.js';
import type { PipeEnd } from '../streaming/pipe.js';
import { isStreamResult } from './stream-kind.js';

/** The streaming writers, loaded with their machinery the first time a handler streams. */
const loadStreamWriter = onDemand(() => import('../streaming/stream-writer.js'));

/** How the result writer behaves; built once per app. */
export interface ResultWriterOptions {
  readonly logger: Logger;
  /** Heartbeat comment interval on quiet event streams; 0 = off. */
  readonly sseHeartbeatMs: number;
  /** End a streamed answer whose client read nothing this long, and stop its producer; 0 = off. */
  readonly streamStallTimeoutMs: number;
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
 * Answers with a handler's result, choosing the form from its type:
 * - a WHATWG `Response` → its status, headers and body (streamed with backpressure);
 * - `Uint8Array` (and `Buffer`) or `ArrayBuffer` → `200 application/octet-stream`;
 * - a stream (see `toPullSource`) → `200 text/event-stream`, one event per item;
 * - anything else → `200 application/json` via `toJsonStrict`.
 * Plain values and bytes are answered synchronously (no promise on the hot path); streams and
 * `Response`s return a promise that resolves when the answer is complete (or the client has gone).
 * @throws UnserializableResultError when a plain value cannot be written as JSON faithfully, and
 * (rejects with) the producer's error when a stream fails before its first item; nothing has
 * been written then, so the caller can still answer with an ordinary error.
 */
export function writeResult(
  response: ServerResponse,
  result: unknown,
  context: { readonly signal: AbortSignal },
  options: ResultWriterOptions,
): ResultOutcome | Promise<ResultOutcome> {
  if (typeof result === 'object' && result !== null) {
    if (isFetchResponse(result)) return loadStreamWriter().then((writer) => writer.writeFetchResponse(response, result, context, options));
    if (result instanceof Uint8Array || result instanceof ArrayBuffer) {
      sendBytes(response, 200, result instanceof Uint8Array ? result : new Uint8Array(result));
      return { status: 200, kind: 'bytes' };
    }
    if (isStreamResult(result)) return loadStreamWriter().then((writer) => writer.writeEventStream(response, result, context, options));
  }
  sendJson(response, 200, toJsonStrict(result));
  return { status: 200, kind: 'json' };
}

/**
 * True for a WHATWG `Response`. The cheap shape check comes first because touching the global
 * `Response` makes Node 20 load its fetch implementation, which agents that never return one
 * should not pay for.
 */
function isFetchResponse(value: object): value is Response {
  return 'status' in value && 'headers' in value && 'body' in value && value instanceof Response;
}
