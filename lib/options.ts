import { systemClock, type Clock } from './clock.js';
import { Cors, type CorsOptions } from './http/cors.js';
import type { ServerLimits } from './http/server.js';
import {
  checkLimit,
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
import type { InvocationHandler } from './invocation/invocation.js';
import type { LogLevel, LogSink } from './logger.js';
import type { PingHandler } from './ping/endpoint.js';
import type { AppWebSocketOptions } from './websocket/mount.js';

/**
 * Options every server on the core takes, whatever its protocol (`AgentCoreApp` for HTTP and
 * AG-UI, `McpServer`, `A2AServer`): limits, health, logging, shutdown and clocks. Every limit
 * has a safe default.
 */
export interface AgentCoreServerOptions {
  /**
   * Let browser pages on other origins call the protocol's endpoint (CORS): `{ origin }` is one
   * origin, a list, `'*'` or a predicate; preflights are answered and allowed origins get the
   * response headers. Off by default. `/ping` is never affected.
   */
  cors?: CorsOptions;
  /** Largest request body accepted, in bytes; larger bodies get 413. Default 100 MiB. */
  maxBodyBytes?: number;
  /** How long `/ping` waits for an async custom ping handler. Default 1000 ms. */
  pingHandlerTimeoutMs?: number;
  /** Time to receive a request's headers (slowloris guard). Default 10 000 ms. */
  headersTimeoutMs?: number;
  /** Time to receive a whole request, body included; 0 disables. Default 300 000 ms. */
  requestTimeoutMs?: number;
  /** Idle keep-alive connection lifetime. Default 65 000 ms (longer than common proxy idle timeouts). */
  keepAliveTimeoutMs?: number;
  /** Largest request head in bytes; larger gets 431. Default 16 384. */
  maxHeaderBytes?: number;
  /** Most concurrent connections; more are dropped. Default: unlimited. */
  maxConnections?: number;
  /** Grace for in-flight work and tracked tasks on `close()` and SIGTERM. Default 10 000 ms. */
  shutdownGraceMs?: number;
  /** Warn when the event loop is blocked this long; 0 disables. Default 500 ms. */
  stallWarningMs?: number;
  /**
   * Expire tasks tracked by hand (`addAsyncTask`) after this age, with a warning, so a forgotten
   * `completeAsyncTask` cannot pin the session busy for 8 hours. Tasks of `runAsyncTask` and
   * `asyncTask` end with their work and are never expired by age (give `runAsyncTask` a
   * `timeoutMs` instead). Default: off.
   */
  maxTaskAgeMs?: number;
  /** Minimum log level. Default: `LOG_LEVEL`, else `info` (an invalid `LOG_LEVEL` warns once). */
  logLevel?: LogLevel;
  /** Where log lines go. Default: stdout (debug, info) and stderr (warn, error). */
  logSink?: LogSink;
  /** The custom ping handler (also settable with `ping()`; the AWS TypeScript SDK's option). */
  pingHandler?: PingHandler;
  /**
   * On a streaming (`text/event-stream`) answer, write a `: keepalive` comment whenever no event
   * was written for this many ms, so proxies and clients do not drop a quiet stream. Default 0 (off).
   */
  sseHeartbeatMs?: number;
  /**
   * End a streamed answer (event stream or `Response` body) whose client has read nothing for
   * this many ms, and stop its producer (its `context.signal` aborts); 0 disables. Default 60 000.
   */
  streamStallTimeoutMs?: number;
  /**
   * The clocks the server reads: wall time for `/ping`'s `time_of_last_update` and task start
   * times, monotonic time for durations. For tests that move time by hand. Default: the system's.
   */
  clock?: Clock;
}

/** Options for `AgentCoreApp`, the HTTP protocol's server (AG-UI rides on it too). */
export interface AgentCoreAppOptions extends AgentCoreServerOptions {
  /** Answer `_agent_core_app_action` debug payloads. Default `false`. */
  debug?: boolean;
  /**
   * The path invocations arrive on, when the runtime's protocol configuration moves them.
   * Default `/invocations`. `/ping` and `/ws` are fixed by the contract. The port is `PORT`
   * (or `listen({ port })`): the platform may ask for one from 8000 to 12000.
   */
  invocationPath?: string;
  /**
   * Limits for `/ws`: `maxMessageBytes` (default 16 MiB, larger closes with 1009),
   * `maxFrameBytes` (default 60 KiB, under the platform's 64 KB frame limit),
   * `maxFramesPerSecond` (default off; the platform allows 250), `idlePingMs` (default off),
   * `closeTimeoutMs` (default 5000), `maxBufferedBytes` (default 16 MiB: reading pauses while
   * more is waiting to be sent), `slowPeerTimeoutMs` (default 30 000: a peer that takes nothing
   * that long is closed with 1008), `selectProtocol`.
   */
  websocket?: AppWebSocketOptions;
  /** The invocation handler (also settable with `entrypoint()`). */
  handler?: InvocationHandler;
  /** AWS TypeScript SDK shape: `{ invocationHandler: { process } }`. */
  invocationHandler?: { process: InvocationHandler };
}

/** The core's options after validation, with every default filled in. */
export interface ResolvedServerOptions {
  cors: Cors | undefined;
  maxBodyBytes: number;
  pingHandlerTimeoutMs: number;
  server: ServerLimits;
  shutdownGraceMs: number;
  stallWarningMs: number;
  maxTaskAgeMs: number | undefined;
  sseHeartbeatMs: number;
  streamStallTimeoutMs: number;
  clock: Clock;
}

/**
 * Validates the core's options and fills in the defaults.
 * @throws RangeError naming the first limit that is out of range; TypeError for a bad CORS option.
 */
export function resolveServerOptions(options: AgentCoreServerOptions): ResolvedServerOptions {
  const server: ServerLimits = {
    headersTimeoutMs: checkLimit('headersTimeoutMs', options.headersTimeoutMs, DEFAULT_HEADERS_TIMEOUT_MS),
    requestTimeoutMs: checkLimit('requestTimeoutMs', options.requestTimeoutMs, DEFAULT_REQUEST_TIMEOUT_MS, true),
    keepAliveTimeoutMs: checkLimit('keepAliveTimeoutMs', options.keepAliveTimeoutMs, DEFAULT_KEEP_ALIVE_TIMEOUT_MS),
    maxHeaderBytes: checkLimit('maxHeaderBytes', options.maxHeaderBytes, DEFAULT_MAX_HEADER_BYTES),
    maxConnections: options.maxConnections === undefined ? undefined : checkLimit('maxConnections', options.maxConnections, 0),
  };
  if (server.requestTimeoutMs !== 0 && server.headersTimeoutMs > server.requestTimeoutMs) {
    throw new RangeError(`headersTimeoutMs (${server.headersTimeoutMs}) must not exceed requestTimeoutMs (${server.requestTimeoutMs})`);
  }
  return {
    cors: options.cors === undefined ? undefined : new Cors(options.cors),
    maxBodyBytes: checkLimit('maxBodyBytes', options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES),
    pingHandlerTimeoutMs: checkLimit('pingHandlerTimeoutMs', options.pingHandlerTimeoutMs, DEFAULT_PING_HANDLER_TIMEOUT_MS),
    server,
    shutdownGraceMs: checkLimit('shutdownGraceMs', options.shutdownGraceMs, DEFAULT_SHUTDOWN_GRACE_MS, true),
    stallWarningMs: checkLimit('stallWarningMs', options.stallWarningMs, DEFAULT_STALL_WARNING_MS, true),
    maxTaskAgeMs: options.maxTaskAgeMs === undefined ? undefined : checkLimit('maxTaskAgeMs', options.maxTaskAgeMs, 0),
    sseHeartbeatMs: checkLimit('sseHeartbeatMs', options.sseHeartbeatMs, DEFAULT_SSE_HEARTBEAT_MS, true),
    streamStallTimeoutMs: checkLimit('streamStallTimeoutMs', options.streamStallTimeoutMs, DEFAULT_STREAM_STALL_TIMEOUT_MS, true),
    clock: options.clock ?? systemClock,
  };
}
