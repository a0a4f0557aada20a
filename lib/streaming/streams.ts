import { Readable } from 'node:stream';
import { isStreamingIterable } from '../invocation/stream-kind.js';

/**
 * A stream of items pulled one at a time, whatever produced it: the one interface the response
 * writers need, so backpressure and disconnects are handled once for every kind of stream.
 */
export interface PullSource {
  /** The next item; rejects when the producer fails. */
  next(): Promise<IteratorResult<unknown>>;
  /**
   * Stops the producer and frees its resources: `return()` on an iterator, `destroy()` on a
   * Node Readable, `cancel()` on a WHATWG ReadableStream. Prompt even while a `next()` is
   * pending; never throws; safe to call more than once.
   */
  cancel(): void;
}

/**
 * The source for a handler result that is a stream, or `undefined` when it is a plain value.
 * In this order, a result is a stream when it is:
 * 1. a WHATWG `ReadableStream` (anything with `getReader()`), read with a reader;
 * 2. a Node `Readable` (including Duplex, Transform, PassThrough);
 * 3. an async iterable (has `Symbol.asyncIterator`): async generators and custom ones;
 * 4. a sync iterable object (has `Symbol.iterator`) that is not an Array, a String object, an
 *    ArrayBuffer view (Buffer, typed arrays, DataView), a Map or a Set, and has no `toJSON`:
 *    generator objects, iterators such as `map.values()`, custom iterables.
 * Arrays, Maps, Sets, typed arrays and objects with `toJSON` stay JSON values.
 */
export function toPullSource(value: unknown): PullSource | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (typeof (value as ReadableStream).getReader === 'function') return readableStreamSource(value as ReadableStream);
  if (value instanceof Readable) return nodeReadableSource(value);
  if (typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    return asyncIteratorSource((value as AsyncIterable<unknown>)[Symbol.asyncIterator]());
  }
  if (isStreamingIterable(value)) return syncIteratorSource(value[Symbol.iterator]());
  return undefined;
}

function readableStreamSource(stream: ReadableStream): PullSource {
  let reader: ReadableStreamDefaultReader | undefined;
  let cancelled = false;
  return {
    async next() {
      // getReader() throws for a locked stream: on the first pull, so it becomes the handler's error.
      reader ??= stream.getReader();
      return (await reader.read()) as IteratorResult<unknown>;
    },
    cancel() {
      if (cancelled) return;
      cancelled = true;
      // A reader's cancel() also settles a pending read(), unlike the async iterator's return().
      (reader ?? stream).cancel().catch(ignore);
    },
  };
}

function nodeReadableSource(readable: Readable): PullSource {
  const iterator = readable[Symbol.asyncIterator]();
  return {
    next: () => iterator.next(),
    cancel() {
      // destroy() ends a pending read at once; the iterator's return() would wait for it.
      readable.destroy();
    },
  };
}

function asyncIteratorSource(iterator: AsyncIterator<unknown>): PullSource {
  let cancelled = false;
  return {
    // A hand-written iterator may answer a plain result object instead of a promise.
    next: () => Promise.resolve(iterator.next()),
    cancel() {
      if (cancelled) return;
      cancelled = true;
      // An async generator queues return() behind a pending next(); custom iterators run it now.
      closeIterator(iterator);
    },
  };
}

function syncIteratorSource(iterator: Iterator<unknown>): PullSource {
  let cancelled = false;
  return {
    async next() {
      const result = iterator.next();
      // Like `for await`, a promise yielded by a sync generator is awaited.
      return result.done === true ? result : { done: false, value: await result.value };
    },
    cancel() {
      if (cancelled) return;
      cancelled = true;
      closeIterator(iterator);
    },
  };
}

/** Calls `return()` if there is one; a failing cleanup (thrown or rejected) ends nothing but itself. */
function closeIterator(iterator: Iterator<unknown> | AsyncIterator<unknown>): void {
  try {
    const closing: unknown = iterator.return?.();
    if (typeof (closing as PromiseLike<unknown> | undefined)?.then === 'function') Promise.resolve(closing).catch(ignore);
  } catch {
    // Nothing to do: the stream is over either way.
  }
}

function ignore(): void {}
