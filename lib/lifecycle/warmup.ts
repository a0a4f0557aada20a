import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, describeThrown, HttpError } from '../errors.js';
import { collectBody, drainRefusedBody } from '../http/body.js';
import { RequestLifetime } from '../http/context.js';
import { WARMUP_TYPE_HEADER } from '../http/headers.js';
import { sendError, sendJson } from '../http/response.js';
import type { Logger } from '../logger.js';
import type { InflightRequests } from './shutdown.js';
import { toJson } from '../serialize.js';
import type { AsyncTaskInfo } from '../tasks/tracker.js';

/**
 * The two calls of the platform's build warmup hook, told apart by the
 * `x-amzn-bedrock-agentcore-runtime-warmup-type` header: `memory` for work whose result lives in
 * the process (models loaded, clients opened, caches filled), `disk` for work whose result lives
 * on the file system (downloads, unpacked or compiled files).
 */
export type WarmupType = 'memory' | 'disk';

/** Every warmup type, in the order a call without a type header would name them. */
export const WARMUP_TYPES: readonly WarmupType[] = ['memory', 'disk'];

/** What a warmup handler is told about the call it serves. */
export interface WarmupCall {
  /** Which of the platform's calls this is; `undefined` for a call that names none (a local `curl`). */
  readonly type: WarmupType | undefined;
}

/**
 * Work for the platform's warmup lifecycle hook: load models, fill caches, open clients. Sync or
 * async; what it returns (if anything) is sent back as `result`. It runs once per type of call
 * (`call.type`), however often that call arrives. On platform V2 everything it leaves in memory
 * is captured in the snapshot every session starts from.
 */
export type WarmupHandler = (call: WarmupCall) => unknown;

/** One handler per type of call; a type without one answers 200 with nothing run. */
export interface WarmupHandlers {
  readonly memory?: () => unknown;
  readonly disk?: () => unknown;
}

/** Options for `app.warmup()`. */
export interface WarmupOptions {
  /** The path the runtime's lifecycle hook calls with `POST`. Default `/warmup`. */
  path?: string;
}

/** Where the warmup hook is served unless `WarmupOptions.path` says otherwise. */
export const DEFAULT_WARMUP_PATH = '/warmup';

/** The platform waits this long for a 2xx from each call of the hook; it does not retry. */
export const PLATFORM_WARMUP_LIMIT_MS = 120_000;

/** The longest header value quoted back in an error answer. */
const MAX_QUOTED_TYPE_CHARS = 40;

/** What a warmup call shares with the invocations: the body limit, and the in-flight set shutdown waits for. */
export interface WarmupCallLimits {
  readonly maxBodyBytes: number;
  readonly inflight: InflightRequests;
}

type WarmupOutcome = { ok: true; durationMs: number; result: unknown } | { ok: false; durationMs: number; error: unknown };

/** What a call runs: the handler for one type (or for a call without one), once. */
type RunKey = WarmupType | 'untyped';

/**
 * `POST <path>` for the warmup hook. Each type of call (`memory`, `disk`, or none) runs its
 * handler once; concurrent and later calls of the same type share that run and its outcome.
 * Answers `200 {"status":"warm","type","durationMs",...}` (with `result` when the handler
 * returned one, `skipped: true` when no handler serves that type) or `500` with the error; an
 * unknown type is `400 INVALID_WARMUP_TYPE`, a call without a type when the handlers are per
 * type `400 WARMUP_TYPE_REQUIRED`. Logs each outcome with its duration, and warns when a run
 * took longer than the platform waits, or left tracked tasks running (they would be frozen into
 * the snapshot mid-way). `/ping` keeps answering while it runs. A call is in flight like an
 * invocation (a shutdown gives it the grace period), and its body, read and discarded, is held
 * to `maxBodyBytes` (413 beyond, and the handler does not run for that call).
 */
export class WarmupEndpoint {
  readonly #handler: WarmupHandler | undefined;
  readonly #handlers: WarmupHandlers | undefined;
  readonly #logger: Logger;
  readonly #tasks: { readonly size: number; info(): AsyncTaskInfo };
  readonly #monotonic: () => number;
  readonly #runs = new Map<RunKey, Promise<WarmupOutcome>>();
  readonly #limits: WarmupCallLimits;

  /** @throws TypeError when `handler` is neither a function nor an object of `memory`/`disk` functions. */
  constructor(
    handler: WarmupHandler | WarmupHandlers,
    logger: Logger,
    tasks: { readonly size: number; info(): AsyncTaskInfo },
    monotonic: () => number,
    limits: WarmupCallLimits,
  ) {
    this.#limits = limits;
    if (typeof handler === 'function') {
      this.#handler = handler;
    } else {
      this.#handlers = checkHandlers(handler);
    }
    this.#logger = logger;
    this.#tasks = tasks;
    this.#monotonic = monotonic;
  }

  /** Answers one call of the hook, once its body (nothing the hook uses) is read within the limit. */
  serve(request: IncomingMessage, response: ServerResponse): void {
    const { inflight, maxBodyBytes } = this.#limits;
    inflight.track(response, new RequestLifetime());
    collectBody(request, maxBodyBytes, (error) => {
      if (error === undefined) {
        this.#answer(request, response);
      } else if (error instanceof BodyTooLargeError) {
        this.#logger.warn('warmup call refused', { status: error.status, code: error.code });
        sendError(response, error);
        drainRefusedBody(request);
      }
      // Otherwise the client went away before its body was complete: nobody to answer.
    });
  }

