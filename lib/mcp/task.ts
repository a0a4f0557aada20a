import { JsonRpcError, JsonRpcErrorCode } from '../json-rpc/errors.js';
import type { ClientChannel } from './context.js';
import type { Era } from './era.js';
import { McpErrorCode } from './errors.js';
import type { TaskInputs } from './task-inputs.js';
import type { CallToolResult, JsonObject, Task, TaskStatus } from './wire.js';
import type { DetailedTask, ExtensionTask } from './wire-2026.js';

/** The statuses a task leaves no more. */
const TERMINAL: ReadonlySet<TaskStatus> = new Set(['completed', 'failed', 'cancelled']);

/** Where each status may go (2025-11-25, "Task Status Lifecycle"). */
const TRANSITIONS: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  working: ['input_required', 'completed', 'failed', 'cancelled'],
  input_required: ['working', 'completed', 'failed', 'cancelled'],
  completed: [],
  failed: [],
  cancelled: [],
};

/** How a task ended: the result its request would have had, or the protocol error it would have got. */
export type TaskOutcome = { readonly result: CallToolResult } | { readonly error: JsonRpcError };

/** What a task is made with. */
export interface TaskInit {
  readonly taskId: string;
  /** Who may list it: the session id, or the runtime session header of a stateless request. */
  readonly owner: string;
  readonly ttlMs: number;
  readonly pollIntervalMs: number;
  readonly now: () => number;
  /** Told after every status change. */
  readonly onChange: (task: McpTask) => void;
  /**
   * `legacy`: a 2025-11-25 task (a tool error fails it; `tasks/result`); `modern`: a task of the
   * tasks extension (a tool error completes it; input through `tasks/update`). Default `legacy`.
   */
  readonly era?: Era;
}

/**
 * One MCP task (2025-11-25, or the 2026-07-28 tasks extension): a `tools/call` running on its own. A state machine:
 * `working` ⇄ `input_required` → `completed` | `failed` | `cancelled`, terminal statuses never
 * left (a cancelled task stays cancelled even if its work finishes later). Its work is told to
 * stop through `signal`; `tasks/result` waits on `settled`.
 */
export class McpTask {
  readonly taskId: string;
  readonly owner: string;
  readonly createdAt: number;
  readonly ttlMs: number;
  readonly pollIntervalMs: number;
  readonly era: Era;
  /** A modern task's requests waiting for `tasks/update`. */
  inputs: TaskInputs | undefined;
  readonly #controller = new AbortController();
  readonly #now: () => number;
  readonly #onChange: (task: McpTask) => void;
  #status: TaskStatus = 'working';
  #statusMessage: string | undefined;
  #lastUpdatedAt: number;
  #outcome: TaskOutcome | undefined;
  #settled: Promise<void> | undefined;
  #resolveSettled: (() => void) | undefined;
  /** The channels of the `tasks/result` requests waiting on it, newest last. */
  readonly #channels: ClientChannel[] = [];
  readonly #channelWaiters = new Set<(channel: ClientChannel) => void>();

  constructor(init: TaskInit) {
    this.taskId = init.taskId;
    this.owner = init.owner;
    this.ttlMs = init.ttlMs;
    this.pollIntervalMs = init.pollIntervalMs;
    this.era = init.era ?? 'legacy';
    this.#now = init.now;
    this.#onChange = init.onChange;
    this.createdAt = this.#lastUpdatedAt = init.now();
  }

  get status(): TaskStatus {
    return this.#status;
  }

