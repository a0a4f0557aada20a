import { checkPath } from '../http/router.js';
import { checkLimit } from '../limits.js';
import type { AgentCoreServerOptions } from '../options.js';
import {
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
  MIN_REQUEST_STATE_SECRET_BYTES,
} from './limits.js';
import type { Icon, Implementation } from './wire.js';

/** Stateful mode's options; every limit has a safe default (lib/mcp/limits.ts). */
export interface McpStatefulOptions {
  /** Most sessions at once. Default 1000. */
  maxSessions?: number;
  /** A session idle this long is ended. Default 900 000 ms (the runtime's own idle timeout). */
  sessionIdleTimeoutMs?: number;
  /** Keep SSE events so a client can resume a stream with `Last-Event-ID`. Default `true`. */
  resumability?: boolean;
  /** Bytes of events kept for resumption, across sessions. Default 16 MiB. */
  eventStoreMaxBytes?: number;
  /** Events kept for resumption, across sessions. Default 10 000. */
  eventStoreMaxEvents?: number;
  /** How long `ctx.elicitInput()`, `ctx.createMessage()` and `ctx.listRoots()` wait. Default 300 000 ms. */
  clientRequestTimeoutMs?: number;
  /** Server-initiated requests waiting at once per session. Default 100. */
  maxPendingClientRequests?: number;
  /** Resource subscriptions per session. Default 1000. */
  maxSubscriptions?: number;
}

/** Limits of MCP tasks (2025-11-25); see lib/mcp/limits.ts for the reasons. */
export interface McpTaskOptions {
  /** A task's `ttl` when the client asks for none. Default 3 600 000 ms. */
  defaultTtlMs?: number;
  /** The longest `ttl` granted. Default 28 800 000 ms (8 hours). */
  maxTtlMs?: number;
  /** Tasks kept at once, working or finished. Default 1000. */
  maxTasks?: number;
  /** The `pollInterval` suggested to clients. Default 500 ms. */
  pollIntervalMs?: number;
}

/**
 * 2026-07-28 multi round-trip requests: how the `requestState` that carries a call's earlier
 * answers from round to round is signed and bounded (see lib/mcp/request-state.ts).
 */
export interface McpRequestStateOptions {
  /**
   * The HMAC-SHA256 key, 32 bytes or more (a string is taken as UTF-8). Default: 32 random bytes
   * from node:crypto, made as the server starts (a moment after listen, before any request), so
   * every copy of a process restored from one snapshot shares it (a call may continue on any of
   * them) and other processes do not. Give all the instances of a service the same secret to let
   * a call continue on any of them.
   */
  secret?: string | Uint8Array;
  /** How long a state stays valid. Default 900 000 ms. */
  ttlMs?: number;
  /** The longest state made. Default 256 KiB. */
  maxBytes?: number;
}

/** 2026-07-28 `subscriptions/listen` limits. */
export interface McpSubscriptionOptions {
  /** Listen streams open at once; one more is refused (-32603). Default 1000. */
  maxStreams?: number;
  /** Resource URIs (or task ids) one stream may follow. Default 1000. */
  maxEntries?: number;
}

/** 2026-07-28 cache hints on `server/discover`, the lists and `resources/read` (a reader's own win). */
export interface McpCacheOptions {
  /** `ttlMs`: how long a client may reuse such a result. Default 0. */
  ttlMs?: number;
  /** `cacheScope`: `private` (default: one authorization context) or `public` (nothing user-specific). */
  scope?: 'public' | 'private';
}

/**
 * Protection against DNS rebinding (a web page reaching a local server through a hostile DNS
 * name): requests whose `Host` is not a loopback name, or whose `Origin` (when present) is not a
 * loopback origin, are refused with 403. `'auto'` (the default) turns it on when the server is
 * bound to a loopback address and off otherwise (on the runtime the server binds 0.0.0.0 and
 * the platform fronts it). An object turns it on and allows more hosts or origins.
 */
export type DnsRebindingProtection =
  | 'auto'
  | boolean
  | {
      /** Host names (without port) accepted besides localhost, 127.0.0.1 and [::1]. */
      allowedHosts?: readonly string[];
      /** Origins (`https://app.example.com`) accepted besides loopback ones. */
      allowedOrigins?: readonly string[];
    };

