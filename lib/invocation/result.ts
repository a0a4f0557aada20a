import type { ServerResponse } from 'node:http';
import { monotonicMs } from '../clock.js';
import { sendBytes, sendJson } from '../http/response.js';
import type { Logger } from '../logger.js';
import { onDemand } from '../on-demand.js';
import { toJsonStrict, type ReplacedKind, type ReplacementListener } from '../serialize.js';
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
  /** Told when a JSON answer had to replace what JSON cannot carry; nobody is told without it. */
  readonly degraded?: ReplacementListener;
}

/**
 * At most one warning about degraded results per kind of replacement in this long: a handler
 * that returns a BigInt on every call logs it once a minute, not once per request.
 */
export const DEGRADED_RESULT_WARNING_INTERVAL_MS = 60_000;

/**
 * Warns when a result was answered with parts JSON cannot carry replaced (a BigInt, a function, a
 * cycle…, see `ReplacedKind`): the answer is still 200, so without the warning the bug would be
 * invisible. Bounded: a kind already warned about is not warned about again for
 * `DEGRADED_RESULT_WARNING_INTERVAL_MS`; the results left unreported meanwhile are counted in the
 * next warning (`suppressed`).
 */
export class DegradedResultWarnings implements ReplacementListener {
  readonly #logger: Logger;
  readonly #now: () => number;
  /** When each kind may be warned about again (monotonic ms); at most one entry per kind. */
  readonly #quietUntil = new Map<ReplacedKind, number>();
  #suppressed = 0;

  constructor(logger: Logger, now: () => number = monotonicMs) {
    this.#logger = logger;
    this.#now = now;
  }

  replaced(kinds: ReadonlyMap<ReplacedKind, string>): void {
    const now = this.#now();
    let due = false;
    for (const kind of kinds.keys()) {
      const until = this.#quietUntil.get(kind);
      if (until === undefined || until <= now) due = true;
    }
    if (!due) {
      this.#suppressed++;
      return;
    }
    for (const kind of kinds.keys()) this.#quietUntil.set(kind, now + DEGRADED_RESULT_WARNING_INTERVAL_MS);
    const fields: Record<string, unknown> = {
      replaced: Object.fromEntries(kinds),
      hint: 'convert these values yourself (a BigInt to a string or number, leave functions out, break cycles) to answer exactly what you mean',
    };
    if (this.#suppressed > 0) fields.suppressed = this.#suppressed;
    this.#suppressed = 0;
    this.#logger.warn('the result held values JSON cannot carry; they were replaced in the answer', fields);
  }
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
 * - anything else → `200 application/json` via `toJsonStrict`; what it had to replace is told to
 *   `options.degraded`.
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
  sendJson(response, 200, toJsonStrict(result, options.degraded));
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
