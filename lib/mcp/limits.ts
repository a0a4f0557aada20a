/**
 * The MCP server's limits, declared once with their defaults and the reason for each (the core's
 * own, such as `maxBodyBytes`, live in lib/limits.ts). Every one is an option of `McpServer`.
 */

/** MCP's port in the AgentCore contract. */
export const MCP_PORT = 8000;

/** MCP's path in the AgentCore contract. */
export const DEFAULT_MCP_PATH = '/mcp';

/**
 * Stateful mode: most sessions held at once. One session is a few hundred bytes plus its
 * pending work; at the limit the least recently used idle session is ended to make room, and a
 * new one is refused (503) only when every session is busy.
 */
export const DEFAULT_MAX_SESSIONS = 1000;

/**
 * Stateful mode: a session with no request, stream or task for this long is ended. The runtime's
 * own idle timeout for a microVM session is 900 s; an MCP session need not outlive it.
 */
export const DEFAULT_SESSION_IDLE_TIMEOUT_MS = 900_000;

/**
 * Stateful mode: bytes of SSE events kept for resumption (`Last-Event-ID`), across all sessions;
 * the oldest are dropped first. 16 MiB holds many thousands of ordinary answers.
 */
export const DEFAULT_EVENT_STORE_MAX_BYTES = 16 * 1024 * 1024;

/** Stateful mode: events kept for resumption, across all sessions (bounds the bookkeeping too). */
export const DEFAULT_EVENT_STORE_MAX_EVENTS = 10_000;

/**
 * Bytes of events one SSE answer may hold for a client that is not reading (its socket full)
 * before its connection is cut; an answer resumable with `Last-Event-ID` keeps its events in
 * the store. One event larger than this still goes through when nothing else is waiting.
 */
export const DEFAULT_STREAM_BUFFER_BYTES = 1024 * 1024;

/** Most messages of a JSON-RPC batch (2025-03-26): each is a request that may run a tool. */
export const DEFAULT_MAX_BATCH_SIZE = 100;

/** Items per page of `tools/list`, `resources/list`, `prompts/list`, `tasks/list`... */
export const DEFAULT_PAGE_SIZE = 100;

/**
 * How long a server-initiated request (elicitation, sampling, roots) waits for the client's
 * answer. Elicitation waits for a person, so minutes rather than the usual 60 s.
 */
export const DEFAULT_CLIENT_REQUEST_TIMEOUT_MS = 300_000;

/** Server-initiated requests one session may have waiting at once. */
export const DEFAULT_MAX_PENDING_CLIENT_REQUESTS = 100;

/** Resource subscriptions one session may hold. */
export const DEFAULT_MAX_SUBSCRIPTIONS = 1000;

/** A task's `ttl` when the client asks for none: an hour after creation, its result is dropped. */
export const DEFAULT_TASK_TTL_MS = 3_600_000;

/**
 * The longest `ttl` granted (a longer or `null` request is capped): 8 hours, the runtime's
 * maximum session lifetime, after which no client can ask for the result anyway.
 */
export const MAX_TASK_TTL_MS = 28_800_000;

/** Tasks kept at once (working or finished); at the limit the oldest finished one is dropped. */
export const DEFAULT_MAX_TASKS = 1000;

/** The poll interval suggested to clients for `tasks/get`. */
export const DEFAULT_TASK_POLL_INTERVAL_MS = 500;

/**
 * A `: keepalive` comment on an SSE answer quiet for this long, so proxies keep long answers and
 * the standalone GET stream open (the core's `sseHeartbeatMs` overrides it).
 */
export const DEFAULT_MCP_SSE_HEARTBEAT_MS = 15_000;

/**
 * The reconnection delay (`retry:`) sent before the server deliberately closes a resumable
 * stream's connection (2025-11-25 SSE polling), and in the standalone stream's first event.
 */
export const DEFAULT_SSE_RETRY_MS = 1000;

/**
 * 2026-07-28: how long a `requestState` (the answers of a multi round-trip request's earlier
 * rounds) stays valid. A round may wait for a person; 15 minutes is the runtime's idle timeout.
 */
export const DEFAULT_REQUEST_STATE_TTL_MS = 900_000;

/**
 * 2026-07-28: the longest `requestState` made. It carries the client's answers back and forth
 * (sampling answers can be long); a call whose answers outgrow it is refused with -32603.
 */
export const DEFAULT_MAX_REQUEST_STATE_BYTES = 256 * 1024;

/** 2026-07-28: the shortest `requestState.secret` accepted: HMAC-SHA256's own output size. */
export const MIN_REQUEST_STATE_SECRET_BYTES = 32;

/** 2026-07-28: `subscriptions/listen` streams open at once (each holds a connection). */
export const DEFAULT_MAX_LISTEN_STREAMS = 1000;

/** 2026-07-28: resource URIs (or task ids) one listen stream may follow. */
export const DEFAULT_MAX_LISTEN_ENTRIES = 1000;

/**
 * 2026-07-28: the `ttlMs` of cacheable results (`server/discover`, the lists, `resources/read`):
 * 0, stale at once, since tools, prompts and resources may change at any time and a client
 * that does not listen would not hear of it.
 */
export const DEFAULT_CACHE_TTL_MS = 0;
