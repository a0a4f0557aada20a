/**
 * agentcore-lite: a zero-dependency server for the Amazon Bedrock AgentCore Runtime contract.
 * This file is the whole public surface.
 */
export { AgentCoreApp, BedrockAgentCoreApp } from './app.js';
export { AgentCoreServer, type ProtocolDefinition } from './core.js';
export type { AgentCoreAppOptions, AgentCoreServerOptions } from './options.js';
export type { Clock } from './clock.js';
export type { ListenOptions } from './http/server.js';
export type { CloseOptions } from './lifecycle/shutdown.js';
export type { LifecycleHook } from './lifecycle/hooks.js';
export type { InvocationCall, InvocationHook } from './invocation/hooks.js';
export {
  DEFAULT_WARMUP_PATH,
  PLATFORM_WARMUP_LIMIT_MS,
  WARMUP_TYPES,
  type WarmupCall,
  type WarmupHandler,
  type WarmupHandlers,
  type WarmupOptions,
  type WarmupType,
} from './lifecycle/warmup.js';
export { DEFAULT_INVOCATION_PATH } from './http/router.js';
export { DEFAULT_CORS_MAX_AGE_SECONDS, type CorsOptions, type CorsOrigin } from './http/cors.js';
export type { RunOptions, UncaughtExceptionMode, UnhandledRejectionMode } from './lifecycle/run.js';
export type { InvocationHandler } from './invocation/invocation.js';
export type { PingHandler } from './ping/endpoint.js';
export type { BackgroundWork, RunAsyncTaskOptions } from './tasks/supervisor.js';
export type { AppWebSocketOptions, WebSocketHandler } from './websocket/mount.js';
export {
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_HEADER_BYTES,
  DEFAULT_PING_HANDLER_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_SHUTDOWN_GRACE_MS,
  DEFAULT_SSE_HEARTBEAT_MS,
  DEFAULT_STALL_WARNING_MS,
  DEFAULT_STREAM_STALL_TIMEOUT_MS,
} from './limits.js';
export { getRequestContext, type RequestContext } from './http/context.js';
export type { TraceContext } from './http/trace-context.js';
export { isMainModule } from './environment.js';
export { randomUUID } from './random.js';
export {
  BodyTooLargeError,
  EmptyBodyError,
  HttpError,
  InvalidJsonError,
  InvalidUtf8Error,
  MethodNotAllowedError,
  NotFoundError,
  UnsupportedCharsetError,
} from './errors.js';
export { Logger, type LogLevel, type LogRecord, type LogSink, type LoggerOptions } from './logger.js';
export {
  SSE_CONTENT_TYPE,
  SSE_HEARTBEAT,
  SSE_MAX_EVENT_BYTES,
  SseEvent,
  SseRaw,
  sseEvent,
  sseRaw,
  type SseEventInit,
} from './streaming/sse.js';
export { STREAM_ERROR_EVENT, withStreamErrorEvent, type StreamErrorEvent, type WithStreamErrorEvent } from './streaming/stream-error.js';
export { PingStatus, isPingStatus } from './ping/status.js';
export { toJson } from './serialize.js';
export { toWireTaskInfo, type AsyncTaskInfo, type RunningJob, type TaskMetadata, type WireTaskInfo } from './tasks/tracker.js';
// The WebSocket implementation itself lives in `agentcore-lite/websocket` and loads on demand.
export type { AgentCoreWebSocket, WebSocketData } from './websocket/socket.js';
export type { WebSocketOptions } from './websocket/server.js';
export { CloseCode } from './websocket/constants.js';
