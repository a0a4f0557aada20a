/**
 * agentcore-lite/mcp: an MCP server (Streamable HTTP; the legacy era, protocol versions
 * 2025-03-26 to 2025-11-25, and 2026-07-28 on the same endpoint) on the agentcore-lite core.
 * This file is the subpath's whole public surface.
 */
export { McpServer } from './server.js';
export type {
  McpServerOptions,
  McpStatefulOptions,
  McpTaskOptions,
  McpRequestStateOptions,
  McpSubscriptionOptions,
  McpCacheOptions,
  DnsRebindingProtection,
} from './options.js';
export type { McpContext } from './context.js';
export type { Era } from './era.js';
export type { ClientRequestOptions } from './client-requests.js';
export type { RegisteredTool, ToolConfig, ToolHandler, ToolResult, ToolArgs } from './tools.js';
export { ResourceTemplate } from './resources.js';
export type {
  CompleteCallback,
  ListResourcesCallback,
  ReadResourceCallback,
  ReadTemplateCallback,
  RegisteredResource,
  ResourceMetadata,
} from './resources.js';
export type { UriVariables } from './uri-template.js';
export type { PromptArgs, PromptConfig, PromptHandler, RegisteredPrompt } from './prompts.js';
export type { McpSchema, SchemaOutput } from './schema.js';
export type { InferOutput, StandardJsonSchemaV1, StandardSchemaIssue, StandardSchemaResult, StandardSchemaV1 } from './schema.js';
export { McpErrorCode, McpHttpError } from './errors.js';
export { JsonRpcError } from '../json-rpc/errors.js';
export {
  DEFAULT_HEADER_PROTOCOL_VERSION,
  LATEST_PROTOCOL_VERSION,
  MODERN_PROTOCOL_VERSIONS,
  SUPPORTED_PROTOCOL_VERSIONS,
  type LegacyProtocolVersion,
  type ModernProtocolVersion,
  type ProtocolVersion,
} from './versions.js';
export {
  DEFAULT_CACHE_TTL_MS,
  DEFAULT_CLIENT_REQUEST_TIMEOUT_MS,
  DEFAULT_EVENT_STORE_MAX_BYTES,
  DEFAULT_EVENT_STORE_MAX_EVENTS,
  DEFAULT_MAX_BATCH_SIZE,
  DEFAULT_MAX_LISTEN_ENTRIES,
  DEFAULT_MAX_LISTEN_STREAMS,
  DEFAULT_MAX_REQUEST_STATE_BYTES,
  DEFAULT_MAX_PENDING_CLIENT_REQUESTS,
  DEFAULT_MAX_SESSIONS,
  DEFAULT_MAX_SUBSCRIPTIONS,
  DEFAULT_MAX_TASKS,
  DEFAULT_MCP_PATH,
  DEFAULT_MCP_SSE_HEARTBEAT_MS,
  DEFAULT_PAGE_SIZE,
  DEFAULT_REQUEST_STATE_TTL_MS,
  DEFAULT_SESSION_IDLE_TIMEOUT_MS,
  DEFAULT_SSE_RETRY_MS,
  DEFAULT_STREAM_BUFFER_BYTES,
  DEFAULT_TASK_POLL_INTERVAL_MS,
  DEFAULT_TASK_TTL_MS,
  MAX_TASK_TTL_MS,
  MCP_PORT,
  MIN_REQUEST_STATE_SECRET_BYTES,
} from './limits.js';
export type * from './wire.js';
export { Method, Notification, RELATED_TASK_META } from './wire.js';
export type * from './wire-2026.js';
export { MetaKey, ModernMethod, ModernNotification, TASKS_EXTENSION } from './wire-2026.js';
