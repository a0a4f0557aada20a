import type { ContentPart, Message, Metadata, RunAgentInput } from './input.js';

/*
 * AG-UI events as the AG-UI 1.0 schema (`@ag-ui/core`) defines them: the `type` names, the
 * fields of each event, and constructors for the ones a run stream makes itself.
 */

/** The AG-UI protocol version these types follow; `RUN_STARTED` declares it. */
export const AG_UI_PROTOCOL_VERSION = '1.0';

/** Every AG-UI event type name, as `EventType` of `@ag-ui/core` spells it. */
export const EventType = Object.freeze({
  TEXT_MESSAGE_START: 'TEXT_MESSAGE_START',
  TEXT_MESSAGE_CONTENT: 'TEXT_MESSAGE_CONTENT',
  TEXT_MESSAGE_END: 'TEXT_MESSAGE_END',
  TEXT_MESSAGE_CHUNK: 'TEXT_MESSAGE_CHUNK',
  TOOL_CALL_START: 'TOOL_CALL_START',
  TOOL_CALL_ARGS: 'TOOL_CALL_ARGS',
  TOOL_CALL_END: 'TOOL_CALL_END',
  TOOL_CALL_CHUNK: 'TOOL_CALL_CHUNK',
  TOOL_CALL_RESULT: 'TOOL_CALL_RESULT',
  STATE_SNAPSHOT: 'STATE_SNAPSHOT',
  STATE_DELTA: 'STATE_DELTA',
  MESSAGES_SNAPSHOT: 'MESSAGES_SNAPSHOT',
  ACTIVITY_SNAPSHOT: 'ACTIVITY_SNAPSHOT',
  ACTIVITY_DELTA: 'ACTIVITY_DELTA',
  RAW: 'RAW',
  CUSTOM: 'CUSTOM',
  RUN_STARTED: 'RUN_STARTED',
  RUN_FINISHED: 'RUN_FINISHED',
  RUN_ERROR: 'RUN_ERROR',
  STEP_STARTED: 'STEP_STARTED',
  STEP_FINISHED: 'STEP_FINISHED',
  REASONING_START: 'REASONING_START',
  REASONING_MESSAGE_START: 'REASONING_MESSAGE_START',
  REASONING_MESSAGE_CONTENT: 'REASONING_MESSAGE_CONTENT',
  REASONING_MESSAGE_END: 'REASONING_MESSAGE_END',
  REASONING_MESSAGE_CHUNK: 'REASONING_MESSAGE_CHUNK',
  REASONING_END: 'REASONING_END',
  REASONING_ENCRYPTED_VALUE: 'REASONING_ENCRYPTED_VALUE',
  SUBAGENT_STARTED: 'SUBAGENT_STARTED',
  SUBAGENT_FINISHED: 'SUBAGENT_FINISHED',
  SUBAGENT_ERROR: 'SUBAGENT_ERROR',
} as const);

/** An AG-UI event type name. */
export type EventType = (typeof EventType)[keyof typeof EventType];

/** The fields every event may carry. */
export interface BaseEvent {
  type: EventType;
  /** When the event was made; by convention milliseconds since the Unix epoch. */
  timestamp?: number;
  /** The provider-native event this one was translated from. */
  rawEvent?: unknown;
  metadata?: Metadata;
}

/** Events that can belong to a subagent's work. */
interface Attributable {
  /** The subagent invocation the event belongs to; absent for the parent agent. */
  subagentRunId?: string;
}

/** The roles a streamed text message may take. */
export type TextMessageRole = 'developer' | 'system' | 'assistant' | 'user';

/** Opens a streamed text message; `TEXT_MESSAGE_CONTENT` events follow, `TEXT_MESSAGE_END` closes it. */
export interface TextMessageStartEvent extends BaseEvent, Attributable {
  type: 'TEXT_MESSAGE_START';
  messageId: string;
  role?: TextMessageRole;
  name?: string;
}

/** Appends `delta` to an open text message. */
export interface TextMessageContentEvent extends BaseEvent, Attributable {
  type: 'TEXT_MESSAGE_CONTENT';
  messageId: string;
  delta: string;
}

/** Closes a text message. */
export interface TextMessageEndEvent extends BaseEvent, Attributable {
  type: 'TEXT_MESSAGE_END';
  messageId: string;
}

/** Shorthand for a start, content and end sequence; the client expands it. */
export interface TextMessageChunkEvent extends BaseEvent, Attributable {
  type: 'TEXT_MESSAGE_CHUNK';
  messageId?: string;
  role?: TextMessageRole;
  delta?: string;
  name?: string;
}

/** Opens a tool call; `TOOL_CALL_ARGS` events carry its arguments, `TOOL_CALL_END` closes it. */
export interface ToolCallStartEvent extends BaseEvent, Attributable {
  type: 'TOOL_CALL_START';
  toolCallId: string;
  toolCallName: string;
  parentMessageId?: string;
}

