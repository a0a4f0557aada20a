/**
 * agentcore-lite/mcp: an MCP server (Streamable HTTP, protocol versions 2025-03-26 to
 * 2025-11-25) on the agentcore-lite core. This file is the subpath's whole public surface.
 */
export { McpServer } from './server.js';
export type { McpServerOptions, McpStatefulOptions, McpTaskOptions, DnsRebindingProtection } from './options.js';
export type { McpContext } from './context.js';
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
  SUPPORTED_PROTOCOL_VERSIONS,
  type ProtocolVersion,
} from './versions.js';
export {
  DEFAULT_CLIENT_REQUEST_TIMEOUT_MS,
  DEFAULT_EVENT_STORE_MAX_BYTES,
  DEFAULT_EVENT_STORE_MAX_EVENTS,
  DEFAULT_MAX_BATCH_SIZE,
  DEFAULT_MAX_PENDING_CLIENT_REQUESTS,
  DEFAULT_MAX_SESSIONS,
  DEFAULT_MAX_SUBSCRIPTIONS,
  DEFAULT_MAX_TASKS,
  DEFAULT_MCP_PATH,
  DEFAULT_MCP_SSE_HEARTBEAT_MS,
  DEFAULT_PAGE_SIZE,
  DEFAULT_SESSION_IDLE_TIMEOUT_MS,
  DEFAULT_SSE_RETRY_MS,
  DEFAULT_STREAM_BUFFER_BYTES,
  DEFAULT_TASK_POLL_INTERVAL_MS,
  DEFAULT_TASK_TTL_MS,
  MAX_TASK_TTL_MS,
  MCP_PORT,
} from './limits.js';
export type * from './wire.js';
export { Method, Notification, RELATED_TASK_META } from './wire.js';
