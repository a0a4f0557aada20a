import type { ServerResponse } from 'node:http';
import type { PullSource } from './streams.js';
import { TurnBudget } from './turn-budget.js';

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
  /**
   * With `stallTimeoutMs > 0`, a client that reads nothing for that long (the socket stays full,
   * `drain` never comes) has its stream ended: the producer is cancelled and the connection
   * closed, so a stalled client cannot hold a producer and its buffers forever.
   */
  stallTimeoutMs?: number;
}

/**
 * How a pipe ended: every item written; the signal aborted (normally the client went away) and
 * the producer was cancelled; the client read nothing for `stallTimeoutMs`, and the producer was
 * cancelled and the connection closed; or the producer failed.
 */
export type PipeEnd = 'completed' | 'aborted' | 'stalled' | 'failed';

/** The result of `pipeSource`. */
export interface PipeOutcome {
  ended: PipeEnd;
  /** Items pulled and written (heartbeats not counted). */
  items: number;
  /** The producer's error when `ended` is `failed`. */
  error?: unknown;
}

/**
 * Most text (UTF-16 code units) held back to be written with the items after it: 16 Ki, the
 * socket's own high-water mark. Text items that come within one tick are written together, at
 * the end of the tick, when Node would send them anyway (it corks a response's socket until
 * then): one write of many events costs a third of as many writes of one event each.
 */
export const MAX_BATCH_CHARS = 16 * 1024;

/**
 * Pipes `source` into `response`: pulls the first item BEFORE writing headers (an async
 * generator's body only runs when first pulled, so its early failure can still be a normal
 * error answer), then writes one item at a time, waiting for `drain` whenever `write()` says the
 * socket is full, so nothing is buffered beyond one item (and `MAX_BATCH_CHARS` of text items
 * held to be written together at the end of the tick). Items a source has at hand (a sync
 * generator, a Node Readable's buffer) are taken synchronously, without a promise each; others
 * cost one `then` each; after a `TurnBudget` of them (1,024 items or about 10 ms) the event
 * loop gets a turn, however fast the socket drains. When `signal` aborts (the client went away)
 * the producer is cancelled at once, even in the middle of a pull or a drain wait. A failure
 * after the headers writes `format.failure()` and ends the response cleanly (or aborts the
 * connection when it has no last words).
 * @throws (rejects with) the producer's error when the very first pull fails; nothing has been
 * written then, and the caller answers with an ordinary error response.
 */
export function pipeSource(response: ServerResponse, source: PullSource, signal: AbortSignal, format: PipeFormat): Promise<PipeOutcome> {
  return new Promise((resolve, reject) => new SourcePipe(response, source, signal, format, resolve, reject).start());
}

/**
 * One pipe's state between callbacks. Written as callbacks, not an `async` function: an `await`
 * per item costs promises (and `AsyncLocalStorage` hooks for each on Node 20) that a sync
 * source does not need at all.
 */
class SourcePipe {
  readonly #response: ServerResponse;
  readonly #source: PullSource;
  readonly #signal: AbortSignal;
  readonly #format: PipeFormat;
  readonly #resolve: (outcome: PipeOutcome) => void;
  readonly #reject: (error: unknown) => void;
  #items = 0;
  /** How much the pipe may write before it lets the event loop run. */
  readonly #budget = new TurnBudget();
  #headersWritten = false;
  #settled = false;
  #heartbeat: NodeJS.Timeout | undefined;
  #stallTimer: NodeJS.Timeout | undefined;
  #waitingForDrain = false;
  /** Text items not written yet: they go out together at the end of the tick. */
  #batch = '';
  #batchScheduled = false;
  /** The end-of-tick write found the socket full: wait for `drain` before the next pull. */
  #full = false;

  constructor(
    response: ServerResponse,
    source: PullSource,
    signal: AbortSignal,
    format: PipeFormat,
    resolve: (outcome: PipeOutcome) => void,
    reject: (error: unknown) => void,
  ) {
    this.#response = response;
    this.#source = source;
    this.#signal = signal;
    this.#format = format;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  start(): void {
    if (this.#signal.aborted) {
      this.#source.cancel();
      this.#stopEarly();
      return;
    }
    this.#signal.addEventListener('abort', this.#onAbort, { once: true });
    this.#pull();
  }

