import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SchemaError } from '../../../lib/mcp/json-schema/errors.js';
import { compileSchema, SchemaError as PublicSchemaError } from '../../../lib/mcp/json-schema.js';

describe('SchemaError', () => {
  it('is an Error named SchemaError, the same class the public module exports', () => {
    const error = new SchemaError('#: wrong');
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'SchemaError');
    assert.equal(error.message, '#: wrong');
    assert.equal(PublicSchemaError, SchemaError);
    assert.throws(() => compileSchema({ minimum: 'one' }), SchemaError);
  });
});
