import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSchema, type JsonSchema } from '../../../lib/mcp/json-schema.js';

/** Asserts that compiling `schema` fails with a SchemaError whose message is `message`. */
function assertRefused(schema: JsonSchema, message: string | RegExp): void {
  assert.throws(() => compileSchema(schema), (error: Error) => {
    assert.equal(error.name, 'SchemaError');
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

describe('keyword values', () => {
  it('refuses a keyword of the wrong type, saying where and what it must be', () => {
    assertRefused({ minimum: '1' }, '#: minimum must be a number');
    assertRefused({ maximum: Number.NaN }, '#: maximum must be a number');
    assertRefused({ properties: { a: { minLength: -1 } } }, '#/properties/a: minLength must be a non-negative integer');
    assertRefused({ maxItems: 1.5 }, '#: maxItems must be a non-negative integer');
    assertRefused({ uniqueItems: 'yes' }, '#: uniqueItems must be a boolean');
    assertRefused({ pattern: 5 }, '#: pattern must be a string');
    assertRefused({ format: true }, '#: format must be a string');
    assertRefused({ required: 'a' }, '#: required must be an array of strings');
    assertRefused({ required: ['a', 1] }, '#: required must be an array of strings');
    assertRefused({ enum: 'a' }, '#: enum must be an array');
    assertRefused({ multipleOf: 0 }, '#: multipleOf must be a number greater than 0');
    assertRefused({ type: [] }, /^#: type must be one of "null", "boolean", "object", "array", "number", "string", "integer", or an array of distinct ones$/);
    assertRefused({ type: ['string', 'string'] }, /^#: type must be one of/);
    assertRefused({ type: 'float' }, /^#: type must be one of/);
    assertRefused({ not: 'x' }, '#: not must be a schema (an object or a boolean)');
    assertRefused({ not: [] }, '#: not must be a schema (an object or a boolean)');
    assertRefused({ allOf: [] }, '#: allOf must be a non-empty array of schemas');
    assertRefused({ anyOf: {} }, '#: anyOf must be a non-empty array of schemas');
    assertRefused({ oneOf: [1] }, '#: oneOf must be a non-empty array of schemas');
    assertRefused({ properties: [] }, '#: properties must be an object of schemas');
    assertRefused({ properties: { a: null } }, '#: properties/a must be a schema (an object or a boolean)');
    assertRefused({ $defs: { a: 3 } }, '#: $defs/a must be a schema (an object or a boolean)');
    assertRefused({ dependentRequired: { a: 'b' } }, '#: dependentRequired/a must be an array of strings');
    assertRefused({ dependentRequired: [] }, '#: dependentRequired must be an object');
    assertRefused({ dependentSchemas: { a: 1 } }, '#: dependentSchemas/a must be a schema (an object or a boolean)');
    assertRefused({ $ref: 1 }, '#: $ref must be a string');
    assertRefused({ $id: 1 }, '#: $id must be a string');
    assertRefused(null as unknown as JsonSchema, '#: a schema must be an object or a boolean');
    assertRefused([] as unknown as JsonSchema, '#: a schema must be an object or a boolean');
  });

  it('refuses draft-04\'s boolean exclusiveMinimum in 2020-12, saying how to write it', () => {
    assertRefused({ minimum: 1, exclusiveMinimum: true }, /^#: exclusiveMinimum must be a number in JSON Schema 2020-12 \(the boolean form is draft-04's/);
  });

  it('refuses a regular expression that compiles neither with nor without the u flag', () => {
    assertRefused({ pattern: '(' }, /^#: pattern "\(" is not a valid regular expression \(Invalid regular expression/);
    assertRefused({ patternProperties: { '[': {} } }, /^#: patternProperties "\[" is not a valid regular expression/);
  });

  it('leaves the values of keywords it does not know alone', () => {
    assert.doesNotThrow(() => compileSchema({ minimum: 1, unknownKeyword: { minimum: 'x' }, definitions: 5, $comment: 1, title: [] }));
    assert.doesNotThrow(() => compileSchema({ $schema: 'http://json-schema.org/draft-07/schema#', prefixItems: 3, $defs: 1, unevaluatedItems: 'x' }));
  });
});
