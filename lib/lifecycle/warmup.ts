import type { ServerResponse } from 'node:http';
import { describeThrown } from '../errors.js';
import { sendJson } from '../http/response.js';
import type { Logger } from '../logger.js';
import { toJson } from '../serialize.js';
import type { AsyncTaskInfo } from '../tasks/tracker.js';

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

type WarmupOutcome = { ok: true; durationMs: number; result: unknown } | { ok: false; durationMs: number; error: unknown };

/**
 * `POST <path>` for the warmup hook: runs the handler once; concurrent and later calls share that
 * one run and its outcome. Answers `200 {"status":"warm","durationMs",...}` (with `result` when the
 * handler returned one) or `500` with the error. Logs the outcome with its duration, and warns
 * when the run took longer than the platform waits, or left tracked tasks running (they would be
 * frozen into the snapshot mid-way). `/ping` keeps answering while it runs.
 */
export class WarmupEndpoint {
  readonly #handler: WarmupHandler;
  readonly #logger: Logger;
  readonly #tasks: { readonly size: number; info(): AsyncTaskInfo };
  readonly #monotonic: () => number;
  #run: Promise<WarmupOutcome> | undefined;

  constructor(handler: WarmupHandler, logger: Logger, tasks: { readonly size: number; info(): AsyncTaskInfo }, monotonic: () => number) {
    this.#handler = handler;
    this.#logger = logger;
    this.#tasks = tasks;
    this.#monotonic = monotonic;
  }

  /** Answers one call of the hook. */
  serve(response: ServerResponse): void {
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
