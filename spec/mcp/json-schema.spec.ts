import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSchema, formatSchemaIssues, type JsonSchema, SchemaError } from '../../lib/mcp/json-schema.js';
import { assertInvalid, assertIssues, assertValid, issuesOf } from '../support/schema.js';

/** The conformance suite's `json_schema_2020_12_tool` input schema, as tools/list shows it. */
const CONFORMANCE_TOOL_SCHEMA: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  $defs: { address: { type: 'object', properties: { street: { type: 'string' }, city: { type: 'string' } } } },
  properties: { name: { type: 'string' }, address: { $ref: '#/$defs/address' } },
  additionalProperties: false,
};

/** test_elicitation_sep1034_defaults: a default on every primitive (SEP-1034). */
const SEP_1034_DEFAULTS: JsonSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', default: 'John Doe' },
    age: { type: 'integer', default: 30 },
    score: { type: 'number', default: 95.5 },
    status: { type: 'string', enum: ['active', 'inactive', 'pending'], default: 'active' },
    verified: { type: 'boolean', default: true },
  },
  required: [],
};

/** test_elicitation_sep1330_enums: the five enum forms (SEP-1330). */
const SEP_1330_ENUMS: JsonSchema = {
  type: 'object',
  properties: {
    untitledSingle: { type: 'string', enum: ['option1', 'option2', 'option3'] },
    titledSingle: {
      type: 'string',
      oneOf: [
        { const: 'value1', title: 'First Option' },
        { const: 'value2', title: 'Second Option' },
        { const: 'value3', title: 'Third Option' },
      ],
    },
    legacyEnum: { type: 'string', enum: ['opt1', 'opt2', 'opt3'], enumNames: ['Option One', 'Option Two', 'Option Three'] },
    untitledMulti: { type: 'array', minItems: 1, maxItems: 3, items: { type: 'string', enum: ['option1', 'option2', 'option3'] } },
    titledMulti: {
      type: 'array',
      minItems: 1,
      maxItems: 3,
      items: {
        anyOf: [
          { const: 'value1', title: 'First Choice' },
          { const: 'value2', title: 'Second Choice' },
          { const: 'value3', title: 'Third Choice' },
        ],
      },
    },
  },
  required: [],
};

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

/** A value nested `depth` levels deep: `{ a: { a: ... } }`. */
function nestedObject(depth: number): unknown {
  let value: unknown = {};
  for (let level = 0; level < depth; level++) value = { a: value };
  return value;
}

/** A value nested `depth` levels deep: `[[[...]]]`. */
function nestedArray(depth: number): unknown {
  let value: unknown = [];
  for (let level = 0; level < depth; level++) value = [value];
  return value;
}

