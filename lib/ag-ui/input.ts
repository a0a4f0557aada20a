import { HttpError } from '../errors.js';
import { randomUUID } from '../random.js';

/*
 * The request body of an AG-UI run, `RunAgentInput`, and the messages, tools and context it
 * carries, as the AG-UI 1.0 schema (`@ag-ui/core`) defines them. Objects are open: fields the
 * schema does not name are kept as they came.
 */

/** Extra information attached to a message, tool or event: an object, any JSON under a key. */
export type Metadata = Record<string, unknown>;

/** A text part of a message body. */
export interface TextPart {
  type: 'text';
  /** The text. */
  text: string;
  id?: string;
  metadata?: unknown;
}

/** Bytes carried inline, base64-encoded. */
export interface DataSource {
  type: 'data';
  value: string;
  mimeType: string;
}

/** Bytes referenced by URL. */
export interface UrlSource {
  type: 'url';
  value: string;
  mimeType?: string;
}

/** Bytes already at the model provider, named by a handle it issued (a file id, a file URI). */
export interface FileSource {
  type: 'file';
  value: string;
  provider?: string;
  mimeType?: string;
}

/** Where a media part's bytes come from. */
export type PartSource = DataSource | UrlSource | FileSource;

/** An image, audio, video or document part of a message body. */
export interface MediaPart {
  type: 'image' | 'audio' | 'video' | 'document';
  source: PartSource;
  id?: string;
  metadata?: unknown;
}

/** One part of a user message or a tool result. */
export type ContentPart = TextPart | MediaPart;

/** The fields every message has. */
interface MessageBase {
  /** Identifies the message within the conversation. */
  id: string;
  /** The subagent invocation the message belongs to; absent for the parent agent. */
  subagentRunId?: string;
  metadata?: Metadata;
}

/** Instructions from the application developer. */
export interface DeveloperMessage extends MessageBase {
  role: 'developer';
  content: string;
  name?: string;
  encryptedValue?: string;
}

/** Instructions from the system. */
export interface SystemMessage extends MessageBase {
  role: 'system';
  content: string;
  name?: string;
  encryptedValue?: string;
}

/** A tool call an assistant message made; `function.arguments` is JSON text, kept as written. */
export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
  encryptedValue?: string;
  metadata?: Metadata;
}

/** A message from the agent; a turn may consist only of tool calls. */
export interface AssistantMessage extends MessageBase {
  role: 'assistant';
  content?: string;
  toolCalls?: ToolCall[];
  name?: string;
  encryptedValue?: string;
}

/** A message from the person using the application: text, or parts for a multimodal message. */
export interface UserMessage extends MessageBase {
  role: 'user';
  content: string | ContentPart[];
  name?: string;
  encryptedValue?: string;
}

/** What a tool returned, answering the call `toolCallId`. */
export interface ToolMessage extends MessageBase {
  role: 'tool';
  content: string | ContentPart[];
  toolCallId: string;
  /** Why the tool failed, when it did. */
  error?: string;
  encryptedValue?: string;
}

/** Structured progress that is not conversation content. */
export interface ActivityMessage extends MessageBase {
  role: 'activity';
  activityType: string;
  content: Record<string, unknown>;
}

/** A span of the agent's reasoning. */
export interface ReasoningMessage extends MessageBase {
  role: 'reasoning';
  content: string;
  encryptedValue?: string;
}

/** Any message of a conversation, told apart by `role`. */
export type Message =
  | DeveloperMessage
  | SystemMessage
  | AssistantMessage
  | UserMessage
  | ToolMessage
  | ActivityMessage
  | ReasoningMessage;

/** A tool the agent may call (a frontend tool: the client runs it). */
export interface Tool {
  name: string;
  description: string;
  /** JSON Schema of the arguments, carried as given. */
  parameters?: unknown;
  metadata?: Metadata;
}

/** A named piece of ambient information for the run. */
export interface Context {
  description: string;
  value: string;
}

/** An answer to one interrupt of a previous run. */
export interface ResumeEntry {
  interruptId: string;
  status: 'resolved' | 'cancelled';
  payload?: unknown;
  metadata?: Metadata;
}

/**
 * The body of an AG-UI run request, as `parseRunAgentInput` returns it (fields the schema does
 * not name are kept on the object, untyped).
 */
export interface RunAgentInput {
  /** The conversation this run belongs to. */
  threadId: string;
  /** Identifies this run; generated when the request has none. */
  runId: string;
  /** The protocol version the client speaks, such as `"1.0"`. */
  protocolVersion?: string;
  /** The run that spawned this one. */
  parentRunId?: string;
  /** The state the run starts from: any JSON value. */
  state?: unknown;
  /** The conversation so far, in order. */
  messages: Message[];
  /** The tools the agent may call; empty when the request has none. */
  tools: Tool[];
  /** Ambient information for the run; empty when the request has none. */
  context: Context[];
  /** Application values passed through to the agent untouched: any JSON value. */
  forwardedProps?: unknown;
  /** Answers to the interrupts that ended a previous run. */
  resume?: ResumeEntry[];
}

