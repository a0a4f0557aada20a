import { describe, it } from 'node:test';
import { assertInvalid, assertIssues, assertValid } from '../../support/schema.js';

describe('properties', () => {
  it('applies each declared subschema to the property of that name, when present', () => {
    const schema = { properties: { a: { type: 'string' }, b: { type: 'number' }, c: {}, d: true } };
    assertValid(schema, [{}, { a: 'x' }, { a: 'x', b: 1, c: null, d: [], e: 'anything' }]);
    assertIssues(schema, { a: 1, b: 'x' }, ['/a: type: must be string', '/b: type: must be number']);
  });

  it('makes a property declared false forbidden', () => {
    assertIssues({ properties: { secret: false } }, { secret: 1 }, ['/secret: false: is not allowed (the schema is false)']);
    assertValid({ properties: { secret: false } }, [{}]);
  });

  it('applies to objects only', () => {
    assertValid({ properties: { length: { type: 'string' } }, required: ['x'], additionalProperties: false }, [[1, 2], 'str', 1, null]);
  });
});

describe('patternProperties', () => {
  it('applies a subschema to every property whose name matches, beside properties', () => {
    const schema = { properties: { id: { type: 'string' } }, patternProperties: { '^x-': { type: 'number' }, '^x-s': { minimum: 10 } } };
    assertValid(schema, [{ id: 'a', 'x-a': 1, 'x-size': 12, other: true }]);
    assertIssues(schema, { 'x-a': 'one', 'x-size': 5 }, ['/x-a: type: must be number', '/x-size: minimum: must be >= 10']);
  });

  it('matches names with Unicode semantics', () => {
    assertIssues({ patternProperties: { '^\\p{L}+$': { type: 'integer' } } }, { été: 1.5, '123': 'x' }, ['/été: type: must be integer']);
  });
});

describe('additionalProperties', () => {
  it('false: names each property neither declared nor matched by a pattern', () => {
    const schema = { properties: { a: {} }, patternProperties: { '^p': {} }, additionalProperties: false };
    assertValid(schema, [{ a: 1, pa: 2, pb: 3 }]);
    assertIssues(schema, { a: 1, b: 2, c: 3 }, [
      ": additionalProperties: must NOT have additional properties ('b')",
      ": additionalProperties: must NOT have additional properties ('c')",
    ]);
  });

  it('a schema: applies it to every other property', () => {
    const schema = { properties: { name: { type: 'string' } }, additionalProperties: { type: 'boolean' } };
    assertValid(schema, [{ name: 'n', x: true, y: false }]);
    assertIssues(schema, { name: 'n', x: 'yes' }, ['/x: type: must be boolean']);
  });

  it('true or absent: allows anything else', () => {
    assertValid({ properties: { a: { type: 'string' } }, additionalProperties: true }, [{ a: 'x', b: 1 }]);
  });

  it('stops at the first failure inside a branch that is muted (anyOf), reporting the branch', () => {
    assertIssues({ anyOf: [{ additionalProperties: false }, { additionalProperties: { type: 'string' } }] }, { a: 1, b: 2 }, [
      ': anyOf: must match a schema in anyOf',
    ]);
  });
});

describe('required', () => {
  it('names every missing property, one issue each', () => {
    assertIssues({ required: ['a', 'b', 'c'] }, { b: 1 }, [": required: must have required property 'a'", ": required: must have required property 'c'"]);
    assertValid({ required: ['a'] }, [{ a: undefined }, { a: null }]);
    assertValid({ required: [] }, [{}]);
  });
});

describe('propertyNames', () => {
  it('applies its subschema to every property name', () => {
    const schema = { propertyNames: { pattern: '^[a-z_]+$', maxLength: 12 } };
    assertValid(schema, [{}, { snake_case: 1 }]);
    assertIssues(schema, { Bad: 1, good: 2, much_too_long_a_name: 3 }, [
      ": propertyNames: property name 'Bad' is invalid",
      ": propertyNames: property name 'much_too_long_a_name' is invalid",
    ]);
    assertInvalid({ propertyNames: false }, [{ a: 1 }]);
    assertValid({ propertyNames: false }, [{}]);
  });

  it('stops at the first bad name inside a muted branch', () => {
    assertIssues({ not: { not: { propertyNames: { maxLength: 1 } } } }, { ab: 1, cd: 2 }, [': not: must NOT be valid against the schema in not']);
  });
});

describe('minProperties and maxProperties', () => {
  it('count own properties', () => {
    assertValid({ minProperties: 1, maxProperties: 2 }, [{ a: 1 }, { a: 1, b: 2 }]);
    assertIssues({ minProperties: 1 }, {}, [': minProperties: must NOT have fewer than 1 properties']);
    assertIssues({ maxProperties: 1 }, { a: 1, b: 2 }, [': maxProperties: must NOT have more than 1 properties']);
  });
});

describe('dependentRequired', () => {
  it('requires the listed properties when the named one is present', () => {
    const schema = { dependentRequired: { card: ['billing', 'cvc'], none: [] } };
    assertValid(schema, [{}, { billing: 1 }, { card: 1, billing: 2, cvc: 3 }, { none: 1 }]);
    assertIssues(schema, { card: 1 }, [
      ": dependentRequired: must have property 'billing' when property 'card' is present",
      ": dependentRequired: must have property 'cvc' when property 'card' is present",
    ]);
  });

  it('stops at the first missing one inside a muted branch', () => {
    assertIssues({ anyOf: [{ dependentRequired: { a: ['b', 'c'] } }] }, { a: 1 }, [': anyOf: must match a schema in anyOf']);
  });
});

describe('dependentSchemas', () => {
  it('applies the schema to the whole object when the named property is present', () => {
    const schema = { dependentSchemas: { card: { required: ['billing'], properties: { billing: { type: 'string' } } }, off: false } };
    assertValid(schema, [{}, { card: 1, billing: 'x' }, 'not an object']);
    assertIssues(schema, { card: 1 }, [": required: must have required property 'billing'"]);
    assertIssues(schema, { card: 1, billing: 2 }, ['/billing: type: must be string']);
    assertIssues(schema, { off: 1 }, [': false: is not allowed (the schema is false)']);
  });

  it('stops at the first failing one inside a muted branch', () => {
    assertIssues({ anyOf: [{ dependentSchemas: { a: false, b: false } }] }, { a: 1, b: 1 }, [': anyOf: must match a schema in anyOf']);
  });
});

describe('draft-07 dependencies', () => {
  it('takes names (dependentRequired) and schemas (dependentSchemas) in one keyword', () => {
    const schema = { $schema: 'http://json-schema.org/draft-07/schema#', dependencies: { a: ['b'], c: { required: ['d'] } } };
    assertValid(schema, [{ a: 1, b: 2 }, { c: 1, d: 2 }, {}]);
    assertIssues(schema, { a: 1, c: 1 }, [": required: must have required property 'd'", ": dependentRequired: must have property 'b' when property 'a' is present"]);
  });

  it('keeps working in 2020-12 schemas, where it was split in two', () => {
    assertIssues({ dependencies: { a: ['b'] } }, { a: 1 }, [": dependentRequired: must have property 'b' when property 'a' is present"]);
  });
});
