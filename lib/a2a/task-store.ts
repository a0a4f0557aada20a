import type { Clock } from '../clock.js';
import { A2AError } from './errors.js';
import { isTerminal, type ListTasksRequest, type ListTasksResponse, type Task } from './wire-v1.js';
import type { TaskEvent, TaskRecord } from './task.js';

/** How many tasks the store keeps, and for how long (see `A2AServerOptions`). */
export interface TaskRetention {
  /** Most unfinished tasks (submitted, working, input- or auth-required) at once; more are refused. */
  maxOpenTasks: number;
  /** Most finished tasks kept; past it, the one that finished first is dropped. */
  maxFinishedTasks: number;
  /** How long a finished task is kept, in ms. */
  finishedTaskTtlMs: number;
}

/** A page token: the sequence number of the last task of the page before. */
const PAGE_TOKEN = /^[1-9][0-9]{0,15}$/;

/**
 * The tasks of this process, bounded: unfinished tasks up to `maxOpenTasks` (a new one past it
 * is refused, `-32603`), finished ones up to `maxFinishedTasks` and `finishedTaskTtlMs` (then
 * dropped, and their id is unknown from then on: `-32001`). Whatever clients send, it holds at
 * most `maxOpenTasks + maxFinishedTasks` tasks. Tasks are kept in the order their status last
 * changed, which is the order `ListTasks` pages through (newest first).
 */
export class TaskStore {
  /** Every task, the one that changed last at the end. */
  readonly #tasks = new Map<string, TaskRecord>();
  /** Finished tasks with the monotonic time they finished, oldest first. */
  readonly #finished = new Map<string, number>();
  readonly #retention: TaskRetention;
  readonly #clock: Clock;
  #sequence = 0;

  constructor(retention: TaskRetention, clock: Clock) {
    this.#retention = retention;
    this.#clock = clock;
  }

  /** Tasks held now. */
  get size(): number {
    return this.#tasks.size;
  }

  /** Unfinished tasks held now. */
  get openCount(): number {
    return this.#tasks.size - this.#finished.size;
  }

  /** True when one more unfinished task would pass `maxOpenTasks`. */
  get full(): boolean {
    return this.openCount >= this.#retention.maxOpenTasks;
  }

  /**
   * Adds a new task. The caller checked `full` first.
   */
  add(record: TaskRecord): void {
    this.#sweep();
    record.sequence = ++this.#sequence;
    this.#tasks.set(record.id, record);
    record.listen(this.#changed);
  }

  /** Removes a task at once (an agent that answered with a message instead). */
  delete(id: string): void {
    this.#tasks.delete(id);
    this.#finished.delete(id);
  }

  /** The task with `id`, unless it is unknown or was dropped. */
  get(id: string): TaskRecord | undefined {
    this.#sweep();
    return this.#tasks.get(id);
  }

  /**
   * A page of the tasks matching `request`, the most recently changed first; `nextPageToken`
   * continues after the page's last task (tasks that change in between move to the front).
   * @throws JsonRpcError -32602 for a page token this store did not issue.
   */
  list(request: ListTasksRequest & { pageSize: number }): ListTasksResponse {
    this.#sweep();
    let before = Number.MAX_SAFE_INTEGER;
    if (request.pageToken !== undefined) {
      if (!PAGE_TOKEN.test(request.pageToken)) throw A2AError.invalidParams('pageToken', 'is not a token this server issued');
      before = Number(request.pageToken);
    }
    const { contextId, status, statusTimestampAfter, historyLength, pageSize } = request;
    const includeArtifacts = request.includeArtifacts === true;
    const tasks: Task[] = [];
    let totalSize = 0;
    let last: TaskRecord | undefined;
    let more = false;
    const records = Array.from(this.#tasks.values());
    for (let index = records.length - 1; index >= 0; index--) {
      const record = records[index]!;
      if (contextId !== undefined && record.contextId !== contextId) continue;
      if (status !== undefined && record.state !== status) continue;
      if (statusTimestampAfter !== undefined && record.updatedAt < statusTimestampAfter) continue;
      totalSize++;
      if (record.sequence >= before) continue;
      if (tasks.length === pageSize) {
        more = true;
        continue;
      }
      tasks.push(record.snapshot(historyLength, includeArtifacts, true));
      last = record;
    }
    return { tasks, nextPageToken: more ? String(last!.sequence) : '', pageSize, totalSize };
  }

  /** On a status change: the task moves to the end; a task that finished starts its retention. */
  readonly #changed = (record: TaskRecord, event: TaskEvent): void => {
    const id = record.id;
    if (!('statusUpdate' in event) || !this.#tasks.has(id)) return;
    record.sequence = ++this.#sequence;
    this.#tasks.delete(id);
    this.#tasks.set(id, record);
    if (isTerminal(record.state) && !this.#finished.has(id)) {
      this.#finished.set(id, this.#clock.monotonic());
      if (this.#finished.size > this.#retention.maxFinishedTasks) this.#dropOldestFinished();
    }
  };

  #dropOldestFinished(): void {
    const oldest = this.#finished.keys().next().value as string;
    this.#finished.delete(oldest);
    this.#tasks.delete(oldest);
  }

  /** Drops the finished tasks past their time (the oldest first, so it stops at the first kept). */
  #sweep(): void {
    if (this.#finished.size === 0) return;
    const expiredBefore = this.#clock.monotonic() - this.#retention.finishedTaskTtlMs;
    for (const [id, finishedAt] of this.#finished) {
      if (finishedAt > expiredBefore) return;
      this.#finished.delete(id);
      this.#tasks.delete(id);
    }
  }
}
