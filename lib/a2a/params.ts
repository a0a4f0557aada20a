import { A2AError } from './errors.js';
import {
  ROLE_NUMBERS,
  TASK_STATE_NUMBERS,
  TASK_STATE_UNSPECIFIED,
  type AuthenticationInfo,
  type ListTasksRequest,
  type Message,
  type Metadata,
  type Part,
  type Role,
  type SendMessageConfiguration,
  type SendMessageRequest,
  type TaskPushNotificationConfig,
  type TaskState,
} from './wire-v1.js';

/**
 * Reading the 1.0 requests' `params` into the library's model, checking what the protocol
 * requires: every REQUIRED field present (a required list non-empty), a part with exactly one
 * content, enums by name or number, integers in range. A violation is `-32602` naming the field
 * (`message.parts[0]`). As ProtoJSON allows, a field may also come by its proto name
 * (`message_id`), and unknown fields are ignored (and not kept).
 */

type Fields = Record<string, unknown>;

/** `ListTasks` page sizes (the proto's bounds and default). */
export const LIST_PAGE_SIZE = Object.freeze({ min: 1, max: 100, default: 50 });

/** Bytes as ProtoJSON writes them: base64, standard or URL-safe alphabet, padding optional. */
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const INT32_MAX = 2 ** 31 - 1;

const ROLES = new Set<unknown>(ROLE_NUMBERS.filter((role) => role !== undefined));
const STATES = new Set<unknown>(TASK_STATE_NUMBERS.filter((state) => state !== undefined));

/** `params` as an object. @throws JsonRpcError -32602 when it is absent, an array or not an object. */
export function paramsObject(params: unknown, optional = false): Fields {
  if (params === undefined && optional) return {};
  if (typeof params !== 'object' || params === null || Array.isArray(params)) throw A2AError.invalidParams('params', 'must be an object');
  return params as Fields;
}

/** A field by its JSON name, else by its proto name. */
function get(fields: Fields, name: string, protoName?: string): unknown {
  const value = fields[name];
  return value === undefined && protoName !== undefined ? fields[protoName] : value;
}

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An optional string; ProtoJSON's default (`""`) counts as absent. */
export function optionalString(fields: Fields, name: string, path: string, protoName?: string): string | undefined {
  const value = get(fields, name, protoName);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw A2AError.invalidParams(path + name, 'must be a string');
  return value;
}

/** A REQUIRED string. */
export function requiredString(fields: Fields, name: string, path: string, protoName?: string): string {
  const value = optionalString(fields, name, path, protoName);
  if (value === undefined) throw A2AError.invalidParams(path + name, 'is required');
  return value;
}

function optionalBoolean(fields: Fields, name: string, path: string, protoName?: string): boolean | undefined {
  const value = get(fields, name, protoName);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw A2AError.invalidParams(path + name, 'must be a boolean');
  return value;
}

