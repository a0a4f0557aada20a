import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkEvent } from '../../lib/ag-ui/check-event.js';

describe('checkEvent()', () => {
  it('returns an AG-UI event as it is, unknown fields included', () => {
    const event = { type: 'CUSTOM', name: 'progress', value: 3, extra: true };
    assert.equal(checkEvent(event), event);
    for (const type of ['STATE_SNAPSHOT', 'RAW', 'TEXT_MESSAGE_CHUNK', 'TOOL_CALL_CHUNK', 'MESSAGES_SNAPSHOT']) assert.doesNotThrow(() => checkEvent({ type }), type);
  });

  it('rejects what is not an event object', () => {
    assert.throws(() => checkEvent('text'), { name: 'TypeError', message: 'An AG-UI event must be an object, got string' });
    assert.throws(() => checkEvent(null), { message: 'An AG-UI event must be an object, got null' });
    assert.throws(() => checkEvent([]), { message: 'An AG-UI event must be an object, got an array' });
  });

  it('rejects an unknown or missing type', () => {
    assert.throws(() => checkEvent({ type: 'THINKING_START' }), { name: 'TypeError', message: 'Unknown AG-UI event type: "THINKING_START"' });
    assert.throws(() => checkEvent({}), { message: 'Unknown AG-UI event type: undefined' });
  });

  const required: Array<[string, string[]]> = [
    ['TEXT_MESSAGE_START', ['messageId']],
    ['TEXT_MESSAGE_CONTENT', ['messageId', 'delta']],
    ['TEXT_MESSAGE_END', ['messageId']],
    ['TOOL_CALL_START', ['toolCallId', 'toolCallName']],
    ['TOOL_CALL_ARGS', ['toolCallId', 'delta']],
    ['TOOL_CALL_END', ['toolCallId']],
    ['TOOL_CALL_RESULT', ['messageId', 'toolCallId']],
    ['ACTIVITY_SNAPSHOT', ['messageId', 'activityType']],
    ['ACTIVITY_DELTA', ['messageId', 'activityType']],
    ['CUSTOM', ['name']],
    ['RUN_STARTED', ['threadId', 'runId']],
    ['RUN_FINISHED', ['threadId', 'runId']],
    ['RUN_ERROR', ['message']],
    ['STEP_STARTED', ['stepName']],
    ['STEP_FINISHED', ['stepName']],
    ['REASONING_START', ['messageId']],
    ['REASONING_MESSAGE_START', ['messageId']],
    ['REASONING_MESSAGE_CONTENT', ['messageId', 'delta']],
    ['REASONING_MESSAGE_END', ['messageId']],
    ['REASONING_END', ['messageId']],
    ['REASONING_ENCRYPTED_VALUE', ['entityId', 'encryptedValue']],
    ['SUBAGENT_STARTED', ['subagentRunId', 'name']],
    ['SUBAGENT_FINISHED', ['subagentRunId']],
    ['SUBAGENT_ERROR', ['subagentRunId', 'message']],
  ];
  for (const [type, fields] of required) {
    it(`needs ${fields.join(' and ')} as strings on ${type}`, () => {
      const complete = Object.fromEntries([['type', type], ...fields.map((field) => [field, 'x'])]);
      assert.equal(checkEvent(complete), complete);
      for (const field of fields) {
        assert.throws(() => checkEvent({ ...complete, [field]: undefined }), { name: 'TypeError', message: `AG-UI ${type} event needs a string ${field}` });
        assert.throws(() => checkEvent({ ...complete, [field]: 1 }), TypeError);
      }
    });
  }
});