  #answer(request: IncomingMessage, response: ServerResponse): void {
    let type: WarmupType | undefined;
    try {
      type = warmupTypeOf(request.headers[WARMUP_TYPE_HEADER]);
      if (type === undefined && this.#handlers !== undefined) {
        throw new HttpError(400, `This warmup hook serves one handler per type: send ${WARMUP_TYPE_HEADER}: memory or disk`, {
          code: 'WARMUP_TYPE_REQUIRED',
        });
      }
    } catch (error) {
      this.#logger.warn('warmup call refused', { status: (error as HttpError).status, code: (error as HttpError).code });
      sendError(response, error as HttpError);
      return;
    }
    const work = this.#workFor(type);
    if (work === undefined) {
      this.#logger.info('warmup call with no handler for its type; nothing to run', { warmupType: type });
      sendJson(response, 200, toJson({ status: 'warm', type, durationMs: 0, skipped: true }));
      return;
    }
    const key: RunKey = type ?? 'untyped';
    let run = this.#runs.get(key);
    if (run === undefined) {
      run = this.#start(type, work);
      this.#runs.set(key, run);
    }
    void run.then((outcome) => answer(response, type, outcome));
  }

  /** The work a call of `type` runs, or `undefined` when no handler serves it. */
  #workFor(type: WarmupType | undefined): (() => unknown) | undefined {
    const handler = this.#handler;
    if (handler !== undefined) return () => handler({ type });
    return this.#handlers![type!];
  }

  async #start(type: WarmupType | undefined, work: () => unknown): Promise<WarmupOutcome> {
    const startedAt = this.#monotonic();
    const fields = type === undefined ? {} : { warmupType: type };
    this.#logger.info('warmup started', fields);
    let outcome: WarmupOutcome;
    try {
      const result = await work();
      outcome = { ok: true, durationMs: this.#elapsed(startedAt), result };
      this.#logger.info('warmup completed', { ...fields, durationMs: outcome.durationMs });
    } catch (error) {
      outcome = { ok: false, durationMs: this.#elapsed(startedAt), error };
      this.#logger.error('warmup failed', { ...fields, durationMs: outcome.durationMs, error });
    }
    if (outcome.durationMs > PLATFORM_WARMUP_LIMIT_MS) {
      this.#logger.warn('warmup took longer than the platform waits for the lifecycle hook; it does not retry', {
        ...fields,
        durationMs: outcome.durationMs,
        limitMs: PLATFORM_WARMUP_LIMIT_MS,
      });
    }
    if (this.#tasks.size > 0) {
      this.#logger.warn('tracked tasks are still running after warmup; the snapshot would freeze them mid-way', {
        ...fields,
        activeTasks: this.#tasks.info().runningJobs,
      });
    }
    return outcome;
  }

  #elapsed(startedAt: number): number {
    return Math.round(this.#monotonic() - startedAt);
  }
}

/**
 * The warmup type a header value names: `undefined` when there is none.
 * @throws HttpError (400, `INVALID_WARMUP_TYPE`) for any other value.
 */
function warmupTypeOf(value: string | string[] | undefined): WarmupType | undefined {
  if (value === undefined) return undefined;
  const text = (Array.isArray(value) ? value.join(', ') : value).trim().toLowerCase();
  if (text === 'memory' || text === 'disk') return text;
  const quoted = JSON.stringify(text.length > MAX_QUOTED_TYPE_CHARS ? `${text.slice(0, MAX_QUOTED_TYPE_CHARS)}…` : text);
  throw new HttpError(400, `Unknown warmup type ${quoted}: ${WARMUP_TYPE_HEADER} must be memory or disk`, { code: 'INVALID_WARMUP_TYPE' });
}

function answer(response: ServerResponse, type: WarmupType | undefined, outcome: WarmupOutcome): void {
  if (outcome.ok) {
    const body: Record<string, unknown> = { status: 'warm' };
    if (type !== undefined) body.type = type;
    body.durationMs = outcome.durationMs;
    if (outcome.result !== undefined) body.result = outcome.result;
    sendJson(response, 200, toJson(body));
  } else {
    const { type: errorType, message } = describeThrown(outcome.error);
    const body: Record<string, unknown> = { error: message, code: 'WARMUP_FAILED', error_type: errorType };
    if (type !== undefined) body.type = type;
    body.durationMs = outcome.durationMs;
    sendJson(response, 500, toJson(body));
  }
}

/** @throws TypeError unless `handlers` is an object whose `memory` and `disk`, when present, are functions, with at least one. */
function checkHandlers(handlers: unknown): WarmupHandlers {
  if (typeof handlers !== 'object' || handlers === null) throw new TypeError('warmup handler must be a function or { memory, disk } functions');
  const given = handlers as Record<string, unknown>;
  let count = 0;
  for (const key of Object.keys(given)) {
    if (!(WARMUP_TYPES as readonly string[]).includes(key)) throw new TypeError(`warmup handlers: unknown type ${JSON.stringify(key)} (memory or disk)`);
    if (typeof given[key] !== 'function') throw new TypeError(`warmup handlers: ${key} must be a function`);
    count++;
  }
  if (count === 0) throw new TypeError('warmup handlers: give a memory or a disk function');
  return { ...(handlers as WarmupHandlers) };
}
