import { isoTimestamp } from '../log-format.js';
import { TaskStateError } from './errors.js';
import {
  isInterrupted,
  isTerminal,
  TaskState,
  type Artifact,
  type Message,
  type Metadata,
  type Task,
  type TaskArtifactUpdateEvent,
  type TaskStatus,
  type TaskStatusUpdateEvent,
} from './wire-v1.js';

/** A change of a task, as streams and push notifications carry it. */
export type TaskEvent = { statusUpdate: TaskStatusUpdateEvent } | { artifactUpdate: TaskArtifactUpdateEvent };

/** Told of every change of a task, after it happened. */
export type TaskListener = (record: TaskRecord, event: TaskEvent) => void;

/** True for the states in which the agent is (or is about to be) working: tracked for `/ping`. */
export function isActive(state: TaskState): boolean {
  return state === TaskState.Submitted || state === TaskState.Working;
}

/** True once a stream about the task has said all it will: a terminal or interrupted state. */
export function isSettled(state: TaskState): boolean {
  return isTerminal(state) || isInterrupted(state);
}

/** How a `TaskRecord` reads the time. */
export interface TaskClock {
  /** Epoch milliseconds, for status timestamps. */
  now(): number;
}

/**
 * One task and its state machine: the status with its legal transitions (none after a terminal
 * state, never back to submitted), the history (the client's messages and the agent's status
 * messages, the oldest dropped past `maxHistory`), the artifacts (an update with `append` adds
 * its parts to the artifact of the same id; without, it replaces it) and who listens. Objects
 * it holds are never changed once stored, so snapshots share them.
 */
export class TaskRecord {
  readonly id: string;
  readonly contextId: string;
  /** Ordering key in the store: set by the store on every change. */
  sequence = 0;
  #status: TaskStatus;
  /** Epoch ms of the status' timestamp. */
  #updatedAt: number;
  readonly #history: Message[];
  readonly #maxHistory: number;
  readonly #artifacts: Artifact[] = [];
  readonly #clock: TaskClock;
  /** Replaced, never changed in place: an emit walks the list as it was when it began. */
  #listeners: readonly TaskListener[] = [];

  /** A new task, submitted, with the client's first message. */
  constructor(id: string, contextId: string, message: Message, maxHistory: number, clock: TaskClock) {
    this.id = id;
    this.contextId = contextId;
    this.#clock = clock;
    this.#maxHistory = maxHistory;
    this.#updatedAt = clock.now();
    this.#status = { state: TaskState.Submitted, timestamp: isoTimestamp(this.#updatedAt) };
    this.#history = maxHistory > 0 ? [message] : [];
  }

  /** The current state. */
  get state(): TaskState {
    return this.#status.state;
  }

  /** Epoch ms of the last status change. */
  get updatedAt(): number {
    return this.#updatedAt;
  }

  /** Adds `listener`, told of every later change; returns the function that removes it. */
  listen(listener: TaskListener): () => void {
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((candidate) => candidate !== listener);
    };
  }

  /** Adds a client message to the history (a client continuing the task). */
  addMessage(message: Message): void {
    this.#remember(message);
  }

  /**
   * Moves the task to `state`, with the agent's `message` about it (kept in the history too).
   * @throws TaskStateError when the task is finished or `state` is `submitted`.
   */
  transition(state: TaskState, message?: Message, metadata?: Metadata): void {
    const current = this.#status.state;
    if (isTerminal(current)) {
      throw new TaskStateError(this.id, current, `Task ${this.id} is ${current}: a finished task takes no update`);
    }
    if (state === TaskState.Submitted) {
      throw new TaskStateError(this.id, current, `Task ${this.id} is ${current}: it cannot go back to ${TaskState.Submitted}`);
    }
    this.#updatedAt = this.#clock.now();
    const status: TaskStatus = { state, timestamp: isoTimestamp(this.#updatedAt) };
    if (message !== undefined) {
      status.message = message;
      this.#remember(message);
    }
    this.#status = status;
    const event: TaskStatusUpdateEvent = { taskId: this.id, contextId: this.contextId, status };
    if (metadata !== undefined) event.metadata = metadata;
    this.#emit({ statusUpdate: event });
  }

  /**
   * Adds or updates an artifact: with `append`, its parts go after those of the artifact with
   * the same id (which is created if there is none); otherwise it replaces it.
   * @throws TaskStateError when the task is finished.
   */
  addArtifact(artifact: Artifact, append: boolean, lastChunk: boolean, metadata?: Metadata): void {
    const current = this.#status.state;
    if (isTerminal(current)) {
      throw new TaskStateError(this.id, current, `Task ${this.id} is ${current}: a finished task takes no artifact`);
    }
    const index = this.#artifacts.findIndex((stored) => stored.artifactId === artifact.artifactId);
    if (index === -1) {
      this.#artifacts.push(artifact);
    } else {
      const stored = this.#artifacts[index]!;
      this.#artifacts[index] = append ? { ...stored, parts: [...stored.parts, ...artifact.parts] } : artifact;
    }
    const event: TaskArtifactUpdateEvent = { taskId: this.id, contextId: this.contextId, artifact };
    if (append) event.append = true;
    if (lastChunk) event.lastChunk = true;
    if (metadata !== undefined) event.metadata = metadata;
    this.#emit({ artifactUpdate: event });
  }

  /**
   * The task as the protocol shows it: at most `historyLength` of the latest messages (all when
   * undefined, none and no `history` field for 0); artifacts unless `includeArtifacts` is false
   * (with `artifactsAlways`, the field is there even when empty, as `ListTasks` wants).
   */
  snapshot(historyLength?: number, includeArtifacts = true, artifactsAlways = false): Task {
    const task: Task = { id: this.id, contextId: this.contextId, status: this.#status };
    if (includeArtifacts && (artifactsAlways || this.#artifacts.length > 0)) task.artifacts = this.#artifacts.slice();
    const history = this.#history;
    if (history.length > 0 && historyLength !== 0) {
      task.history = historyLength === undefined || historyLength >= history.length ? history.slice() : history.slice(history.length - historyLength);
    }
    return task;
  }

  #remember(message: Message): void {
    if (this.#maxHistory === 0) return;
    this.#history.push(message);
    if (this.#history.length > this.#maxHistory) this.#history.shift();
  }

  #emit(event: TaskEvent): void {
    // A listener may remove itself (a stream that ends) while being told: the list is replaced.
    const listeners = this.#listeners;
    for (let index = 0; index < listeners.length; index++) listeners[index]!(this, event);
  }
}
