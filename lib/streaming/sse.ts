import { toJson, toJsonStrict } from '../serialize.js';

/** The media type of a Server-Sent Events response. */
export const SSE_CONTENT_TYPE = 'text/event-stream';

/**
 * The platform's streaming chunk limit: 10 MB per event. Larger events are still sent, with a
 * warning in the log, because the platform (not this library) decides what happens to them.
 */
export const SSE_MAX_EVENT_BYTES = 10 * 1024 * 1024;

/** The comment written as a heartbeat on a quiet stream; clients ignore comments. */
export const SSE_HEARTBEAT = ': keepalive\n\n';

/** A UTF-8 character is at most 3 bytes per UTF-16 code unit, so shorter text is under any byte bound. */
const MAX_UTF8_BYTES_PER_CODE_UNIT = 3;

/** Line terminators the SSE grammar accepts: CRLF, lone CR, lone LF. */
const LINE_BREAK = /\r\n|\r|\n/;

/** The fields of an explicit event; every one is optional. */
export interface SseEventInit {
  /** Event type (`event:`); must not contain a line break. Omitted means the client's `message`. */
  event?: string;
  /** Event id (`id:`); must not contain a line break or NUL. */
  id?: string | number;
  /**
   * The payload (`data:`). A string is sent as-is, split into one `data:` line per line; any
   * other value is sent as JSON (via `toJson`, so it never throws). Omitted means no `data:`
   * line: a block carrying only `id`, `retry` or a comment, which clients do not dispatch.
   */
  data?: unknown;
  /** Reconnection delay in ms (`retry:`); a non-negative integer. */
  retry?: number;
  /** A comment line (`: text`); line breaks make several comment lines. Clients ignore it. */
  comment?: string;
}

/**
 * One explicit Server-Sent Event. Build it with `sseEvent()`; its wire text is fixed (and
 * validated) at construction, so writing it can never fail.
 */
export class SseEvent {
  /** The `event:` field, if any. */
  readonly event: string | undefined;
  /** The `id:` field, if any. */
  readonly id: string | undefined;
  /** The payload as given. */
  readonly data: unknown;
  /** The `retry:` field, if any. */
  readonly retry: number | undefined;
  /** The comment, if any. */
  readonly comment: string | undefined;
  readonly #text: string;

  /** @throws TypeError when a field breaks the rules listed on `SseEventInit`. */
  constructor(init: SseEventInit) {
    if (typeof init !== 'object' || init === null) throw new TypeError('sseEvent expects an object');
    this.event = init.event === undefined ? undefined : singleLine(init.event, 'event');
    this.id = init.id === undefined ? undefined : singleLine(String(init.id), 'id');
    if (this.id?.includes('\0')) throw new TypeError('SSE id must not contain NUL');
    if (init.retry !== undefined && !(Number.isSafeInteger(init.retry) && init.retry >= 0)) {
      throw new TypeError(`SSE retry must be a non-negative integer, got ${String(init.retry)}`);
    }
    if (init.comment !== undefined && typeof init.comment !== 'string') throw new TypeError('SSE comment must be a string');
    this.retry = init.retry;
    this.comment = init.comment;
    this.data = init.data;
    this.#text = formatEvent(this);
  }

  /** The event's wire text, ending with the blank line that dispatches it. */
  toString(): string {
    return this.#text;
  }
}

/**
 * Pre-formatted SSE text written to the stream untouched (no JSON encoding, no added blank
 * line). Build it with `sseRaw()`.
 */
export class SseRaw {
  /** The text, exactly as it goes on the wire. */
  readonly text: string;

  /** @throws TypeError when `text` is not a string. */
  constructor(text: string) {
    if (typeof text !== 'string') throw new TypeError('sseRaw expects a string');
    this.text = text;
  }
}

/**
 * Builds an explicit event for a streaming handler to yield:
 * `yield sseEvent({ event: 'progress', id: 3, data: { percent: 30 } })`.
 * @throws TypeError when `event` or `id` contains a line break, `id` contains NUL, `retry` is
 * not a non-negative integer, or `comment` is not a string.
 */
export function sseEvent(init: SseEventInit): SseEvent {
  return new SseEvent(init);
}

/**
 * Wraps pre-formatted SSE text (for example `"event: done\ndata: ok\n\n"`) so a streaming
 * handler can yield it without it being JSON-encoded.
 * @throws TypeError when `text` is not a string.
 */
export function sseRaw(text: string): SseRaw {
  return new SseRaw(text);
}

/**
 * The final event a stream that fails mid-way ends with: the Python SDK's shape,
 * `data: {"error": msg, "error_type": name, "message": msg}`.
 */
export function sseErrorEvent(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const type = error instanceof Error ? error.name : typeof error;
  return `data: ${toJson({ error: message, error_type: type, message })}\n\n`;
}

/** True when `text` may exceed `SSE_MAX_EVENT_BYTES` once UTF-8 encoded; cheap for small text. */
export function exceedsSseEventLimit(text: string): boolean {
  return text.length * MAX_UTF8_BYTES_PER_CODE_UNIT > SSE_MAX_EVENT_BYTES && Buffer.byteLength(text) > SSE_MAX_EVENT_BYTES;
}

/**
 * Turns the items of one stream into SSE wire text:
 * - `SseEvent` → its formatted fields; `SseRaw` → its text untouched;
 * - bytes (`Uint8Array`, `Buffer`, `ArrayBuffer`) → decoded as UTF-8 text, carrying a character
 *   split across chunks over to the next one, then sent like a string item;
 * - anything else → `data: <toJsonStrict(item)>\n\n` (strings are JSON-encoded too).
 * One encoder per stream, because of the bytes carried between chunks.
 */
export class SseEncoder {
  #decoder: InstanceType<typeof TextDecoder> | undefined;

  /**
   * The wire text for `item`; empty when bytes only began a character.
   * @throws UnserializableResultError when `item` cannot be written as JSON faithfully.
   */
  encode(item: unknown): string {
    if (item instanceof SseEvent) return item.toString();
    if (item instanceof SseRaw) return item.text;
    if (item instanceof Uint8Array || item instanceof ArrayBuffer) {
      this.#decoder ??= new TextDecoder('utf-8');
      return dataEvent(this.#decoder.decode(item, { stream: true }));
    }
    return `data: ${toJsonStrict(item)}\n\n`;
  }

  /** The wire text for bytes left over at the end of the stream (an incomplete character). */
  flush(): string {
    return this.#decoder === undefined ? '' : dataEvent(this.#decoder.decode());
  }
}

function dataEvent(text: string): string {
  return text === '' ? '' : `data: ${toJson(text)}\n\n`;
}

function singleLine(value: string, field: string): string {
  if (typeof value !== 'string') throw new TypeError(`SSE ${field} must be a string`);
  if (LINE_BREAK.test(value)) throw new TypeError(`SSE ${field} must not contain a line break`);
  return value;
}

function formatEvent(event: SseEvent): string {
  let text = '';
  if (event.comment !== undefined) {
    for (const line of event.comment.split(LINE_BREAK)) text += `: ${line}\n`;
  }
  if (event.event !== undefined) text += `event: ${event.event}\n`;
  if (event.id !== undefined) text += `id: ${event.id}\n`;
  if (event.retry !== undefined) text += `retry: ${event.retry}\n`;
  if (event.data !== undefined) {
    const data = typeof event.data === 'string' ? event.data : toJson(event.data);
    for (const line of data.split(LINE_BREAK)) text += `data: ${line}\n`;
  }
  return text + '\n';
}