  /** True once completed, failed or cancelled. */
  get terminal(): boolean {
    return TERMINAL.has(this.#status);
  }

  /** Aborted when the task is cancelled or expires: its work should stop. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** How it ended, once terminal (a cancelled task has none). */
  get outcome(): TaskOutcome | undefined {
    return this.#outcome;
  }

  /** Resolves once the task is terminal. */
  get settled(): Promise<void> {
    if (this.terminal) return Promise.resolve();
    this.#settled ??= new Promise((resolve) => {
      this.#resolveSettled = resolve;
    });
    return this.#settled;
  }

  /** The task as the wire shows it. */
  toWire(): Task {
    const task: Task = {
      taskId: this.taskId,
      status: this.#status,
      createdAt: new Date(this.createdAt).toISOString(),
      lastUpdatedAt: new Date(this.#lastUpdatedAt).toISOString(),
      ttl: this.ttlMs,
      pollInterval: this.pollIntervalMs,
    };
    if (this.#statusMessage !== undefined) task.statusMessage = this.#statusMessage;
    return task;
  }

  /** The task as the tasks extension shows it when it is created (`CreateTaskResult` without `resultType`). */
  toExtensionWire(): ExtensionTask {
    const task: ExtensionTask = {
      taskId: this.taskId,
      status: this.#status,
      createdAt: new Date(this.createdAt).toISOString(),
      lastUpdatedAt: new Date(this.#lastUpdatedAt).toISOString(),
      ttlMs: this.ttlMs,
      pollIntervalMs: this.pollIntervalMs,
    };
    if (this.#statusMessage !== undefined) task.statusMessage = this.#statusMessage;
    return task;
  }

  /** The task with what its status carries (`tasks/get`, `notifications/tasks`). */
  toDetailed(): DetailedTask {
    const task: DetailedTask = this.toExtensionWire();
    const outcome = this.#outcome;
    if (this.#status === 'input_required' && this.inputs !== undefined) task.inputRequests = this.inputs.requests();
    else if (this.#status === 'completed' && outcome !== undefined && 'result' in outcome) task.result = outcome.result as unknown as JsonObject;
    else if (this.#status === 'failed' && outcome !== undefined && 'error' in outcome) task.error = errorObject(outcome.error);
    return task;
  }

  /**
   * The channel of a `tasks/result` request waiting on the task (the specification's side channel
   * for what the task asks its client), until the returned function detaches it.
   */
  attachChannel(channel: ClientChannel): () => void {
    this.#channels.push(channel);
    for (const waiter of [...this.#channelWaiters]) waiter(channel);
    return () => {
      const index = this.#channels.indexOf(channel);
      if (index !== -1) this.#channels.splice(index, 1);
    };
  }

  /** The newest side channel attached, if any. */
  get channel(): ClientChannel | undefined {
    return this.#channels.at(-1);
  }

  /**
   * The side channel, as soon as a `tasks/result` request attaches one.
   * @throws (rejects with) JsonRpcError -32001 after `timeoutMs`; the reason of `signal`.
   */
  whenChannel(signal: AbortSignal | undefined, timeoutMs: number): Promise<ClientChannel> {
    const current = this.channel;
    if (current !== undefined) return Promise.resolve(current);
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#channelWaiters.delete(attached);
      };
      const attached = (channel: ClientChannel): void => {
        done();
        resolve(channel);
      };
      const onAbort = (): void => {
        done();
        reject(signal!.reason);
      };
      const timer = setTimeout(() => {
        done();
        reject(new JsonRpcError(McpErrorCode.RequestTimeout, `No stream to the client within ${timeoutMs} ms: open the GET stream, or wait in tasks/result`));
      }, timeoutMs);
      timer.unref();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#channelWaiters.add(attached);
    });
  }

  /** Waiting for the client (`input_required`) or working again; false when not allowed now. */
  setWaiting(waiting: boolean, message?: string): boolean {
    return this.#moveTo(waiting ? 'input_required' : 'working', message);
  }

  /**
   * The work returned: `completed`; a result with `isError` is `failed` for a 2025-11-25 task,
   * `completed` for the tasks extension (which keeps `failed` for protocol errors).
   */
  complete(result: CallToolResult): boolean {
    const failed = result.isError === true && this.era === 'legacy';
    return this.#end(failed ? 'failed' : 'completed', failed ? firstText(result) ?? 'The tool returned an error' : undefined, { result });
  }

  /** The work failed with a protocol error: `tasks/result` answers that error. */
  fail(error: JsonRpcError): boolean {
    return this.#end('failed', error.message, { error });
  }

  /** Cancelled by the client (or expired): the work's signal aborts. */
  cancel(message: string): boolean {
    if (!this.#end('cancelled', message, { error: new JsonRpcError(JsonRpcErrorCode.InternalError, `Task ${this.taskId} was cancelled`) })) return false;
    this.#controller.abort(new Error(message));
    return true;
  }

  /** Moves to a terminal status with its outcome (set first: whoever is told of the change can read it). */
  #end(status: TaskStatus, message: string | undefined, outcome: TaskOutcome): boolean {
    if (!TRANSITIONS[this.#status].includes(status)) return false;
    this.#outcome = outcome;
    this.#moveTo(status, message);
    this.#settle();
    return true;
  }

  #moveTo(status: TaskStatus, message: string | undefined): boolean {
    if (!TRANSITIONS[this.#status].includes(status)) return false;
    this.#status = status;
    this.#statusMessage = message;
    this.#lastUpdatedAt = Math.max(this.#now(), this.#lastUpdatedAt);
    this.#onChange(this);
    return true;
  }

  #settle(): void {
    this.#resolveSettled?.();
    this.#resolveSettled = undefined;
  }
}

function errorObject(error: JsonRpcError): { code: number; message: string; data?: unknown } {
  const wire: { code: number; message: string; data?: unknown } = { code: error.code, message: error.message };
  if (error.data !== undefined) wire.data = error.data;
  return wire;
}

function firstText(result: CallToolResult): string | undefined {
  const block = Array.isArray(result.content) ? result.content.find((item) => item?.type === 'text') : undefined;
  return block?.type === 'text' ? block.text : undefined;
}
