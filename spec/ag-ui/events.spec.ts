import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AG_UI_PROTOCOL_VERSION,
  EventType,
  isEventType,
  runErrorEvent,
  runFinishedEvent,
  runStartedEvent,
  textMessageContentEvent,
  textMessageEndEvent,
  textMessageStartEvent,
} from '../../lib/ag-ui/index.js';
import { HttpError } from '../../lib/index.js';

/** Every event type of the AG-UI 1.0 schema, in its order. */
const SPEC_EVENT_TYPES = [
  'TEXT_MESSAGE_START',
  'TEXT_MESSAGE_CONTENT',
  'TEXT_MESSAGE_END',
  'TEXT_MESSAGE_CHUNK',
  'TOOL_CALL_START',
  'TOOL_CALL_ARGS',
  'TOOL_CALL_END',
  'TOOL_CALL_CHUNK',
  'TOOL_CALL_RESULT',
  'STATE_SNAPSHOT',
  'STATE_DELTA',
  'MESSAGES_SNAPSHOT',
  'ACTIVITY_SNAPSHOT',
  'ACTIVITY_DELTA',
  'RAW',
  'CUSTOM',
  'RUN_STARTED',
  'RUN_FINISHED',
  'RUN_ERROR',
  'STEP_STARTED',
  'STEP_FINISHED',
  'REASONING_START',
  'REASONING_MESSAGE_START',
  'REASONING_MESSAGE_CONTENT',
  'REASONING_MESSAGE_END',
  'REASONING_MESSAGE_CHUNK',
  'REASONING_END',
  'REASONING_ENCRYPTED_VALUE',
  'SUBAGENT_STARTED',
  'SUBAGENT_FINISHED',
  'SUBAGENT_ERROR',
];

describe('EventType', () => {
  it('names every AG-UI 1.0 event type, each as its own value', () => {
    assert.deepEqual(Object.keys(EventType), SPEC_EVENT_TYPES);
    for (const [key, value] of Object.entries(EventType)) assert.equal(value, key);
    assert.ok(Object.isFrozen(EventType));
    assert.equal(AG_UI_PROTOCOL_VERSION, '1.0');
  });

  it('isEventType() knows them and nothing else', () => {
    for (const name of SPEC_EVENT_TYPES) assert.ok(isEventType(name), name);
    for (const other of ['THINKING_START', 'run_started', '', 5, undefined]) assert.equal(isEventType(other), false, String(other));
  });
});

describe('the event constructors', () => {
  it('make the run lifecycle events with the spec\'s field names', () => {
    assert.deepEqual(runStartedEvent('t', 'r'), { type: 'RUN_STARTED', threadId: 't', runId: 'r', protocolVersion: '1.0' });
    assert.deepEqual(runStartedEvent('t', 'r', 'p'), { type: 'RUN_STARTED', threadId: 't', runId: 'r', protocolVersion: '1.0', parentRunId: 'p' });
    assert.deepEqual(runFinishedEvent('t', 'r'), { type: 'RUN_FINISHED', threadId: 't', runId: 'r' });
  });

  it('make the text message events, from the assistant unless told otherwise', () => {
    assert.deepEqual(textMessageStartEvent('m'), { type: 'TEXT_MESSAGE_START', messageId: 'm', role: 'assistant' });
    assert.deepEqual(textMessageStartEvent('m', 'user'), { type: 'TEXT_MESSAGE_START', messageId: 'm', role: 'user' });
    assert.deepEqual(textMessageContentEvent('m', 'hi'), { type: 'TEXT_MESSAGE_CONTENT', messageId: 'm', delta: 'hi' });
    assert.deepEqual(textMessageEndEvent('m'), { type: 'TEXT_MESSAGE_END', messageId: 'm' });
  });
});

describe('runErrorEvent()', () => {
  it('carries an Error\'s message', () => {
    assert.deepEqual(runErrorEvent(new TypeError('bad input')), { type: 'RUN_ERROR', message: 'bad input' });
  });

  it('carries the error\'s own string code: an HttpError\'s, a Node system error\'s', () => {
    assert.deepEqual(runErrorEvent(new HttpError(429, 'slow down', { code: 'THROTTLED' })), { type: 'RUN_ERROR', message: 'slow down', code: 'THROTTLED' });
    const system = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    assert.equal(runErrorEvent(system).code, 'ECONNREFUSED');
    assert.equal('code' in runErrorEvent(Object.assign(new Error('x'), { code: 42 })), false);
    assert.equal('code' in runErrorEvent(Object.assign(new Error('x'), { code: '' })), false);
  });

  it('turns any other thrown value into text', () => {
    assert.deepEqual(runErrorEvent('plain'), { type: 'RUN_ERROR', message: 'plain' });
    assert.deepEqual(runErrorEvent(undefined), { type: 'RUN_ERROR', message: 'undefined' });
    assert.deepEqual(runErrorEvent(null), { type: 'RUN_ERROR', message: 'null' });
    assert.deepEqual(runErrorEvent({ code: 'OBJ' }), { type: 'RUN_ERROR', message: '[object Object]', code: 'OBJ' });
  });
});