/** The error code of a request body that is not a valid `RunAgentInput`. */
export const INVALID_RUN_AGENT_INPUT = 'INVALID_RUN_AGENT_INPUT';

/** How much of an unexpected string value an error message quotes. */
const MAX_QUOTED_CHARS = 40;

const MESSAGE_ROLES = ['developer', 'system', 'assistant', 'user', 'tool', 'activity', 'reasoning'] as const;
const PART_TYPES = ['text', 'image', 'audio', 'video', 'document'] as const;
const SOURCE_TYPES = ['data', 'url', 'file'] as const;
const RESUME_STATUSES = ['resolved', 'cancelled'] as const;

/**
 * A request body that is not a valid `RunAgentInput` (400, `INVALID_RUN_AGENT_INPUT`). `field`
 * is the path of the first offending field, such as `messages[2].content`; `details.field` puts
 * it in the JSON error body.
 */
export class InvalidRunAgentInputError extends HttpError {
  /** The path of the offending field; empty when the body as a whole is wrong. */
  readonly field: string;

  constructor(field: string, problem: string) {
    super(400, `Invalid RunAgentInput: ${field === '' ? 'the body' : field} ${problem}`, {
      code: INVALID_RUN_AGENT_INPUT,
      details: { field },
    });
    this.name = 'InvalidRunAgentInputError';
    this.field = field;
  }
}

type Json = Record<string, unknown>;

/**
 * Checks an invocation payload against the AG-UI 1.0 `RunAgentInput` schema and returns it typed:
 * `threadId` and `messages` are required; `runId` is required by the schema but generated
 * (`randomUUID()`) when absent, so hand-written clients work (`RUN_STARTED` tells the client the
 * id); `tools` and `context` default to `[]`. Optional JSON values that pre-1.0 clients send as
 * `null` (`state`, `forwardedProps`, a tool's `parameters`, a resume entry's `payload`, a part's
 * `metadata`) are read as absent, as AG-UI's own client does; any other `null` is an error.
 * Fields the schema does not name are kept. The payload is not modified.
 * @throws InvalidRunAgentInputError (an `HttpError`, so the app answers 400) naming the first
 * offending field.
 */
export function parseRunAgentInput(payload: unknown): RunAgentInput {
  const body = object(payload, '');
  const input: Json = { ...body };
  input.threadId = string(body.threadId, 'threadId');
  input.runId = body.runId === undefined ? randomUUID() : string(body.runId, 'runId');
  optional(body, 'protocolVersion', '', string);
  optional(body, 'parentRunId', '', string);
  input.messages = list(body.messages, 'messages', message);
  input.tools = body.tools === undefined ? [] : list(body.tools, 'tools', tool);
  input.context = body.context === undefined ? [] : list(body.context, 'context', context);
  for (const key of ['state', 'forwardedProps'] as const) {
    if (body[key] === null) delete input[key];
  }
  if (body.resume !== undefined) input.resume = list(body.resume, 'resume', resumeEntry);
  return input as unknown as RunAgentInput;
}

/**
 * The text of the last `user` message: its string content, or its text parts joined; `undefined`
 * when the conversation has no user message.
 */
export function lastUserText(input: Pick<RunAgentInput, 'messages'>): string | undefined {
  for (let index = input.messages.length - 1; index >= 0; index--) {
    const message = input.messages[index]!;
    if (message.role !== 'user') continue;
    if (typeof message.content === 'string') return message.content;
    let text = '';
    for (const part of message.content) if (part.type === 'text') text += part.text;
    return text;
  }
  return undefined;
}

function message(value: unknown, path: string): Message {
  const fields = object(value, path);
  string(fields.id, `${path}.id`);
  const role = oneOf(fields.role, `${path}.role`, MESSAGE_ROLES);
  optional(fields, 'subagentRunId', path, string);
  optional(fields, 'metadata', path, object);
  if (role !== 'tool' && role !== 'activity' && role !== 'reasoning') optional(fields, 'name', path, string);
  if (role !== 'activity') optional(fields, 'encryptedValue', path, string);
  switch (role) {
    case 'developer':
    case 'system':
    case 'reasoning':
      string(fields.content, `${path}.content`);
      return fields as unknown as Message;
    case 'assistant':
      optional(fields, 'content', path, string);
      if (fields.toolCalls !== undefined) list(fields.toolCalls, `${path}.toolCalls`, toolCall);
      return fields as unknown as Message;
    case 'user':
      return withContent(fields, path);
    case 'tool':
      string(fields.toolCallId, `${path}.toolCallId`);
      optional(fields, 'error', path, string);
      return withContent(fields, path);
    case 'activity':
      string(fields.activityType, `${path}.activityType`);
      object(fields.content, `${path}.content`);
      return fields as unknown as Message;
  }
}

