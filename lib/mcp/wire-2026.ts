/**
 * What the 2026-07-28 revision (the modern era) adds to the wire types of `wire.ts`: the reserved
 * `_meta` keys of the per-request envelope, `resultType`, multi round-trip requests
 * (`input_required`), `server/discover`, cache hints, `subscriptions/listen`, and the tasks
 * extension (`io.modelcontextprotocol/tasks`). The specification's names; mostly types.
 */
import type { JsonObject, Meta, ServerCapabilities } from './wire.js';

/** The reserved `_meta` keys of 2026-07-28. */
export const MetaKey = Object.freeze({
  /** The request's protocol version (required on every request). */
  ProtocolVersion: 'io.modelcontextprotocol/protocolVersion',
  /** The client's capabilities for this request alone (required; `{}` declares none). */
  ClientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
  /** Who the client is (optional; for display and logs, never for decisions). */
  ClientInfo: 'io.modelcontextprotocol/clientInfo',
  /** The lowest log level sent on this request's stream; without it no `notifications/message` is sent. */
  LogLevel: 'io.modelcontextprotocol/logLevel',
  /** Who the server is, on every result. */
  ServerInfo: 'io.modelcontextprotocol/serverInfo',
  /** The listen request's id, on every notification of its stream. */
  SubscriptionId: 'io.modelcontextprotocol/subscriptionId',
} as const);

/** The tasks extension's identifier, in `capabilities.extensions`. */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/** The method names 2026-07-28 adds (the others are `wire.ts`'s `Method`). */
export const ModernMethod = Object.freeze({
  ServerDiscover: 'server/discover',
  SubscriptionsListen: 'subscriptions/listen',
  /** Tasks extension: input for a task waiting in `input_required`. */
  TasksUpdate: 'tasks/update',
} as const);

/** The notification names 2026-07-28 adds. */
export const ModernNotification = Object.freeze({
  SubscriptionsAcknowledged: 'notifications/subscriptions/acknowledged',
  /** Tasks extension: a task's state, on a listen stream that asked for its id. */
  Tasks: 'notifications/tasks',
} as const);

/** What a result is: its method's own result, a request for input, or (tasks extension) a task handle. */
export type ResultType = 'complete' | 'input_required' | 'task';

/** How long a client may reuse a cacheable result, and with whom. */
export interface CacheHints {
  /** Milliseconds the result stays fresh; 0: stale at once. */
  ttlMs: number;
  /** `public`: nothing user-specific, shared caches may keep it; `private`: one authorization context only. */
  cacheScope: 'public' | 'private';
}

/** One request for input inside an `input_required` result (no `jsonrpc`, no `id`). */
export interface InputRequest {
  method: 'elicitation/create' | 'sampling/createMessage' | 'roots/list';
  params?: JsonObject;
}

/** The input requests of one round, by the server's keys. */
export type InputRequests = { [key: string]: InputRequest };

/** The client's answers, by the keys of the input requests they answer. */
export type InputResponses = { [key: string]: unknown };

/** The answer to `tools/call`, `prompts/get` or `resources/read` when the server needs input first. */
export interface InputRequiredResult {
  resultType: 'input_required';
  inputRequests?: InputRequests;
  /** Opaque; the client echoes it byte for byte when it retries. */
  requestState?: string;
  _meta?: Meta;
}

/** The answer to `server/discover`. */
export interface DiscoverResult extends CacheHints {
  resultType: 'complete';
  supportedVersions: string[];
  capabilities: ServerCapabilities & { extensions?: { [name: string]: JsonObject } };
  instructions?: string;
  _meta?: Meta;
}

/** `subscriptions/listen` params: the notification kinds the client opts into. */
export interface SubscriptionFilter {
  toolsListChanged?: boolean;
  promptsListChanged?: boolean;
  resourcesListChanged?: boolean;
  /** URIs whose `notifications/resources/updated` the client wants. */
  resourceSubscriptions?: string[];
  /** Tasks extension: ids whose `notifications/tasks` the client wants. */
  taskIds?: string[];
}

/** A task's status in the tasks extension (the same five as 2025-11-25's). */
export type ExtensionTaskStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';

/** A task as the tasks extension shows it (flat: no nested `task`). */
export interface ExtensionTask {
  taskId: string;
  status: ExtensionTaskStatus;
  statusMessage?: string;
  createdAt: string;
  lastUpdatedAt: string;
  /** Milliseconds from creation the task is kept; `null` for unlimited. */
  ttlMs: number | null;
  pollIntervalMs?: number;
}

/** `tasks/get` and `notifications/tasks`: the task with what its status carries. */
export interface DetailedTask extends ExtensionTask {
  /** `input_required`: every request still waiting for the client. */
  inputRequests?: InputRequests;
  /** `completed`: what the request would have returned (a `CallToolResult`). */
  result?: JsonObject;
  /** `failed`: the JSON-RPC error the work ended with. */
  error?: { code: number; message: string; data?: unknown };
}
