import { describe, it } from 'node:test';
import { assertInvalid, assertIssues, assertValid } from '../../support/schema.js';

describe('items', () => {
  it('applies its subschema to every item', () => {
    assertValid({ items: { type: 'integer' } }, [[], [1, 2, 3], 'not an array', { 0: 'x' }]);
    assertIssues({ items: { type: 'integer' } }, [1, 'two', 3.5], ['/1: type: must be integer', '/2: type: must be integer']);
  });

  it('false: no items at all (after prefixItems, if any)', () => {
    assertValid({ items: false }, [[]]);
    assertIssues({ items: false }, [1], [': items: must NOT have more than 0 items']);
  });
});

describe('prefixItems', () => {
  it('applies one subschema per position, items to the rest', () => {
    const schema = { prefixItems: [{ type: 'string' }, { type: 'number' }], items: { type: 'boolean' } };
    assertValid(schema, [[], ['a'], ['a', 1], ['a', 1, true, false]]);
    assertIssues(schema, [1, 'a', null], ['/0: type: must be string', '/1: type: must be number', '/2: type: must be boolean']);
    assertIssues({ prefixItems: [{}], items: false }, [1, 2], [': items: must NOT have more than 1 items']);
    assertValid({ prefixItems: [{ type: 'string' }] }, [['a', 1, {}]]);
  });

  it('stops at the first failure inside a muted branch', () => {
    assertIssues({ not: { not: { prefixItems: [{ type: 'string' }, { type: 'string' }] } } }, [1, 2], [': not: must NOT be valid against the schema in not']);
    assertIssues({ not: { not: { items: { type: 'string' } } } }, [1, 2], [': not: must NOT be valid against the schema in not']);
  });
});

describe('contains, minContains, maxContains', () => {
  it('contains: at least one item matches', () => {
    assertValid({ contains: { type: 'string' } }, [['a'], [1, 'b', 2], 'no array']);
    assertIssues({ contains: { type: 'string' } }, [1, 2], [': contains: must contain at least 1 matching item']);
    assertIssues({ contains: { type: 'string' } }, [], [': contains: must contain at least 1 matching item']);
  });

  it('minContains and maxContains count the matches', () => {
    const schema = { contains: { const: 1 }, minContains: 2, maxContains: 3 };
    assertValid(schema, [[1, 1], [1, 2, 1, 1]]);
    assertIssues(schema, [1, 2], [': minContains: must contain at least 2 matching items']);
    assertIssues(schema, [1, 1, 1, 1], [': maxContains: must contain at most 3 matching items']);
    assertIssues({ contains: { const: 1 }, maxContains: 1 }, [1, 1], [': maxContains: must contain at most 1 matching item']);
    assertValid({ contains: { const: 1 }, minContains: 0 }, [[], [2]]);
  });

  it('minContains and maxContains without contains assert nothing', () => {
    assertValid({ minContains: 2, maxContains: 0 }, [[], [1, 2, 3]]);
  });

  it('draft-07: contains only, its min/max are not keywords yet', () => {
    assertValid({ $schema: 'http://json-schema.org/draft-07/schema#', contains: { const: 1 }, minContains: 3 }, [[1]]);
    assertInvalid({ $schema: 'http://json-schema.org/draft-07/schema#', contains: { const: 1 } }, [[2]]);
  });
});

describe('minItems and maxItems', () => {
  it('bound the length', () => {
    assertValid({ minItems: 1, maxItems: 2 }, [[1], [1, 2]]);
    assertIssues({ minItems: 2 }, [1], [': minItems: must NOT have fewer than 2 items']);
    assertIssues({ maxItems: 0 }, [1], [': maxItems: must NOT have more than 0 items']);
  });
});

describe('uniqueItems', () => {
  it('true: no two items equal as JSON, whatever their key order', () => {
    assertValid({ uniqueItems: true }, [[], [1, '1', true, null, [1], { a: 1 }, { a: 2 }, [[1]]]]);
    assertIssues({ uniqueItems: true }, [1, 2, 1.0], [': uniqueItems: must NOT have duplicate items (items 0 and 2 are identical)']);
    assertInvalid({ uniqueItems: true }, [[{ a: 1, b: [2] }, { b: [2], a: 1 }], [[1, 2], [1, 2]], [0, -0], [null, null]]);
    assertValid({ uniqueItems: false }, [[1, 1]]);
  });

  it('finds duplicates in long arrays in one pass, objects with sorted keys', () => {
    const items: unknown[] = Array.from({ length: 500 }, (_, index) => ({ id: index, tags: [String(index)] }));
    assertValid({ uniqueItems: true }, [items, Array.from({ length: 100 }, (_, index) => index)]);
    assertIssues({ uniqueItems: true }, [...items, { tags: ['7'], id: 7 }], [': uniqueItems: must NOT have duplicate items (items 7 and 500 are identical)']);
    const mixed = [...Array.from({ length: 20 }, (_, index) => index), '3', [3], { 3: 3 }, true, null, 'true', 'null'];
    assertValid({ uniqueItems: true }, [mixed]);
    assertIssues({ uniqueItems: true }, [...mixed, -0], [': uniqueItems: must NOT have duplicate items (items 0 and 27 are identical)']);
  });
});