/** A user or tool message: its content is text or a list of parts. */
function withContent(fields: Json, path: string): Message {
  if (typeof fields.content === 'string') return fields as unknown as Message;
  if (!Array.isArray(fields.content)) throw invalid(`${path}.content`, 'must be a string or an array of content parts', fields.content);
  const content = list(fields.content, `${path}.content`, contentPart);
  return (content === fields.content ? fields : { ...fields, content }) as unknown as Message;
}

function contentPart(value: unknown, path: string): ContentPart {
  const fields = object(value, path);
  const type = oneOf(fields.type, `${path}.type`, PART_TYPES);
  optional(fields, 'id', path, string);
  if (type === 'text') string(fields.text, `${path}.text`);
  else partSource(fields.source, `${path}.source`);
  return withoutNull(fields, 'metadata') as unknown as ContentPart;
}

function partSource(value: unknown, path: string): void {
  const fields = object(value, path);
  const type = oneOf(fields.type, `${path}.type`, SOURCE_TYPES);
  string(fields.value, `${path}.value`);
  if (type === 'data') string(fields.mimeType, `${path}.mimeType`);
  else optional(fields, 'mimeType', path, string);
  if (type === 'file') optional(fields, 'provider', path, string);
}

function toolCall(value: unknown, path: string): ToolCall {
  const fields = object(value, path);
  string(fields.id, `${path}.id`);
  oneOf(fields.type, `${path}.type`, ['function'] as const);
  const call = object(fields.function, `${path}.function`);
  string(call.name, `${path}.function.name`);
  string(call.arguments, `${path}.function.arguments`);
  optional(fields, 'encryptedValue', path, string);
  optional(fields, 'metadata', path, object);
  return fields as unknown as ToolCall;
}

function tool(value: unknown, path: string): Tool {
  const fields = object(value, path);
  string(fields.name, `${path}.name`);
  string(fields.description, `${path}.description`);
  optional(fields, 'metadata', path, object);
  return withoutNull(fields, 'parameters') as unknown as Tool;
}

function context(value: unknown, path: string): Context {
  const fields = object(value, path);
  string(fields.description, `${path}.description`);
  string(fields.value, `${path}.value`);
  return fields as unknown as Context;
}

function resumeEntry(value: unknown, path: string): ResumeEntry {
  const fields = object(value, path);
  string(fields.interruptId, `${path}.interruptId`);
  oneOf(fields.status, `${path}.status`, RESUME_STATUSES);
  optional(fields, 'metadata', path, object);
  return withoutNull(fields, 'payload') as unknown as ResumeEntry;
}

/** `fields`, or a copy without `key` when it is `null` (a pre-1.0 client's "absent"). */
function withoutNull(fields: Json, key: string): Json {
  if (fields[key] !== null) return fields;
  const copy = { ...fields };
  delete copy[key];
  return copy;
}

/** Checks `fields[key]` with `check` when it is present. */
function optional(fields: Json, key: string, path: string, check: (value: unknown, path: string) => unknown): void {
  if (fields[key] !== undefined) check(fields[key], path === '' ? key : `${path}.${key}`);
}

/** Checks every item of an array; returns the array, or a copy when an item was normalized. */
function list<T>(value: unknown, path: string, item: (value: unknown, path: string) => T): T[] {
  if (!Array.isArray(value)) throw invalid(path, 'must be an array', value);
  let copy: T[] | undefined;
  for (let index = 0; index < value.length; index++) {
    const checked = item(value[index], `${path}[${index}]`);
    if (checked !== value[index]) {
      copy ??= value.slice() as T[];
      copy[index] = checked;
    }
  }
  return copy ?? (value as T[]);
}

function object(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(path, path === '' ? 'must be a JSON object' : 'must be an object', value);
  }
  return value as Json;
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string') throw invalid(path, 'must be a string', value);
  return value;
}

function oneOf<const T extends readonly string[]>(value: unknown, path: string, allowed: T): T[number] {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value;
  const list = allowed.map((name) => `"${name}"`).join(', ');
  throw invalid(path, allowed.length === 1 ? `must be ${list}` : `must be one of ${list}`, value);
}

function invalid(path: string, problem: string, value: unknown): InvalidRunAgentInputError {
  return new InvalidRunAgentInputError(path, `${problem}, got ${describe(value)}`);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    const quoted = value.length > MAX_QUOTED_CHARS ? `${value.slice(0, MAX_QUOTED_CHARS)}…` : value;
    return `the string ${JSON.stringify(quoted)}`;
  }
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
