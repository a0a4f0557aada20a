import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonRpcError } from '../../lib/json-rpc/errors.js';
import { checkParamHeaders, paramHeadersOf } from '../../lib/mcp/param-headers.js';

const schema = {
  type: 'object',
  properties: {
    region: { type: 'string', 'x-mcp-header': 'Region' },
    level: { type: 'integer', 'x-mcp-header': 'Level' },
    dry: { type: 'boolean', 'x-mcp-header': 'Dry-Run' },
    nested: { type: 'object', properties: { zone: { type: 'string', 'x-mcp-header': 'Zone' } } },
    plain: { type: 'string', enum: [{ 'x-mcp-header': 'NotAnAnnotation' }] },
  },
};

function thrown(check: () => void): JsonRpcError | undefined {
  try {
    check();
  } catch (error) {
    return error as JsonRpcError;
  }
  return undefined;
}

describe('paramHeadersOf: the x-mcp-header annotations of a tool', () => {
  it('finds every annotation reached through properties, nested objects included, with its header and type', () => {
    assert.deepEqual(paramHeadersOf(schema, 'tool'), [
      { path: ['region'], name: 'Region', header: 'mcp-param-region', type: 'string' },
      { path: ['level'], name: 'Level', header: 'mcp-param-level', type: 'integer' },
      { path: ['dry'], name: 'Dry-Run', header: 'mcp-param-dry-run', type: 'boolean' },
      { path: ['nested', 'zone'], name: 'Zone', header: 'mcp-param-zone', type: 'string' },
    ]);
    assert.deepEqual(paramHeadersOf({ type: 'object' }, 'tool'), []);
  });

  it('refuses what the specification makes invalid, naming the tool', () => {
    const refuse = (properties: Record<string, unknown>, pattern: RegExp): void => assert.throws(() => paramHeadersOf({ type: 'object', properties }, 'tool'), (error: Error) => error instanceof TypeError && pattern.test(error.message));
    refuse({ a: { type: 'string', 'x-mcp-header': '' } }, /tool tool: x-mcp-header "" must be a header name token/);
    refuse({ a: { type: 'string', 'x-mcp-header': 'Bad Name' } }, /token/);
    refuse({ a: { type: 'number', 'x-mcp-header': 'A' } }, /string, integer or boolean/);
    refuse({ a: { type: 'string', 'x-mcp-header': 'A' }, b: { type: 'string', 'x-mcp-header': 'a' } }, /used twice/);
    refuse({ a: { type: 'array', items: { type: 'string', 'x-mcp-header': 'A' } } }, /through properties alone/);
    assert.throws(() => paramHeadersOf({ type: 'object', anyOf: [{ properties: { a: { type: 'string', 'x-mcp-header': 'A' } } }] }, 't'), /through properties alone/);
    assert.throws(() => paramHeadersOf({ type: 'string', 'x-mcp-header': 'Root' }, 't'), /through properties alone/);
  });
});

describe('checkParamHeaders: a call against its headers', () => {
  const declared = paramHeadersOf(schema, 'tool');

  it('accepts headers equal to the arguments (integers as numbers, booleans as text, Base64 decoded), and ignores absent or null ones', () => {
    const headers = { 'mcp-param-region': '=?base64?SGVsbG8=?=', 'mcp-param-level': '42.0', 'mcp-param-dry-run': 'true', 'mcp-param-zone': 'z1', 'mcp-param-unknown': 'x' };
    assert.equal(thrown(() => checkParamHeaders(declared, { region: 'Hello', level: 42, dry: true, nested: { zone: 'z1' } }, headers)), undefined);
    assert.equal(thrown(() => checkParamHeaders(declared, { region: null, nested: 'not an object' }, { 'mcp-param-region': 'ignored' })), undefined);
    assert.equal(thrown(() => checkParamHeaders(declared, {}, {})), undefined);
  });

  it('refuses a missing header, one that does not decode, or one that differs, with -32020 naming the header only', () => {
    const missing = thrown(() => checkParamHeaders(declared, { region: 'secret-value' }, {}));
    assert.equal(missing?.code, -32020);
    assert.match(missing!.message, /Mcp-Param-Region header is required when region is given/);
    assert.match(thrown(() => checkParamHeaders(declared, { region: 'Hello' }, { 'mcp-param-region': '=?base64?SGVsbG8?=' }))!.message, /invalid characters/);
    const differs = thrown(() => checkParamHeaders(declared, { region: 'secret-value' }, { 'mcp-param-region': 'other' }));
    assert.match(differs!.message, /does not match the body value of region/);
    assert.doesNotMatch(differs!.message, /secret-value/);
    assert.equal(thrown(() => checkParamHeaders(declared, { level: 42 }, { 'mcp-param-level': '4.2e1' }))?.code, -32020);
    assert.equal(thrown(() => checkParamHeaders(declared, { dry: false }, { 'mcp-param-dry-run': 'False' }))?.code, -32020);
  });
});
