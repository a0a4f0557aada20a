import { JsonRpcError } from '../json-rpc/errors.js';
import { A2AError, A2AErrorCode, ERROR_DOMAIN, ERROR_INFO_TYPE, ERROR_REASONS, quote } from './errors.js';
import {
  METHODS_V03,
  STATE_TO_V03,
  type ArtifactV03,
  type MessageV03,
  type PartV03,
  type TaskPushNotificationConfigV03,
  type TaskStatusV03,
  type TaskV03,
} from './wire-v0-3.js';
import {
  MethodV1,
  Role,
  type A2AMethod,
  type Artifact,
  type Message,
  type Part,
  type StreamResponse,
  type Task,
  type TaskPushNotificationConfig,
  type TaskStatus,
} from './wire-v1.js';

/**
 * Which A2A version a request speaks, and the translation between the library's model (the 1.0
 * shapes) and each version's wire. Both versions share one endpoint: the `A2A-Version` header
 * names the version (absent or empty means 0.3, as the specification says; a patch number is
 * ignored) and the method must be one of that version's (`SendMessage` is 1.0, `message/send`
 * is 0.3); anything else is `-32009`, and a method of neither version is `-32601`.
 */

/** The versions served. */
export type A2AVersion = '1.0' | '0.3';

/** The header a client names its version with (lower case, as Node gives it). */
export const VERSION_HEADER = 'a2a-version';

const VERSION = /^(\d{1,4})(?:\.(\d{1,4}))?(?:\.\d{1,4})?$/;
const V1_METHODS = new Set<string>(Object.values(MethodV1));

/**
 * The version the `A2A-Version` header asks for.
 * @throws JsonRpcError -32009 for a version that is not served or not a version at all.
 */
export function requestedVersion(header: string | undefined): A2AVersion {
  const value = header === undefined ? '' : header.trim();
  if (value === '') return '0.3';
  const match = VERSION.exec(value);
  const majorMinor = match === null ? undefined : `${Number(match[1])}.${Number(match[2] ?? 0)}`;
  if (majorMinor === '1.0' || majorMinor === '0.3') return majorMinor;
  throw A2AError.versionNotSupported(`A2A-Version ${quote(value)} is not served here; use 1.0 or 0.3`, value);
}

/**
 * The operation `method` names in `version`.
 * @throws JsonRpcError -32009 when it is the other version's method; -32601 when it is neither's.
 */
export function methodOf(method: string, version: A2AVersion): A2AMethod {
  const legacy = Object.hasOwn(METHODS_V03, method) ? METHODS_V03[method as keyof typeof METHODS_V03] : undefined;
  if (version === '1.0') {
    if (V1_METHODS.has(method)) return method as A2AMethod;
    if (legacy !== undefined) throw A2AError.versionNotSupported(`${quote(method)} is an A2A 0.3 method: send it with A2A-Version: 0.3 (or none)`, version);
  } else {
    if (legacy !== undefined) return legacy;
    if (V1_METHODS.has(method)) throw A2AError.versionNotSupported(`${quote(method)} is an A2A 1.0 method: send it with A2A-Version: 1.0`, version);
  }
  throw JsonRpcError.methodNotFound(method.length > 100 ? `${method.slice(0, 100)}…` : method);
}

/** How one version's wire reads requests and writes answers, events and errors. */
export interface Wire {
  readonly version: A2AVersion;
  /** The method's params in the 1.0 shape (unchanged when they are no object: the reader refuses them). */
  params(method: A2AMethod, params: unknown): unknown;
  /** A method's result (in the 1.0 shape) as this wire writes it. */
  result(method: A2AMethod, result: unknown): unknown;
  /** One stream event; `final` marks the one after which the stream closes. */
  event(event: StreamResponse, final: boolean): unknown;
  /** An error with this wire's `data`. */
  error(error: JsonRpcError): JsonRpcError;
}