  /** Pulls and writes items for as long as they come synchronously and the socket takes them. */
  #pull(): void {
    if (this.#full) {
      this.#full = false;
      this.#waitForDrain();
      return;
    }
    for (;;) {
      let result: IteratorResult<unknown> | Promise<IteratorResult<unknown>>;
      try {
        result = this.#source.next();
      } catch (error) {
        this.#pullFailed(error);
        return;
      }
      if (result instanceof Promise) {
        result.then(this.#onPulled, this.#onPullFailed);
        return;
      }
      if (!this.#take(result)) return;
    }
  }

  readonly #onPulled = (result: IteratorResult<unknown>): void => {
    if (!this.#settled && this.#take(result)) this.#pull();
  };

  readonly #onPullFailed = (error: unknown): void => {
    if (!this.#settled) this.#pullFailed(error);
  };

  /** A turn of the event loop came after the pipe spent its budget: it goes on. */
  readonly #resume = (): void => {
    if (!this.#settled) this.#pull();
  };

  /** Writes one pulled item; true when the next can be pulled right away. */
  #take(result: IteratorResult<unknown>): boolean {
    // The producer itself may have aborted the signal while making this item.
    if (this.#settled) return false;
    const response = this.#response;
    try {
      if (!this.#headersWritten) {
        this.#headersWritten = true;
        this.#format.head(response);
        this.#startHeartbeat();
      }
      if (result.done === true) {
        response.end(this.#takeBatch() + (this.#format.finish?.() ?? ''));
        this.#settle({ ended: 'completed', items: this.#items });
        return false;
      }
      let chunk: string | Uint8Array;
      try {
        chunk = this.#format.encode(result.value);
      } catch (error) {
        this.#fail(error);
        return false;
      }
      this.#items++;
      const filled = chunk.length !== 0 && !this.#write(chunk);
      // An item whose write fills the socket counts too: with large items, every one does.
      const spent = this.#budget.spend(filled);
      if (filled) {
        this.#waitForDrain();
        return false;
      }
      this.#heartbeat?.refresh();
      if (spent) {
        this.#budget.waitForTurn(this.#resume);
        return false;
      }
    } catch (error) {
      // Not the producer's doing (a head the response refused): nothing sensible to write.
      this.#rejectWith(error);
      return false;
    }
    return true;
  }

  /**
   * Writes `chunk`, or adds a text chunk to the batch written at the end of the tick; false when
   * the socket is full.
   */
  #write(chunk: string | Uint8Array): boolean {
    if (typeof chunk === 'string') {
      this.#batch += chunk;
      if (this.#batch.length >= MAX_BATCH_CHARS) return this.#writeBatch();
      if (!this.#batchScheduled) {
        this.#batchScheduled = true;
        process.nextTick(this.#writeBatchLater);
      }
      return true;
    }
    const written = this.#writeBatch();
    return this.#response.write(chunk) && written;
  }

  /** The batch, emptied: for the caller to write. */
  #takeBatch(): string {
    const text = this.#batch;
    this.#batch = '';
    return text;
  }

  #writeBatch(): boolean {
    return this.#batch.length === 0 || this.#response.write(this.#takeBatch());
  }

  readonly #writeBatchLater = (): void => {
    this.#batchScheduled = false;
    // While the pipe waits for `drain`, the batch waits too: a write now would need a second one.
    if (this.#settled || this.#waitingForDrain) return;
    if (!this.#writeBatch()) this.#full = true;
  };

  #pullFailed(error: unknown): void {
    if (!this.#headersWritten) {
      // Nothing written yet: the caller answers with an ordinary error.
      this.#rejectWith(error);
    } else if (this.#signal.aborted) {
      this.#stopEarly();
    } else {
      this.#fail(error);
    }
  }

  #fail(error: unknown): void {
    this.#source.cancel();
    const last = this.#format.failure(error);
    const batch = this.#takeBatch();
    if (last === undefined) {
      if (batch.length !== 0) this.#response.write(batch);
      abortAfterFlush(this.#response);
    } else {
      this.#response.end(batch + last);
    }
    this.#settle({ ended: 'failed', items: this.#items, error });
  }

  #startHeartbeat(): void {
    const intervalMs = this.#format.heartbeatMs;
    if (intervalMs === undefined || intervalMs <= 0) return;
    const response = this.#response;
    const text = this.#format.heartbeat!;
    const heartbeat = setTimeout(function beat() {
      // A full socket already proves the connection is alive; never queue beats behind it.
      if (!response.writableNeedDrain) response.write(text);
      heartbeat.refresh();
    }, intervalMs);
    heartbeat.unref();
    this.#heartbeat = heartbeat;
  }

