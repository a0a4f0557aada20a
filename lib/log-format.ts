/**
 * The text of a log line, made cheaply: a busy agent writes one per invocation. Counted with
 * valgrind on Node 20, `new Date().toISOString()` costs about 8,000 instructions, and
 * `JSON.stringify` about 9,000 for a seven-field record and 1,300 for a short string (most of
 * it the call itself); what is here costs a fraction of each and writes exactly the same text.
 */

import { redactString } from './redact.js';

/** The second whose ISO prefix (`2026-12-03T13:28:26.`) is cached, and that prefix. */
let cachedSecond = Number.NaN;
let cachedPrefix = '';

/**
 * `new Date(now).toISOString()`, formatting the date only once per second: within a second only
 * the milliseconds change.
 */
export function isoTimestamp(now: number = Date.now()): string {
  const second = Math.floor(now / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    // Everything but the milliseconds and the `Z` ("000Z"), whatever the width of the year.
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, -4);
  }
  const milliseconds = now - second * 1000;
  return cachedPrefix + (milliseconds < 10 ? '00' : milliseconds < 100 ? '0' : '') + milliseconds + 'Z';
}

/** Characters `JSON.stringify` escapes in a string: quote, backslash, controls, lone surrogates. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** `JSON.stringify(text)`; text needing no escapes (nearly every key and value) is only quoted. */
export function jsonString(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : '"' + text + '"';
}

/** Cached text fragments: at most this many entries each, of keys at most this long. */
const MAX_CACHED_FRAGMENTS = 512;
const MAX_CACHED_FRAGMENT_CHARS = 200;

function cached(cache: Map<string, string>, key: string, make: (key: string) => string): string {
  let text = cache.get(key);
  if (text === undefined) {
    text = make(key);
    if (cache.size < MAX_CACHED_FRAGMENTS && key.length <= MAX_CACHED_FRAGMENT_CHARS) cache.set(key, text);
  }
  return text;
}

const propertyPrefixes = new Map<string, string>();

/** `,"name":`, the text before a property's value, cached per name (names repeat line after line). */
export function propertyPrefix(name: string): string {
  return cached(propertyPrefixes, name, (key) => ',' + jsonString(key) + ':');
}

const messageTexts = new Map<string, string>();

/** A log message as JSON text, credentials redacted, cached per message (most are constants). */
export function messageJson(message: string): string {
  return cached(messageTexts, message, (text) => jsonString(redactString(text)));
}

/**
 * The JSON text of a plain-data value (a redacted copy), or `undefined` for what JSON leaves out
 * of an object (undefined, functions, symbols). Primitives are written here; objects and arrays
 * by `JSON.stringify`.
 */
export function jsonValue(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return jsonString(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      return value === null ? 'null' : JSON.stringify(value);
    default:
      return undefined;
  }
}

/**
 * `JSON.stringify(record)` for a log record whose fields are already plain data (redacted
 * copies), one top-level property at a time.
 */
export function serializeRecord(record: Readonly<Record<string, unknown>>): string {
  let line = '';
  for (const key of Object.keys(record)) {
    const text = jsonValue(record[key]);
    if (text !== undefined) line += propertyPrefix(key) + text;
  }
  // Every property starts with a comma; the first one's becomes the opening brace.
  return line === '' ? '{}' : '{' + line.slice(1) + '}';
}