/** A2A 1.0: the model as it is; every error's `data` a list of typed details. */
export const WIRE_V1: Wire = Object.freeze({
  version: '1.0' as const,
  params: (_method: A2AMethod, params: unknown) => params,
  result: (_method: A2AMethod, result: unknown) => result,
  event: (event: StreamResponse) => event,
  error: (error: JsonRpcError) => (Array.isArray(error.data) ? error : new JsonRpcError(error.code, error.message, [errorInfo(error)])),
});

/** An `ErrorInfo` for an error that has none, its `data` fields (if any) as string metadata. */
function errorInfo(error: JsonRpcError): Record<string, unknown> {
  const info: Record<string, unknown> = { '@type': ERROR_INFO_TYPE, reason: ERROR_REASONS[error.code] ?? 'UNKNOWN', domain: ERROR_DOMAIN };
  if (typeof error.data === 'object' && error.data !== null) {
    const metadata: Record<string, string> = {};
    for (const [key, value] of Object.entries(error.data)) if (value !== undefined) metadata[key] = typeof value === 'string' ? value : JSON.stringify(value);
    info.metadata = metadata;
  }
  return info;
}

/** A2A 0.3: `kind`s, lowercase enums, nested file parts, `blocking`, bare results. */
export const WIRE_V03: Wire = Object.freeze({
  version: '0.3' as const,
  params: paramsFromV03,
  result: resultToV03,
  event: eventToV03,
  error: errorToV03,
});

/** The wire of `version`. */
export function wireOf(version: A2AVersion): Wire {
  return version === '1.0' ? WIRE_V1 : WIRE_V03;
}

// ── 0.3 in ──────────────────────────────────────────────────────────────────────────────────

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function paramsFromV03(method: A2AMethod, params: unknown): unknown {
  if (!isObject(params)) return params;
  switch (method) {
    case 'SendMessage':
    case 'SendStreamingMessage':
      return { message: messageFromV03(params.message), configuration: configurationFromV03(params.configuration), metadata: params.metadata };
    case 'CreateTaskPushNotificationConfig': {
      const config = params.pushNotificationConfig;
      return isObject(config) ? { ...pushConfigFromV03(config), taskId: params.taskId } : { taskId: params.taskId };
    }
    case 'GetTaskPushNotificationConfig':
    case 'DeleteTaskPushNotificationConfig':
      return { taskId: params.id, id: params.pushNotificationConfigId };
    case 'ListTaskPushNotificationConfigs':
      return { taskId: params.id };
    default:
      // GetTask, CancelTask, SubscribeToTask: the same fields.
      return params;
  }
}

/** A 0.3 message in the 1.0 shape, for the 1.0 reader to check the rest. */
function messageFromV03(value: unknown): unknown {
  if (!isObject(value)) return value;
  if (value.kind !== undefined && value.kind !== 'message') throw A2AError.invalidParams('message.kind', 'must be "message"');
  const role = value.role === 'user' ? Role.User : value.role === 'agent' ? Role.Agent : undefined;
  if (role === undefined) throw A2AError.invalidParams('message.role', 'must be "user" or "agent"');
  const parts = Array.isArray(value.parts) ? value.parts.map((part, index) => partFromV03(part, `message.parts[${index}]`)) : value.parts;
  return { ...value, role, parts };
}