/** Appends `delta` to a tool call's JSON arguments. */
export interface ToolCallArgsEvent extends BaseEvent, Attributable {
  type: 'TOOL_CALL_ARGS';
  toolCallId: string;
  delta: string;
}

/** Closes a tool call: its arguments are complete. */
export interface ToolCallEndEvent extends BaseEvent, Attributable {
  type: 'TOOL_CALL_END';
  toolCallId: string;
}

/** Shorthand for a tool call's start, args and end sequence. */
export interface ToolCallChunkEvent extends BaseEvent, Attributable {
  type: 'TOOL_CALL_CHUNK';
  toolCallId?: string;
  toolCallName?: string;
  parentMessageId?: string;
  delta?: string;
}

/** What a tool returned, as a new tool message `messageId`. */
export interface ToolCallResultEvent extends BaseEvent, Attributable {
  type: 'TOOL_CALL_RESULT';
  messageId: string;
  toolCallId: string;
  content: string | ContentPart[];
  role?: 'tool';
}

/** One RFC 6902 JSON Patch operation. */
export type JsonPatchOperation =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; from: string; path: string };

/** Replaces the agent state wholesale. */
export interface StateSnapshotEvent extends BaseEvent, Attributable {
  type: 'STATE_SNAPSHOT';
  /** Any JSON value. */
  snapshot: unknown;
}

/** Changes the agent state by a JSON Patch. */
export interface StateDeltaEvent extends BaseEvent, Attributable {
  type: 'STATE_DELTA';
  delta: JsonPatchOperation[];
}

/** The complete set of messages the agent owns, in order. */
export interface MessagesSnapshotEvent extends BaseEvent {
  type: 'MESSAGES_SNAPSHOT';
  messages: Message[];
}

/** Structured progress that is not conversation content (a widget's data). */
export interface ActivitySnapshotEvent extends BaseEvent, Attributable {
  type: 'ACTIVITY_SNAPSHOT';
  messageId: string;
  activityType: string;
  content: Record<string, unknown>;
  replace?: boolean;
}

/** Changes an activity message's content by a JSON Patch. */
export interface ActivityDeltaEvent extends BaseEvent, Attributable {
  type: 'ACTIVITY_DELTA';
  messageId: string;
  activityType: string;
  patch: JsonPatchOperation[];
}

/** A provider-native event passed through untranslated. */
export interface RawEvent extends BaseEvent, Attributable {
  type: 'RAW';
  event: unknown;
  source?: string;
}

/** An application's own event. */
export interface CustomEvent extends BaseEvent, Attributable {
  type: 'CUSTOM';
  name: string;
  value: unknown;
}

/** Opens a run: the first event of every run. */
export interface RunStartedEvent extends BaseEvent {
  type: 'RUN_STARTED';
  threadId: string;
  runId: string;
  /** The protocol version the agent speaks. */
  protocolVersion?: string;
  parentRunId?: string;
  /** The request the run was started from, echoed back. */
  input?: RunAgentInput;
}

/** Token counts for one provider and model. */
export interface TokenUsage {
  provider?: string;
  model?: string;
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  reasoningTokens?: number;
  cachedInputTokens?: number;
  cacheWriteInputTokens?: number;
}

/** Something a paused run needs from outside before it can continue. */
export interface Interrupt extends Attributable {
  id: string;
  reason: string;
  message?: string;
  toolCallId?: string;
  responseSchema?: Record<string, unknown>;
  expiresAt?: string;
  metadata?: Metadata;
}

/** Why a run ended without failing; absent means success. */
export type RunFinishedOutcome =
  | { type: 'success'; pendingToolCallIds?: string[] }
  | { type: 'interrupt'; interrupts: Interrupt[] }
  | { type: 'cancelled' };

/** Closes a run that did not fail: the last event of the run. */
export interface RunFinishedEvent extends BaseEvent {
  type: 'RUN_FINISHED';
  threadId: string;
  runId: string;
  result?: unknown;
  outcome?: RunFinishedOutcome;
  usage?: TokenUsage[];
}

/** Ends a run that failed: the last event of the run. */
export interface RunErrorEvent extends BaseEvent {
  type: 'RUN_ERROR';
  message: string;
  code?: string;
  usage?: TokenUsage[];
}

/** Opens a named step within a run. */
export interface StepStartedEvent extends BaseEvent, Attributable {
  type: 'STEP_STARTED';
  stepName: string;
}

/** Closes a named step. */
export interface StepFinishedEvent extends BaseEvent, Attributable {
  type: 'STEP_FINISHED';
  stepName: string;
}

/** Opens a span of reasoning (which may hold several reasoning messages). */
export interface ReasoningStartEvent extends BaseEvent, Attributable {
  type: 'REASONING_START';
  messageId: string;
}

/** Opens a streamed reasoning message. */
export interface ReasoningMessageStartEvent extends BaseEvent, Attributable {
  type: 'REASONING_MESSAGE_START';
  messageId: string;
  role: 'reasoning';
}

/** Appends `delta` to a reasoning message. */
export interface ReasoningMessageContentEvent extends BaseEvent, Attributable {
  type: 'REASONING_MESSAGE_CONTENT';
  messageId: string;
  delta: string;
}

