import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toJson } from '../lib/serialize.js';

describe('toJson', () => {
  it('matches JSON.stringify for plain data', () => {
    const value = { a: [1, 'two', null, true], b: { c: 1.5 } };
    assert.equal(toJson(value), JSON.stringify(value));
  });

  it('turns undefined, functions and symbols at the top into null', () => {
    assert.equal(toJson(undefined), 'null');
    assert.equal(toJson(() => 1), 'null');
    assert.equal(toJson(Symbol('s')), 'null');
  });

  it('degrades exotic values gracefully', () => {
    class Point {
      constructor(readonly x: number, readonly y: number) {}
    }
    assert.equal(toJson({ n: 1n, p: new Point(1, 2), e: new RangeError('bad') }), '{"n":"1","p":{"x":1,"y":2},"e":{"name":"RangeError","message":"bad"}}');
    assert.equal(toJson(new Map<unknown, number>([[{ k: 1 }, 2]])), '[[{"k":1},2]]');
    assert.equal(toJson(Buffer.from('hi')), '{"type":"Buffer","data":[104,105]}');
  });

  it('marks circular references but keeps shared ones', () => {
    const shared = { v: 1 };
    const root: Record<string, unknown> = { a: shared, b: shared, list: [1n] };
    root.me = root;
    (root.list as unknown[]).push(root);
    assert.deepEqual(JSON.parse(toJson(root)), { a: { v: 1 }, b: { v: 1 }, list: ['1', '[Circular]'], me: '[Circular]' });
  });

  it('survives a toJSON that throws or returns a primitive, and maps and sets inside cycles', () => {
    const loop: Record<string, unknown> = {
      bad: { toJSON: () => { throw new Error('nope'); } },
      prim: { toJSON: () => 7n },
      date: new Date(0),
      map: new Map([['k', 1]]),
      set: new Set(['s']),
    };
    loop.self = loop;
    assert.deepEqual(JSON.parse(toJson(loop)), {
      bad: '[Unserializable: nope]',
      prim: '7',
      date: '1970-01-01T00:00:00.000Z',
      map: { k: 1 },
      set: ['s'],
      self: '[Circular]',
    });
    const throwsString = { toJSON: () => { throw 'plain'; } };
    assert.equal(toJson({ throwsString, self: undefined as unknown, loop }).includes('[Unserializable: plain]'), true);
  });
});

describe('toJson fast and careful paths', () => {
  it('finds exotic values deep inside plain data', () => {
    assert.equal(toJson({ a: [{ b: [1n] }] }), '{"a":[{"b":["1"]}]}');
    assert.equal(toJson([new Set([1])]), '[[1]]');
  });

  it('copes with nesting deeper than the fast-path check', () => {
    let deep: unknown = 1n;
    for (let i = 0; i < 50; i++) deep = [deep];
    assert.equal(toJson(deep), '['.repeat(50) + '"1"' + ']'.repeat(50));
  });

  it('finds exotic values inside class instances and null-prototype objects', () => {
    class Holder {
      constructor(readonly inside: unknown) {}
    }
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { tags: new Set(['a']) });
    assert.equal(toJson({ holder: new Holder(new Map([['k', 1]])), bare }), '{"holder":{"inside":{"k":1}},"bare":{"tags":["a"]}}');
  });

  it('serializes only own properties when an inherited one is exotic', () => {
    const child = Object.create({ inherited: new Map([['k', 1]]) }) as Record<string, unknown>;
    child.own = 1;
    assert.equal(toJson(child), '{"own":1}');
  });
});
