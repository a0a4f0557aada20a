import { describe, it } from 'node:test';
import { assertIssues, assertValid } from '../../support/schema.js';

describe('allOf', () => {
  it('needs every subschema; their issues are the value\'s own', () => {
    const schema = { allOf: [{ type: 'object', required: ['a'] }, { properties: { a: { type: 'string' } } }, { required: ['b'] }] };
    assertValid(schema, [{ a: 'x', b: 1 }]);
    assertIssues(schema, { a: 1 }, ['/a: type: must be string', ": required: must have required property 'b'"]);
  });
});

describe('anyOf', () => {
  it('needs one subschema, and reports one issue when none matches', () => {
    const schema = { anyOf: [{ type: 'string', maxLength: 2 }, { type: 'number' }] };
    assertValid(schema, ['ab', 3]);
    assertIssues(schema, 'abc', [': anyOf: must match a schema in anyOf']);
    assertIssues(schema, null, [': anyOf: must match a schema in anyOf']);
  });

  it('lists the values when every branch is a const', () => {
    assertIssues({ anyOf: [{ const: 'a' }, { const: 2 }] }, 'b', [': anyOf: must be one of "a", 2']);
    assertIssues({ anyOf: [{ const: 'a'.repeat(200) }] }, 'b', [': anyOf: must match a schema in anyOf']);
    assertIssues({ anyOf: [{ const: 'a' }, true] }, 'b', []);
  });
});

describe('oneOf', () => {
  it('needs exactly one subschema', () => {
    const schema = { oneOf: [{ type: 'integer' }, { minimum: 2 }] };
    assertValid(schema, [1, 2.5]);
    assertIssues(schema, 3, [': oneOf: must match exactly one schema in oneOf (matches 0 and 1)']);
    assertIssues(schema, 1.5, [': oneOf: must match exactly one schema in oneOf']);
  });

  it('lists the values when every branch is a const (a titled enum)', () => {
    assertIssues({ oneOf: [{ const: 'x', title: 'X' }, { const: 'y', title: 'Y' }] }, 'z', [': oneOf: must be one of "x", "y"']);
  });
});

describe('not', () => {
  it('needs the subschema to fail', () => {
    assertValid({ not: { type: 'string' } }, [1, null]);
    assertIssues({ not: { type: 'string' } }, 'a', [': not: must NOT be valid against the schema in not']);
    assertIssues({ not: true }, 1, [': not: must NOT be valid against the schema in not']);
    assertValid({ not: false }, [1]);
  });
});

describe('if, then, else', () => {
  const schema = {
    if: { properties: { kind: { const: 'card' } }, required: ['kind'] },
    then: { required: ['number'] },
    else: { required: ['iban'] },
  };

  it('applies then when if passes, else when it fails, with their own issues', () => {
    assertValid(schema, [{ kind: 'card', number: '4111' }, { kind: 'bank', iban: 'FR76' }, { iban: 'DE89' }]);
    assertIssues(schema, { kind: 'card' }, [": required: must have required property 'number'"]);
    assertIssues(schema, { kind: 'bank' }, [": required: must have required property 'iban'"]);
  });

  it('without then, or without else, asserts nothing on that side; if alone asserts nothing', () => {
    assertValid({ if: { type: 'string' }, then: { minLength: 2 } }, ['ab', 1]);
    assertIssues({ if: { type: 'string' }, then: { minLength: 2 } }, 'a', [': minLength: must NOT have fewer than 2 characters']);
    assertValid({ if: { type: 'string' }, else: { minimum: 0 } }, ['x', 0]);
    assertIssues({ if: { type: 'string' }, else: { minimum: 0 } }, -1, [': minimum: must be >= 0']);
    assertValid({ if: false }, [1, 'a']);
    assertValid({ then: false, else: false }, [1]);
  });
});
