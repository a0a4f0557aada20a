/**
 * The events of SSE streams kept so a client can resume one with `Last-Event-ID` (stateful mode):
 * one log per stream, and one budget (bytes and events) for all of them, spent oldest first. An
 * event dropped to make room is simply not replayed; the budget, not the number of clients,
 * bounds the memory.
 */
export class EventStore {
  readonly #maxBytes: number;
  readonly #maxEvents: number;
  /** Every stored event, oldest first; `#head` is the oldest still counted. */
  #queue: StoredEvent[] = [];
  #head = 0;
  #bytes = 0;
  #count = 0;

  constructor(maxBytes: number, maxEvents: number) {
    this.#maxBytes = maxBytes;
    this.#maxEvents = maxEvents;
  }

  /** Bytes (UTF-16 code units, near enough) of the events kept. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Number of events kept. */
  get size(): number {
    return this.#count;
  }

  /** A new, empty log for one stream; `onEmpty` runs when its last event is dropped. */
  createLog(onEmpty?: () => void): EventLog {
    return new EventLog(this, onEmpty);
  }

  /** Counts `event` (just appended to its log), dropping the oldest events past the budget. */
  add(event: StoredEvent): void {
    this.#queue.push(event);
    this.#bytes += event.text.length;
    this.#count++;
    while ((this.#bytes > this.#maxBytes || this.#count > this.#maxEvents) && this.#count > 0) this.#evictOldest();
  }

  /** Stops counting the events of a log that is released (its session ended). */
  release(events: readonly StoredEvent[]): void {
    for (const event of events) {
      if (event.released) continue;
      event.released = true;
      this.#bytes -= event.text.length;
      this.#count--;
    }
    this.#compact();
  }

  #evictOldest(): void {
    for (;;) {
      const event = this.#queue[this.#head++]!;
      if (event.released) continue;
      event.released = true;
      this.#bytes -= event.text.length;
      this.#count--;
      event.log.dropOldest();
      break;
    }
    this.#compact();
  }

  /** Forgets the queue entries already spent once they are most of it. */
  #compact(): void {
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head).filter((event) => !event.released);
      this.#head = 0;
    } else if (this.#count === 0) {
      this.#queue = [];
      this.#head = 0;
    }
  }
}

/** One event kept for resumption. */
export interface StoredEvent {
  readonly log: EventLog;
  /** Its number in its stream, from 1. */
  readonly seq: number;
  /** Its whole SSE text. */
  readonly text: string;
  released: boolean;
}

/** The events of one stream that are still kept, in order. */
export class EventLog {
  readonly #store: EventStore;
  readonly #onEmpty: (() => void) | undefined;
  #events: StoredEvent[] = [];
  #nextSeq = 1;
  #released = false;

  constructor(store: EventStore, onEmpty: (() => void) | undefined) {
    this.#store = store;
    this.#onEmpty = onEmpty;
  }

  /** The number the next event gets. */
  get nextSeq(): number {
    return this.#nextSeq;
  }

  /** Number of events kept. */
  get size(): number {
    return this.#events.length;
  }

  /**
   * Keeps the event made by `format(seq)` (which writes the sequence number into its `id:`),
   * returns its text. A released log keeps nothing but still numbers its events.
   */
  append(format: (seq: number) => string): string {
    const seq = this.#nextSeq++;
    const text = format(seq);
    if (this.#released) return text;
    const event: StoredEvent = { log: this, seq, text, released: false };
    this.#events.push(event);
    this.#store.add(event);
    return text;
  }

  /** The texts of the events after `seq`, oldest first (those still kept). */
  after(seq: number): string[] {
    const texts: string[] = [];
    for (const event of this.#events) if (event.seq > seq) texts.push(event.text);
    return texts;
  }

  /** Drops every event and keeps no more (the stream's session ended). */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    const events = this.#events;
    this.#events = [];
    this.#store.release(events);
  }

  /** The store dropped this log's oldest event to make room. */
  dropOldest(): void {
    this.#events.shift();
    if (this.#events.length === 0) this.#onEmpty?.();
  }
}