function partFromV03(value: unknown, path: string): unknown {
  if (!isObject(value)) return value;
  const common: Fields = {};
  if (value.metadata !== undefined) common.metadata = value.metadata;
  switch (value.kind) {
    case 'text':
      return { ...common, text: value.text };
    case 'file': {
      const file = value.file;
      if (!isObject(file)) throw A2AError.invalidParams(`${path}.file`, 'must be an object');
      if ((file.bytes === undefined) === (file.uri === undefined)) throw A2AError.invalidParams(`${path}.file`, 'must have exactly one of bytes and uri');
      const part: Fields = file.bytes !== undefined ? { ...common, raw: file.bytes } : { ...common, url: file.uri };
      if (file.name !== undefined) part.filename = file.name;
      if (file.mimeType !== undefined) part.mediaType = file.mimeType;
      return part;
    }
    case 'data': {
      if (!isObject(value.data)) throw A2AError.invalidParams(`${path}.data`, 'must be an object');
      const metadata = common.metadata;
      if (isObject(metadata) && metadata.data_part_compat === true && Object.hasOwn(value.data, 'value')) {
        // A 1.0 data part that was not an object, wrapped for 0.3 (and unwrapped here).
        const { data_part_compat: _wrapped, ...rest } = metadata;
        return Object.keys(rest).length === 0 ? { data: value.data.value } : { data: value.data.value, metadata: rest };
      }
      return { ...common, data: value.data };
    }
    default:
      throw A2AError.invalidParams(`${path}.kind`, 'must be "text", "file" or "data"');
  }
}

function configurationFromV03(value: unknown): unknown {
  if (!isObject(value)) return value;
  const configuration: Fields = { acceptedOutputModes: value.acceptedOutputModes, historyLength: value.historyLength };
  // 0.3 leaves a missing `blocking` open; it waits, as 1.0 does without `returnImmediately`.
  if (value.blocking !== undefined) {
    if (typeof value.blocking !== 'boolean') throw A2AError.invalidParams('configuration.blocking', 'must be a boolean');
    configuration.returnImmediately = !value.blocking;
  }
  if (value.pushNotificationConfig !== undefined && value.pushNotificationConfig !== null) {
    configuration.taskPushNotificationConfig = isObject(value.pushNotificationConfig) ? pushConfigFromV03(value.pushNotificationConfig) : value.pushNotificationConfig;
  }
  return configuration;
}

function pushConfigFromV03(config: Fields): Fields {
  const flat: Fields = { url: config.url, id: config.id, token: config.token };
  const authentication = config.authentication;
  if (isObject(authentication)) {
    const schemes = authentication.schemes;
    flat.authentication = { scheme: Array.isArray(schemes) ? schemes[0] : undefined, credentials: authentication.credentials };
  }
  return flat;
}

// ── 0.3 out ─────────────────────────────────────────────────────────────────────────────────

function resultToV03(method: A2AMethod, result: unknown): unknown {
  switch (method) {
    case 'SendMessage': {
      const answer = result as { task?: Task; message?: Message };
      return answer.task !== undefined ? taskToV03(answer.task) : messageToV03(answer.message!);
    }
    case 'GetTask':
    case 'CancelTask':
      return taskToV03(result as Task);
    case 'CreateTaskPushNotificationConfig':
    case 'GetTaskPushNotificationConfig':
      return pushConfigToV03(result as TaskPushNotificationConfig);
    case 'ListTaskPushNotificationConfigs':
      return (result as { configs: TaskPushNotificationConfig[] }).configs.map(pushConfigToV03);
    default:
      // DeleteTaskPushNotificationConfig (null) and GetExtendedAgentCard (the card serves both versions).
      return result;
  }
}

function eventToV03(event: StreamResponse, final: boolean): unknown {
  if ('task' in event) return taskToV03(event.task);
  if ('message' in event) return messageToV03(event.message);
  if ('statusUpdate' in event) {
    const update = event.statusUpdate;
    const out: Fields = { kind: 'status-update', taskId: update.taskId, contextId: update.contextId, status: statusToV03(update.status), final };
    if (update.metadata !== undefined) out.metadata = update.metadata;
    return out;
  }
  const update = event.artifactUpdate;
  const out: Fields = { kind: 'artifact-update', taskId: update.taskId, contextId: update.contextId, artifact: artifactToV03(update.artifact) };
  if (update.append !== undefined) out.append = update.append;
  if (update.lastChunk !== undefined) out.lastChunk = update.lastChunk;
  if (update.metadata !== undefined) out.metadata = update.metadata;
  return out;
}

