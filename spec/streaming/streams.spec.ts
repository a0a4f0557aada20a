import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { toPullSource } from '../../lib/streaming/streams.js';

async function drain(value: unknown): Promise<unknown[]> {
  const source = toPullSource(value);
  assert.ok(source, 'is a stream');
  const items: unknown[] = [];
  for (let result = await source.next(); result.done !== true; result = await source.next()) items.push(result.value);
  return items;
}

describe('what counts as a stream', () => {
  it('streams generators, iterators, async iterables, Node Readables and ReadableStreams', async () => {
    assert.deepEqual(await drain((function* () { yield 1; yield 2; })()), [1, 2]);
    assert.deepEqual(await drain((async function* () { yield 'a'; })()), ['a']);
    assert.deepEqual(await drain(new Map([['k', 1]]).values()), [1]);
    assert.deepEqual(await drain([1, 2].entries()), [[0, 1], [1, 2]]);
    assert.deepEqual(await drain({ *[Symbol.iterator]() { yield 'custom'; } }), ['custom']);
    assert.deepEqual(await drain(Readable.from([{ a: 1 }])), [{ a: 1 }]);
    assert.deepEqual(await drain(new ReadableStream({ start: (c) => { c.enqueue('w'); c.close(); } })), ['w']);
  });

  it('keeps arrays, strings, typed arrays, Maps, Sets, toJSON objects and plain values as JSON', () => {
    const iterableWithToJson = { *[Symbol.iterator]() { yield 1; }, toJSON: () => 'json' };
    for (const value of [[1, 2], 'text', new String('boxed'), new Uint16Array(2), new DataView(new ArrayBuffer(1)), new Map(), new Set([1]), iterableWithToJson, { a: 1 }, 5, null, undefined, () => 1]) {
      assert.equal(toPullSource(value), undefined, Object.prototype.toString.call(value));
    }
  });

  it('awaits promises yielded by a sync generator, like for await', async () => {
    assert.deepEqual(await drain((function* () { yield Promise.resolve('later'); })()), ['later']);
  });

  it('accepts a hand-written async iterator that answers plain result objects', async () => {
    let n = 0;
    const iterable = { [Symbol.asyncIterator]: () => ({ next: () => (n < 2 ? { done: false, value: n++ } : { done: true, value: undefined }) }) };
    assert.deepEqual(await drain(iterable), [0, 1]);
  });
});

describe('cancelling a stream', () => {
  it('calls return() on an iterator at once, even while a next() is pending, and only once', async () => {
    let returns = 0;
    const source = toPullSource({
      [Symbol.asyncIterator]: () => ({
        next: () => new Promise<never>(() => {}),
        return: () => {
          returns++;
          return Promise.resolve({ done: true as const, value: undefined });
        },
      }),
    })!;
    void source.next();
    source.cancel();
    source.cancel();
    assert.equal(returns, 1);
  });

  it('survives a return() that throws or rejects, and iterators without return()', async () => {
    for (const returnFn of [() => { throw new Error('sync'); }, () => Promise.reject(new Error('async'))]) {
      toPullSource({ [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ done: true, value: undefined }), return: returnFn }) })!.cancel();
      toPullSource({ [Symbol.iterator]: () => ({ next: () => ({ done: true, value: undefined }), return: returnFn }) })!.cancel();
    }
    toPullSource({ [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ done: true, value: undefined }) }) })!.cancel();
    const sync = toPullSource({ [Symbol.iterator]: () => ({ next: () => ({ done: true, value: undefined }) }) })!;
    sync.cancel();
    sync.cancel();
    await sleep(1);
  });

  it('runs a sync generator\'s finally block', () => {
    let finished = false;
    const source = toPullSource((function* () { try { yield 1; } finally { finished = true; } })())!;
    void source.next();
    source.cancel();
    assert.equal(finished, true);
  });

  it('destroys a Node Readable, ending a pending read', async () => {
    const readable = new PassThrough({ objectMode: true });
    const source = toPullSource(readable)!;
    const pending = Promise.resolve(source.next()).then(
      (result) => result,
      (error: Error) => error,
    );
    source.cancel();
    assert.equal(readable.destroyed, true);
    await pending;
  });

  it('cancels a ReadableStream, settling a pending read, before or after the first pull', async () => {
    let reason = 0;
    const stream = new ReadableStream({ cancel: () => void reason++ });
    const source = toPullSource(stream)!;
    const pending = source.next();
    source.cancel();
    source.cancel();
    assert.deepEqual(await pending, { done: true, value: undefined });
    assert.equal(reason, 1);
    const untouched = new ReadableStream({ cancel: () => void reason++ });
    toPullSource(untouched)!.cancel();
    await sleep(1);
    assert.equal(reason, 2);
  });

  it('rejects the first pull of a locked ReadableStream, and cancelling it stays quiet', async () => {
    const stream = new ReadableStream();
    stream.getReader();
    const source = toPullSource(stream)!;
    await assert.rejects(Promise.resolve(source.next()), TypeError);
    source.cancel();
    await sleep(1);
  });
});
