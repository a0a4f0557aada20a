import { TextDecoder } from 'node:util';

/** One dispatched event, as an EventSource would see it (plus the block's raw `retry`). */
export interface ReadEvent {
  /** The event type; `message` when the block had no `event:` field. */
  type: string;
  /** The data lines joined with `\n`. */
  data: string;
  /** The last event id in force when the event was dispatched. */
  lastEventId: string;
  /** The `retry:` value given in this event's block, if any. */
  retry?: number;
}

/**
 * A small Server-Sent Events parser that follows the WHATWG "event stream interpretation"
 * rules, for checking the wire format in tests: lines end with CRLF, CR or LF (a CR at the end
 * of a chunk waits for the next chunk); `:` starts a comment; `field: value` drops one space
 * after the colon; `data` lines accumulate joined by `\n`; a blank line dispatches the event
 * unless its data is empty; `id` with NUL is ignored; `retry` must be all ASCII digits; an
 * unterminated last block is discarded at the end.
 */
export class SseReader {
  /** Dispatched events, in order. */
  readonly events: ReadEvent[] = [];
  /** Comment lines (without the leading colon and one space). */
  readonly comments: string[] = [];
  /** The reconnection time last set by `retry:`. */
  reconnectionTime: number | undefined;
  #buffer = '';
  #data = '';
  #type = '';
  #lastEventId = '';
  #blockRetry: number | undefined;
  #started = false;
  readonly #decoder = new TextDecoder('utf-8');

  /** Feeds bytes (decoded as a UTF-8 stream) or text. */
  push(chunk: Uint8Array | string): void {
    let text = typeof chunk === 'string' ? chunk : this.#decoder.decode(chunk, { stream: true });
    if (!this.#started && text.length > 0) {
      this.#started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.#buffer += text;
    this.#drainLines(false);
  }

  /** Ends the stream: a trailing unterminated block is discarded, as the spec says. */
  end(): this {
    this.#buffer += this.#decoder.decode();
    this.#drainLines(true);
    return this;
  }

  #drainLines(ending: boolean): void {
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.#buffer);
      if (match === null) break;
      // A CR at the very end may be the first half of a CRLF split across chunks.
      if (match[0] === '\r' && match.index === this.#buffer.length - 1 && !ending) break;
      const line = this.#buffer.slice(0, match.index);
      this.#buffer = this.#buffer.slice(match.index + match[0].length);
      this.#line(line);
    }
  }

  #line(line: string): void {
    if (line === '') {
      this.#dispatch();
      return;
    }
    if (line.startsWith(':')) {
      this.comments.push(line.slice(1).replace(/^ /, ''));
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.#type = value;
        break;
      case 'data':
        this.#data += value + '\n';
        break;
      case 'id':
        if (!value.includes('\0')) this.#lastEventId = value;
        break;
      case 'retry':
        if (/^[0-9]+$/.test(value)) {
          this.reconnectionTime = Number(value);
          this.#blockRetry = this.reconnectionTime;
        }
        break;
      default:
        // Unknown fields are ignored.
        break;
    }
  }

  #dispatch(): void {
    const retry = this.#blockRetry;
    this.#blockRetry = undefined;
    if (this.#data === '') {
      this.#type = '';
      return;
    }
    const event: ReadEvent = { type: this.#type || 'message', data: this.#data.slice(0, -1), lastEventId: this.#lastEventId };
    if (retry !== undefined) event.retry = retry;
    this.events.push(event);
    this.#data = '';
    this.#type = '';
  }
}

/** Parses a complete event stream. */
export function parseSse(text: string | Uint8Array): SseReader {
  const reader = new SseReader();
  reader.push(text);
  return reader.end();
}

/** The data of each event parsed as JSON. */
export function jsonData(reader: SseReader): unknown[] {
  return reader.events.map((event) => JSON.parse(event.data) as unknown);
}
