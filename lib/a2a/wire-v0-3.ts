/**
 * A2A 0.3 on the wire (`specification/json/a2a.json` at `v0.3.0`): `kind` tells objects apart
 * (`task`, `message`, `status-update`, `artifact-update`; parts `text`, `file`, `data`),
 * states and roles are lowercase (`input-required`, `user`), a file part nests its bytes or
 * URI, and `SendMessage`'s `blocking` is the opposite of 1.0's `returnImmediately`. Only the
 * translation in `versions.ts` reads these.
 */
import { TaskState, type Metadata } from './wire-v1.js';

/** 0.3 state names. `unknown` (1.0's UNSPECIFIED) is never sent. */
export type TaskStateV03 = 'submitted' | 'working' | 'input-required' | 'completed' | 'canceled' | 'failed' | 'rejected' | 'auth-required';

/** 1.0 state → 0.3 spelling. */
export const STATE_TO_V03: Readonly<Record<TaskState, TaskStateV03>> = Object.freeze({
  [TaskState.Submitted]: 'submitted',
  [TaskState.Working]: 'working',
  [TaskState.Completed]: 'completed',
  [TaskState.Failed]: 'failed',
  [TaskState.Canceled]: 'canceled',
  [TaskState.InputRequired]: 'input-required',
  [TaskState.Rejected]: 'rejected',
  [TaskState.AuthRequired]: 'auth-required',
});

export interface TextPartV03 {
  kind: 'text';
  text: string;
  metadata?: Metadata;
}

/** A file's bytes (base64) or its URI, with optional name and media type. */
export interface FileV03 {
  bytes?: string;
  uri?: string;
  name?: string;
  mimeType?: string;
}

export interface FilePartV03 {
  kind: 'file';
  file: FileV03;
  metadata?: Metadata;
}

/** 0.3 data is a JSON object only. */
export interface DataPartV03 {
  kind: 'data';
  data: Record<string, unknown>;
  metadata?: Metadata;
}

export type PartV03 = TextPartV03 | FilePartV03 | DataPartV03;

export interface MessageV03 {
  kind: 'message';
  messageId: string;
  role: 'user' | 'agent';
  parts: PartV03[];
  contextId?: string;
  taskId?: string;
  metadata?: Metadata;
  extensions?: string[];
  referenceTaskIds?: string[];
}

export interface TaskStatusV03 {
  state: TaskStateV03;
  message?: MessageV03;
  timestamp?: string;
}

export interface ArtifactV03 {
  artifactId: string;
  name?: string;
  description?: string;
  parts: PartV03[];
  metadata?: Metadata;
  extensions?: string[];
}

export interface TaskV03 {
  kind: 'task';
  id: string;
  contextId: string;
  status: TaskStatusV03;
  artifacts?: ArtifactV03[];
  history?: MessageV03[];
  metadata?: Metadata;
}

export interface TaskStatusUpdateEventV03 {
  kind: 'status-update';
  taskId: string;
  contextId: string;
  status: TaskStatusV03;
  /** True on the event after which the stream closes. */
  final: boolean;
  metadata?: Metadata;
}

export interface TaskArtifactUpdateEventV03 {
  kind: 'artifact-update';
  taskId: string;
  contextId: string;
  artifact: ArtifactV03;
  append?: boolean;
  lastChunk?: boolean;
  metadata?: Metadata;
}

/** 0.3's push configuration: 1.0 flattened it into `TaskPushNotificationConfig`. */
export interface PushNotificationConfigV03 {
  url: string;
  id?: string;
  token?: string;
  authentication?: { schemes: string[]; credentials?: string };
}

export interface TaskPushNotificationConfigV03 {
  taskId: string;
  pushNotificationConfig: PushNotificationConfigV03;
}

/** The 0.3 JSON-RPC methods, with the 1.0 method each one is. */
export const METHODS_V03 = Object.freeze({
  'message/send': 'SendMessage',
  'message/stream': 'SendStreamingMessage',
  'tasks/get': 'GetTask',
  'tasks/cancel': 'CancelTask',
  'tasks/resubscribe': 'SubscribeToTask',
  'tasks/pushNotificationConfig/set': 'CreateTaskPushNotificationConfig',
  'tasks/pushNotificationConfig/get': 'GetTaskPushNotificationConfig',
  'tasks/pushNotificationConfig/list': 'ListTaskPushNotificationConfigs',
  'tasks/pushNotificationConfig/delete': 'DeleteTaskPushNotificationConfig',
  'agent/getAuthenticatedExtendedCard': 'GetExtendedAgentCard',
} as const);

/** The protocol version a 0.3 card states at its top level (the 0.3 schema's default). */
export const PROTOCOL_VERSION_V03 = '0.3.0';
