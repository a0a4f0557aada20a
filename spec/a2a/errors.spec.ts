import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { A2AError, A2AErrorCode, BAD_REQUEST_TYPE, ERROR_INFO_TYPE, ERROR_REASONS, quote, TaskStateError } from '../../lib/a2a/errors.js';
import { TaskState } from '../../lib/a2a/wire-v1.js';
import { JsonRpcError } from '../../lib/json-rpc/errors.js';
import { errorResponse } from '../../lib/json-rpc/wire.js';

describe('A2A errors', () => {
  it('use A2A’s codes, -32001 to -32009', () => {
    assert.deepEqual(Object.values(A2AErrorCode), [-32001, -32002, -32003, -32004, -32005, -32006, -32007, -32008, -32009]);
  });

  it('are JsonRpcError values with the spec’s ErrorInfo, written by the JSON-RPC module', () => {
    const error = A2AError.taskNotFound('t-1');
    assert.ok(error instanceof JsonRpcError);
    assert.equal(
      errorResponse(5, error),
      `{"jsonrpc":"2.0","id":5,"error":{"code":-32001,"message":"Task not found: \\"t-1\\"","data":[{"@type":"${ERROR_INFO_TYPE}","reason":"TASK_NOT_FOUND","domain":"a2a-protocol.org","metadata":{"taskId":"t-1"}}]}}`,
    );
  });

  it('have one factory per case, each with its code and reason', () => {
    const cases: [JsonRpcError, number, string][] = [
      [A2AError.pushConfigNotFound('t', 'p'), -32001, 'TASK_NOT_FOUND'],
      [A2AError.taskNotCancelable('t', TaskState.Completed), -32002, 'TASK_NOT_CANCELABLE'],
      [A2AError.pushNotificationNotSupported(), -32003, 'PUSH_NOTIFICATION_NOT_SUPPORTED'],
      [A2AError.unsupportedOperation('no'), -32004, 'UNSUPPORTED_OPERATION'],
      [A2AError.contentTypeNotSupported('text/plain'), -32005, 'CONTENT_TYPE_NOT_SUPPORTED'],
      [A2AError.extendedAgentCardNotConfigured(), -32007, 'EXTENDED_AGENT_CARD_NOT_CONFIGURED'],
      [A2AError.versionNotSupported('no', '2.0'), -32009, 'VERSION_NOT_SUPPORTED'],
      [A2AError.unavailable('busy'), -32603, 'INTERNAL'],
    ];
    for (const [error, code, reason] of cases) {
      assert.equal(error.code, code);
      assert.equal((error.data as [{ reason: string }])[0].reason, reason);
    }
    assert.equal(ERROR_REASONS[-32006], 'INVALID_AGENT_RESPONSE');
    assert.equal(ERROR_REASONS[-32008], 'EXTENSION_SUPPORT_REQUIRED');
    assert.deepEqual(A2AError.invalidParams('message.parts', 'is required').data, [{ '@type': BAD_REQUEST_TYPE, fieldViolations: [{ field: 'message.parts', description: 'is required' }] }]);
  });

  it('quote at most 200 characters of what a client sent', () => {
    const long = 'x'.repeat(1000);
    assert.equal(quote(long), JSON.stringify(`${'x'.repeat(200)}…`));
    const error = A2AError.taskNotFound(long);
    assert.ok(error.message.length < 250);
    assert.equal((error.data as [{ metadata: { taskId: string } }])[0].metadata.taskId.length, 201);
  });

  it('tell an executor which task refused an update, and in which state', () => {
    const error = new TaskStateError('t', TaskState.Canceled, 'no');
    assert.equal(error.name, 'TaskStateError');
    assert.equal(error.taskId, 't');
    assert.equal(error.state, TaskState.Canceled);
  });
});
