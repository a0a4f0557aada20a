import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { METHODS_V03, PROTOCOL_VERSION_V03, STATE_TO_V03 } from '../../lib/a2a/wire-v0-3.js';
import { MethodV1, TaskState } from '../../lib/a2a/wire-v1.js';

describe('the A2A 0.3 wire names', () => {
  it('spell every 1.0 state the 0.3 way', () => {
    assert.deepEqual(Object.keys(STATE_TO_V03).sort(), Object.values(TaskState).sort());
    assert.equal(STATE_TO_V03[TaskState.InputRequired], 'input-required');
    assert.equal(STATE_TO_V03[TaskState.Canceled], 'canceled');
  });

  it('map each 0.3 method to a 1.0 one, and have no tasks/list', () => {
    assert.equal(Object.keys(METHODS_V03).length, 10);
    for (const method of Object.values(METHODS_V03)) assert.ok(Object.hasOwn(MethodV1, method));
    assert.ok(!(Object.values(METHODS_V03) as string[]).includes('ListTasks'));
    assert.equal(PROTOCOL_VERSION_V03, '0.3.0');
  });
});