/** Options of `McpServer`: the core's (limits, logging, health) and MCP's own. */
export interface McpServerOptions extends AgentCoreServerOptions {
  /** `serverInfo.name`. Default `"agentcore-lite-mcp"`. */
  name?: string;
  /** `serverInfo.version`. Default `"1.0.0"`. */
  version?: string;
  /** `serverInfo.title`, a display name. */
  title?: string;
  /** `serverInfo.description` (2025-11-25). */
  description?: string;
  /** `serverInfo.websiteUrl` (2025-11-25). */
  websiteUrl?: string;
  /** `serverInfo.icons` (2025-11-25). */
  icons?: Icon[];
  /** `instructions` in the `initialize` answer: how to use this server, for the model. */
  instructions?: string;
  /** The endpoint's path. Default `/mcp` (the AgentCore contract's). */
  path?: string;
  /**
   * Server-minted sessions (`Mcp-Session-Id`), the standalone GET stream, resumable SSE,
   * server-initiated requests (elicitation, sampling, roots), resource subscriptions and
   * list-changed notifications. Default `false`: stateless, as AgentCore recommends for these
   * protocol versions. `true` or an object of limits turns it on.
   */
  stateful?: boolean | McpStatefulOptions;
  /** See `DnsRebindingProtection`. Default `'auto'`. */
  dnsRebindingProtection?: DnsRebindingProtection;
  /** Items per page of the list methods. Default 100. */
  pageSize?: number;
  /** Most messages in a JSON-RPC batch (2025-03-26 only). Default 100. */
  maxBatchSize?: number;
  /** Bytes of events an SSE answer holds for a client that is not reading. Default 1 MiB. */
  streamBufferBytes?: number;
  /** Limits of MCP tasks (2025-11-25's, and the 2026-07-28 tasks extension's). */
  tasks?: McpTaskOptions;
  /** 2026-07-28: the `requestState` of multi round-trip requests. */
  requestState?: McpRequestStateOptions;
  /** 2026-07-28: `subscriptions/listen`. */
  subscriptions?: McpSubscriptionOptions;
  /** 2026-07-28: the cache hints of cacheable results. */
  cache?: McpCacheOptions;
}

/** Stateful mode's options after validation. */
export interface ResolvedStatefulOptions {
  maxSessions: number;
  sessionIdleTimeoutMs: number;
  resumability: boolean;
  eventStoreMaxBytes: number;
  eventStoreMaxEvents: number;
  clientRequestTimeoutMs: number;
  maxPendingClientRequests: number;
  maxSubscriptions: number;
}

/** The MCP options after validation, with every default filled in. */
export interface ResolvedMcpOptions {
  serverInfo: Implementation;
  instructions: string | undefined;
  path: string;
  stateful: ResolvedStatefulOptions | undefined;
  dnsRebinding: { mode: 'auto' | 'on' | 'off'; allowedHosts: ReadonlySet<string>; allowedOrigins: ReadonlySet<string> };
  pageSize: number;
  maxBatchSize: number;
  streamBufferBytes: number;
  sseHeartbeatMs: number;
  sseRetryMs: number;
  tasks: Required<McpTaskOptions>;
  requestState: { secret: Uint8Array | undefined; ttlMs: number; maxBytes: number };
  subscriptions: Required<McpSubscriptionOptions>;
  cache: { ttlMs: number; cacheScope: 'public' | 'private' };
}

/**
 * Validates MCP's options and fills in the defaults.
 * @throws RangeError naming the first limit out of range; TypeError for a bad name, path or list.
 */
export function resolveMcpOptions(options: McpServerOptions): ResolvedMcpOptions {
  const serverInfo: Implementation = { name: text('name', options.name, 'agentcore-lite-mcp'), version: text('version', options.version, '1.0.0') };
  if (options.title !== undefined) serverInfo.title = text('title', options.title, '');
  if (options.description !== undefined) serverInfo.description = text('description', options.description, '');
  if (options.websiteUrl !== undefined) serverInfo.websiteUrl = text('websiteUrl', options.websiteUrl, '');
  if (options.icons !== undefined) serverInfo.icons = options.icons;
  const tasks = options.tasks ?? {};
  const maxTtlMs = checkLimit('tasks.maxTtlMs', tasks.maxTtlMs, MAX_TASK_TTL_MS);
  return {
    serverInfo,
    instructions: options.instructions === undefined ? undefined : text('instructions', options.instructions, ''),
    path: checkPath('path', options.path ?? DEFAULT_MCP_PATH),
    stateful: resolveStateful(options.stateful),
    dnsRebinding: resolveDnsRebinding(options.dnsRebindingProtection ?? 'auto'),
    pageSize: checkLimit('pageSize', options.pageSize, DEFAULT_PAGE_SIZE),
    maxBatchSize: checkLimit('maxBatchSize', options.maxBatchSize, DEFAULT_MAX_BATCH_SIZE),
    streamBufferBytes: checkLimit('streamBufferBytes', options.streamBufferBytes, DEFAULT_STREAM_BUFFER_BYTES),
    sseHeartbeatMs: options.sseHeartbeatMs ?? DEFAULT_MCP_SSE_HEARTBEAT_MS,
    sseRetryMs: DEFAULT_SSE_RETRY_MS,
    tasks: {
      defaultTtlMs: Math.min(checkLimit('tasks.defaultTtlMs', tasks.defaultTtlMs, DEFAULT_TASK_TTL_MS), maxTtlMs),
      maxTtlMs,
      maxTasks: checkLimit('tasks.maxTasks', tasks.maxTasks, DEFAULT_MAX_TASKS),
      pollIntervalMs: checkLimit('tasks.pollIntervalMs', tasks.pollIntervalMs, DEFAULT_TASK_POLL_INTERVAL_MS),
    },
    requestState: resolveRequestState(options.requestState ?? {}),
    subscriptions: {
      maxStreams: checkLimit('subscriptions.maxStreams', options.subscriptions?.maxStreams, DEFAULT_MAX_LISTEN_STREAMS),
      maxEntries: checkLimit('subscriptions.maxEntries', options.subscriptions?.maxEntries, DEFAULT_MAX_LISTEN_ENTRIES),
    },
    cache: resolveCache(options.cache ?? {}),
  };
}

