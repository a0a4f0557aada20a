import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { isStreamingIterable, isStreamResult } from '../../lib/invocation/stream-kind.js';
import { toPullSource } from '../../lib/streaming/streams.js';

/** Results that stream, one of each kind a handler may return. */
const STREAMS: Array<[string, () => object]> = [
  ['a generator object', () => (function* () { yield 1; })()],
  ['an async generator object', () => (async function* () { yield 1; })()],
  ['a Map iterator', () => new Map([['k', 1]]).values()],
  ['an array iterator', () => [1, 2].entries()],
  ['a custom sync iterable', () => ({ *[Symbol.iterator]() { yield 'custom'; } })],
  ['a custom async iterable', () => ({ [Symbol.asyncIterator]: () => ({ next: async () => ({ done: true, value: undefined }) }) })],
  ['a Node Readable', () => Readable.from(['a'])],
  ['a ReadableStream', () => new ReadableStream()],
];

/** Objects that are JSON values, even though some of them are iterable. */
const JSON_VALUES: Array<[string, () => object]> = [
  ['an array', () => [1, 2]],
  ['a String object', () => new String('boxed')],
  ['a Buffer', () => Buffer.from('bytes')],
  ['a typed array', () => new Uint16Array(2)],
  ['a DataView', () => new DataView(new ArrayBuffer(1))],
  ['a Map', () => new Map([['k', 1]])],
  ['a Set', () => new Set([1])],
  ['an iterable with toJSON', () => ({ *[Symbol.iterator]() { yield 1; }, toJSON: () => 'json' })],
  ['a plain object', () => ({ a: 1 })],
  ['a Date', () => new Date(0)],
];

describe('isStreamResult', () => {
  for (const [label, make] of STREAMS) {
    it(`streams ${label}`, () => {
      assert.equal(isStreamResult(make()), true);
    });
  }

  for (const [label, make] of JSON_VALUES) {
    it(`answers ${label} as JSON`, () => {
      assert.equal(isStreamResult(make()), false);
    });
  }

  it('agrees with toPullSource, which does the streaming, on every one of them', () => {
    for (const [label, make] of [...STREAMS, ...JSON_VALUES]) {
      const source = toPullSource(make());
      source?.cancel();
      assert.equal(isStreamResult(make()), source !== undefined, label);
    }
  });
});

describe('isStreamingIterable', () => {
  it('is true for sync iterables that are not JSON values, false for async-only ones and JSON values', () => {
    assert.equal(isStreamingIterable((function* () {})()), true);
    assert.equal(isStreamingIterable(new Set([1]).values()), true);
    assert.equal(isStreamingIterable((async function* () {})()), false);
    for (const [label, make] of JSON_VALUES) assert.equal(isStreamingIterable(make()), false, label);
  });
});
