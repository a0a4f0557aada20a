import { RequestLifetime, type RequestContext } from '../http/context.js';
import { JsonRpcError } from '../json-rpc/errors.js';
import type { Logger } from '../logger.js';
import { randomUUID } from '../random.js';
import { isThenable } from '../thenable.js';
import { TaskStateError } from './errors.js';
import { readParts } from './params.js';
import { isActive, type TaskRecord } from './task.js';
import type { A2AVersion } from './versions.js';
import {
  isTerminal,
  Role,
  TaskState,
  type Artifact,
  type Message,
  type Metadata,
  type Part,
  type SendMessageConfiguration,
  type Task,
} from './wire-v1.js';

/**
 * The agent: called with each message a client sends, in the context of its task (a new one,
 * or the one the message continues). It publishes what happens through the context (status
 * updates, artifacts, a reply) and may be `async`. The task lives as long as the call: when it
 * returns (or its promise resolves) a task still submitted or working is completed; when it
 * throws (or rejects) a task not yet finished fails (the error is logged, not sent). A task
 * that asks for input (`requireInput()`) keeps waiting: the client's next message with its
 * `taskId` calls the executor again.
 */
export type AgentExecutor = (context: TaskContext) => unknown;

/** An agent message: its text, or its parts with the optional fields. Ids and role are set for you. */
export type AgentMessageInit =
  | string
  | { parts: Part[]; metadata?: Metadata | undefined; extensions?: string[] | undefined; referenceTaskIds?: string[] | undefined };

/** An artifact to publish; `artifactId` is generated when absent. */
export interface ArtifactInit {
  artifactId?: string | undefined;
  name?: string | undefined;
  description?: string | undefined;
  /** At least one. */
  parts: Part[];
  metadata?: Metadata | undefined;
  extensions?: string[] | undefined;
}

/** How an artifact update relates to what was sent before. */
export interface ArtifactUpdateOptions {
  /** Add these parts to the artifact with the same id, sent before. */
  append?: boolean | undefined;
  /** This is the artifact's last chunk. */
  lastChunk?: boolean | undefined;
  /** The update event's metadata. */
  metadata?: Metadata | undefined;
}

/**
 * What an executor knows and can do. Every update goes through the library's task state
 * machine: after a terminal state (completed, failed, canceled, rejected) an update throws a
 * `TaskStateError`, and so does a move back to submitted.
 */
export interface TaskContext {
  /** The client's message; its `taskId` and `contextId` are the task's. */
  readonly message: Message;
  readonly taskId: string;
  readonly contextId: string;
  /** True when the message continues an existing task (one that asked for input or authentication). */
  readonly continued: boolean;
  /** The task now (a snapshot: read it again after an update). */
  readonly task: Task;
  /** The task's state now. */
  readonly state: TaskState;
  /** The request's configuration: `acceptedOutputModes`, `historyLength`, `returnImmediately`. */
  readonly configuration: SendMessageConfiguration;
  /** The request's metadata. */
  readonly metadata: Metadata | undefined;
  /** Aborted when the task is canceled, or when the server shuts down before it finished. */
  readonly signal: AbortSignal;
  /** The HTTP request that carried the message: session id, headers, trace. */
  readonly request: RequestContext;
  /** The A2A version the client speaks (`1.0` or `0.3`); publishing is the same for both. */
  readonly protocolVersion: A2AVersion;
  /** Working on it (a status update), with an optional message. */
  working(message?: AgentMessageInit): void;
  /** Needs the client's input to go on; the client answers with a message carrying `taskId`. */
  requireInput(message?: AgentMessageInit): void;
  /** Needs authentication to go on. */
  requireAuth(message?: AgentMessageInit): void;
  /** Done (terminal). */
  complete(message?: AgentMessageInit): void;
  /** Failed (terminal). */
  fail(message?: AgentMessageInit): void;
  /** Will not do it (terminal). */
  reject(message?: AgentMessageInit): void;
  /** Any state, with an optional message and event metadata. */
  setStatus(state: TaskState, message?: AgentMessageInit, metadata?: Metadata): void;
  /** Publishes an artifact, or a chunk of one (`append`, `lastChunk`). */
  artifact(artifact: ArtifactInit, options?: ArtifactUpdateOptions): void;
  /**
   * Answers with a message. When nothing else was published and no client was shown the task
   * yet (a new task), the answer is this message alone and the task is dropped; otherwise the
   * task completes with it as its status message.
   */
  reply(message: AgentMessageInit): void;
}

