import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, describeThrown } from '../errors.js';
import { collectBody, drainRefusedBody } from '../http/body.js';
import { RequestLifetime } from '../http/context.js';
import { sendError, sendJson } from '../http/response.js';
import type { Logger } from '../logger.js';
import { toJson } from '../serialize.js';
import type { AsyncTaskInfo } from '../tasks/tracker.js';
import type { InflightRequests } from './shutdown.js';

/**
 * Work for the platform's warmup lifecycle hook: load models, fill caches, open clients. Sync or
 * async; what it returns (if anything) is sent back as `result`. On platform V2 everything it
 * leaves in memory is captured in the snapshot every session starts from.
 */
export type WarmupHandler = () => unknown;

/** Options for `app.warmup()`. */
export interface WarmupOptions {
  /** The path the runtime's lifecycle hook calls with `POST`. Default `/warmup`. */
  path?: string;
}

/** Where the warmup hook is served unless `WarmupOptions.path` says otherwise. */
export const DEFAULT_WARMUP_PATH = '/warmup';

/** The platform calls the hook once and waits this long for a 2xx; it does not retry. */
export const PLATFORM_WARMUP_LIMIT_MS = 120_000;

/** What a warmup call shares with the invocations: the body limit, and the in-flight set shutdown waits for. */
export interface WarmupCallLimits {
  readonly maxBodyBytes: number;
  readonly inflight: InflightRequests;
}

type WarmupOutcome = { ok: true; durationMs: number; result: unknown } | { ok: false; durationMs: number; error: unknown };

/**
 * `POST <path>` for the warmup hook: runs the handler once; concurrent and later calls share that
 * one run and its outcome. Answers `200 {"status":"warm","durationMs",...}` (with `result` when the
 * handler returned one) or `500` with the error. Logs the outcome with its duration, and warns
 * when the run took longer than the platform waits, or left tracked tasks running (they would be
 * frozen into the snapshot mid-way). `/ping` keeps answering while it runs. A call is in flight
 * like an invocation (a shutdown gives it the grace period), and its body, read and discarded,
 * is held to `maxBodyBytes` (413 beyond, and the handler does not run for that call).
 */
export class WarmupEndpoint {
  readonly #handler: WarmupHandler;
  readonly #logger: Logger;
  readonly #tasks: { readonly size: number; info(): AsyncTaskInfo };
  readonly #monotonic: () => number;
  readonly #limits: WarmupCallLimits;
  #run: Promise<WarmupOutcome> | undefined;

  constructor(
    handler: WarmupHandler,
    logger: Logger,
    tasks: { readonly size: number; info(): AsyncTaskInfo },
    monotonic: () => number,
    limits: WarmupCallLimits,
  ) {
    this.#handler = handler;
    this.#logger = logger;
    this.#tasks = tasks;
    this.#monotonic = monotonic;
    this.#limits = limits;
  }

  /** Answers one call of the hook, once its body (nothing the hook uses) is read within the limit. */
  serve(request: IncomingMessage, response: ServerResponse): void {
    const { inflight, maxBodyBytes } = this.#limits;
    inflight.track(response, new RequestLifetime());
    collectBody(request, maxBodyBytes, (error) => {
      if (error === undefined) {
        this.#answer(response);
      } else if (error instanceof BodyTooLargeError) {
        this.#logger.warn('warmup call refused', { status: error.status, code: error.code });
        sendError(response, error);
        drainRefusedBody(request);
      }
      // Otherwise the client went away before its body was complete: nobody to answer.
    });
  }

  #answer(response: ServerResponse): void {
    this.#run ??= this.#start();
    void this.#run.then((outcome) => {
      if (outcome.ok) {
        const body: Record<string, unknown> = { status: 'warm', durationMs: outcome.durationMs };
        if (outcome.result !== undefined) body.result = outcome.result;
        sendJson(response, 200, toJson(body));
      } else {
        const { type, message } = describeThrown(outcome.error);
        sendJson(response, 500, toJson({ error: message, code: 'WARMUP_FAILED', error_type: type, durationMs: outcome.durationMs }));
      }
    });
  }

  async #start(): Promise<WarmupOutcome> {
    const startedAt = this.#monotonic();
    this.#logger.info('warmup started');
    let outcome: WarmupOutcome;
    try {
      const result = await this.#handler();
      outcome = { ok: true, durationMs: this.#elapsed(startedAt), result };
      this.#logger.info('warmup completed', { durationMs: outcome.durationMs });
    } catch (error) {
      outcome = { ok: false, durationMs: this.#elapsed(startedAt), error };
      this.#logger.error('warmup failed', { durationMs: outcome.durationMs, error });
    }
    if (outcome.durationMs > PLATFORM_WARMUP_LIMIT_MS) {
      this.#logger.warn('warmup took longer than the platform waits for the lifecycle hook; it does not retry', {
        durationMs: outcome.durationMs,
        limitMs: PLATFORM_WARMUP_LIMIT_MS,
      });
    }
    if (this.#tasks.size > 0) {
      this.#logger.warn('tracked tasks are still running after warmup; the snapshot would freeze them mid-way', {
        activeTasks: this.#tasks.info().runningJobs,
      });
    }
    return outcome;
  }

  #elapsed(startedAt: number): number {
    return Math.round(this.#monotonic() - startedAt);
  }
}
