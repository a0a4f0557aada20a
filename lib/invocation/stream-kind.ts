/**
 * Whether a handler result is a stream, decided without loading the streaming machinery: it is a
 * WHATWG `ReadableStream` (has `getReader()`), an async iterable (async generators, custom ones,
 * Node `Readable`s), or a streaming sync iterable (see `isStreamingIterable`).
 */
export function isStreamResult(value: object): boolean {
  return (
    typeof (value as ReadableStream).getReader === 'function' ||
    typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function' ||
    isStreamingIterable(value)
  );
}

/**
 * A sync iterable object (has `Symbol.iterator`) that is not an Array, a String object, an
 * ArrayBuffer view (Buffer, typed arrays, DataView), a Map or a Set, and has no `toJSON`:
 * generator objects, iterators such as `map.values()`, custom iterables. Those stream; the
 * others are JSON values.
 */
export function isStreamingIterable(value: object): value is Iterable<unknown> {
  return (
    typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function' &&
    !Array.isArray(value) &&
    !ArrayBuffer.isView(value) &&
    !(value instanceof Map) &&
    !(value instanceof Set) &&
    !(value instanceof String) &&
    typeof (value as { toJSON?: unknown }).toJSON !== 'function'
  );
}
