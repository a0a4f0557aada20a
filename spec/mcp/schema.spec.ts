import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileMcpSchema } from '../../lib/mcp/schema.js';
import type { StandardJsonSchemaV1, StandardSchemaResult, StandardSchemaV1 } from '../../lib/mcp/index.js';
import { post, request, useMcpServer } from '../support/mcp.js';

describe('compileMcpSchema', () => {
  it('takes a JSON Schema object as it is and checks values with the built-in validator', async () => {
    const schema = { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] };
    const compiled = compileMcpSchema(schema, 'the schema');
    assert.equal(compiled.jsonSchema, schema);
    assert.deepEqual(await compiled.validate({ n: 1 }), { ok: true, value: { n: 1 } });
    const refused = await compiled.validate({});
    assert.equal(refused.ok, false);
    assert.match((refused as unknown as { issues: string[] }).issues[0]!, /^\(root\): /);
    const nested = await compiled.validate({ n: 'x' });
    assert.match((nested as unknown as { issues: string[] }).issues[0]!, /^\/n: /);
  });

  it('reports a JSON Schema that does not compile, and refuses every value with -32603 naming why', async () => {
    const reported: string[] = [];
    const compiled = compileMcpSchema({ type: 'object', properties: { n: { type: 'nonsense' } } }, 'The inputSchema of tool t', (message) => reported.push(message));
    await assert.rejects(async () => compiled.validate({}), { code: -32603, message: /^The inputSchema of tool t is not a valid JSON Schema: / });
    assert.equal(reported.length, 1);
    assert.throws(() => compiled.validate({}), { code: -32603 });
    const unreported = compileMcpSchema({ $schema: 'https://example.com/other-dialect' }, 'x');
    await assert.rejects(async () => unreported.validate({}), { code: -32603 });
  });

  it('refuses what is no schema, naming what it was for', () => {
    assert.throws(() => compileMcpSchema([] as never, 'The inputSchema of tool t'), /The inputSchema of tool t must be/);
    assert.throws(() => compileMcpSchema(null as never, 'x'), TypeError);
    assert.throws(() => compileMcpSchema({ validator: { '~standard': { version: 1, vendor: 'v', validate: () => ({ value: 1 }) } }, jsonSchema: 'no' } as never, 'x'), /must be an object/);
    assert.throws(() => compileMcpSchema({ '~standard': { version: 1, vendor: 'v' } } as never, 'x'), /needs its JSON Schema/);
  });

  it('reports Standard Schema issues without a path at the root', async () => {
    const compiled = compileMcpSchema(
      { jsonSchema: { type: 'object' }, validator: { '~standard': { version: 1, vendor: 'v', validate: () => ({ issues: [{ message: 'no' }, { message: 'deep', path: ['a', 0] }] }) } } },
      'x',
    );
    assert.deepEqual(await compiled.validate({}), { ok: false, issues: ['(root): no', '/a/0: deep'] });
  });
});

/**
 * A validator written to the Standard Schema interface, as zod 4, valibot and ArkType are: a
 * number parsed from a string (its output type differs from its input, so the test sees which
 * one the handler got).
 */
function numberFromString(): StandardSchemaV1<{ value: string }, { value: number }> {
  return {
    '~standard': {
      version: 1,
      vendor: 'spec',
      validate(input: unknown): StandardSchemaResult<{ value: number }> {
        const raw = (input as { value?: unknown } | null)?.value;
        if (typeof raw !== 'string' || Number.isNaN(Number(raw))) return { issues: [{ message: 'value must be a numeric string', path: [{ key: 'value' }] }] };
        return { value: { value: Number(raw) } };
      },
    },
  };
}

/** The same validator describing itself as JSON Schema (Standard JSON Schema), asynchronously validating. */
function selfDescribing(): StandardJsonSchemaV1<{ value: string }, { value: number }> {
  const base = numberFromString()['~standard'];
  return {
    '~standard': {
      ...base,
      validate: async (input: unknown) => base.validate(input),
      jsonSchema: {
        input: ({ target }) => ({ type: 'object', properties: { value: { type: 'string' } }, required: ['value'], 'x-target': target }),
        output: () => ({ type: 'object' }),
      },
    },
  };
}

describe('Standard Schema validators as tool schemas', () => {
  it('hands the handler the validator output, typed as its output type', async (t) => {
    const seen: number[] = [];
    const { url } = await useMcpServer(t, {}, (server) => {
      server.registerTool(
        'paired',
        { description: 'A validator with its JSON Schema', inputSchema: { validator: numberFromString(), jsonSchema: { type: 'object', properties: { value: { type: 'string' } } } } },
        (args) => {
          // Compiles only when the handler's argument has the output type.
          const doubled: number = args.value * 2;
          seen.push(doubled);
          return String(doubled);
        },
      );
      server.registerTool('described', { description: 'A Standard JSON Schema', inputSchema: selfDescribing() }, (args) => {
        const value: number = args.value;
        seen.push(value);
        return String(value);
      });
    });
    const list = (await post(url, request(1, 'tools/list'))).json().result.tools;
    assert.deepEqual(list[1].inputSchema, { type: 'object', properties: { value: { type: 'string' } }, required: ['value'], 'x-target': 'draft-2020-12' });
    assert.equal((await post(url, request(2, 'tools/call', { name: 'paired', arguments: { value: '21' } }))).json().result.content[0].text, '42');
    assert.equal((await post(url, request(3, 'tools/call', { name: 'described', arguments: { value: '7' } }))).json().result.content[0].text, '7');
    const refused = (await post(url, request(4, 'tools/call', { name: 'described', arguments: { value: 'seven' } }))).json().result;
    assert.equal(refused.isError, true);
    assert.match(refused.content[0].text, /\/value: value must be a numeric string/);
    assert.deepEqual(seen, [42, 7]);
  });

  it('refuses a Standard Schema that cannot describe itself as JSON Schema', async (t) => {
    await useMcpServer(t, {}, (server) => {
      assert.throws(() => server.registerTool('bare', { description: 'x', inputSchema: numberFromString() as never }, () => 'x'), /needs its JSON Schema too/);
    });
  });
});
