import { Readable } from 'node:stream';
import { isStreamingIterable } from '../invocation/stream-kind.js';
import { isThenable } from '../thenable.js';

/**
 * A stream of items pulled one at a time, whatever produced it: the one interface the response
 * writers need, so backpressure and disconnects are handled once for every kind of stream.
 */
export interface PullSource {
  /**
   * The next item: at once when the producer has one at hand (a sync iterator, a Node Readable
   * with data buffered), else a native promise of it. Throws, or rejects, when the producer fails.
   */
  next(): IteratorResult<unknown> | Promise<IteratorResult<unknown>>;
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
  let iterator: AsyncIterator<unknown> | undefined;
  return {
    next() {
      // What is buffered already is taken at once (the async iterator reads it with the same
      // read() call); only an empty buffer, the end or an error needs the iterator's waiting.
      if (readable.readableLength > 0 && !readable.destroyed) {
        const chunk: unknown = readable.read();
        if (chunk !== null) return { done: false, value: chunk };
      }
      iterator ??= readable[Symbol.asyncIterator]();
      return iterator.next();
    },
    cancel() {
      // destroy() ends a pending read at once; the iterator's return() would wait for it.
      readable.destroy();
    },
  };
}

function asyncIteratorSource(iterator: AsyncIterator<unknown>): PullSource {
  let cancelled = false;
  return {
    next() {
      // A hand-written iterator may answer a plain result object instead of a promise: it is
      // taken as it is. Any other thenable becomes a native promise.
      const result = iterator.next();
      return result instanceof Promise || !isThenable(result) ? result : Promise.resolve(result);
    },
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
    next() {
      const result = iterator.next();
      // Like `for await`, a promise yielded by a sync generator is awaited.
      if (result.done !== true && isThenable(result.value)) return Promise.resolve(result.value).then((value) => ({ done: false, value }));
      return result;
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
