/**
 * A2A 1.0 on the wire (`specification/a2a.proto`, package `lf.a2a.v1`, in its ProtoJSON form):
 * camelCase field names, enums as their names (`TASK_STATE_WORKING`), a oneof told by which
 * member is present, fields at their default left out. These shapes are also the library's
 * internal model and what an executor reads and publishes: the 0.3 wire is a translation of
 * them (`versions.ts`).
 */

/** Free-form key/value data (`google.protobuf.Struct`). */
export type Metadata = Record<string, unknown>;

/** The states of a task, by their 1.0 names. */
export const TaskState = Object.freeze({
  /** Received and acknowledged; the agent has not started. */
  Submitted: 'TASK_STATE_SUBMITTED',
  /** The agent is working on it. */
  Working: 'TASK_STATE_WORKING',
  /** Finished successfully. Terminal. */
  Completed: 'TASK_STATE_COMPLETED',
  /** Finished with an error. Terminal. */
  Failed: 'TASK_STATE_FAILED',
  /** Canceled before it finished. Terminal. */
  Canceled: 'TASK_STATE_CANCELED',
  /** The agent waits for the client's input. Interrupted. */
  InputRequired: 'TASK_STATE_INPUT_REQUIRED',
  /** The agent decided not to do it. Terminal. */
  Rejected: 'TASK_STATE_REJECTED',
  /** The agent waits for authentication. Interrupted. */
  AuthRequired: 'TASK_STATE_AUTH_REQUIRED',
} as const);

/** A task state's 1.0 name. */
export type TaskState = (typeof TaskState)[keyof typeof TaskState];

/** The enum numbers ProtoJSON also accepts for a state (`TASK_STATE_UNSPECIFIED` is 0). */
export const TASK_STATE_NUMBERS: readonly (TaskState | undefined)[] = [
  undefined,
  TaskState.Submitted,
  TaskState.Working,
  TaskState.Completed,
  TaskState.Failed,
  TaskState.Canceled,
  TaskState.InputRequired,
  TaskState.Rejected,
  TaskState.AuthRequired,
];

/** The state name that means "no state" (a `ListTasks` filter that filters nothing). */
export const TASK_STATE_UNSPECIFIED = 'TASK_STATE_UNSPECIFIED';

/** Who sent a message. */
export const Role = Object.freeze({
  /** The client. */
  User: 'ROLE_USER',
  /** The agent. */
  Agent: 'ROLE_AGENT',
} as const);

/** A role's 1.0 name. */
export type Role = (typeof Role)[keyof typeof Role];

/** The enum numbers ProtoJSON also accepts for a role (`ROLE_UNSPECIFIED` is 0). */
export const ROLE_NUMBERS: readonly (Role | undefined)[] = [undefined, Role.User, Role.Agent];

/** What every part may carry besides its content. */
export interface PartFields {
  metadata?: Metadata;
  /** A file name, for file-like content (`document.pdf`). */
  filename?: string;
  /** The content's media type (`text/plain`, `image/png`), whatever the kind of part. */
  mediaType?: string;
}

/** Text. */
export interface TextPart extends PartFields {
  text: string;
}

/** Bytes, base64-encoded (standard alphabet, padded). */
export interface RawPart extends PartFields {
  raw: string;
}

/** A URL pointing to the content. */
export interface UrlPart extends PartFields {
  url: string;
}

/** Any JSON value (`google.protobuf.Value`). */
export interface DataPart extends PartFields {
  data: unknown;
}

/** One piece of a message or an artifact: exactly one of `text`, `raw`, `url`, `data`. */
export type Part = TextPart | RawPart | UrlPart | DataPart;

/** One unit of communication between a client and the agent. */
export interface Message {
  messageId: string;
  contextId?: string;
  taskId?: string;
  role: Role;
  /** At least one. */
  parts: Part[];
  metadata?: Metadata;
  /** The URIs of the extensions the message uses. */
  extensions?: string[];
  /** Other tasks this message refers to, as hints. */
  referenceTaskIds?: string[];
}

/** A task's state, with the agent's message about it and when it was set (ISO 8601, UTC, ms). */
export interface TaskStatus {
  state: TaskState;
  message?: Message;
  timestamp?: string;
}

/** An output of a task. */
export interface Artifact {
  /** Unique within its task. */
  artifactId: string;
  name?: string;
  description?: string;
  /** At least one. */
  parts: Part[];
  metadata?: Metadata;
  extensions?: string[];
}

/** A unit of work, its status, its outputs and the messages exchanged about it. */
export interface Task {
  id: string;
  contextId: string;
  status: TaskStatus;
  artifacts?: Artifact[];
  history?: Message[];
  metadata?: Metadata;
}

/** A task's status changed. */
export interface TaskStatusUpdateEvent {
  taskId: string;
  contextId: string;
  status: TaskStatus;
  metadata?: Metadata;
}

/** A task produced an artifact, or a chunk of one. */
export interface TaskArtifactUpdateEvent {
  taskId: string;
  contextId: string;
  artifact: Artifact;
  /** Add these parts to the artifact sent before with the same id. */
  append?: boolean;
  /** The artifact's last chunk. */
  lastChunk?: boolean;
  metadata?: Metadata;
}

/** One event of a stream (or one push notification): exactly one member. */
export type StreamResponse =
  | { task: Task }
  | { message: Message }
  | { statusUpdate: TaskStatusUpdateEvent }
  | { artifactUpdate: TaskArtifactUpdateEvent };

