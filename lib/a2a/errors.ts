import { JsonRpcError, JsonRpcErrorCode } from '../json-rpc/errors.js';
import type { TaskState } from './wire-v1.js';

/**
 * A2A's error codes (the same numbers in 1.0 and 0.3, where -32008 and -32009 are new), beside
 * JSON-RPC's own (`JsonRpcErrorCode`).
 */
export const A2AErrorCode = Object.freeze({
  /** No such task (unknown, or dropped once kept long enough), or no such push configuration. */
  TaskNotFound: -32001,
  /** The task cannot be canceled: it already finished. */
  TaskNotCancelable: -32002,
  /** Push notifications are off on this server. */
  PushNotificationNotSupported: -32003,
  /** Not supported here, or not in the task's state (a message to a finished task). */
  UnsupportedOperation: -32004,
  /** A media type the agent does not accept (or a request body that is not JSON). */
  ContentTypeNotSupported: -32005,
  /** The agent's answer does not conform. */
  InvalidAgentResponse: -32006,
  /** The extended agent card is declared but there is none. */
  ExtendedAgentCardNotConfigured: -32007,
  /** The client must support an extension the agent requires. */
  ExtensionSupportRequired: -32008,
  /** The `A2A-Version` asked for is not served, or does not match the method's. */
  VersionNotSupported: -32009,
});

/** The `@type` of the error details A2A 1.0 puts in `error.data`. */
export const ERROR_INFO_TYPE = 'type.googleapis.com/google.rpc.ErrorInfo';
export const BAD_REQUEST_TYPE = 'type.googleapis.com/google.rpc.BadRequest';
/** `ErrorInfo.domain` of A2A's errors. */
export const ERROR_DOMAIN = 'a2a-protocol.org';

/** `ErrorInfo.reason` per code: the error type's name in upper snake case, without "Error". */
export const ERROR_REASONS: Readonly<Record<number, string>> = Object.freeze({
  [A2AErrorCode.TaskNotFound]: 'TASK_NOT_FOUND',
  [A2AErrorCode.TaskNotCancelable]: 'TASK_NOT_CANCELABLE',
  [A2AErrorCode.PushNotificationNotSupported]: 'PUSH_NOTIFICATION_NOT_SUPPORTED',
  [A2AErrorCode.UnsupportedOperation]: 'UNSUPPORTED_OPERATION',
  [A2AErrorCode.ContentTypeNotSupported]: 'CONTENT_TYPE_NOT_SUPPORTED',
  [A2AErrorCode.InvalidAgentResponse]: 'INVALID_AGENT_RESPONSE',
  [A2AErrorCode.ExtendedAgentCardNotConfigured]: 'EXTENDED_AGENT_CARD_NOT_CONFIGURED',
  [A2AErrorCode.ExtensionSupportRequired]: 'EXTENSION_SUPPORT_REQUIRED',
  [A2AErrorCode.VersionNotSupported]: 'VERSION_NOT_SUPPORTED',
  [JsonRpcErrorCode.ParseError]: 'JSON_PARSE',
  [JsonRpcErrorCode.InvalidRequest]: 'INVALID_REQUEST',
  [JsonRpcErrorCode.MethodNotFound]: 'METHOD_NOT_FOUND',
  [JsonRpcErrorCode.InvalidParams]: 'INVALID_PARAMS',
  [JsonRpcErrorCode.InternalError]: 'INTERNAL',
});

/** The longest client-supplied text (an id) an error message quotes. */
const MAX_QUOTED_CHARS = 200;

/** `value` as a short quoted string for an error message. */
export function quote(value: string): string {
  return JSON.stringify(clip(value));
}

/** An A2A error with its 1.0 `ErrorInfo` detail (`metadata` values are strings, as the type wants). */
function a2aError(code: number, message: string, metadata?: Record<string, string>): JsonRpcError {
  const info: Record<string, unknown> = { '@type': ERROR_INFO_TYPE, reason: ERROR_REASONS[code], domain: ERROR_DOMAIN };
  if (metadata !== undefined) info.metadata = metadata;
  return new JsonRpcError(code, message, [info]);
}

