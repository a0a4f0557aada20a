import type { Clock } from '../clock.js';
import { A2AError } from './errors.js';
import { isTerminal, type ListTasksRequest, type ListTasksResponse } from './wire-v1.js';
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
 * most `maxOpenTasks + maxFinishedTasks` tasks. Finished tasks wait in a queue in the order they
 * finished (an array and a head index: a `Map` would leave its deleted entries for every later
 * walk to skip); `ListTasks` sorts by the sequence number each status change gives a task.
 */
export class TaskStore {
  readonly #tasks = new Map<string, TaskRecord>();
  /** Finished tasks, the first finished at `#head`, with the monotonic time each finished. */
  #finished: TaskRecord[] = [];
  #finishedAt: number[] = [];
  #head = 0;
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
    return this.#tasks.size - (this.#finished.length - this.#head);
  }

  /** True when one more unfinished task would pass `maxOpenTasks`. */
  get full(): boolean {
    return this.openCount >= this.#retention.maxOpenTasks;
  }

  /** Adds a new (unfinished) task. The caller checked `full` first. */
  add(record: TaskRecord): void {
    this.#sweep();
    record.sequence = ++this.#sequence;
    this.#tasks.set(record.id, record);
    record.listen(this.#changed);
  }

  /** Removes an unfinished task at once (an agent that answered with a message instead). */
  delete(id: string): void {
    this.#tasks.delete(id);
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
    const matching: TaskRecord[] = [];
    for (const record of this.#tasks.values()) {
      if (contextId !== undefined && record.contextId !== contextId) continue;
      if (status !== undefined && record.state !== status) continue;
      if (statusTimestampAfter !== undefined && record.updatedAt < statusTimestampAfter) continue;
      matching.push(record);
    }
    matching.sort((a, b) => b.sequence - a.sequence);
    let start = 0;
    while (start < matching.length && matching[start]!.sequence >= before) start++;
    const page = matching.slice(start, start + pageSize);
    const more = start + pageSize < matching.length;
    return {
      tasks: page.map((record) => record.snapshot(historyLength, includeArtifacts, true)),
      nextPageToken: more ? String(page.at(-1)!.sequence) : '',
      pageSize,
      totalSize: matching.length,
    };
  }

  /** On a status change: a new sequence number; a task that finished starts its retention. */
  readonly #changed = (record: TaskRecord, event: TaskEvent): void => {
    if (!('statusUpdate' in event) || this.#tasks.get(record.id) !== record) return;
    record.sequence = ++this.#sequence;
    if (!isTerminal(record.state)) return;
    this.#finished.push(record);
    this.#finishedAt.push(this.#clock.monotonic());
    if (this.#finished.length - this.#head > this.#retention.maxFinishedTasks) this.#dropOldestFinished();
  };

  #dropOldestFinished(): void {
    const oldest = this.#finished[this.#head]!;
    this.#finished[this.#head] = undefined as unknown as TaskRecord;
    this.#head++;
    this.#tasks.delete(oldest.id);
    // Compacted now and then, so the queue stays about as long as what it holds.
    if (this.#head > 1024 && this.#head * 2 > this.#finished.length) {
      this.#finished = this.#finished.slice(this.#head);
      this.#finishedAt = this.#finishedAt.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Drops the finished tasks past their time (the oldest first, so it stops at the first kept). */
  #sweep(): void {
    if (this.#head === this.#finished.length) return;
    const expiredBefore = this.#clock.monotonic() - this.#retention.finishedTaskTtlMs;
    while (this.#head < this.#finished.length && this.#finishedAt[this.#head]! <= expiredBefore) this.#dropOldestFinished();
  }
}
