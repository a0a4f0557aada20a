import { JsonRpcError } from '../json-rpc/errors.js';
import { randomUUID } from '../random.js';
import type { TaskMetadata, TaskTracker } from '../tasks/tracker.js';
import { McpErrorCode } from './errors.js';
import type { Era } from './era.js';
import type { McpTaskOptions } from './options.js';
import { McpTask } from './task.js';

/** What the store needs from the server. */
export interface TaskStoreParts {
  readonly options: Required<McpTaskOptions>;
  /** The core's tracker: a task not yet terminal is a tracked task, so `/ping` says HealthyBusy. */
  readonly tracker: TaskTracker;
  readonly now: () => number;
  /** Told after every status change (for `notifications/tasks/status`). */
  readonly onChange: (task: McpTask) => void;
}

/**
 * The MCP tasks of a server, by id (the snapshot-safe `randomUUID()`): bounded by `maxTasks`
 * (the oldest finished task makes room; when every task is still working a new one is refused),
 * each dropped `ttl` after its creation (a task still working then is cancelled first). While a
 * task is not terminal it is one of the core's tracked tasks: the tracker gets it on creation
 * and loses it exactly once, when it becomes terminal, so `/ping`'s stamp moves once each way.
 */
export class TaskStore {
  readonly #parts: TaskStoreParts;
  /** Insertion order is creation order: the oldest first. */
  readonly #tasks = new Map<string, StoredTask>();

  constructor(parts: TaskStoreParts) {
    this.#parts = parts;
  }

  /** Number of tasks kept, working or finished. */
  get size(): number {
    return this.#tasks.size;
  }

  /**
   * A new `working` task, tracked until terminal. `ttlMs` is what the client asked for (`null` or
   * `undefined`: the default), capped at `maxTtlMs`; `era` says which wire it speaks; `taskId`
   * is one made beforehand with `randomUUID()` (the handler already knows it).
   * @throws JsonRpcError -32603 when `maxTasks` are kept and all still working.
   */
  create(owner: string, ttlMs: number | null | undefined, metadata: TaskMetadata, identity: { era?: Era; taskId?: string } = {}): McpTask {
    const { options, tracker, now } = this.#parts;
    if (this.#tasks.size >= options.maxTasks && !this.#dropOldestFinished()) {
      throw new JsonRpcError(McpErrorCode.InternalError, `Too many tasks (${options.maxTasks}); try again when some have finished`);
    }
    const granted = typeof ttlMs === 'number' && Number.isFinite(ttlMs) && ttlMs > 0 ? Math.min(Math.floor(ttlMs), options.maxTtlMs) : options.defaultTtlMs;
    let trackedId: number | undefined;
    const task = new McpTask({
      taskId: identity.taskId ?? randomUUID(),
      owner,
      era: identity.era,
      ttlMs: granted,
      pollIntervalMs: options.pollIntervalMs,
      now,
      onChange: (changed) => {
        if (changed.terminal && trackedId !== undefined) {
          tracker.complete(trackedId);
          trackedId = undefined;
        }
        this.#parts.onChange(changed);
      },
    });
    trackedId = tracker.add('mcp_task', { ...metadata, taskId: task.taskId });
    const expiry = setTimeout(() => this.#expire(task.taskId), granted);
    expiry.unref();
    this.#tasks.set(task.taskId, { task, expiry });
    return task;
  }

  /** The task with `taskId`, if it is still kept. */
  get(taskId: string): McpTask | undefined {
    return this.#tasks.get(taskId)?.task;
  }

  /** The tasks of `owner`, oldest first. */
  list(owner: string): McpTask[] {
    const tasks: McpTask[] = [];
    for (const { task } of this.#tasks.values()) if (task.owner === owner) tasks.push(task);
    return tasks;
  }

  /** Cancels every working task and drops them all (shutdown). */
  clear(reason: string): void {
    for (const { task, expiry } of this.#tasks.values()) {
      clearTimeout(expiry);
      task.cancel(reason);
    }
    this.#tasks.clear();
  }

  #expire(taskId: string): void {
    const stored = this.#tasks.get(taskId);
    if (stored === undefined) return;
    this.#tasks.delete(taskId);
    stored.task.cancel('The task expired (its ttl passed)');
  }

  #dropOldestFinished(): boolean {
    for (const [taskId, { task, expiry }] of this.#tasks) {
      if (task.terminal) {
        clearTimeout(expiry);
        this.#tasks.delete(taskId);
        return true;
      }
    }
    return false;
  }
}

interface StoredTask {
  readonly task: McpTask;
  readonly expiry: NodeJS.Timeout;
}
