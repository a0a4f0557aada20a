import { EventType, type AgUiEvent } from './events.js';

/**
 * The minimal check of events an agent yields: a known type and the fields that pair the event
 * with its opener or its run. The client checks the rest.
 */

const EVENT_TYPES: ReadonlySet<string> = new Set(Object.values(EventType));

/**
 * The string fields each event type cannot do without: the ids that pair an event with its
 * opener or its run, and the text it carries. The minimal check; the client checks the rest.
 */
const REQUIRED_STRINGS: Readonly<Partial<Record<EventType, readonly string[]>>> = {
  TEXT_MESSAGE_START: ['messageId'],
  TEXT_MESSAGE_CONTENT: ['messageId', 'delta'],
  TEXT_MESSAGE_END: ['messageId'],
  TOOL_CALL_START: ['toolCallId', 'toolCallName'],
  TOOL_CALL_ARGS: ['toolCallId', 'delta'],
  TOOL_CALL_END: ['toolCallId'],
  TOOL_CALL_RESULT: ['messageId', 'toolCallId'],
  ACTIVITY_SNAPSHOT: ['messageId', 'activityType'],
  ACTIVITY_DELTA: ['messageId', 'activityType'],
  CUSTOM: ['name'],
  RUN_STARTED: ['threadId', 'runId'],
  RUN_FINISHED: ['threadId', 'runId'],
  RUN_ERROR: ['message'],
  STEP_STARTED: ['stepName'],
  STEP_FINISHED: ['stepName'],
  REASONING_START: ['messageId'],
  REASONING_MESSAGE_START: ['messageId'],
  REASONING_MESSAGE_CONTENT: ['messageId', 'delta'],
  REASONING_MESSAGE_END: ['messageId'],
  REASONING_END: ['messageId'],
  REASONING_ENCRYPTED_VALUE: ['entityId', 'encryptedValue'],
  SUBAGENT_STARTED: ['subagentRunId', 'name'],
  SUBAGENT_FINISHED: ['subagentRunId'],
  SUBAGENT_ERROR: ['subagentRunId', 'message'],
};

/** True when `name` is an AG-UI event type. */
export function isEventType(name: unknown): name is EventType {
  return typeof name === 'string' && EVENT_TYPES.has(name);
}

/**
 * Checks that `value` looks like an AG-UI event: an object whose `type` is an AG-UI event type,
 * with the id and text fields that type requires as strings. Other fields are left to the client.
 * @throws TypeError naming what is wrong.
 */
export function checkEvent(value: unknown): AgUiEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`An AG-UI event must be an object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  }
  const type = (value as { type?: unknown }).type;
  if (!isEventType(type)) throw new TypeError(`Unknown AG-UI event type: ${JSON.stringify(type) ?? 'undefined'}`);
  for (const field of REQUIRED_STRINGS[type] ?? []) {
    if (typeof (value as Record<string, unknown>)[field] !== 'string') throw new TypeError(`AG-UI ${type} event needs a string ${field}`);
  }
  return value as AgUiEvent;
}
