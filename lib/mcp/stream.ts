import type { ServerResponse } from 'node:http';
import type { EventLog } from './event-store.js';
import { SseConnection, type SseConnectionOptions } from './sse-connection.js';

/** How a stream's connections are made: everything `SseConnectionOptions` needs but `onEnd`. */
export type ConnectionOptions = Omit<SseConnectionOptions, 'onEnd'>;

/**
 * One MCP SSE stream: the answer stream of a POST, or a session's standalone GET stream. It
 * outlives its connection when it keeps an event log (stateful mode with resumability): every
 * event gets an id `<stream>_<seq>`, is kept in the log, and a client that lost the connection
 * gets the rest by GET with `Last-Event-ID`. Without a log, events carry no id and the stream
 * ends with its connection.
 */
export class McpStream {
  /** Unique within its session; the first part of its event ids. */
  readonly id: number;
  readonly #log: EventLog | undefined;
  #connection: SseConnection | undefined;
  #finished = false;
  /** An event with an id went out: the client can resume from it. */
  #idSent = false;
  /** Called when a connection ends before the stream finished. */
  #onConnectionLost: (() => void) | undefined;

  constructor(id: number, log: EventLog | undefined, onConnectionLost?: () => void) {
    this.id = id;
    this.#log = log;
    this.#onConnectionLost = onConnectionLost;
  }

  /** True when a client that loses the connection can come back for the rest. */
  get resumable(): boolean {
    return this.#log !== undefined && this.#idSent;
  }

  /** True while a connection carries the stream. */
  get connected(): boolean {
    return this.#connection?.open === true;
  }

  /** True once the stream said everything it had to. */
  get finished(): boolean {
    return this.#finished;
  }

  /** The id of the event numbered `seq` in this stream. */
  eventId(seq: number): string {
    return `${this.id}_${seq}`;
  }

  /**
   * Carries the stream on `response` from now on, after replaying what the log kept after
   * `afterSeq` (a resumption); a connection still open is ended first. A finished stream ends the
   * connection once the replay is written.
   */
  connect(response: ServerResponse, options: ConnectionOptions, afterSeq?: number): void {
    const previous = this.#connection;
    this.#connection = undefined;
    previous?.end();
    const connection = new SseConnection(response, { ...options, onEnd: () => this.#connectionEnded(connection) });
    this.#connection = connection;
    if (afterSeq !== undefined && this.#log !== undefined) {
      for (const text of this.#log.after(afterSeq)) connection.push(text);
    }
    if (this.#finished) connection.end();
  }

  /** Sends the priming event (2025-11-25): an id and an empty `data`, plus `retry` for polling. */
  prime(retryMs: number): void {
    if (this.#log === undefined) return;
    this.#write(this.#log.append((seq) => `id: ${this.eventId(seq)}\nretry: ${retryMs}\ndata: \n\n`));
    this.#idSent = true;
  }

  /** Sends one JSON-RPC message (its JSON text) as an event. */
  send(message: string): void {
    if (this.#finished) return;
    if (this.#log === undefined) {
      this.#write(`event: message\ndata: ${message}\n\n`);
      return;
    }
    this.#write(this.#log.append((seq) => `event: message\nid: ${this.eventId(seq)}\ndata: ${message}\n\n`));
    this.#idSent = true;
  }

  /** Sends a text the client ignores (an SSE comment), so a connection's headers leave now. */
  comment(text: string): void {
    this.#connection?.push(text);
  }

  /** No more events: the connection ends once it has written them. */
  finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#onConnectionLost = undefined;
    this.#connection?.end();
  }

  /** Drops the events kept for resumption (the session ended). */
  release(): void {
    this.#log?.release();
  }

  /**
   * Ends the current connection but not the stream (2025-11-25 SSE polling): the client waits
   * `retryMs` and resumes with `Last-Event-ID`. False (nothing done) when the stream cannot be
   * resumed.
   */
  closeConnection(retryMs: number): boolean {
    if (!this.resumable || this.#connection === undefined) return false;
    const connection = this.#connection;
    this.#connection = undefined;
    connection.push(`retry: ${retryMs}\n\n`);
    connection.end();
    return true;
  }

  #write(text: string): void {
    this.#connection?.push(text);
  }

  #connectionEnded(connection: SseConnection): void {
    if (this.#connection !== connection) return;
    this.#connection = undefined;
    if (!this.#finished) this.#onConnectionLost?.();
  }
}

/** The stream and event numbers of a `Last-Event-ID` this server made, or `undefined`. */
export function parseEventId(id: string): { stream: number; seq: number } | undefined {
  const match = /^(\d{1,15})_(\d{1,15})$/.exec(id.trim());
  if (match === null) return undefined;
  return { stream: Number(match[1]), seq: Number(match[2]) };
}
