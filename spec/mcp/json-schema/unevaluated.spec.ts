import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EvaluatedItems, EvaluatedProperties } from '../../../lib/mcp/json-schema/unevaluated.js';
import { assertIssues, assertValid } from '../../support/schema.js';

describe('unevaluatedProperties', () => {
  it('false: forbids what no keyword evaluated, looking through allOf and $ref (where additionalProperties cannot)', () => {
    const schema = {
      $defs: { named: { properties: { name: { type: 'string' } } } },
      allOf: [{ $ref: '#/$defs/named' }, { properties: { age: { type: 'integer' } } }],
      unevaluatedProperties: false,
    };
    assertValid(schema, [{}, { name: 'a', age: 1 }]);
    assertIssues(schema, { name: 'a', extra: 1, more: 2 }, [
      ": unevaluatedProperties: must NOT have unevaluated properties ('extra')",
      ": unevaluatedProperties: must NOT have unevaluated properties ('more')",
    ]);
  });

  it('counts a branch of anyOf, oneOf, if, or dependentSchemas only when it passed; never not', () => {
    const anyOf = { anyOf: [{ properties: { a: { const: 1 } }, required: ['a'] }, { properties: { b: true }, required: ['b'] }], unevaluatedProperties: false };
    assertValid(anyOf, [{ a: 1 }, { b: 2 }, { a: 1, b: 2 }]);
    assertIssues(anyOf, { a: 2, b: 2 }, [": unevaluatedProperties: must NOT have unevaluated properties ('a')"]);
    const oneOf = { oneOf: [{ properties: { a: true }, required: ['a'] }, { properties: { b: true }, required: ['b'] }], unevaluatedProperties: false };
    assertValid(oneOf, [{ a: 1 }, { b: 1 }]);
    const conditional = { if: { properties: { kind: { const: 'x' } }, required: ['kind'] }, then: { properties: { x: true } }, else: { properties: { y: true } }, unevaluatedProperties: false };
    assertValid(conditional, [{ kind: 'x', x: 1 }, { y: 1 }]);
    // if failed: its annotation (kind) is dropped.
    assertIssues(conditional, { kind: 'z', y: 1 }, [": unevaluatedProperties: must NOT have unevaluated properties ('kind')"]);
    assertIssues(conditional, { kind: 'z', x: 1 }, [
      ": unevaluatedProperties: must NOT have unevaluated properties ('kind')",
      ": unevaluatedProperties: must NOT have unevaluated properties ('x')",
    ]);
    assertValid({ if: { properties: { a: true } }, unevaluatedProperties: false }, [{ a: 1 }]);
    const dependent = { dependentSchemas: { a: { properties: { b: true } } }, properties: { a: true }, unevaluatedProperties: false };
    assertValid(dependent, [{ a: 1, b: 2 }]);
    assertIssues(dependent, { b: 2 }, [": unevaluatedProperties: must NOT have unevaluated properties ('b')"]);
    assertIssues({ not: { not: { properties: { a: true } } }, unevaluatedProperties: false }, { a: 1 }, [
      ": unevaluatedProperties: must NOT have unevaluated properties ('a')",
    ]);
  });

  it('a schema: applies it to each unevaluated property; patternProperties and additionalProperties evaluate too', () => {
    assertIssues({ properties: { a: true }, unevaluatedProperties: { type: 'number' } }, { a: 'x', b: 'y' }, ['/b: type: must be number']);
    assertValid({ patternProperties: { '^x': true }, unevaluatedProperties: false }, [{ x1: 1 }]);
    assertValid({ additionalProperties: true, unevaluatedProperties: false }, [{ any: 1 }]);
  });

  it('sees what a nested unevaluatedProperties evaluated: all of it', () => {
    const schema = { allOf: [{ unevaluatedProperties: true }], unevaluatedProperties: false };
    assertValid(schema, [{ a: 1, b: 2 }]);
  });

  it('does not look into child objects (each location has its own)', () => {
    const schema = { properties: { child: { properties: { a: true } } }, unevaluatedProperties: false };
    assertValid(schema, [{ child: { a: 1, b: 2 } }]);
  });

  it('reports inner issues and unevaluated ones together, and only the branch when muted', () => {
    assertIssues({ properties: { a: { type: 'string' } }, unevaluatedProperties: false }, { a: 1, b: 2 }, [
      '/a: type: must be string',
      ": unevaluatedProperties: must NOT have unevaluated properties ('b')",
    ]);
    assertIssues({ anyOf: [{ unevaluatedProperties: false }] }, { a: 1, b: 2 }, [': anyOf: must match a schema in anyOf']);
  });

  it('is not a keyword of draft-07', () => {
    assertValid({ $schema: 'http://json-schema.org/draft-07/schema#', unevaluatedProperties: false }, [{ a: 1 }]);
  });
});

