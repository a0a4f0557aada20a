import type { ServerResponse } from 'node:http';
import type { PullSource } from './streams.js';

/** What a response writer does with the items of a `PullSource`. */
export interface PipeFormat {
  /** Writes the status line and headers; called once the first item (or the end) is known. */
  head(response: ServerResponse): void;
  /** The bytes or text for one item; empty means nothing to write. */
  encode(item: unknown): string | Uint8Array;
  /** Text to write after the last item, if any. */
  finish?(): string;
  /**
   * The last words after a failure once headers are out, or `undefined` to cut the connection
   * after what was written so far, leaving the body visibly incomplete.
   */
  failure(error: unknown): string | undefined;
  /** With `heartbeatMs > 0`, `heartbeat` is written whenever the stream was quiet that long. */
  heartbeatMs?: number;
  heartbeat?: string;
}

/**
 * How a pipe ended: every item written; the signal aborted (normally the client went away) and
 * the producer was cancelled; or the producer failed.
 */
export type PipeEnd = 'completed' | 'aborted' | 'failed';

/** The result of `pipeSource`. */
export interface PipeOutcome {
  ended: PipeEnd;
  /** Items pulled and written (heartbeats not counted). */
  items: number;
  /** The producer's error when `ended` is `failed`. */
  error?: unknown;
}

const STOPPED = Symbol('stopped');

/**
 * Pipes `source` into `response`: pulls the first item BEFORE writing headers (an async
 * generator's body only runs when first pulled, so its early failure can still be a normal
 * error answer), then writes one item at a time, waiting for `drain` whenever `write()` says the
 * socket is full, so nothing is buffered beyond one item. When `signal` aborts (the client
 * went away) the producer is cancelled at once, even in the middle of a pull or a drain wait.
 * A failure after the headers writes `format.failure()` and ends the response cleanly (or
 * aborts the connection when it has no last words).
 * @throws (rejects with) the producer's error when the very first pull fails; nothing has been
 * written then, and the caller answers with an ordinary error response.
 */
export async function pipeSource(
  response: ServerResponse,
  source: PullSource,
  signal: AbortSignal,
  format: PipeFormat,
): Promise<PipeOutcome> {
  if (signal.aborted) {
    source.cancel();
    return stoppedEarly(response, 0);
  }
  // One waiter at a time: an abort wakes whatever the pipe is waiting for (a pull or a drain),
  // without piling a reaction per item onto a shared promise.
  let wake: ((value: typeof STOPPED) => void) | undefined;
  const onAbort = (): void => {
    source.cancel();
    wake?.(STOPPED);
  };
  const pull = (): Promise<IteratorResult<unknown> | typeof STOPPED> =>
    new Promise((resolve, reject) => {
      wake = resolve;
      source.next().then(resolve, reject);
    });
  const drain = (): Promise<unknown> =>
    new Promise((resolve) => {
      wake = resolve;
      drained(response, () => resolve(undefined));
    });
  signal.addEventListener('abort', onAbort, { once: true });
  let heartbeat: NodeJS.Timeout | undefined;
  let items = 0;
  try {
    let result: IteratorResult<unknown> | typeof STOPPED;
    try {
      result = await pull();
    } catch (error) {
      source.cancel();
      throw error;
    }
    if (result === STOPPED) return stoppedEarly(response, items);
    format.head(response);
    if (format.heartbeatMs !== undefined && format.heartbeatMs > 0) {
      const text = format.heartbeat!;
      heartbeat = setTimeout(function beat() {
        // A full socket already proves the connection is alive; never queue beats behind it.
        if (!response.writableNeedDrain) response.write(text);
        heartbeat!.refresh();
      }, format.heartbeatMs);
      heartbeat.unref();
    }
    const fail = (error: unknown): PipeOutcome => {
      source.cancel();
      const last = format.failure(error);
      if (last === undefined) abortAfterFlush(response);
      else response.end(last);
      return { ended: 'failed', items, error };
    };
    while (result.done !== true) {
      let chunk: string | Uint8Array;
      try {
        chunk = format.encode(result.value);
      } catch (error) {
        return fail(error);
      }
      items++;
      if (chunk.length !== 0 && !response.write(chunk)) {
        await drain();
        if (signal.aborted) return stoppedEarly(response, items);
      }
      heartbeat?.refresh();
      try {
        result = await pull();
      } catch (error) {
        if (signal.aborted) return stoppedEarly(response, items);
        return fail(error);
      }
      if (result === STOPPED) return stoppedEarly(response, items);
    }
    response.end(format.finish?.() ?? '');
    return { ended: 'completed', items };
  } finally {
    wake = undefined;
    clearTimeout(heartbeat);
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * The outcome when the signal stopped the pipe. Normally the client is gone already; if the
 * signal was aborted for another reason (a shutdown) the response is still closed, cleanly
 * when headers are out, so the connection is never left hanging.
 */
function stoppedEarly(response: ServerResponse, items: number): PipeOutcome {
  if (!response.writableEnded && response.socket !== null && !response.socket.destroyed) {
    if (response.headersSent) response.end();
    else response.destroy();
  }
  return { ended: 'aborted', items };
}

/**
 * Ends the connection without finishing the body: what was written still reaches the client,
 * then the missing end of the chunked body tells it the answer is incomplete.
 */
function abortAfterFlush(response: ServerResponse): void {
  const socket = response.socket;
  if (socket === null) {
    response.destroy();
    return;
  }
  // Node 24 holds a response's writes back until the end of the tick: hand them to the socket
  // first, or ending it would drop the head and every chunk with it.
  response.uncork();
  socket.end();
}

/** Calls `resolve` on `drain`, or on `close` when the socket goes away instead. */
function drained(response: ServerResponse, resolve: () => void): void {
  const done = (): void => {
    response.off('drain', done);
    response.off('close', done);
    resolve();
  };
  response.on('drain', done);
  response.on('close', done);
}
