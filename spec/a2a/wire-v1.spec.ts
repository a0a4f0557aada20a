import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isInterrupted, isTerminal, MethodV1, ROLE_NUMBERS, Role, TASK_STATE_NUMBERS, TaskState } from '../../lib/a2a/wire-v1.js';

describe('the A2A 1.0 wire names', () => {
  it('spell states and roles as the proto’s enum names, numbered as in the proto', () => {
    assert.deepEqual(TASK_STATE_NUMBERS, [
      undefined,
      'TASK_STATE_SUBMITTED',
      'TASK_STATE_WORKING',
      'TASK_STATE_COMPLETED',
      'TASK_STATE_FAILED',
      'TASK_STATE_CANCELED',
      'TASK_STATE_INPUT_REQUIRED',
      'TASK_STATE_REJECTED',
      'TASK_STATE_AUTH_REQUIRED',
    ]);
    assert.deepEqual(ROLE_NUMBERS, [undefined, Role.User, Role.Agent]);
    assert.deepEqual(new Set(Object.values(TaskState)), new Set(TASK_STATE_NUMBERS.filter(Boolean)));
  });

  it('tell terminal states from interrupted ones', () => {
    assert.deepEqual(Object.values(TaskState).filter(isTerminal), [TaskState.Completed, TaskState.Failed, TaskState.Canceled, TaskState.Rejected]);
    assert.deepEqual(Object.values(TaskState).filter(isInterrupted), [TaskState.InputRequired, TaskState.AuthRequired]);
  });

  it('name the eleven JSON-RPC methods as the proto’s service does', () => {
    assert.equal(Object.keys(MethodV1).length, 11);
    for (const [key, value] of Object.entries(MethodV1)) assert.equal(key, value);
  });
});