function resolveRequestState(option: McpRequestStateOptions): ResolvedMcpOptions['requestState'] {
  const { secret } = option;
  let key: Uint8Array | undefined;
  if (typeof secret === 'string') key = Buffer.from(secret, 'utf8');
  else if (secret instanceof Uint8Array) key = secret;
  else if (secret !== undefined) throw new TypeError('requestState.secret must be a string or a Uint8Array');
  if (key !== undefined && key.byteLength < MIN_REQUEST_STATE_SECRET_BYTES) throw new RangeError(`requestState.secret must be at least ${MIN_REQUEST_STATE_SECRET_BYTES} bytes`);
  return {
    secret: key,
    ttlMs: checkLimit('requestState.ttlMs', option.ttlMs, DEFAULT_REQUEST_STATE_TTL_MS),
    maxBytes: checkLimit('requestState.maxBytes', option.maxBytes, DEFAULT_MAX_REQUEST_STATE_BYTES),
  };
}

function resolveCache(option: McpCacheOptions): ResolvedMcpOptions['cache'] {
  const ttlMs = checkLimit('cache.ttlMs', option.ttlMs, DEFAULT_CACHE_TTL_MS, true);
  const scope = option.scope ?? 'private';
  if (scope !== 'public' && scope !== 'private') throw new TypeError("cache.scope must be 'public' or 'private'");
  return { ttlMs, cacheScope: scope };
}

function resolveStateful(option: boolean | McpStatefulOptions | undefined): ResolvedStatefulOptions | undefined {
  if (option === undefined || option === false) return undefined;
  const stateful: McpStatefulOptions = option === true ? {} : option;
  if (typeof stateful !== 'object' || stateful === null) throw new TypeError('stateful must be a boolean or an object');
  return {
    maxSessions: checkLimit('stateful.maxSessions', stateful.maxSessions, DEFAULT_MAX_SESSIONS),
    sessionIdleTimeoutMs: checkLimit('stateful.sessionIdleTimeoutMs', stateful.sessionIdleTimeoutMs, DEFAULT_SESSION_IDLE_TIMEOUT_MS),
    resumability: stateful.resumability !== false,
    eventStoreMaxBytes: checkLimit('stateful.eventStoreMaxBytes', stateful.eventStoreMaxBytes, DEFAULT_EVENT_STORE_MAX_BYTES),
    eventStoreMaxEvents: checkLimit('stateful.eventStoreMaxEvents', stateful.eventStoreMaxEvents, DEFAULT_EVENT_STORE_MAX_EVENTS),
    clientRequestTimeoutMs: checkLimit('stateful.clientRequestTimeoutMs', stateful.clientRequestTimeoutMs, DEFAULT_CLIENT_REQUEST_TIMEOUT_MS),
    maxPendingClientRequests: checkLimit('stateful.maxPendingClientRequests', stateful.maxPendingClientRequests, DEFAULT_MAX_PENDING_CLIENT_REQUESTS),
    maxSubscriptions: checkLimit('stateful.maxSubscriptions', stateful.maxSubscriptions, DEFAULT_MAX_SUBSCRIPTIONS),
  };
}

function resolveDnsRebinding(option: DnsRebindingProtection): ResolvedMcpOptions['dnsRebinding'] {
  if (option === 'auto' || typeof option === 'boolean') {
    return { mode: option === 'auto' ? 'auto' : option ? 'on' : 'off', allowedHosts: new Set(), allowedOrigins: new Set() };
  }
  if (typeof option !== 'object' || option === null) throw new TypeError("dnsRebindingProtection must be 'auto', a boolean or an object");
  return {
    mode: 'on',
    allowedHosts: new Set(strings('dnsRebindingProtection.allowedHosts', option.allowedHosts).map((host) => host.toLowerCase())),
    allowedOrigins: new Set(strings('dnsRebindingProtection.allowedOrigins', option.allowedOrigins).map((origin) => origin.toLowerCase())),
  };
}

function text(name: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string`);
  return value;
}

function strings(name: string, value: readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw new TypeError(`${name} must be a list of strings`);
  return [...value];
}
