import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_JSON_DEPTH, TOO_DEEP_MARKER, toJson, toJsonStrict, UnserializableResultError, type ReplacedKind } from '../lib/serialize.js';

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

describe('toJson never throws, at any depth', () => {
  const nested = (levels: number, leaf: unknown = 1): unknown => {
    let value = leaf;
    for (let i = 0; i < levels; i++) value = [value];
    return value;
  };

  it('cuts a value nested deeper than MAX_JSON_DEPTH off with "[Too deep]"', () => {
    const text = toJson({ echo: nested(3000) });
    const parsed = JSON.parse(text) as { echo: unknown };
    let depth = 0;
    let inner: unknown = parsed.echo;
    while (Array.isArray(inner)) {
      inner = inner[0];
      depth++;
    }
    assert.equal(inner, TOO_DEEP_MARKER);
    assert.equal(depth, MAX_JSON_DEPTH - 1, 'the object holding the echo is the first level');
  });

  it('keeps a value exactly MAX_JSON_DEPTH deep whole, even where JSON.stringify alone gives up', () => {
    const value = nested(MAX_JSON_DEPTH - 1, 1n);
    assert.equal(toJsonStrict(value), '['.repeat(MAX_JSON_DEPTH - 1) + '"1"' + ']'.repeat(MAX_JSON_DEPTH - 1));
  });

  it('copes when called with most of the stack already used', () => {
    const deep = nested(5000);
    const recurse = (levels: number, serialize: boolean): string =>
      levels === 0 ? (serialize ? toJson(deep) : '') : recurse(levels - 1, serialize);
    // How deep this recursion can go at all; then toJson from most of the way down.
    let limit = 1000;
    for (; limit < 10_000_000; limit *= 2) {
      try {
        recurse(limit * 2, false);
      } catch {
        break;
      }
    }
    for (const fraction of [0.5, 0.8, 0.95]) {
      let text: string;
      try {
        text = recurse(Math.floor(limit * fraction), true);
      } catch (error) {
        // The test's own recursion may overflow first (frame sizes vary); toJson must not.
        assert.doesNotMatch(String((error as Error).stack), /toJson|serialize/);
        continue;
      }
      assert.doesNotThrow(() => JSON.parse(text), text);
    }
  });

  it('writes a marker where a getter throws or a Proxy refuses, and keeps __proto__ keys as data', () => {
    const circular: Record<string, unknown> = { get broken(): never { throw new Error('no access'); } };
    circular.self = circular;
    circular['__proto__' as string] = undefined;
    const withProto = JSON.parse('{"__proto__":{"x":1}}') as Record<string, unknown>;
    assert.deepEqual(JSON.parse(toJson({ circular, withProto })), {
      circular: { broken: '[Unserializable: no access]', self: '[Circular]' },
      withProto: JSON.parse('{"__proto__":{"x":1}}'),
    });
    const proxy = new Proxy({}, { ownKeys: () => { throw new Error('no keys'); } });
    assert.equal(toJson({ proxy, self: circular }), '"[Unserializable: no keys]"');
  });
});

describe('toJsonStrict', () => {
  it('matches toJson when nothing had to be cut', () => {
    const loop: Record<string, unknown> = { big: 1n };
    loop.self = loop;
    assert.equal(toJsonStrict(loop), toJson(loop));
    assert.equal(toJsonStrict({ a: 1 }), '{"a":1}');
  });

  it('throws UnserializableResultError (500, UNSERIALIZABLE_RESULT) instead of cutting', () => {
    let deep: unknown = [];
    for (let i = 0; i < 3000; i++) deep = [deep];
    assert.throws(() => toJsonStrict(deep), (error: unknown) => {
      assert.ok(error instanceof UnserializableResultError);
      assert.equal(error.status, 500);
      assert.equal(error.code, 'UNSERIALIZABLE_RESULT');
      return true;
    });
    const proxy = new Proxy({}, { ownKeys: () => { throw new Error('no keys'); } });
    assert.throws(() => toJsonStrict({ proxy, self: { big: 1n } }), /no keys/);
  });
});

describe('toJsonStrict tells what it replaced', () => {
  /** What `toJsonStrict(value)` replaced, as a plain object; `undefined` when the listener was never told. */
  function replacedBy(value: unknown): Record<string, string> | undefined {
    let told: ReadonlyMap<ReplacedKind, string> | undefined;
    let calls = 0;
    toJsonStrict(value, {
      replaced: (kinds) => {
        calls++;
        told = kinds;
      },
    });
    assert.ok(calls <= 1, 'told more than once');
    return told === undefined ? undefined : Object.fromEntries(told);
  }

  it('tells nothing for data JSON carries, Maps, Sets, Errors, Dates and undefined included', () => {
    assert.equal(replacedBy({ a: [1, 'two', null, true, { b: 1.5 }] }), undefined);
    assert.equal(replacedBy({ map: new Map([['k', 1]]), set: new Set([1]), error: new Error('e'), date: new Date(0), gone: undefined }), undefined);
    assert.equal(replacedBy(undefined), undefined);
  });

  it('names each kind replaced once, with the first property where it was found', () => {
    assert.deepEqual(replacedBy({ usage: { tokens: 12n, more: 1n }, list: [1, 2n] }), { BigInt: 'tokens' });
    assert.deepEqual(replacedBy({ onDone: () => 1, tag: Symbol('t'), ratio: Number.NaN, limit: Infinity }), {
      function: 'onDone',
      symbol: 'tag',
      'NaN or Infinity': 'ratio',
    });
    assert.deepEqual(replacedBy([Number.NEGATIVE_INFINITY]), { 'NaN or Infinity': '0' });
    assert.deepEqual(replacedBy(() => 'a function, returned by mistake'), { function: '' });
    assert.deepEqual(replacedBy(5n), { BigInt: '' });
  });

  it('names cycles and values that could not be read, found on the careful path', () => {
    const loop: Record<string, unknown> = { big: 1n, fn: () => 1, list: [2n] };
    loop.parent = loop;
    assert.deepEqual(replacedBy(loop), { BigInt: 'big', function: 'fn', 'circular reference': 'parent' });
    const unreadable = { report: { toJSON: () => { throw new Error('nope'); } } };
    assert.deepEqual(replacedBy(unreadable), { 'unreadable value': 'report' });
    const getter = Object.defineProperty({}, 'secret', { enumerable: true, get: () => { throw new Error('no'); } });
    assert.deepEqual(replacedBy({ getter, self: undefined }), { 'unreadable value': 'secret' });
    const nested: Record<string, unknown> = { n: Number.NaN, s: Symbol('x') };
    nested.me = nested;
    assert.deepEqual(replacedBy([nested]), { 'NaN or Infinity': 'n', symbol: 's', 'circular reference': 'me' });
  });

  it('writes the same text with a listener as without', () => {
    const loop: Record<string, unknown> = { big: 1n, f: () => 1, n: Number.NaN };
    loop.self = loop;
    for (const value of [loop, { big: 2n, f: () => 1 }, [1, Infinity], { plain: 'yes' }]) {
      assert.equal(toJsonStrict(value, { replaced: () => undefined }), toJsonStrict(value));
    }
  });
});