/** `value`, cut to `MAX_QUOTED_CHARS`. */
function clip(value: string): string {
  return value.length > MAX_QUOTED_CHARS ? `${value.slice(0, MAX_QUOTED_CHARS)}…` : value;
}

/**
 * The protocol's errors as values (`JsonRpcError`s carrying A2A's codes and 1.0 error details).
 * Thrown by the method handlers; `lib/json-rpc/wire.ts` writes them, after the wire's version
 * had its say on `data` (see `versions.ts`).
 */
export const A2AError = Object.freeze({
  /** -32001 for task `taskId`. */
  taskNotFound(taskId: string): JsonRpcError {
    return a2aError(A2AErrorCode.TaskNotFound, `Task not found: ${quote(taskId)}`, { taskId: clip(taskId) });
  },
  /** -32001 for push configuration `configId` of task `taskId`. */
  pushConfigNotFound(taskId: string, configId: string): JsonRpcError {
    return a2aError(A2AErrorCode.TaskNotFound, `Push notification config not found: ${quote(configId)} of task ${quote(taskId)}`, {
      taskId: clip(taskId),
      configId: clip(configId),
    });
  },
  /** -32002: task `taskId` is `state` and cannot be canceled. */
  taskNotCancelable(taskId: string, state: TaskState): JsonRpcError {
    return a2aError(A2AErrorCode.TaskNotCancelable, 'Task cannot be canceled: it has already finished', { taskId: clip(taskId), state });
  },
  /** -32003. */
  pushNotificationNotSupported(): JsonRpcError {
    return a2aError(A2AErrorCode.PushNotificationNotSupported, 'Push notifications are not supported by this agent');
  },
  /** -32004, saying what is not supported. */
  unsupportedOperation(detail: string, metadata?: Record<string, string>): JsonRpcError {
    return a2aError(A2AErrorCode.UnsupportedOperation, `Unsupported operation: ${detail}`, metadata);
  },
  /** -32005, saying which content type. */
  contentTypeNotSupported(detail: string): JsonRpcError {
    return a2aError(A2AErrorCode.ContentTypeNotSupported, `Content type not supported: ${detail}`);
  },
  /** -32007. */
  extendedAgentCardNotConfigured(): JsonRpcError {
    return a2aError(A2AErrorCode.ExtendedAgentCardNotConfigured, 'Extended agent card is not configured');
  },
  /** -32009: version `version` (as sent) is not served, or not for this method. */
  versionNotSupported(detail: string, version: string): JsonRpcError {
    return a2aError(A2AErrorCode.VersionNotSupported, `Version not supported: ${detail}`, { version: clip(version) });
  },
  /** -32602 with a `google.rpc.BadRequest` naming the field (`message.parts[0]`) and what is wrong. */
  invalidParams(field: string, description: string): JsonRpcError {
    return JsonRpcError.invalidParams(`${field}: ${description}`, [{ '@type': BAD_REQUEST_TYPE, fieldViolations: [{ field, description }] }]);
  },
  /** -32603 with a message of ours (never a failure's own text): the server cannot take the request now. */
  unavailable(detail: string): JsonRpcError {
    return a2aError(JsonRpcErrorCode.InternalError, `Internal error: ${detail}`);
  },
});

/**
 * What an executor's update throws when the task cannot take it: the task is finished (no
 * update after a terminal state, e.g. after a client canceled it), or the new state does not
 * follow from the current one. `state` is the task's state when it was refused.
 */
export class TaskStateError extends Error {
  readonly taskId: string;
  readonly state: TaskState;

  constructor(taskId: string, state: TaskState, message: string) {
    super(message);
    this.name = 'TaskStateError';
    this.taskId = taskId;
    this.state = state;
  }
}
