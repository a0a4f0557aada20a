/**
 * Every limit and timeout, declared once with its default and the reason for it. The app
 * validates user overrides against these names.
 */

/** Request body limit: 100 MiB, the platform's maximum payload. */
export const DEFAULT_MAX_BODY_BYTES = 100 * 1024 * 1024;

/**
 * Time allowed to receive a request's headers. The platform's proxy sends headers at once;
 * a client that dribbles them (slowloris) is cut off after 10 s instead of Node's 60 s.
 */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;

/** Time allowed to receive a whole request, body included: 5 min, enough for 100 MiB on a slow link. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 300_000;

/**
 * How long an idle keep-alive connection stays open. Longer than the 60 s idle timeout common
 * to AWS load balancers and proxies, so the proxy, not the agent, closes idle connections and
 * never reuses one the agent is closing.
 */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Largest request head (request line and headers): Node's own 16 KiB default. */
export const DEFAULT_MAX_HEADER_BYTES = 16 * 1024;

/** Shutdown grace for in-flight work and tracked tasks: the platform gives about 10 s after SIGTERM. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

/**
 * Event-loop stall that earns a warning. The platform polls `/ping` every ~2 s; a stall of half
 * a second is already a quarter of that and worth knowing about.
 */
export const DEFAULT_STALL_WARNING_MS = 500;

/** How long `/ping` waits for an async custom ping handler before using the automatic status. */
export const DEFAULT_PING_HANDLER_TIMEOUT_MS = 1000;

/** Heartbeat comment interval on quiet event streams (`sseHeartbeatMs`): 0, off. */
export const DEFAULT_SSE_HEARTBEAT_MS = 0;

/**
 * How long a streamed answer (an event stream or a `Response` body) may wait for a client that
 * reads nothing (the socket stays full) before it is ended and its producer stopped: 60 s.
 * A client that reads, however slowly, empties the socket long before; one that stopped would
 * otherwise hold the producer, its request and its buffers until the platform's 60-minute limit.
 */
export const DEFAULT_STREAM_STALL_TIMEOUT_MS = 60_000;

/**
 * How deep into a value a JSON Schema validator goes (`maxDepth`): 64 levels, far more than any
 * tool's arguments need, far less than it takes to exhaust the stack on a hostile value.
 */
export const DEFAULT_SCHEMA_MAX_DEPTH = 64;

/** Issues a JSON Schema validator reports before it stops (`maxIssues`): enough to fix a request. */
export const DEFAULT_SCHEMA_MAX_ISSUES = 20;

/**
 * Schema objects a validator may apply to one value (`maxEvaluations`): 1,000,000, tens of
 * milliseconds. A value costs about one per node per schema that applies to it; the budget stops
 * the exponential cost of nested `anyOf`/`oneOf`/`allOf` on a deep value.
 */
export const DEFAULT_SCHEMA_MAX_EVALUATIONS = 1_000_000;

/**
 * Returns `value` when it is a positive safe integer (or 0 when `allowZero`), `fallback` when
 * it is undefined.
 * @throws RangeError naming the option otherwise.
 */
export function checkLimit(name: string, value: number | undefined, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new RangeError(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${String(value)}`);
  }
  return value;
}

// ── A2A (agentcore-lite/a2a) ──────────────────────────────────────────────────────────────────

/**
 * Most unfinished A2A tasks (submitted, working, input- or auth-required) at once; a message
 * that would start one more is refused. Ten thousand is far past what one session's microVM
 * runs, and keeps the tasks' memory to tens of megabytes however clients behave.
 */
export const DEFAULT_A2A_MAX_OPEN_TASKS = 10_000;

/** Most finished A2A tasks kept for `GetTask` and `ListTasks`; past it the oldest is dropped. */
export const DEFAULT_A2A_MAX_FINISHED_TASKS = 1000;

/** How long a finished A2A task is kept: one hour, longer than a session's default idle timeout. */
export const DEFAULT_A2A_FINISHED_TASK_TTL_MS = 3_600_000;

/** Most messages kept in one A2A task's history; past it the oldest is dropped. */
export const DEFAULT_A2A_MAX_TASK_HISTORY = 100;

/**
 * Most A2A stream events waiting for one slow client; past it the stream ends with an error
 * (the client can resubscribe and gets the task as it is then).
 */
export const DEFAULT_A2A_MAX_STREAM_BACKLOG = 1000;

/** Tries per A2A push notification. */
export const DEFAULT_A2A_PUSH_MAX_ATTEMPTS = 3;

/** Delay before an A2A push notification's first retry; it doubles for each next. */
export const DEFAULT_A2A_PUSH_RETRY_DELAY_MS = 1000;

/** Time for one A2A push notification attempt (the specification recommends 10 to 30 s). */
export const DEFAULT_A2A_PUSH_TIMEOUT_MS = 10_000;

/** Most push notification configurations per A2A task. */
export const DEFAULT_A2A_PUSH_MAX_CONFIGS_PER_TASK = 10;

/** Most push notifications waiting per configuration; past it the oldest is dropped. */
export const DEFAULT_A2A_PUSH_MAX_QUEUED = 100;