describe('unevaluatedItems', () => {
  it('false: forbids items beyond what prefixItems, items and contains evaluated, through allOf', () => {
    const schema = { allOf: [{ prefixItems: [{ type: 'string' }] }], unevaluatedItems: false };
    assertValid(schema, [[], ['a']]);
    assertIssues(schema, ['a', 1, 2], [': unevaluatedItems: must NOT have unevaluated items (item 1)', ': unevaluatedItems: must NOT have unevaluated items (item 2)']);
    assertValid({ allOf: [{ items: true }], unevaluatedItems: false }, [[1, 2]]);
    const contains = { contains: { type: 'string' }, unevaluatedItems: false };
    assertValid(contains, [['a', 'b']]);
    assertIssues(contains, ['a', 1], [': unevaluatedItems: must NOT have unevaluated items (item 1)']);
  });

  it('a schema: applies it to each unevaluated item', () => {
    assertIssues({ prefixItems: [true], unevaluatedItems: { type: 'number' } }, ['x', 'y', 3], ['/1: type: must be number']);
  });

  it('sees what anyOf branches that passed evaluated, and a nested unevaluatedItems', () => {
    const schema = { anyOf: [{ prefixItems: [{ const: 1 }, true] }, { prefixItems: [true] }], unevaluatedItems: false };
    assertValid(schema, [[1, 2], [2]]);
    assertIssues(schema, [2, 2], [': unevaluatedItems: must NOT have unevaluated items (item 1)']);
    assertValid({ allOf: [{ unevaluatedItems: true }], unevaluatedItems: false }, [[1, 2, 3]]);
  });

  it('stops at the first unevaluated item inside a muted branch', () => {
    assertIssues({ not: { not: { unevaluatedItems: { type: 'string' } } } }, [1, 2], [': not: must NOT be valid against the schema in not']);
    assertIssues({ not: { not: { unevaluatedItems: false } } }, [1, 2], [': not: must NOT be valid against the schema in not']);
    assertIssues({ not: { not: { unevaluatedProperties: { type: 'string' } } } }, { a: 1, b: 2 }, [': not: must NOT be valid against the schema in not']);
  });
});

describe('the annotation sets', () => {
  it('EvaluatedProperties: names added, merged, or all', () => {
    const properties = new EvaluatedProperties();
    assert.equal(properties.has('a'), false);
    const other = new EvaluatedProperties();
    other.add('a');
    properties.merge(other);
    properties.merge(new EvaluatedProperties());
    assert.equal(properties.has('a'), true);
    assert.equal(properties.has('b'), false);
    const all = new EvaluatedProperties();
    all.all = true;
    properties.merge(all);
    assert.equal(properties.has('b'), true);
  });

  it('EvaluatedItems: a prefix and single indices, merged', () => {
    const items = new EvaluatedItems();
    const other = new EvaluatedItems();
    other.upTo = 2;
    other.add(5);
    items.merge(other);
    items.merge(new EvaluatedItems());
    assert.deepEqual([0, 1, 2, 5].map((index) => items.has(index)), [true, true, false, true]);
  });
});
