/** Free-form data attached to a tracked task and reported by job status. */
export type TaskMetadata = Record<string, unknown>;

/** One tracked task. */
export interface TrackedTask {
  readonly id: number;
  readonly name: string;
  /** Epoch milliseconds when tracking started. */
  readonly startedAt: number;
  readonly metadata: TaskMetadata | undefined;
}

/** A running task as reported by `getAsyncTaskInfo()`. */
export interface RunningJob {
  id: number;
  name: string;
  /** Seconds since the task started, two decimals. */
  duration: number;
  metadata?: TaskMetadata;
}

/** Snapshot of the tracked tasks. */
export interface AsyncTaskInfo {
  activeCount: number;
  runningJobs: RunningJob[];
}

const MS_PER_SECOND = 1000;
const DURATION_DECIMALS = 100;

/**
 * Tracks background tasks in a `Map` keyed by ids from a monotonic counter (never reused).
 * Every operation but `info()` is O(1), so `/ping` costs the same with 0 or 10,000 tasks.
 * Whoever depends on the set of tasks subscribes with `onChange` instead of being told.
 */
export class TaskTracker {
  readonly #tasks = new Map<number, TrackedTask>();
  readonly #now: () => number;
  readonly #listeners: (() => void)[] = [];
  #lastId = 0;

  /** @param now - Epoch-millisecond clock, replaceable for tests. */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Number of active tasks. */
  get size(): number {
    return this.#tasks.size;
  }

  /** Calls `listener` after every task added or completed. */
  onChange(listener: () => void): void {
    this.#listeners.push(listener);
  }

  /**
   * Starts tracking a task and returns its id.
   * @throws TypeError when `name` is not a string.
   */
  add(name: string, metadata?: TaskMetadata): number {
    if (typeof name !== 'string') throw new TypeError('Task name must be a string');
    const id = ++this.#lastId;
    this.#tasks.set(id, { id, name, startedAt: this.#now(), metadata });
    this.#changed();
    return id;
  }

  /** Stops tracking task `id`; returns `false` when it is unknown or already completed. */
  complete(id: number): boolean {
    if (!this.#tasks.delete(id)) return false;
    this.#changed();
    return true;
  }

  /** Returns the task with `id`, if it is active. */
  get(id: number): TrackedTask | undefined {
    return this.#tasks.get(id);
  }

  /** Snapshot of all active tasks, oldest first. */
  info(): AsyncTaskInfo {
    const now = this.#now();
    const runningJobs: RunningJob[] = [];
    for (const task of this.#tasks.values()) {
      const job: RunningJob = {
        id: task.id,
        name: task.name,
        duration: Math.round(((now - task.startedAt) / MS_PER_SECOND) * DURATION_DECIMALS) / DURATION_DECIMALS,
      };
      if (task.metadata !== undefined) job.metadata = task.metadata;
      runningJobs.push(job);
    }
    return { activeCount: this.#tasks.size, runningJobs };
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }
}

/** The snake_case job status shape of the Python SDK, used on the wire. */
export interface WireTaskInfo {
  active_count: number;
  running_jobs: RunningJob[];
}

/** Converts `getAsyncTaskInfo()` output to the wire shape `{active_count, running_jobs}`. */
export function toWireTaskInfo(info: AsyncTaskInfo): WireTaskInfo {
  return { active_count: info.activeCount, running_jobs: info.runningJobs };
}
