import type { ServerResponse } from 'node:http';
import { pipeSource, type PipeOutcome } from '../streaming/pipe.js';
import { SSE_CONTENT_TYPE, SSE_HEARTBEAT } from '../streaming/sse.js';
import type { PullSource } from '../streaming/streams.js';

/** What one SSE connection needs besides its response. */
export interface SseConnectionOptions {
  /** Aborted when the client goes away (or at the shutdown deadline): the connection ends. */
  readonly signal: AbortSignal;
  /** Extra response headers (`mcp-session-id`). */
  readonly headers: Readonly<Record<string, string>> | undefined;
  /** A `: keepalive` comment after this long without an event; 0 for none. */
  readonly heartbeatMs: number;
  /** A client that reads nothing this long is cut off; 0 for never. */
  readonly stallTimeoutMs: number;
  /** Bytes of events held for a client that is not reading before it is cut off. */
  readonly bufferBytes: number;
  /** Called once when the connection is over, however it ended. */
  readonly onEnd: (outcome: PipeOutcome | undefined) => void;
}

/**
 * One `text/event-stream` answer on one HTTP response. Events are pushed as they happen and the
 * core's pipe (lib/streaming/pipe.ts) writes them with its backpressure, heartbeat, stall
 * timeout and disconnect handling; the events not yet taken by the pipe wait in a queue whose
 * size is bounded by `bufferBytes`.
 */
export class SseConnection {
  readonly #response: ServerResponse;
  readonly #queue: EventQueue;
  #open = true;

  /**
   * Starts the pipe; the headers leave with the first event pushed (push one at once: a client
   * waits for the headers).
   */
  constructor(response: ServerResponse, options: SseConnectionOptions) {
    this.#response = response;
    this.#queue = new EventQueue(options.bufferBytes);
    const headers = { ...options.headers, ...SSE_HEADERS };
    const done = (outcome: PipeOutcome | undefined): void => {
      this.#open = false;
      this.#queue.cancel();
      options.onEnd(outcome);
    };
    pipeSource(response, this.#queue, options.signal, {
      head: (res) => res.writeHead(200, headers),
      encode: (item) => item as string,
      failure: () => undefined,
      heartbeatMs: options.heartbeatMs,
      heartbeat: SSE_HEARTBEAT,
      stallTimeoutMs: options.stallTimeoutMs,
    }).then(done, () => {
      // The response refused its head (the socket was gone already): nothing more to write.
      response.destroy();
      done(undefined);
    });
  }

  /** True until the connection ended. */
  get open(): boolean {
    return this.#open;
  }

  /**
   * Sends one event's text; false when the connection is over, or was just cut because the
   * client is not reading and the buffer is full.
   */
  push(text: string): boolean {
    if (!this.#open) return false;
    if (this.#queue.push(text)) return true;
    this.#cut();
    return false;
  }

  /** Ends the answer after the events already pushed. */
  end(): void {
    this.#queue.end();
  }

  /** Ends the connection at once, whatever is left to write. */
  #cut(): void {
    this.#open = false;
    this.#queue.cancel();
    this.#response.destroy();
  }
}

/** The headers of every SSE answer. */
const SSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': SSE_CONTENT_TYPE,
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  // Tells nginx-style proxies not to hold events back in their buffers.
  'x-accel-buffering': 'no',
});

/** An SSE comment, ignored by every client: the first item of a stream with nothing to say yet, so its headers leave at once. */
export const SSE_OPENING_COMMENT = ': stream open\n\n';

/** The events waiting for the pipe: pushed by the server, pulled by the pipe, bounded in bytes. */
class EventQueue implements PullSource {
  readonly #maxBytes: number;
  #items: string[] = [];
  #bytes = 0;
  #ended = false;
  #cancelled = false;
  #waiting: ((result: IteratorResult<unknown>) => void) | undefined;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** Queues `text`; false when it would pass the limit (one event alone always fits). */
  push(text: string): boolean {
    if (this.#cancelled || this.#ended) return true;
    const waiting = this.#waiting;
    if (waiting !== undefined) {
      this.#waiting = undefined;
      waiting({ done: false, value: text });
      return true;
    }
    if (this.#items.length > 0 && this.#bytes + text.length > this.#maxBytes) return false;
    this.#items.push(text);
    this.#bytes += text.length;
    return true;
  }

  end(): void {
    this.#ended = true;
    if (this.#items.length === 0) this.#settleWaiting();
  }

  next(): IteratorResult<unknown> | Promise<IteratorResult<unknown>> {
    if (this.#items.length > 0) {
      const text = this.#items.shift()!;
      this.#bytes -= text.length;
      return { done: false, value: text };
    }
    if (this.#ended || this.#cancelled) return { done: true, value: undefined };
    return new Promise((resolve) => {
      this.#waiting = resolve;
    });
  }

  cancel(): void {
    this.#cancelled = true;
    this.#items = [];
    this.#bytes = 0;
    this.#settleWaiting();
  }

  #settleWaiting(): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.({ done: true, value: undefined });
  }
}
