import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonRpcError } from '../../lib/json-rpc/errors.js';
import { errorResponse } from '../../lib/json-rpc/wire.js';
import { clientCapabilityMissing, McpErrorCode, McpHttpError, resourceNotFound } from '../../lib/mcp/errors.js';

describe('MCP errors', () => {
  it("extends JSON-RPC's codes with MCP's own", () => {
    assert.equal(McpErrorCode.MethodNotFound, -32601);
    assert.deepEqual([McpErrorCode.TransportError, McpErrorCode.SessionNotFound, McpErrorCode.ResourceNotFound, McpErrorCode.UrlElicitationRequired], [-32000, -32001, -32002, -32042]);
  });

  it('makes a refusal at the HTTP level a JsonRpcError with its status and headers, written as any other', () => {
    const error = new McpHttpError(405, 'Method Not Allowed', { headers: { Allow: 'POST' } });
    assert.ok(error instanceof JsonRpcError);
    assert.deepEqual([error.status, error.code, error.headers], [405, -32000, { Allow: 'POST' }]);
    assert.equal(errorResponse(null, error), '{"jsonrpc":"2.0","id":null,"error":{"code":-32000,"message":"Method Not Allowed"}}');
    assert.equal(new McpHttpError(404, 'Session not found', { code: -32001, data: { x: 1 } }).data !== undefined, true);
  });

  it('names the URI of a resource not found, and the method a client cannot be sent', () => {
    assert.deepEqual([resourceNotFound('a://b').code, resourceNotFound('a://b').data], [-32002, { uri: 'a://b' }]);
    const missing = clientCapabilityMissing('elicitation/create', 'no session');
    assert.equal(missing.code, -32601);
    assert.match(missing.message, /elicitation\/create: no session/);
  });
});
