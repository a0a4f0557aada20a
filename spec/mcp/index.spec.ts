import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonRpcError as JsonRpcErrorItself } from '../../lib/json-rpc/errors.js';
import * as mcp from '../../lib/mcp/index.js';
import * as limits from '../../lib/mcp/limits.js';

describe('the public surface of agentcore-lite/mcp (lib/mcp/index.ts)', () => {
  it('exports exactly the documented names', () => {
    assert.deepEqual(Object.keys(mcp).sort(), [
      ...Object.keys(limits),
      'DEFAULT_HEADER_PROTOCOL_VERSION',
      'JsonRpcError',
      'LATEST_PROTOCOL_VERSION',
      'McpErrorCode',
      'McpHttpError',
      'McpServer',
      'MetaKey',
      'Method',
      'MODERN_PROTOCOL_VERSIONS',
      'ModernMethod',
      'ModernNotification',
      'Notification',
      'RELATED_TASK_META',
      'ResourceTemplate',
      'SUPPORTED_PROTOCOL_VERSIONS',
      'TASKS_EXTENSION',
    ].sort());
  });

  it('exports every limit of lib/mcp/limits.ts, and the one JsonRpcError class', () => {
    for (const name of Object.keys(limits)) assert.equal((mcp as Record<string, unknown>)[name], (limits as Record<string, unknown>)[name]);
    assert.equal(mcp.JsonRpcError, JsonRpcErrorItself);
  });
});
