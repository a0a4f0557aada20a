import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonRpcError } from '../../lib/json-rpc/errors.js';
import { checkHeadersAgree, checkHeadersPresent, checkParamHeaders, decodeHeaderValue } from '../../lib/mcp/headers.js';
import { paramHeadersOf } from '../../lib/mcp/param-headers.js';

/** The error a check threw, or undefined. */
function thrown(check: () => void): JsonRpcError | undefined {
  try {
    check();
  } catch (error) {
    return error as JsonRpcError;
  }
  return undefined;
}

const b64 = (text: string): string => `=?base64?${Buffer.from(text).toString('base64')}?=`;

describe('decodeHeaderValue: the Base64 sentinel and plain values', () => {
  it('decodes a sentinel whose payload is exact Base64 of UTF-8', () => {
    assert.equal(decodeHeaderValue(b64('Grüße, 世界')), 'Grüße, 世界');
    assert.equal(decodeHeaderValue('=?base64?SGVsbG8=?='), 'Hello');
    assert.equal(decodeHeaderValue('=?base64??='), '');
  });

  it('refuses a sentinel with bad padding, characters outside Base64, or bytes that are not UTF-8', () => {
    assert.equal(decodeHeaderValue('=?base64?SGVsbG8?='), undefined);
    assert.equal(decodeHeaderValue('=?base64?SGVs!!!bG8=?='), undefined);
    assert.equal(decodeHeaderValue(`=?base64?${Buffer.from([0xff, 0xfe]).toString('base64')}?=`), undefined);
  });

  it('takes a value that only starts like a sentinel, or is plain visible ASCII, as it is; refuses other characters', () => {
    assert.equal(decodeHeaderValue('=?base64?SGVsbG8='), '=?base64?SGVsbG8=');
    assert.equal(decodeHeaderValue('SGVsbG8='), 'SGVsbG8=');
    assert.equal(decodeHeaderValue('two words'), 'two words');
    assert.equal(decodeHeaderValue('caf\u00e9'), undefined);
    assert.equal(decodeHeaderValue('tab\there'), undefined);
  });
});

describe('checkHeadersAgree: a header that is present must say what the body says', () => {
  it('accepts agreeing or absent headers', () => {
    assert.equal(thrown(() => checkHeadersAgree({ 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' }, '2026-07-28', 'tools/list')), undefined);
    assert.equal(thrown(() => checkHeadersAgree({}, '2026-07-28', 'tools/list')), undefined);
  });

  it('refuses a version or a method that disagrees with -32020, naming the header (values are case-sensitive)', () => {
    const version = thrown(() => checkHeadersAgree({ 'mcp-protocol-version': '2026-07-28' }, 'v999.0.0', 'server/discover'));
    assert.equal(version?.code, -32020);
    assert.match(version!.message, /MCP-Protocol-Version header value '2026-07-28' does not match body value 'v999.0.0'/);
    const method = thrown(() => checkHeadersAgree({ 'mcp-method': 'TOOLS/LIST' }, '2026-07-28', 'tools/list'));
    assert.deepEqual([method?.code, (method?.data as { mismatch: unknown }).mismatch], [-32020, { header: 'Mcp-Method', body: 'tools/list' }]);
  });
});

describe('checkHeadersPresent: the standard headers a request must carry', () => {
  const both = { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call' };

  it('requires MCP-Protocol-Version and Mcp-Method', () => {
    assert.match(thrown(() => checkHeadersPresent({ 'mcp-method': 'tools/list' }, 'tools/list', {}))!.message, /MCP-Protocol-Version header is required/);
    assert.match(thrown(() => checkHeadersPresent({ 'mcp-protocol-version': '2026-07-28' }, 'tools/list', {}))!.message, /Mcp-Method header is required/);
  });

  it('requires Mcp-Name, decoded, to equal the name, URI or task id the body carries', () => {
    assert.equal(thrown(() => checkHeadersPresent({ ...both, 'mcp-name': 'echo' }, 'tools/call', { name: 'echo' })), undefined);
    assert.equal(thrown(() => checkHeadersPresent({ ...both, 'mcp-name': b64(' spaced ') }, 'tools/call', { name: ' spaced ' })), undefined);
    assert.match(thrown(() => checkHeadersPresent(both, 'tools/call', { name: 'echo' }))!.message, /Mcp-Name header is required for tools\/call/);
    assert.match(thrown(() => checkHeadersPresent({ ...both, 'mcp-name': 'other' }, 'tools/call', { name: 'echo' }))!.message, /'other' does not match body value 'echo'/);
    assert.match(thrown(() => checkHeadersPresent({ ...both, 'mcp-name': '=?base64?x?=' }, 'tools/call', { name: 'echo' }))!.message, /invalid characters/);
    assert.equal(thrown(() => checkHeadersPresent({ ...both, 'mcp-name': 't-1' }, 'tasks/update', { taskId: 't-1' })), undefined);
    assert.equal(thrown(() => checkHeadersPresent({ ...both, 'mcp-name': 'file:///a' }, 'resources/read', { uri: 'file:///a' })), undefined);
  });

  it('does not ask for Mcp-Name when the method names nothing, or the body lacks the value', () => {
    assert.equal(thrown(() => checkHeadersPresent(both, 'tasks/result', { taskId: 'x' })), undefined);
    assert.equal(thrown(() => checkHeadersPresent(both, 'tools/call', {})), undefined);
  });
});

describe('checkParamHeaders: a call against its headers', () => {
  const declared = paramHeadersOf(
    {
      type: 'object',
      properties: {
        region: { type: 'string', 'x-mcp-header': 'Region' },
        level: { type: 'integer', 'x-mcp-header': 'Level' },
        dry: { type: 'boolean', 'x-mcp-header': 'Dry-Run' },
        nested: { type: 'object', properties: { zone: { type: 'string', 'x-mcp-header': 'Zone' } } },
      },
    },
    'tool',
  );

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