/** An optional int32 from `min` to `max` (ProtoJSON also writes it as a numeric string). */
export function optionalInteger(fields: Fields, name: string, path: string, min: number, max = INT32_MAX, protoName?: string): number | undefined {
  const raw = get(fields, name, protoName);
  if (raw === undefined || raw === null) return undefined;
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw A2AError.invalidParams(path + name, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

function optionalMetadata(fields: Fields, name: string, path: string): Metadata | undefined {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw A2AError.invalidParams(path + name, 'must be an object');
  return value;
}

function optionalStrings(fields: Fields, name: string, path: string, protoName?: string): string[] | undefined {
  const value = get(fields, name, protoName);
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw A2AError.invalidParams(path + name, 'must be a list of strings');
  return value.length === 0 ? undefined : (value as string[]);
}

/**
 * A part: exactly one of `text`, `raw` (base64), `url`, `data`, with `metadata`, `filename`,
 * `mediaType`. Also used to check the parts an executor publishes.
 * @throws JsonRpcError -32602 naming `path`.
 */
export function readPart(value: unknown, path: string): Part {
  if (!isObject(value)) throw A2AError.invalidParams(path, 'must be an object');
  let part: Part | undefined;
  let contents = 0;
  if (value.text !== undefined) {
    if (typeof value.text !== 'string') throw A2AError.invalidParams(`${path}.text`, 'must be a string');
    part = { text: value.text };
    contents++;
  }
  if (value.raw !== undefined) {
    if (typeof value.raw !== 'string' || !BASE64.test(value.raw)) throw A2AError.invalidParams(`${path}.raw`, 'must be base64');
    part = { raw: value.raw };
    contents++;
  }
  if (value.url !== undefined) {
    if (typeof value.url !== 'string') throw A2AError.invalidParams(`${path}.url`, 'must be a string');
    part = { url: value.url };
    contents++;
  }
  if (Object.hasOwn(value, 'data')) {
    part = { data: value.data };
    contents++;
  }
  if (contents !== 1) throw A2AError.invalidParams(path, 'must have exactly one of text, raw, url and data');
  const metadata = optionalMetadata(value, 'metadata', `${path}.`);
  const filename = optionalString(value, 'filename', `${path}.`);
  const mediaType = optionalString(value, 'mediaType', `${path}.`, 'media_type');
  if (metadata !== undefined) part!.metadata = metadata;
  if (filename !== undefined) part!.filename = filename;
  if (mediaType !== undefined) part!.mediaType = mediaType;
  return part!;
}

/** A non-empty list of parts. */
export function readParts(value: unknown, path: string): Part[] {
  if (!Array.isArray(value) || value.length === 0) throw A2AError.invalidParams(path, 'must be a list of at least one part');
  const parts: Part[] = new Array(value.length);
  for (let index = 0; index < value.length; index++) parts[index] = readPart(value[index], `${path}[${index}]`);
  return parts;
}

function readRole(value: unknown, path: string): Role {
  if (ROLES.has(value)) return value as Role;
  const byNumber = typeof value === 'number' ? ROLE_NUMBERS[value] : undefined;
  if (byNumber !== undefined) return byNumber;
  throw A2AError.invalidParams(path, 'must be ROLE_USER or ROLE_AGENT');
}

/**
 * What `@a2a-js/sdk` 1.3.0's client writes for a `ListTasks` status it was not given (ts-proto's
 * name for an unknown enum value): read as "no filter", which is what its user meant.
 */
const UNRECOGNIZED = 'UNRECOGNIZED';

/** A task state filter by name or number; `TASK_STATE_UNSPECIFIED` (or 0) is `undefined`, no filter. */
export function readState(value: unknown, path: string): TaskState | undefined {
  if (value === undefined || value === null || value === TASK_STATE_UNSPECIFIED || value === 0 || value === UNRECOGNIZED) return undefined;
  if (STATES.has(value)) return value as TaskState;
  const byNumber = typeof value === 'number' && Number.isInteger(value) ? TASK_STATE_NUMBERS[value] : undefined;
  if (byNumber !== undefined) return byNumber;
  throw A2AError.invalidParams(path, 'must be a TaskState name such as TASK_STATE_WORKING');
}

/** A message, as a client sends it. */
export function readMessage(value: unknown, path: string): Message {
  if (!isObject(value)) throw A2AError.invalidParams(path, 'is required');
  const prefix = `${path}.`;
  const message: Message = {
    messageId: requiredString(value, 'messageId', prefix, 'message_id'),
    role: readRole(value.role, `${prefix}role`),
    parts: readParts(value.parts, `${prefix}parts`),
  };
  const contextId = optionalString(value, 'contextId', prefix, 'context_id');
  const taskId = optionalString(value, 'taskId', prefix, 'task_id');
  const metadata = optionalMetadata(value, 'metadata', prefix);
  const extensions = optionalStrings(value, 'extensions', prefix);
  const referenceTaskIds = optionalStrings(value, 'referenceTaskIds', prefix, 'reference_task_ids');
  if (contextId !== undefined) message.contextId = contextId;
  if (taskId !== undefined) message.taskId = taskId;
  if (metadata !== undefined) message.metadata = metadata;
  if (extensions !== undefined) message.extensions = extensions;
  if (referenceTaskIds !== undefined) message.referenceTaskIds = referenceTaskIds;
  return message;
}

/** A push notification configuration (`TaskPushNotificationConfig`). */
export function readPushConfig(value: unknown, path: string): TaskPushNotificationConfig {
  if (!isObject(value)) throw A2AError.invalidParams(path || 'params', 'must be an object');
  const prefix = path === '' ? '' : `${path}.`;
  const config: TaskPushNotificationConfig = { url: requiredString(value, 'url', prefix) };
  const id = optionalString(value, 'id', prefix);
  const taskId = optionalString(value, 'taskId', prefix, 'task_id');
  const token = optionalString(value, 'token', prefix);
  if (id !== undefined) config.id = id;
  if (taskId !== undefined) config.taskId = taskId;
  if (token !== undefined) config.token = token;
  const authentication = value.authentication;
  if (authentication !== undefined && authentication !== null) {
    if (!isObject(authentication)) throw A2AError.invalidParams(`${prefix}authentication`, 'must be an object');
    const info: AuthenticationInfo = { scheme: requiredString(authentication, 'scheme', `${prefix}authentication.`) };
    const credentials = optionalString(authentication, 'credentials', `${prefix}authentication.`);
    if (credentials !== undefined) info.credentials = credentials;
    config.authentication = info;
  }
  return config;
}

function readConfiguration(value: unknown): SendMessageConfiguration | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw A2AError.invalidParams('configuration', 'must be an object');
  const prefix = 'configuration.';
  const configuration: SendMessageConfiguration = {};
  const acceptedOutputModes = optionalStrings(value, 'acceptedOutputModes', prefix, 'accepted_output_modes');
  const historyLength = optionalInteger(value, 'historyLength', prefix, 0, INT32_MAX, 'history_length');
  const returnImmediately = optionalBoolean(value, 'returnImmediately', prefix, 'return_immediately');
  const push = get(value, 'taskPushNotificationConfig', 'task_push_notification_config');
  if (acceptedOutputModes !== undefined) configuration.acceptedOutputModes = acceptedOutputModes;
  if (historyLength !== undefined) configuration.historyLength = historyLength;
  if (returnImmediately !== undefined) configuration.returnImmediately = returnImmediately;
  if (push !== undefined && push !== null) configuration.taskPushNotificationConfig = readPushConfig(push, `${prefix}taskPushNotificationConfig`);
  return configuration;
}

/** `SendMessage` / `SendStreamingMessage` params. */
export function readSendMessageRequest(params: unknown): SendMessageRequest {
  const fields = paramsObject(params);
  const request: SendMessageRequest = { message: readMessage(fields.message, 'message') };
  const configuration = readConfiguration(fields.configuration);
  const metadata = optionalMetadata(fields, 'metadata', '');
  if (configuration !== undefined) request.configuration = configuration;
  if (metadata !== undefined) request.metadata = metadata;
  return request;
}

/** `GetTask` params: the task id and the history wanted. */
export function readGetTaskRequest(params: unknown): { id: string; historyLength: number | undefined } {
  const fields = paramsObject(params);
  return { id: requiredString(fields, 'id', ''), historyLength: optionalInteger(fields, 'historyLength', '', 0, INT32_MAX, 'history_length') };
}

/** `CancelTask` and `SubscribeToTask` params: the task id. */
export function readTaskIdRequest(params: unknown): { id: string } {
  return { id: requiredString(paramsObject(params), 'id', '') };
}

/** `ListTasks` params, with the page size defaulted. */
export function readListTasksRequest(params: unknown): ListTasksRequest & { pageSize: number } {
  const fields = paramsObject(params, true);
  const request: ListTasksRequest & { pageSize: number } = {
    pageSize: optionalInteger(fields, 'pageSize', '', LIST_PAGE_SIZE.min, LIST_PAGE_SIZE.max, 'page_size') ?? LIST_PAGE_SIZE.default,
  };
  const contextId = optionalString(fields, 'contextId', '', 'context_id');
  const status = readState(fields.status, 'status');
  const pageToken = optionalString(fields, 'pageToken', '', 'page_token');
  const historyLength = optionalInteger(fields, 'historyLength', '', 0, INT32_MAX, 'history_length');
  const includeArtifacts = optionalBoolean(fields, 'includeArtifacts', '', 'include_artifacts');
  const after = optionalString(fields, 'statusTimestampAfter', '', 'status_timestamp_after');
  if (contextId !== undefined) request.contextId = contextId;
  if (status !== undefined) request.status = status;
  if (pageToken !== undefined) request.pageToken = pageToken;
  if (historyLength !== undefined) request.historyLength = historyLength;
  if (includeArtifacts !== undefined) request.includeArtifacts = includeArtifacts;
  if (after !== undefined) {
    const time = Date.parse(after);
    if (Number.isNaN(time)) throw A2AError.invalidParams('statusTimestampAfter', 'must be an ISO 8601 timestamp');
    request.statusTimestampAfter = time;
  }
  return request;
}

/**
 * `GetTaskPushNotificationConfig` / `DeleteTaskPushNotificationConfig` params; with
 * `idOptional` (0.3's get, where a task's config may be asked for without its id) `id` may be
 * absent.
 */
export function readConfigRef(params: unknown, idOptional = false): { taskId: string; id: string | undefined } {
  const fields = paramsObject(params);
  return { taskId: requiredString(fields, 'taskId', '', 'task_id'), id: idOptional ? optionalString(fields, 'id', '') : requiredString(fields, 'id', '') };
}

/** `ListTaskPushNotificationConfigs` params (paging is accepted; one page holds every config). */
export function readConfigListRequest(params: unknown): { taskId: string } {
  const fields = paramsObject(params);
  optionalInteger(fields, 'pageSize', '', 0, INT32_MAX, 'page_size');
  return { taskId: requiredString(fields, 'taskId', '', 'task_id') };
}
