import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SchemaDocument } from '../../../lib/mcp/json-schema/document.js';
import { compileSchema, type JsonSchema } from '../../../lib/mcp/json-schema.js';
import { assertInvalid, assertIssues, assertValid } from '../../support/schema.js';

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

describe('$ref within the schema', () => {
  it('resolves #, #/$defs/x, #/definitions/x and any JSON Pointer to a subschema', () => {
    assertValid({ properties: { self: { $ref: '#' } }, type: 'object' }, [{ self: { self: {} } }]);
    assertValid({ $defs: { n: { type: 'number' } }, items: { $ref: '#/$defs/n' } }, [[1, 2]]);
    assertInvalid({ $defs: { n: { type: 'number' } }, items: { $ref: '#/$defs/n' } }, [['1']]);
    assertInvalid({ definitions: { n: { type: 'number' } }, $ref: '#/definitions/n' }, ['1']);
    assertInvalid({ properties: { a: { type: 'string' }, b: { $ref: '#/properties/a' } } }, [{ b: 1 }]);
    assertInvalid({ prefixItems: [{ type: 'string' }, { $ref: '#/prefixItems/0' }] }, [['a', 1]]);
  });

  it('decodes ~0, ~1 and percent-escapes in the pointer', () => {
    const schema: JsonSchema = {
      $defs: { 'a/b': { type: 'string' }, 'c~d': { type: 'number' }, 'e%f': { type: 'boolean' }, 'g h': { type: 'null' }, 'é': { const: 1 } },
      properties: {
        slash: { $ref: '#/$defs/a~1b' },
        tilde: { $ref: '#/$defs/c~0d' },
        percent: { $ref: '#/$defs/e%25f' },
        space: { $ref: '#/$defs/g%20h' },
        accent: { $ref: '#/$defs/é' },
      },
    };
    assertValid(schema, [{ slash: 's', tilde: 1, percent: true, space: null, accent: 1 }]);
    assertIssues(schema, { slash: 1, tilde: 's', percent: 1, space: 1, accent: 2 }, [
      '/slash: type: must be string',
      '/tilde: type: must be number',
      '/percent: type: must be boolean',
      '/space: type: must be null',
      '/accent: const: must be equal to 1',
    ]);
  });

  it('reaches a location no keyword makes a subschema: under an unknown keyword, or definitions in 2020-12', () => {
    assertInvalid({ 'x-shared': { limit: { maximum: 3 } }, $ref: '#/x-shared/limit' }, [4]);
    assertInvalid({ definitions: { n: { type: 'number' } }, $ref: '#/definitions/n' }, ['x']);
    assertInvalid({ 'x-list': [{ type: 'string' }], $ref: '#/x-list/0' }, [1]);
  });

  it('resolves $id-relative references and embedded resources', () => {
    const schema: JsonSchema = {
      $id: 'https://example.com/root.json',
      $defs: {
        item: { $id: 'item.json', type: 'object', properties: { price: { $ref: 'money.json' } } },
        money: { $id: 'https://example.com/money.json', type: 'number', minimum: 0 },
      },
      items: { $ref: 'item.json' },
    };
    assertValid(schema, [[{ price: 1 }]]);
    assertIssues(schema, [{ price: -1 }], ['/0/price: minimum: must be >= 0']);
    assertInvalid({ $id: 'https://example.com/a/', $defs: { b: { $id: 'b.json', type: 'string' } }, $ref: 'https://example.com/a/b.json' }, [1]);
  });

  it('resolves a JSON Pointer within an embedded resource, relative to it', () => {
    const schema: JsonSchema = {
      $id: 'https://example.com/root.json',
      $defs: { inner: { $id: 'inner.json', $defs: { n: { type: 'integer' } } } },
      $ref: 'inner.json#/$defs/n',
    };
    assertInvalid(schema, [1.5]);
    assertValid(schema, [2]);
  });

  it('resolves anchors: $anchor (and $dynamicAnchor as a plain anchor) in 2020-12, $id "#name" in draft-07', () => {
    assertInvalid({ $defs: { a: { $anchor: 'positive', exclusiveMinimum: 0 } }, $ref: '#positive' }, [0]);
    assertInvalid({ $defs: { a: { $dynamicAnchor: 'node', type: 'object' } }, $ref: '#node' }, [1]);
    assertInvalid({ $schema: DRAFT_07, definitions: { a: { $id: '#positive', exclusiveMinimum: 0 } }, allOf: [{ $ref: '#positive' }] }, [0]);
    assertInvalid({ $id: 'urn:uuid:deadbeef-1234-ff00-00ff-4321feebdaed', $defs: { a: { $anchor: 'x', type: 'string' } }, $ref: 'urn:uuid:deadbeef-1234-ff00-00ff-4321feebdaed#x' }, [1]);
    assertInvalid({ $schema: DRAFT_07, definitions: { a: { $id: 'http://example.com/t.json#s', type: 'string' } }, allOf: [{ $ref: 'http://example.com/t.json#s' }] }, [1]);
  });

  it('in draft-07, ignores the keywords beside $ref, $id included', () => {
    assertValid({ $schema: DRAFT_07, definitions: { a: { type: 'array' } }, properties: { x: { $ref: '#/definitions/a', maxItems: 1 } } }, [{ x: [1, 2, 3] }]);
    const schema: JsonSchema = {
      $schema: DRAFT_07,
      $id: 'http://example.com/base/',
      definitions: { here: { $id: 'foo.json', type: 'number' } },
      allOf: [{ $id: 'http://example.com/elsewhere/', $ref: 'foo.json' }],
    };
    assertInvalid(schema, ['x']);
  });

  it('honours the $schema of an embedded resource', () => {
    const schema: JsonSchema = {
      $defs: { legacy: { $id: 'https://example.com/legacy.json', $schema: DRAFT_07, items: [{ type: 'string' }], additionalItems: false } },
      $ref: 'https://example.com/legacy.json',
    };
    assertValid(schema, [['a']]);
    assertInvalid(schema, [['a', 'b'], [1]]);
  });

  it('refuses a reference it cannot resolve, saying which and why', () => {
    const refused: [JsonSchema, string][] = [
      [{ $ref: '#/$defs/missing' }, '#: $ref "#/$defs/missing" cannot be resolved: nothing at that JSON Pointer'],
      [{ properties: { a: { $ref: 'https://example.com/other.json' } } }, '#/properties/a: $ref "https://example.com/other.json" cannot be resolved: only references within the schema itself are supported'],
      [{ $ref: 'https://json-schema.org/draft/2020-12/schema' }, '#: $ref "https://json-schema.org/draft/2020-12/schema" cannot be resolved: only references within the schema itself are supported'],
      [{ $ref: '#nowhere' }, '#: $ref "#nowhere" cannot be resolved: no anchor "nowhere"'],
      [{ $ref: '#/$defs/a~2' }, '#: $ref "#/$defs/a~2" cannot be resolved: invalid JSON Pointer escape'],
      [{ $ref: '#/%E0%A4%A' }, '#: $ref "#/%E0%A4%A" cannot be resolved: it is not a valid URI reference'],
      [{ $ref: 'http://[bad' }, '#: $ref "http://[bad" cannot be resolved: it is not a valid URI reference'],
      [{ title: 'x', $ref: '#/title' }, '#: $ref "#/title" cannot be resolved: it points at something that is not a schema'],
      [{ items: [], $ref: '#/items/3' }, '#: $ref "#/items/3" cannot be resolved: nothing at that JSON Pointer'],
    ];
    for (const [schema, message] of refused) assert.throws(() => compileSchema(schema), { name: 'SchemaError', message });
  });

  it('refuses an invalid $id or $anchor', () => {
    assert.throws(() => compileSchema({ $id: 'http://[x' }), { name: 'SchemaError', message: '#: $id "http://[x" is not a valid URI reference' });
    assert.throws(() => compileSchema({ $defs: { a: { $anchor: '1bad' } } }), { name: 'SchemaError', message: /^#\/\$defs\/a: \$anchor must be a string that starts with a letter/ });
    assert.throws(() => compileSchema({ $defs: { a: { $dynamicAnchor: 5 } } }), { name: 'SchemaError', message: /\$dynamicAnchor must be a string/ });
  });
});

describe('SchemaDocument', () => {
  it('places each subschema with its base URI, dialect and location', () => {
    const document = new SchemaDocument({ $id: 'https://example.com/s.json', properties: { 'a/b': { $id: 'x/y.json' } } }, '2020-12');
    assert.equal(document.root.base, 'https://example.com/s.json');
    assert.equal(document.root.location, '#');
    const child = document.child(document.root, { $id: 'x/y.json' }, 'properties', 'a/b');
    assert.equal(child.base, 'https://example.com/x/y.json');
    assert.equal(child.location, '#/properties/a~1b');
    assert.equal(document.resolve('x/y.json', document.root).location, '#/properties/a~1b');
    assert.equal(document.resolve('#/properties/a~1b', document.root).base, 'https://example.com/x/y.json');
  });

  it('indexes a schema built in code with shared and cyclic objects without looping', () => {
    const shared: Record<string, unknown> = { type: 'string' };
    const cyclic: Record<string, unknown> = { type: 'object', properties: { a: shared, b: shared } };
    (cyclic.properties as Record<string, unknown>).self = cyclic;
    const validate = compileSchema(cyclic);
    assert.deepEqual(validate({ a: 'x', self: { b: 'y', self: {} } }), []);
    assert.deepEqual(validate({ self: { b: 1 } }).map((issue) => issue.path), ['/self/b']);
  });
});