/** What an execution needs from the server. */
export interface ExecutionHost {
  logger: Logger;
  /** Called once when the executor answered with a message alone (the task is to be dropped). */
  onReply(execution: Execution): void;
  /** False once another execution took the task over (a message continued it meanwhile). */
  isCurrent(execution: Execution): boolean;
  /** Called once when the executor's call settled. */
  onSettled(execution: Execution): void;
}

/** The text an agent's failure leaves on its task: the error itself goes to the log only. */
export const AGENT_FAILED_TEXT = 'The agent failed while working on this task';

/** Parts an executor gave, checked like a client's. @throws TypeError naming what is wrong. */
function checkParts(parts: unknown, what: string): Part[] {
  try {
    return readParts(parts, what);
  } catch (error) {
    throw new TypeError((error as JsonRpcError).message.replace(/^Invalid params: /, ''));
  }
}

/**
 * One call of the executor on one task: the `TaskContext` it receives, and how its end settles
 * the task. `announced` is set once a client may have seen the task (an update was published,
 * or an answer or stream showed it), after which a reply no longer replaces the task.
 */
export class Execution implements TaskContext {
  readonly record: TaskRecord;
  readonly message: Message;
  readonly continued: boolean;
  readonly configuration: SendMessageConfiguration;
  readonly metadata: Metadata | undefined;
  readonly request: RequestContext;
  readonly protocolVersion: A2AVersion;
  /** A client may have seen the task. */
  announced: boolean;
  /** The executor answered with a message alone: this one. */
  answer: Message | undefined;
  /** The executor answered with a message alone. */
  replied = false;
  /** Called right after a reply that answers with a message alone. */
  onReplied: (() => void) | undefined;
  /** The executor's call has settled. */
  settled = false;
  readonly #lifetime = new RequestLifetime();
  readonly #host: ExecutionHost;

  constructor(
    record: TaskRecord,
    message: Message,
    continued: boolean,
    request: { configuration: SendMessageConfiguration; metadata: Metadata | undefined; context: RequestContext; version: A2AVersion },
    host: ExecutionHost,
  ) {
    this.record = record;
    this.message = message;
    this.continued = continued;
    this.announced = continued;
    this.configuration = request.configuration;
    this.metadata = request.metadata;
    this.request = request.context;
    this.protocolVersion = request.version;
    this.#host = host;
  }

  get taskId(): string {
    return this.record.id;
  }

  get contextId(): string {
    return this.record.contextId;
  }

  get task(): Task {
    return this.record.snapshot();
  }

  get state(): TaskState {
    return this.record.state;
  }

  get signal(): AbortSignal {
    return this.#lifetime.signal;
  }

  /** Calls `executor` with this context and settles the task when it ends. */
  start(executor: AgentExecutor): void {
    let result: unknown;
    try {
      result = executor(this);
    } catch (error) {
      this.#settle(error, true);
      return;
    }
    if (isThenable(result)) {
      Promise.resolve(result).then(
        () => this.#settle(undefined, false),
        (error: unknown) => this.#settle(error, true),
      );
    } else {
      this.#settle(undefined, false);
    }
  }

  /** Aborts the executor's signal with `reason` (the task was canceled, the server is stopping). */
  abort(reason: Error): void {
    this.#lifetime.abort(reason);
  }

  working(message?: AgentMessageInit): void {
    this.setStatus(TaskState.Working, message);
  }

