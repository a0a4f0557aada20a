import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalKey, codePointLength, Equality, jsonEquality } from '../../../lib/mcp/json-schema/equality.js';

describe('jsonEquality', () => {
  it('compares as JSON: numbers by value, objects in any key order, arrays in order', () => {
    assert.equal(jsonEquality(1, 1.0, 10), Equality.Equal);
    assert.equal(jsonEquality(0, -0, 10), Equality.Equal);
    assert.equal(jsonEquality({ a: 1, b: [1, { c: null }] }, { b: [1, { c: null }], a: 1 }, 10), Equality.Equal);
    assert.equal(jsonEquality([1, 2], [2, 1], 10), Equality.Different);
    assert.equal(jsonEquality({ a: 1 }, { a: 1, b: 2 }, 10), Equality.Different);
    assert.equal(jsonEquality({ a: 1, b: 2 }, { a: 1 }, 10), Equality.Different);
    assert.equal(jsonEquality({ a: undefined }, { b: undefined }, 10), Equality.Different);
    assert.equal(jsonEquality([], {}, 10), Equality.Different);
    assert.equal(jsonEquality([1], [1, 2], 10), Equality.Different);
    assert.equal(jsonEquality('1', 1, 10), Equality.Different);
    assert.equal(jsonEquality(null, {}, 10), Equality.Different);
    assert.equal(jsonEquality(true, 1, 10), Equality.Different);
  });

  it('gives up past its depth budget instead of recursing on', () => {
    assert.equal(jsonEquality([[1]], [[1]], 2), Equality.Equal);
    assert.equal(jsonEquality([[1]], [[1]], 1), Equality.TooDeep);
    assert.equal(jsonEquality({ a: { b: {} } }, { a: { b: {} } }, 2), Equality.TooDeep);
  });

  it('sees own properties only', () => {
    const inherited = Object.create({ a: 1 }) as object;
    assert.equal(jsonEquality(inherited, {}, 5), Equality.Equal);
    assert.equal(jsonEquality({}, inherited, 5), Equality.Equal);
  });
});

describe('canonicalKey', () => {
  it('is the same for JSON-equal values and differs otherwise', () => {
    assert.equal(canonicalKey({ b: [1, 'x'], a: null }, 5), canonicalKey({ a: null, b: [1, 'x'] }, 5));
    assert.equal(canonicalKey(-0, 5), canonicalKey(0, 5));
    const distinct = [1, '1', true, 'true', null, 'null', [1], ['1'], { a: 1 }, { a: '1' }, [], {}, [[]], [{}]];
    assert.equal(new Set(distinct.map((value) => canonicalKey(value, 5))).size, distinct.length);
  });

  it('is undefined past its depth budget', () => {
    assert.equal(canonicalKey([[[]]], 2), undefined);
    assert.equal(canonicalKey({ a: { b: {} } }, 2), undefined);
    assert.equal(canonicalKey([[[]]], 3), '[[[],],]');
  });
});

describe('codePointLength', () => {
  it('counts a surrogate pair once and a lone surrogate as one', () => {
    assert.equal(codePointLength(''), 0);
    assert.equal(codePointLength('abc'), 3);
    assert.equal(codePointLength('😀'), 1);
    assert.equal(codePointLength('a😀b😀'), 4);
    assert.equal(codePointLength('\ud83d'), 1);
    assert.equal(codePointLength('\ud83dx'), 2);
    assert.equal(codePointLength('\ude00\ud83d'), 2);
  });
});
