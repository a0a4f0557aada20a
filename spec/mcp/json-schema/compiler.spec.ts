import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileDocument } from '../../../lib/mcp/json-schema/compiler.js';
import { EvaluationState } from '../../../lib/mcp/json-schema/evaluation.js';
import { compileSchema, type JsonSchema } from '../../../lib/mcp/json-schema.js';
import { assertIssues, assertValid } from '../../support/schema.js';

const LIMITS = { maxDepth: 64, maxIssues: 20, maxEvaluations: 1000 };

describe('compileDocument', () => {
  it('compiles to one check that records its issues on the state', () => {
    const check = compileDocument({ type: 'object', required: ['a'] }, { assertFormats: false });
    const state = new EvaluationState(LIMITS);
    state.begin();
    assert.equal(check({}, state), false);
    assert.deepEqual(state.finish(false), [{ path: '', keyword: 'required', message: "must have required property 'a'" }]);
    state.begin();
    assert.equal(check({ a: 1 }, state), true);
    assert.deepEqual(state.finish(true), []);
  });

  it('counts one evaluation per schema object applied, none for true or empty schemas', () => {
    const check = compileDocument({ properties: { a: { type: 'string' }, b: {}, c: true } }, { assertFormats: false });
    const state = new EvaluationState(LIMITS);
    state.begin();
    check({ a: 'x', b: 1, c: 2 }, state);
    assert.equal(state.evaluations, 2);
  });

  it('refuses subschemas that apply each other to the same value forever, naming the cycle', () => {
    const cycles: [JsonSchema, string][] = [
      [{ $ref: '#' }, '#: the schema applies itself to the same value without end (# -> #)'],
      [{ allOf: [{ $ref: '#' }] }, '#: the schema applies itself to the same value without end (# -> #/allOf/0 -> #)'],
      [{ $defs: { a: { $ref: '#/$defs/b' }, b: { anyOf: [{ $ref: '#/$defs/a' }] } }, $ref: '#/$defs/a' }, '#/$defs/a: the schema applies itself to the same value without end (#/$defs/a -> #/$defs/b -> #/$defs/b/anyOf/0 -> #/$defs/a)'],
      [{ $defs: { a: { not: { $ref: '#/$defs/a' } } } }, '#/$defs/a: the schema applies itself to the same value without end (#/$defs/a -> #/$defs/a/not -> #/$defs/a)'],
      [{ if: { $ref: '#' } }, '#: the schema applies itself to the same value without end (# -> #/if -> #)'],
      [{ dependentSchemas: { a: { $ref: '#' } } }, '#: the schema applies itself to the same value without end (# -> #/dependentSchemas/a -> #)'],
    ];
    for (const [schema, message] of cycles) assert.throws(() => compileSchema(schema), { name: 'SchemaError', message });
  });

  it('accepts recursion that descends into the value, and one subschema reached twice', () => {
    assert.doesNotThrow(() => compileSchema({ properties: { a: { $ref: '#' } }, items: { $ref: '#' }, additionalProperties: { $ref: '#' } }));
    const shared = { type: 'integer' };
    assertValid({ allOf: [{ properties: { a: shared } }, { additionalProperties: shared }] }, [{ a: 1, b: 2 }]);
  });

  it('compiles every definition, used or not: an invalid one is an invalid schema', () => {
    assert.throws(() => compileSchema({ $defs: { unused: { type: 'strnig' } } }), { name: 'SchemaError', message: /^#\/\$defs\/unused: type must be/ });
    assert.throws(() => compileSchema({ $schema: 'http://json-schema.org/draft-07/schema#', definitions: { unused: { minimum: 'x' } } }), {
      name: 'SchemaError',
      message: '#/definitions/unused: minimum must be a number',
    });
  });

  it('refuses $dynamicRef (unsupported), but not in draft-07 where it is no keyword', () => {
    assert.throws(() => compileSchema({ $dynamicRef: '#node' }), { name: 'SchemaError', message: '#: unsupported keyword $dynamicRef (use $ref)' });
    assert.doesNotThrow(() => compileSchema({ $schema: 'http://json-schema.org/draft-07/schema#', $dynamicRef: '#node' }));
  });

  it('refuses items as an array in 2020-12, pointing to prefixItems', () => {
    assert.throws(() => compileSchema({ items: [{ type: 'string' }] }), {
      name: 'SchemaError',
      message: '#: items must be a schema in JSON Schema 2020-12 (an array of schemas is the draft-07 form: use prefixItems)',
    });
  });

  it('ignores additionalItems in 2020-12 and items after an items list in draft-07', () => {
    assertValid({ additionalItems: false }, [[1, 2]]);
    assertValid({ $schema: 'http://json-schema.org/draft-07/schema#', items: { type: 'string' }, additionalItems: false }, [['a', 'b']]);
    assertIssues({ $schema: 'http://json-schema.org/draft-07/schema#', items: { type: 'string' } }, ['a', 1], ['/1: type: must be string']);
  });

  it('skips keywords whose value asserts nothing: minLength 0, empty required', () => {
    const check = compileDocument({ minLength: 0, required: [] }, { assertFormats: false });
    const state = new EvaluationState(LIMITS);
    state.begin();
    assert.equal(check('', state), true);
    assert.equal(state.evaluations, 0);
  });
});