/** The answer to `SendMessage`: a task, or (for an agent that answers at once) a message. */
export type SendMessageResponse = { task: Task } | { message: Message };

/** How a push notification authenticates to the client's webhook. */
export interface AuthenticationInfo {
  /** An HTTP authentication scheme (`Bearer`, `Basic`). */
  scheme: string;
  credentials?: string;
}

/** Where and how to send a task's push notifications. */
export interface TaskPushNotificationConfig {
  id?: string;
  taskId?: string;
  url: string;
  /** Sent as `X-A2A-Notification-Token`, so the receiver can check where a notification comes from. */
  token?: string;
  authentication?: AuthenticationInfo;
}

/** `SendMessage`'s options. */
export interface SendMessageConfiguration {
  /** The media types the client accepts in the answer's parts. */
  acceptedOutputModes?: string[];
  taskPushNotificationConfig?: TaskPushNotificationConfig;
  /** The most history messages to return with the task; 0 for none. */
  historyLength?: number;
  /** Answer once the task exists instead of waiting for it to finish or stop for input. */
  returnImmediately?: boolean;
}

/** `SendMessage` and `SendStreamingMessage` parameters. */
export interface SendMessageRequest {
  message: Message;
  configuration?: SendMessageConfiguration;
  metadata?: Metadata;
}

/** `ListTasks` parameters. */
export interface ListTasksRequest {
  contextId?: string;
  status?: TaskState;
  pageSize?: number;
  pageToken?: string;
  historyLength?: number;
  /** Epoch milliseconds (parsed from the wire's timestamp). */
  statusTimestampAfter?: number;
  includeArtifacts?: boolean;
}

/** `ListTasks`' answer. */
export interface ListTasksResponse {
  tasks: Task[];
  /** Empty on the last page. */
  nextPageToken: string;
  pageSize: number;
  totalSize: number;
}

/** A way to reach the agent. */
export interface AgentInterface {
  url: string;
  /** `JSONRPC`, `GRPC` or `HTTP+JSON`. */
  protocolBinding: string;
  /** `1.0`, `0.3`: major and minor only. */
  protocolVersion: string;
  tenant?: string;
}

/** What the agent supports beyond the basics. */
export interface AgentCapabilities {
  streaming?: boolean;
  pushNotifications?: boolean;
  extensions?: AgentExtension[];
  extendedAgentCard?: boolean;
}

/** A protocol extension the agent supports. */
export interface AgentExtension {
  uri: string;
  description?: string;
  required?: boolean;
  params?: Metadata;
}

/** Something the agent can do. */
export interface AgentSkill {
  id: string;
  name: string;
  description: string;
  /** At least one. */
  tags: string[];
  examples?: string[];
  inputModes?: string[];
  outputModes?: string[];
}

/** Who provides the agent. */
export interface AgentProvider {
  organization: string;
  url: string;
}

/**
 * The agent card as served: A2A 1.0's fields, plus the 0.3 fields (`url`, `protocolVersion`,
 * `preferredTransport`, `additionalInterfaces`, `supportsAuthenticatedExtendedCard`) so a 0.3
 * client reads the same document.
 */
export interface AgentCard {
  name: string;
  description: string;
  supportedInterfaces: AgentInterface[];
  provider?: AgentProvider;
  version: string;
  documentationUrl?: string;
  capabilities: AgentCapabilities;
  defaultInputModes: string[];
  defaultOutputModes: string[];
  skills: AgentSkill[];
  iconUrl?: string;
  /** 0.3: the JSON-RPC endpoint. */
  url: string;
  /** 0.3: the protocol version of `url`. */
  protocolVersion: string;
  /** 0.3: the transport of `url`. */
  preferredTransport: string;
  /** 0.3: every transport and its URL. */
  additionalInterfaces: { url: string; transport: string }[];
  /** 0.3: whether `agent/getAuthenticatedExtendedCard` answers. */
  supportsAuthenticatedExtendedCard?: boolean;
}

/** The 1.0 JSON-RPC methods. */
export const MethodV1 = Object.freeze({
  SendMessage: 'SendMessage',
  SendStreamingMessage: 'SendStreamingMessage',
  GetTask: 'GetTask',
  ListTasks: 'ListTasks',
  CancelTask: 'CancelTask',
  SubscribeToTask: 'SubscribeToTask',
  CreateTaskPushNotificationConfig: 'CreateTaskPushNotificationConfig',
  GetTaskPushNotificationConfig: 'GetTaskPushNotificationConfig',
  ListTaskPushNotificationConfigs: 'ListTaskPushNotificationConfigs',
  DeleteTaskPushNotificationConfig: 'DeleteTaskPushNotificationConfig',
  GetExtendedAgentCard: 'GetExtendedAgentCard',
} as const);

/** A method, by its 1.0 name: also how the library names each operation internally. */
export type A2AMethod = (typeof MethodV1)[keyof typeof MethodV1];

/** True for the states after which a task never changes. */
export function isTerminal(state: TaskState): boolean {
  return state === TaskState.Completed || state === TaskState.Failed || state === TaskState.Canceled || state === TaskState.Rejected;
}

/** True for the states in which a task waits on its client. */
export function isInterrupted(state: TaskState): boolean {
  return state === TaskState.InputRequired || state === TaskState.AuthRequired;
}
