import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_DIALECT, dialectOf, subschemaKeywords } from '../../../lib/mcp/json-schema/dialects.js';
import { SchemaError } from '../../../lib/mcp/json-schema/errors.js';

describe('dialectOf', () => {
  it('knows 2020-12 and draft-07 by their $schema, http or https, with or without the empty fragment', () => {
    for (const uri of ['https://json-schema.org/draft/2020-12/schema', 'https://json-schema.org/draft/2020-12/schema#', 'http://json-schema.org/draft/2020-12/schema']) {
      assert.equal(dialectOf(uri, '#'), '2020-12');
    }
    for (const uri of ['http://json-schema.org/draft-07/schema#', 'http://json-schema.org/draft-07/schema', 'https://json-schema.org/draft-07/schema#']) {
      assert.equal(dialectOf(uri, '#'), 'draft-07');
    }
  });

  it('refuses any other dialect, saying it is unsupported and where', () => {
    assert.throws(() => dialectOf('http://json-schema.org/draft-06/schema#', '#/$defs/a'), (error: Error) => {
      assert.ok(error instanceof SchemaError);
      assert.equal(error.message, '#/$defs/a: unsupported dialect "http://json-schema.org/draft-06/schema#": JSON Schema 2020-12 (the default) and draft-07 are supported');
      return true;
    });
    assert.throws(() => dialectOf(7, '#'), { name: 'SchemaError', message: '#: $schema must be a string' });
  });

  it('defaults to 2020-12, as MCP 2025-11-25 requires', () => {
    assert.equal(DEFAULT_DIALECT, '2020-12');
  });
});

describe('subschemaKeywords', () => {
  it('says where subschemas are in each dialect', () => {
    assert.ok(subschemaKeywords('2020-12').lists.includes('prefixItems'));
    assert.ok(subschemaKeywords('2020-12').maps.includes('$defs'));
    assert.ok(subschemaKeywords('draft-07').single.includes('additionalItems'));
    assert.ok(subschemaKeywords('draft-07').maps.includes('definitions'));
    assert.ok(!subschemaKeywords('draft-07').single.includes('unevaluatedProperties'));
  });
});