describe('compileSchema', () => {
  describe('the conformance suite\'s json_schema_2020_12_tool schema', () => {
    const validate = compileSchema(CONFORMANCE_TOOL_SCHEMA);

    it('accepts arguments that match, through the $ref into $defs', () => {
      for (const value of [{}, { name: 'Ada' }, { name: 'Ada', address: { street: '1 Main St', city: 'Paris' } }, { address: {} }]) {
        assert.deepEqual(validate(value), [], JSON.stringify(value));
      }
    });

    it('reports each mismatch with its JSON Pointer, the keyword and a readable message', () => {
      assertIssues(CONFORMANCE_TOOL_SCHEMA, { name: 1, address: { city: 2 }, extra: true }, [
        '/name: type: must be string',
        '/address/city: type: must be string',
        ": additionalProperties: must NOT have additional properties ('extra')",
      ]);
      assertIssues(CONFORMANCE_TOOL_SCHEMA, 'text', [': type: must be object']);
      assertIssues(CONFORMANCE_TOOL_SCHEMA, { address: [] }, ['/address: type: must be object']);
    });

    it('gives one line for an error message with formatSchemaIssues', () => {
      const line = formatSchemaIssues(validate({ address: { city: false }, zip: 1 }));
      assert.equal(line, "/address/city: must be string; must NOT have additional properties ('zip')");
      assert.equal(formatSchemaIssues([]), '');
    });
  });

  describe('MCP elicitation schemas', () => {
    it('test_elicitation: one required string', () => {
      const schema: JsonSchema = { type: 'object', properties: { response: { type: 'string', description: "User's response" } }, required: ['response'] };
      assertValid(schema, [{ response: 'yes' }, { response: '' }]);
      assertIssues(schema, {}, [": required: must have required property 'response'"]);
      assertIssues(schema, { response: 42 }, ['/response: type: must be string']);
    });

    it('SEP-1034 defaults are annotations: nothing is required, the types still are', () => {
      assertValid(SEP_1034_DEFAULTS, [{}, { name: 'Jane', age: 31, score: 12, status: 'pending', verified: false }]);
      assertIssues(SEP_1034_DEFAULTS, { age: 30.5, score: '95.5', status: 'gone', verified: 'true' }, [
        '/age: type: must be integer',
        '/score: type: must be number',
        '/status: enum: must be one of "active", "inactive", "pending"',
        '/verified: type: must be boolean',
      ]);
    });

    it('SEP-1330 enums: untitled, titled (oneOf of const), legacy enumNames, and both multi-selects', () => {
      assertValid(SEP_1330_ENUMS, [
        {},
        { untitledSingle: 'option2', titledSingle: 'value3', legacyEnum: 'opt1', untitledMulti: ['option1', 'option3'], titledMulti: ['value1'] },
      ]);
      assertIssues(SEP_1330_ENUMS, { untitledSingle: 'Option 2', titledSingle: 'First Option', legacyEnum: 'Option One' }, [
        '/untitledSingle: enum: must be one of "option1", "option2", "option3"',
        '/titledSingle: oneOf: must be one of "value1", "value2", "value3"',
        '/legacyEnum: enum: must be one of "opt1", "opt2", "opt3"',
      ]);
      assertIssues(SEP_1330_ENUMS, { untitledMulti: [], titledMulti: ['value1', 'value4', 'value2', 'value3'] }, [
        '/untitledMulti: minItems: must NOT have fewer than 1 items',
        '/titledMulti/1: anyOf: must be one of "value1", "value2", "value3"',
        '/titledMulti: maxItems: must NOT have more than 3 items',
      ]);
    });
  });

  describe('draft-07 schemas as zod-to-json-schema writes them', () => {
    it('an object with optional, integer, positive, array and record fields', () => {
      // z.object({ query: z.string().min(1), limit: z.number().int().positive().optional(),
      //   tags: z.array(z.string()).max(5), scores: z.record(z.number()), mode: z.enum(['a', 'b']).default('a') })
      const schema: JsonSchema = {
        type: 'object',
        properties: {
          query: { type: 'string', minLength: 1 },
          limit: { type: 'integer', exclusiveMinimum: 0 },
          tags: { type: 'array', items: { type: 'string' }, maxItems: 5 },
          scores: { type: 'object', additionalProperties: { type: 'number' } },
          mode: { type: 'string', enum: ['a', 'b'], default: 'a' },
        },
        required: ['query', 'tags', 'scores'],
        additionalProperties: false,
        $schema: DRAFT_07,
      };
      assertValid(schema, [{ query: 'q', tags: [], scores: {} }, { query: 'q', limit: 1, tags: ['x'], scores: { a: 1.5 }, mode: 'b' }]);
      assertIssues(schema, { query: '', limit: 0, tags: ['x', 1], scores: { a: 'high' }, other: 1 }, [
        '/query: minLength: must NOT have fewer than 1 characters',
        '/limit: exclusiveMinimum: must be > 0',
        '/tags/1: type: must be string',
        '/scores/a: type: must be number',
        ": additionalProperties: must NOT have additional properties ('other')",
      ]);
    });

    it('a named schema: a root $ref into definitions (the siblings of a draft-07 $ref are not keywords)', () => {
      const schema: JsonSchema = {
        $ref: '#/definitions/Weather',
        definitions: { Weather: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false } },
        $schema: DRAFT_07,
      };
      assertValid(schema, [{ city: 'Oslo' }]);
      assertIssues(schema, { town: 'Oslo' }, [": required: must have required property 'city'", ": additionalProperties: must NOT have additional properties ('town')"]);
    });

    it('a reused schema referenced by its first path (#/properties/...), nullable as a type list and as anyOf', () => {
      const schema: JsonSchema = {
        type: 'object',
        properties: {
          billing: { type: 'object', properties: { street: { type: 'string' } }, required: ['street'], additionalProperties: false },
          shipping: { $ref: '#/properties/billing' },
          note: { type: ['string', 'null'] },
          coupon: { anyOf: [{ type: 'string', pattern: '^[A-Z]{4}\\-\\d+$' }, { type: 'null' }] },
        },
        $schema: DRAFT_07,
      };
      assertValid(schema, [{ billing: { street: 'a' }, shipping: { street: 'b' }, note: null, coupon: 'SAVE-10' }, { coupon: null }]);
      assertIssues(schema, { shipping: { road: 'b' }, note: 3, coupon: 'save' }, [
        "/shipping: required: must have required property 'street'",
        "/shipping: additionalProperties: must NOT have additional properties ('road')",
        '/note: type: must be string or null',
        '/coupon: anyOf: must match a schema in anyOf',
      ]);
    });

    it('a tuple: items as an array, with additionalItems', () => {
      const schema: JsonSchema = { type: 'array', minItems: 2, maxItems: 2, items: [{ type: 'string' }, { type: 'number' }], $schema: DRAFT_07 };
      assertValid(schema, [['a', 1]]);
      assertIssues(schema, [1, 'a'], ['/0: type: must be string', '/1: type: must be number']);
      const closed: JsonSchema = { items: [{ type: 'string' }], additionalItems: false, $schema: DRAFT_07 };
      assertIssues(closed, ['a', 'b'], [': additionalItems: must NOT have more than 1 items']);
    });

    it('draft-04\'s boolean exclusiveMinimum/exclusiveMaximum, still seen in draft-07 schemas', () => {
      const schema: JsonSchema = { $schema: DRAFT_07, minimum: 0, exclusiveMinimum: true, maximum: 10, exclusiveMaximum: false };
      assertValid(schema, [0.5, 10]);
      assertIssues(schema, 0, [': exclusiveMinimum: must be > 0']);
      assertValid({ $schema: DRAFT_07, exclusiveMaximum: true }, [1e9]);
    });
  });

  describe('recursive schemas', () => {
    const tree: JsonSchema = {
      $defs: { node: { type: 'object', properties: { value: { type: 'number' }, children: { type: 'array', items: { $ref: '#/$defs/node' } } }, required: ['value'] } },
      $ref: '#/$defs/node',
    };

    it('validate a tree through a $ref to an enclosing definition', () => {
      assertValid(tree, [{ value: 1, children: [{ value: 2 }, { value: 3, children: [{ value: 4, children: [] }] }] }]);
      assertIssues(tree, { value: 1, children: [{ value: 2 }, { children: [{ value: 'x' }] }] }, [
        "/children/1: required: must have required property 'value'",
        '/children/1/children/0/value: type: must be number',
      ]);
    });

    it('validate a linked list through a $ref to the root', () => {
      const list: JsonSchema = { type: 'object', properties: { head: { type: 'integer' }, tail: { $ref: '#' } }, additionalProperties: false };
      let value: unknown = { head: 0 };
      for (let index = 1; index < 50; index++) value = { head: index, tail: value };
      assertValid(list, [value]);
      assertIssues(list, { head: 1, tail: { head: 2, tail: { head: 'three' } } }, ['/tail/tail/head: type: must be integer']);
    });
  });

  describe('values nested deeper than maxDepth', () => {
    it('fail with one issue at the level where evaluation stopped, however deep they go (10,000 levels)', () => {
      const recursive: JsonSchema = { type: 'object', properties: { a: { $ref: '#' } } };
      const issues = issuesOf(recursive, nestedObject(10_000));
      assert.equal(issues.length, 1);
      assert.equal(issues[0]!.keyword, 'maxDepth');
      assert.equal(issues[0]!.message, 'is nested deeper than 64 levels');
      assert.equal(issues[0]!.path, '/a'.repeat(65));
      const arrays = issuesOf({ items: { $ref: '#' } }, nestedArray(10_000));
      assert.deepEqual(arrays.map((issue) => issue.keyword), ['maxDepth']);
      assert.equal(arrays[0]!.path, '/0'.repeat(65));
    });

    it('pass when the schema does not look that deep (maxDepth bounds what is evaluated)', () => {
      assertValid({ type: 'object' }, [nestedObject(10_000)]);
      assertValid({ items: { type: 'array' } }, [nestedArray(10_000)]);
    });

    it('take maxDepth as an option', () => {
      const recursive: JsonSchema = { items: { $ref: '#' } };
      assertValid(recursive, [nestedArray(64)]);
      assertInvalid(recursive, [nestedArray(65)]);
      assertValid(recursive, [nestedArray(3)], { maxDepth: 3 });
      assertIssues(recursive, nestedArray(4), ['/0/0/0/0: maxDepth: is nested deeper than 3 levels'], { maxDepth: 3 });
    });

    it('stop deep comparisons too: const, enum and uniqueItems on 10,000-deep values never overflow the stack', () => {
      const deep = nestedArray(10_000);
      assertInvalid({ const: [[[]]] }, [deep]);
      assertInvalid({ enum: [[[]], 1] }, [deep]);
      assertValid({ uniqueItems: true }, [[deep, nestedArray(9_999)]]);
      const many = Array.from({ length: 40 }, (_, index) => nestedArray(10_000 + index));
      assertValid({ uniqueItems: true }, [many]);
    });

    it('turn a stack overflow (maxDepth set far too high) into an issue, not an exception', () => {
      const issues = issuesOf({ items: { $ref: '#' } }, nestedArray(200_000), { maxDepth: 1_000_000 });
      assert.deepEqual(issues.map((issue) => [issue.keyword, issue.message]), [['maxDepth', 'is nested too deeply to validate']]);
    });
  });

  describe('hostile values', () => {
    it('treat __proto__, constructor and toString as ordinary property names, and see nothing inherited', () => {
      const schema: JsonSchema = {
        type: 'object',
        properties: { ['__proto__']: { type: 'number' }, constructor: { type: 'string' } },
        required: ['toString'],
        additionalProperties: false,
      };
      const parsed = JSON.parse('{"__proto__": 1, "constructor": "c", "toString": "t"}') as unknown;
      assertIssues(schema, parsed, [": additionalProperties: must NOT have additional properties ('toString')"]);
      assertIssues(schema, JSON.parse('{"__proto__": "x"}'), [": required: must have required property 'toString'", '/__proto__: type: must be number']);
      assertIssues(schema, {}, [": required: must have required property 'toString'"]);
      assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
      assert.equal(({} as Record<string, unknown>).constructor, Object);
    });

    it('ignore enumerable properties someone added to Object.prototype', () => {
      const prototype = Object.prototype as Record<string, unknown>;
      prototype.injected = 'x';
      try {
        assertValid({ type: 'object', additionalProperties: false, maxProperties: 0, propertyNames: { maxLength: 1 } }, [{}]);
        assertIssues({ required: ['injected'] }, {}, [": required: must have required property 'injected'"]);
      } finally {
        delete prototype.injected;
      }
    });

    it('never throw, whatever the value: getters that throw, proxies, values JSON cannot carry', () => {
      const validate = compileSchema({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'number' } });
      const getter = Object.defineProperty({}, 'a', { enumerable: true, get: () => { throw new Error('boom'); } });
      assert.deepEqual(validate(getter), [{ path: '', keyword: 'value', message: 'could not be read' }]);
      const proxy = new Proxy({}, { ownKeys: () => { throw new Error('trap'); }, getOwnPropertyDescriptor: () => { throw new Error('trap'); } });
      assert.equal(validate(proxy)[0]!.keyword, 'value');
      const values = [undefined, () => 1, Symbol('s'), 10n, Number.NaN, Number.POSITIVE_INFINITY, new Date(0), new Map(), Object.create(null)];
      for (const value of values) assert.doesNotThrow(() => validate(value));
      assert.deepEqual(compileSchema({ type: 'number' })(Number.NaN).map((issue) => issue.message), ['must be number']);
      assert.deepEqual(compileSchema({ type: ['integer', 'null'] })(undefined).map((issue) => issue.message), ['must be integer or null']);
    });

    it('give a getter that validates again a state of its own (the outer validation is not disturbed)', () => {
      const validate = compileSchema({ type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } } });
      let inner: readonly unknown[] = [];
      const value = Object.defineProperty({ b: 2 }, 'a', { enumerable: true, get: () => { inner = validate({ a: 1 }); return 'ok'; } });
      assert.deepEqual(validate(value).map((issue) => issue.path), ['/b']);
      assert.deepEqual(inner.map((issue) => (issue as { path: string }).path), ['/a']);
      assert.deepEqual(validate({ a: 'x', b: 'y' }), []);
    });

    it('bound the issues reported (maxIssues, default 20)', () => {
      const schema: JsonSchema = { items: { type: 'string' } };
      const numbers = Array.from({ length: 1000 }, (_, index) => index);
      assert.equal(issuesOf(schema, numbers).length, 20);
      assert.equal(issuesOf(schema, numbers, { maxIssues: 3 }).length, 3);
      assert.equal(issuesOf({ additionalProperties: false }, Object.fromEntries(numbers.map((index) => [`k${index}`, index])), { maxIssues: 5 }).length, 5);
    });

    it('stop every walk over properties and items as soon as maxIssues is reached', () => {
      const schemas: [JsonSchema, unknown][] = [
        [{ properties: { a: { type: 'string' }, b: { type: 'string' } } }, { a: 1, b: 2 }],
        [{ properties: { a: { type: 'string' } }, patternProperties: { '^a|^b': { type: 'string' } }, additionalProperties: false }, { a: 1, b: 2, c: 3 }],
        [{ patternProperties: { '.': { type: 'string' } } }, { a: 1, b: 2 }],
        [{ additionalProperties: { type: 'string' } }, { a: 1, b: 2 }],
        [{ required: ['a', 'b'] }, {}],
        [{ propertyNames: { maxLength: 0 } }, { a: 1, b: 2 }],
        [{ dependentRequired: { a: ['b', 'c'] } }, { a: 1 }],
        [{ dependentSchemas: { a: { required: ['x'] }, b: { required: ['y'] } } }, { a: 1, b: 2 }],
        [{ prefixItems: [{ type: 'string' }, { type: 'string' }] }, [1, 2]],
        [{ items: { type: 'string' } }, [1, 2]],
        [{ unevaluatedProperties: false }, { a: 1, b: 2 }],
        [{ unevaluatedItems: { type: 'string' } }, [1, 2]],
        [{ unevaluatedProperties: { type: 'string' } }, { a: 1, b: 2 }],
        [{ allOf: [{ type: 'string' }, { type: 'number' }] }, null],
      ];
      for (const [schema, value] of schemas) assert.equal(issuesOf(schema, value, { maxIssues: 1 }).length, 1, JSON.stringify(schema));
    });

    it('stop inside muted branches when the depth limit is hit there, reporting it', () => {
      const recursive = { $defs: { list: { items: { $ref: '#/$defs/list' } } } };
      for (const applicator of ['anyOf', 'oneOf', 'allOf']) {
        const issues = issuesOf({ ...recursive, [applicator]: [{ $ref: '#/$defs/list' }, true] }, nestedArray(10), { maxDepth: 4 });
        assert.deepEqual(issues.map((issue) => issue.keyword), ['maxDepth'], applicator);
      }
      assert.deepEqual(issuesOf({ ...recursive, if: { $ref: '#/$defs/list' }, then: true }, nestedArray(10), { maxDepth: 4 }).map((issue) => issue.keyword), ['maxDepth']);
      assert.deepEqual(issuesOf({ ...recursive, not: { $ref: '#/$defs/list' } }, nestedArray(10), { maxDepth: 4 }).map((issue) => issue.keyword), ['maxDepth']);
      assert.deepEqual(issuesOf({ ...recursive, contains: { $ref: '#/$defs/list' } }, nestedArray(10), { maxDepth: 4 }).map((issue) => issue.keyword), ['maxDepth']);
    });

    it('bound the work: nested anyOf branches on a deep value stop at maxEvaluations, not 2^depth', () => {
      // Each level tries two branches that both descend: exponential without a budget.
      const schema: JsonSchema = {
        $defs: { node: { anyOf: [{ items: { $ref: '#/$defs/node' }, maxItems: 0 }, { items: { $ref: '#/$defs/node' } }] } },
        $ref: '#/$defs/node',
      };
      const issues = issuesOf(schema, nestedArray(60), { maxEvaluations: 100_000 });
      assert.deepEqual(issues.map((issue) => [issue.keyword, issue.message]), [['maxEvaluations', 'needs more than 100000 schema evaluations']]);
      assertValid(schema, [nestedArray(5)]);
    });

    it('cut very long property names short in paths and messages', () => {
      const name = 'k'.repeat(10_000);
      const [issue] = issuesOf({ additionalProperties: false, properties: { a: true } }, { [name]: 1 });
      assert.ok(issue!.message.length < 300, issue!.message);
      assert.ok(issue!.message.includes(`'${'k'.repeat(200)}…'`));
      const [nested] = issuesOf({ additionalProperties: { type: 'string' } }, { [name]: 1 });
      assert.equal(nested!.path, `/${'k'.repeat(200)}…`);
    });

    it('escape ~ and / in paths as JSON Pointer does', () => {
      assertIssues({ additionalProperties: { type: 'string' } }, { 'a/b': 1, 'c~d': 2 }, ['/a~1b: type: must be string', '/c~0d: type: must be string']);
    });
  });

  it('ignores annotations and unknown keywords, MCP\'s x-mcp-header among them', () => {
    const schema: JsonSchema = {
      type: 'object',
      title: 'T',
      description: 'D',
      $comment: 'C',
      properties: { region: { type: 'string', 'x-mcp-header': 'Region', deprecated: true, readOnly: true, writeOnly: true, examples: ['eu'], contentMediaType: 'text/plain' } },
      'x-vendor': { type: 'number' },
      nullable: true,
    };
    assertValid(schema, [{ region: 'eu-west-1' }, {}]);
    assertIssues(schema, { region: 5 }, ['/region: type: must be string']);
  });

  it('answers a valid value with one shared, frozen, empty array', () => {
    const validate = compileSchema({ type: 'string' });
    const first = validate('a');
    assert.equal(first, validate('b'));
    assert.ok(Object.isFrozen(first));
    assert.equal(first.length, 0);
  });

  it('validates against true and false root schemas', () => {
    assertValid(true, [1, null, {}, nestedObject(100)]);
    assertIssues(false, 1, [': false: is not allowed (the schema is false)']);
  });

  it('refuses other dialects, invalid schemas and bad limits when compiling', () => {
    for (const uri of ['http://json-schema.org/draft-04/schema#', 'https://json-schema.org/draft/2019-09/schema', 'https://example.com/my-meta']) {
      assert.throws(() => compileSchema({ $schema: uri }), (error: Error) => {
        assert.ok(error instanceof SchemaError);
        assert.match(error.message, /unsupported dialect/);
        assert.ok(error.message.includes(JSON.stringify(uri)));
        return true;
      });
    }
    assert.throws(() => compileSchema({ properties: { a: { type: 'text' } } }), { name: 'SchemaError', message: /^#\/properties\/a: type must be one of/ });
    assert.throws(() => compileSchema({ maxDepth: 0 } as JsonSchema, { maxDepth: 0 }), { name: 'RangeError', message: 'maxDepth must be a positive integer, got 0' });
    assert.throws(() => compileSchema({}, { maxIssues: 1.5 }), RangeError);
    assert.throws(() => compileSchema({}, { maxEvaluations: -1 }), RangeError);
  });

  it('refuses a schema nested too deeply to compile with a SchemaError', () => {
    let schema: Record<string, unknown> = {};
    for (let level = 0; level < 100_000; level++) schema = { items: schema };
    assert.throws(() => compileSchema(schema), { name: 'SchemaError', message: 'the schema is nested too deeply to compile' });
  });
});