  #waitForDrain(): void {
    this.#waitingForDrain = true;
    this.#response.on('drain', this.#onDrained);
    this.#response.on('close', this.#onDrained);
    const stallTimeoutMs = this.#format.stallTimeoutMs;
    if (stallTimeoutMs !== undefined && stallTimeoutMs > 0) {
      this.#stallTimer = setTimeout(this.#onStalled, stallTimeoutMs);
      this.#stallTimer.unref();
    }
  }

  #stopWaitingForDrain(): void {
    if (!this.#waitingForDrain) return;
    this.#waitingForDrain = false;
    this.#response.off('drain', this.#onDrained);
    this.#response.off('close', this.#onDrained);
    clearTimeout(this.#stallTimer);
  }

  /** On `drain`, or on `close` when the socket goes away instead. */
  readonly #onDrained = (): void => {
    this.#stopWaitingForDrain();
    if (this.#settled) return;
    if (this.#signal.aborted) {
      this.#stopEarly();
      return;
    }
    this.#heartbeat?.refresh();
    this.#full = false;
    // What was held back while the socket was full goes first.
    if (!this.#writeBatch()) {
      this.#waitForDrain();
      return;
    }
    // A `drain` may come before the loop turned (a socket that took the write at once): it
    // renews nothing, and a spent budget waits for the next turn.
    if (this.#budget.exhausted) {
      this.#budget.waitForTurn(this.#resume);
      return;
    }
    this.#pull();
  };

  /** The client read nothing for `stallTimeoutMs`: end the stream, cancel the producer. */
  readonly #onStalled = (): void => {
    if (this.#settled) return;
    this.#source.cancel();
    const outcome: PipeOutcome = { ended: 'stalled', items: this.#items };
    this.#settle(outcome);
    // Nothing more can reach a client that does not read: close the connection outright.
    this.#response.destroy();
  };

  readonly #onAbort = (): void => {
    this.#source.cancel();
    if (!this.#settled) this.#stopEarly();
  };

  /** Settles as stopped by the signal (see `stoppedEarly`), writing the batch held back first. */
  #stopEarly(): void {
    this.#settle(stoppedEarly(this.#response, this.#items, this.#takeBatch()));
  }

  /** Cancels the producer and rejects the pipe: for a failure before anything was written. */
  #rejectWith(error: unknown): void {
    this.#source.cancel();
    this.#settle(undefined);
    this.#reject(error);
  }

  /** Marks the pipe finished, releases its timers and listeners, and resolves with `outcome`. */
  #settle(outcome: PipeOutcome | undefined): void {
    this.#settled = true;
    clearTimeout(this.#heartbeat);
    this.#stopWaitingForDrain();
    this.#signal.removeEventListener('abort', this.#onAbort);
    if (outcome !== undefined) this.#resolve(outcome);
  }
}

/**
 * The outcome when the signal stopped the pipe. Normally the client is gone already; if the
 * signal was aborted for another reason (a shutdown) the response is still closed, cleanly
 * when headers are out (after `batch`, the items not written yet), so the connection is never
 * left hanging.
 */
function stoppedEarly(response: ServerResponse, items: number, batch: string): PipeOutcome {
  if (!response.writableEnded && response.socket !== null && !response.socket.destroyed) {
    if (response.headersSent) response.end(batch);
    else response.destroy();
  }
  return { ended: 'aborted', items };
}

/**
 * Ends the connection without finishing the body: what was written still reaches the client,
 * then the missing end of the chunked body tells it the answer is incomplete. Node holds a
 * response's writes (corked) until the end of the tick, and since Node 24 ending the socket first
 * drops them, headers included: they are uncorked first.
 */
function abortAfterFlush(response: ServerResponse): void {
  const socket = response.socket;
  if (socket === null) {
    response.destroy();
    return;
  }
  response.uncork();
  socket.end();
}