/** Closes a reasoning message. */
export interface ReasoningMessageEndEvent extends BaseEvent, Attributable {
  type: 'REASONING_MESSAGE_END';
  messageId: string;
}

/** Shorthand for a reasoning message's start, content and end sequence. */
export interface ReasoningMessageChunkEvent extends BaseEvent, Attributable {
  type: 'REASONING_MESSAGE_CHUNK';
  messageId?: string;
  delta?: string;
}

/** Closes a span of reasoning. */
export interface ReasoningEndEvent extends BaseEvent, Attributable {
  type: 'REASONING_END';
  messageId: string;
}

/** A provider's opaque, encrypted reasoning artefact for a message or tool call. */
export interface ReasoningEncryptedValueEvent extends BaseEvent, Attributable {
  type: 'REASONING_ENCRYPTED_VALUE';
  subtype: 'tool-call' | 'message';
  entityId: string;
  encryptedValue: string;
}

/** A subagent invocation began; its events carry its `subagentRunId`. */
export interface SubagentStartedEvent extends BaseEvent {
  type: 'SUBAGENT_STARTED';
  subagentRunId: string;
  name: string;
  description?: string;
  parentSubagentRunId?: string;
  parentToolCallId?: string;
  parentMessageId?: string;
}

/** A subagent invocation's part of the run ended. */
export interface SubagentFinishedEvent extends BaseEvent {
  type: 'SUBAGENT_FINISHED';
  subagentRunId: string;
  result?: unknown;
  outcome?: { type: 'success' } | { type: 'suspended'; interruptIds?: string[] };
}

/** A subagent invocation failed; the run may go on. */
export interface SubagentErrorEvent extends BaseEvent {
  type: 'SUBAGENT_ERROR';
  subagentRunId: string;
  message: string;
  code?: string;
}

/** Any AG-UI event, told apart by `type`. */
export type AgUiEvent =
  | TextMessageStartEvent
  | TextMessageContentEvent
  | TextMessageEndEvent
  | TextMessageChunkEvent
  | ToolCallStartEvent
  | ToolCallArgsEvent
  | ToolCallEndEvent
  | ToolCallChunkEvent
  | ToolCallResultEvent
  | StateSnapshotEvent
  | StateDeltaEvent
  | MessagesSnapshotEvent
  | ActivitySnapshotEvent
  | ActivityDeltaEvent
  | RawEvent
  | CustomEvent
  | RunStartedEvent
  | RunFinishedEvent
  | RunErrorEvent
  | StepStartedEvent
  | StepFinishedEvent
  | ReasoningStartEvent
  | ReasoningMessageStartEvent
  | ReasoningMessageContentEvent
  | ReasoningMessageEndEvent
  | ReasoningMessageChunkEvent
  | ReasoningEndEvent
  | ReasoningEncryptedValueEvent
  | SubagentStartedEvent
  | SubagentFinishedEvent
  | SubagentErrorEvent;

/** `RUN_STARTED` for run `runId` of thread `threadId`, declaring `AG_UI_PROTOCOL_VERSION`. */
export function runStartedEvent(threadId: string, runId: string, parentRunId?: string): RunStartedEvent {
  const event: RunStartedEvent = { type: EventType.RUN_STARTED, threadId, runId, protocolVersion: AG_UI_PROTOCOL_VERSION };
  if (parentRunId !== undefined) event.parentRunId = parentRunId;
  return event;
}

/** `RUN_FINISHED` for run `runId` of thread `threadId`. */
export function runFinishedEvent(threadId: string, runId: string): RunFinishedEvent {
  return { type: EventType.RUN_FINISHED, threadId, runId };
}

/**
 * `RUN_ERROR` for a thrown value: `message` is the error's message (or the value as text), and
 * `code` the error's own string `code` when it has one (an `HttpError`'s, a Node system error's).
 */
export function runErrorEvent(error: unknown): RunErrorEvent {
  const event: RunErrorEvent = { type: EventType.RUN_ERROR, message: error instanceof Error ? error.message : String(error) };
  const code = (error as { code?: unknown } | null | undefined)?.code;
  if (typeof code === 'string' && code !== '') event.code = code;
  return event;
}

/** `TEXT_MESSAGE_START` for message `messageId`, from the assistant unless `role` says otherwise. */
export function textMessageStartEvent(messageId: string, role: TextMessageRole = 'assistant'): TextMessageStartEvent {
  return { type: EventType.TEXT_MESSAGE_START, messageId, role };
}

/** `TEXT_MESSAGE_CONTENT` appending `delta` to message `messageId`. */
export function textMessageContentEvent(messageId: string, delta: string): TextMessageContentEvent {
  return { type: EventType.TEXT_MESSAGE_CONTENT, messageId, delta };
}

/** `TEXT_MESSAGE_END` closing message `messageId`. */
export function textMessageEndEvent(messageId: string): TextMessageEndEvent {
  return { type: EventType.TEXT_MESSAGE_END, messageId };
}
