import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as a2a from '../../lib/a2a/index.js';
import * as errors from '../../lib/a2a/errors.js';
import * as server from '../../lib/a2a/server.js';
import * as wire from '../../lib/a2a/wire-v1.js';
import * as jsonRpc from '../../lib/json-rpc/errors.js';

describe('the agentcore-lite/a2a entry (lib/a2a/index.ts)', () => {
  it('exports exactly the protocol surface: the server, the error values, the enums, the defaults', () => {
    assert.deepEqual(Object.keys(a2a).sort(), [
      'A2AError',
      'A2AErrorCode',
      'A2AServer',
      'A2A_PATH',
      'A2A_PORT',
      'AGENT_CARD_PATH',
      'AGENT_FAILED_TEXT',
      'CARD_MAX_AGE_SECONDS',
      'DEFAULT_A2A_FINISHED_TASK_TTL_MS',
      'DEFAULT_A2A_MAX_FINISHED_TASKS',
      'DEFAULT_A2A_MAX_OPEN_TASKS',
      'DEFAULT_A2A_MAX_STREAM_BACKLOG',
      'DEFAULT_A2A_MAX_TASK_HISTORY',
      'DEFAULT_A2A_PUSH_MAX_ATTEMPTS',
      'DEFAULT_A2A_PUSH_MAX_CONFIGS_PER_TASK',
      'DEFAULT_A2A_PUSH_MAX_QUEUED',
      'DEFAULT_A2A_PUSH_RETRY_DELAY_MS',
      'DEFAULT_A2A_PUSH_TIMEOUT_MS',
      'JsonRpcError',
      'MethodV1',
      'RUNTIME_URL_VARIABLE',
      'Role',
      'TaskState',
      'TaskStateError',
      'isInterrupted',
      'isTerminal',
    ]);
  });

  it('re-exports the modules’ own objects, so instanceof holds across imports', () => {
    assert.equal(a2a.A2AServer, server.A2AServer);
    assert.equal(a2a.TaskStateError, errors.TaskStateError);
    assert.equal(a2a.JsonRpcError, jsonRpc.JsonRpcError);
    assert.ok(a2a.A2AError.taskNotFound('t') instanceof a2a.JsonRpcError);
    assert.equal(a2a.TaskState, wire.TaskState);
  });

  it('has the contract’s port and paths, and frozen enums', () => {
    assert.equal(a2a.A2A_PORT, 9000);
    assert.equal(a2a.A2A_PATH, '/');
    assert.equal(a2a.AGENT_CARD_PATH, '/.well-known/agent-card.json');
    for (const frozen of [a2a.TaskState, a2a.Role, a2a.MethodV1, a2a.A2AErrorCode, a2a.A2AError]) assert.ok(Object.isFrozen(frozen));
  });
});
