import { describeThrown } from '../errors.js';
import { checkLimit } from '../limits.js';
import type { Logger } from '../logger.js';
import { TaskTracker, type AsyncTaskInfo, type TaskMetadata } from './tracker.js';

/** Options for `runAsyncTask()`. */
export interface RunAsyncTaskOptions {
  /** Reported with the task by job status. */
  metadata?: TaskMetadata;
  /** Stop tracking after this many ms (with a warning) and abort the work's signal. */
  timeoutMs?: number;
}

/**
 * Work run by `runAsyncTask()`; `signal` aborts when the task times out, or when `close()` reaches
 * the end of its grace period with the work still running; `taskId` is its task.
 */
export type BackgroundWork = (signal: AbortSignal, taskId: number) => unknown;

/**
 * Every way to track a task, over one `TaskTracker`: manual (`add`/`complete`, optionally expired
 * after `maxTaskAgeMs` because a forgotten `complete` would pin the session busy), and supervised
 * (`run`, `wrap`), whose tasks complete when their work settles and are never expired by age.
 */
export class TaskSupervisor {
  readonly tracker: TaskTracker;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #maxTaskAgeMs: number | undefined;
  /** Expiry timers of manually tracked tasks, by task id. */
  readonly #expiry = new Map<number, NodeJS.Timeout>();
  /** The abort controllers of supervised work still running, by task id. */
  readonly #running = new Map<number, AbortController>();

  constructor(logger: Logger, now: () => number, maxTaskAgeMs: number | undefined) {
    this.tracker = new TaskTracker(now);
    this.#logger = logger;
    this.#now = now;
    this.#maxTaskAgeMs = maxTaskAgeMs;
  }

  /** Number of active tasks. */
  get size(): number {
    return this.tracker.size;
  }

  /** The active tasks. */
  info(): AsyncTaskInfo {
    return this.tracker.info();
  }

  /** Starts tracking a manual task; returns its id. Expires it after `maxTaskAgeMs`, if set. */
  add(name: string, metadata?: TaskMetadata): number {
    const id = this.#track(name, metadata);
    if (this.#maxTaskAgeMs !== undefined) this.#expireAfter(id, name, this.#maxTaskAgeMs);
    return id;
  }

  /** Completes task `id`; returns `false` (and logs a warning) when it is unknown or done. */
  complete(id: number): boolean {
    const task = this.tracker.get(id);
    if (task === undefined) {
      this.#logger.warn('attempted to complete an unknown or already completed async task', { taskId: id });
      return false;
    }
    this.#finish(id);
    this.#logger.debug('async task completed', { taskId: id, taskName: task.name, durationMs: this.#now() - task.startedAt });
    return true;
  }

  /**
   * Aborts the signal of every `run()` work still running, with `reason`; returns how many. The
   * tasks stay tracked until their work settles (work that honours its signal settles at once).
   * Work tracked by hand or through `wrap()` has no signal to abort.
   */
  abortRunning(reason: Error): number {
    const controllers = [...this.#running.values()];
    for (const controller of controllers) controller.abort(reason);
    return controllers.length;
  }

  /**
   * Runs `work` tracked from now until it settles; returns the task id at once. A failure is
   * logged, never an unhandled rejection; with `timeoutMs` the task stops being tracked (with a
   * warning) when time runs out, and the work's signal aborts (as it does when `abortRunning()`
   * is called).
   * @throws TypeError when `work` is not a function; RangeError for a bad `timeoutMs`.
   */
  run(name: string, work: BackgroundWork, options: RunAsyncTaskOptions = {}): number {
    if (typeof work !== 'function') throw new TypeError('runAsyncTask expects a function');
    const timeoutMs = options.timeoutMs;
    if (timeoutMs !== undefined) checkLimit('timeoutMs', timeoutMs, 0);
    const id = this.#track(name, options.metadata);
    const controller = new AbortController();
    this.#running.set(id, controller);
    let timer: NodeJS.Timeout | undefined;
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => {
        this.#logger.warn('async task timed out; no longer tracked', { taskId: id, taskName: name, timeoutMs });
        this.#running.delete(id);
        controller.abort(new Error(`Task ${name} timed out after ${timeoutMs} ms`));
        this.#finish(id);
      }, timeoutMs);
      timer.unref();
    }
    const settle = (): void => {
      clearTimeout(timer);
      this.#running.delete(id);
      this.#finish(id);
    };
    const onError = (error: unknown): void => {
      settle();
      // Work that rejects because we aborted it (timeout, shutdown) did what it was told.
      if (controller.signal.aborted) {
        const reason = describeThrown(controller.signal.reason).message;
        this.#logger.info('async task stopped after its signal was aborted', { taskId: id, taskName: name, reason });
      } else {
        this.#logger.error('async task failed', { taskId: id, taskName: name, error });
      }
    };
    try {
      Promise.resolve(work(controller.signal, id)).then(settle, onError);
    } catch (error) {
      onError(error);
    }
    return id;
  }

  /**
   * Wraps `fn` so every call is tracked from start until its result settles; the wrapper returns
   * a promise of the result (a rejection reaches the caller, and the task still completes).
   * @throws TypeError when `fn` is not a function.
   */
  wrap<A extends unknown[], R>(fn: (...args: A) => R, name: string): (...args: A) => Promise<Awaited<R>> {
    if (typeof fn !== 'function') throw new TypeError('asyncTask expects a function');
    const supervisor = this;
    return async function trackedTask(this: unknown, ...args: A): Promise<Awaited<R>> {
      const id = supervisor.#track(name, undefined);
      try {
        return await fn.apply(this, args);
      } finally {
        supervisor.#finish(id);
      }
    };
  }

  #track(name: string, metadata: TaskMetadata | undefined): number {
    const id = this.tracker.add(name, metadata);
    this.#logger.debug('async task started', { taskId: id, taskName: name });
    return id;
  }

  /** Stops tracking a task; silent when it is already gone. */
  #finish(id: number): void {
    if (!this.tracker.complete(id)) return;
    const timer = this.#expiry.get(id);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.#expiry.delete(id);
  }

  #expireAfter(id: number, name: string, maxAgeMs: number): void {
    const timer = setTimeout(() => {
      this.#logger.warn('async task exceeded maxTaskAgeMs and was expired; was completeAsyncTask forgotten?', {
        taskId: id,
        taskName: name,
        maxTaskAgeMs: maxAgeMs,
      });
      this.#finish(id);
    }, maxAgeMs);
    timer.unref();
    this.#expiry.set(id, timer);
  }
}