/** 0.3 error data is free-form; the 1.0 typed details are left out (never a `@type` list on a 0.3 wire). */
function errorToV03(error: JsonRpcError): JsonRpcError {
  if (error.code === A2AErrorCode.ExtendedAgentCardNotConfigured) return new JsonRpcError(error.code, 'Authenticated Extended Card is not configured');
  if (!Array.isArray(error.data)) return error;
  return new JsonRpcError(error.code, error.message);
}

/** A task in the 0.3 shape. */
export function taskToV03(task: Task): TaskV03 {
  const out: TaskV03 = { kind: 'task', id: task.id, contextId: task.contextId, status: statusToV03(task.status) };
  if (task.artifacts !== undefined) out.artifacts = task.artifacts.map(artifactToV03);
  if (task.history !== undefined) out.history = task.history.map(messageToV03);
  if (task.metadata !== undefined) out.metadata = task.metadata;
  return out;
}

function statusToV03(status: TaskStatus): TaskStatusV03 {
  const out: TaskStatusV03 = { state: STATE_TO_V03[status.state] };
  if (status.message !== undefined) out.message = messageToV03(status.message);
  if (status.timestamp !== undefined) out.timestamp = status.timestamp;
  return out;
}

/** A message in the 0.3 shape. */
export function messageToV03(message: Message): MessageV03 {
  const out: MessageV03 = { kind: 'message', messageId: message.messageId, role: message.role === Role.Agent ? 'agent' : 'user', parts: message.parts.map(partToV03) };
  if (message.contextId !== undefined) out.contextId = message.contextId;
  if (message.taskId !== undefined) out.taskId = message.taskId;
  if (message.metadata !== undefined) out.metadata = message.metadata;
  if (message.extensions !== undefined) out.extensions = message.extensions;
  if (message.referenceTaskIds !== undefined) out.referenceTaskIds = message.referenceTaskIds;
  return out;
}

function artifactToV03(artifact: Artifact): ArtifactV03 {
  const out: ArtifactV03 = { artifactId: artifact.artifactId, parts: artifact.parts.map(partToV03) };
  if (artifact.name !== undefined) out.name = artifact.name;
  if (artifact.description !== undefined) out.description = artifact.description;
  if (artifact.metadata !== undefined) out.metadata = artifact.metadata;
  if (artifact.extensions !== undefined) out.extensions = artifact.extensions;
  return out;
}

/**
 * A part in the 0.3 shape: bytes and URLs become file parts; data that is not an object is
 * wrapped as `{"value": …}` with `metadata.data_part_compat` (0.3 data is an object). A text or
 * data part's media type and file name have no place in 0.3 and are left out.
 */
function partToV03(part: Part): PartV03 {
  let out: PartV03;
  let metadata = part.metadata;
  if ('text' in part) {
    out = { kind: 'text', text: part.text };
  } else if ('raw' in part || 'url' in part) {
    const file: PartV03 & { kind: 'file' } = { kind: 'file', file: 'raw' in part ? { bytes: part.raw } : { uri: part.url } };
    if (part.filename !== undefined) file.file.name = part.filename;
    if (part.mediaType !== undefined) file.file.mimeType = part.mediaType;
    out = file;
  } else if (isObject(part.data)) {
    out = { kind: 'data', data: part.data };
  } else {
    out = { kind: 'data', data: { value: part.data } };
    metadata = { ...metadata, data_part_compat: true };
  }
  if (metadata !== undefined) out.metadata = metadata;
  return out;
}

function pushConfigToV03(config: TaskPushNotificationConfig): TaskPushNotificationConfigV03 {
  const inner: TaskPushNotificationConfigV03['pushNotificationConfig'] = { url: config.url };
  if (config.id !== undefined) inner.id = config.id;
  if (config.token !== undefined) inner.token = config.token;
  if (config.authentication !== undefined) {
    inner.authentication = { schemes: [config.authentication.scheme] };
    if (config.authentication.credentials !== undefined) inner.authentication.credentials = config.authentication.credentials;
  }
  return { taskId: config.taskId!, pushNotificationConfig: inner };
}