  requireInput(message?: AgentMessageInit): void {
    this.setStatus(TaskState.InputRequired, message);
  }

  requireAuth(message?: AgentMessageInit): void {
    this.setStatus(TaskState.AuthRequired, message);
  }

  complete(message?: AgentMessageInit): void {
    this.setStatus(TaskState.Completed, message);
  }

  fail(message?: AgentMessageInit): void {
    this.setStatus(TaskState.Failed, message);
  }

  reject(message?: AgentMessageInit): void {
    this.setStatus(TaskState.Rejected, message);
  }

  setStatus(state: TaskState, message?: AgentMessageInit, metadata?: Metadata): void {
    this.#checkNotReplied();
    const agentMessage = message === undefined ? undefined : this.#agentMessage(message, true);
    this.announced = true;
    this.record.transition(state, agentMessage, metadata);
  }

  artifact(artifact: ArtifactInit, options: ArtifactUpdateOptions = {}): void {
    this.#checkNotReplied();
    if (typeof artifact !== 'object' || artifact === null) throw new TypeError('artifact() expects an object with parts');
    const stored: Artifact = { artifactId: artifact.artifactId || randomUUID(), parts: checkParts(artifact.parts, 'artifact.parts') };
    if (artifact.name !== undefined) stored.name = artifact.name;
    if (artifact.description !== undefined) stored.description = artifact.description;
    if (artifact.metadata !== undefined) stored.metadata = artifact.metadata;
    if (artifact.extensions !== undefined) stored.extensions = artifact.extensions;
    this.announced = true;
    this.record.addArtifact(stored, options.append === true, options.lastChunk === true, options.metadata);
  }

  reply(message: AgentMessageInit): void {
    this.#checkNotReplied();
    if (this.announced || isTerminal(this.record.state)) {
      this.setStatus(TaskState.Completed, message);
      return;
    }
    this.answer = this.#agentMessage(message, false);
    this.replied = true;
    this.#host.onReply(this);
    this.onReplied?.();
  }

  #checkNotReplied(): void {
    if (this.replied) throw new TaskStateError(this.record.id, this.record.state, 'The executor answered with a message: there is no task to update');
  }

  /** An agent message from what the executor gave: ids, role and context filled in. */
  #agentMessage(init: AgentMessageInit, withTask: boolean): Message {
    const message: Message = {
      messageId: randomUUID(),
      role: Role.Agent,
      parts: typeof init === 'string' ? [{ text: init }] : checkParts(typeof init === 'object' && init !== null ? init.parts : undefined, 'message.parts'),
      contextId: this.record.contextId,
    };
    if (withTask) message.taskId = this.record.id;
    if (typeof init === 'object') {
      if (init.metadata !== undefined) message.metadata = init.metadata;
      if (init.extensions !== undefined) message.extensions = init.extensions;
      if (init.referenceTaskIds !== undefined) message.referenceTaskIds = init.referenceTaskIds;
    }
    return message;
  }

  /** The executor's call ended: complete or fail a task it left unfinished. */
  #settle(error: unknown, failed: boolean): void {
    this.settled = true;
    const record = this.record;
    if (failed) this.#logFailure(error);
    if (!this.replied && this.#host.isCurrent(this) && !isTerminal(record.state) && (failed || isActive(record.state))) {
      this.announced = true;
      if (failed) record.transition(TaskState.Failed, this.#agentMessage(AGENT_FAILED_TEXT, true));
      else record.transition(TaskState.Completed);
    }
    this.#host.onSettled(this);
  }

  #logFailure(error: unknown): void {
    const logger = this.#host.logger;
    const fields = { taskId: this.record.id, error };
    // After a cancel or a shutdown, an executor ending with its signal's reason is expected.
    if (this.#lifetime.signal.aborted && isTerminal(this.record.state)) logger.debug('a2a executor ended after its task was stopped', fields);
    else logger.error('a2a executor failed', fields);
  }
}
