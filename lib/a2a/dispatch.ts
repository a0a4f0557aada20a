import type { Clock } from '../clock.js';
import type { RequestContext } from '../http/context.js';
import type { JsonRpcId } from '../json-rpc/messages.js';
import type { Logger } from '../logger.js';
import { randomUUID } from '../random.js';
import type { TaskTracker } from '../tasks/tracker.js';
import { isThenable } from '../thenable.js';
import type { AgentCardEndpoint, AgentCardOptions } from './card.js';
import { A2AError, quote } from './errors.js';
import { Execution, type AgentExecutor, type ExecutionHost } from './executor.js';
import {
  readConfigListRequest,
  readConfigRef,
  readGetTaskRequest,
  readListTasksRequest,
  readPushConfig,
  readSendMessageRequest,
  readTaskIdRequest,
} from './params.js';
import type { PushNotifier } from './push.js';
import { TaskEventSource } from './stream.js';
import { isActive, isSettled, TaskRecord } from './task.js';
import type { TaskStore } from './task-store.js';
import type { Wire } from './versions.js';
import { isTerminal, TaskState, type A2AMethod, type Message, type SendMessageRequest, type Task } from './wire-v1.js';

/** One JSON-RPC call being answered: its id, the wire it speaks and its request's context. */
export interface A2ACall {
  readonly id: JsonRpcId;
  readonly wire: Wire;
  readonly context: RequestContext;
}

/** What a method answers with: a result (in the 1.0 shape), or a stream of events. */
export type MethodOutcome = { result: unknown } | { stream: TaskEventSource };

/** The extended agent card: card options over the public card's, or a function choosing them per request. */
export type ExtendedAgentCard =
  | AgentCardOptions
  | ((request: RequestContext) => AgentCardOptions | undefined | Promise<AgentCardOptions | undefined>);

/** What the dispatcher works with. */
export interface DispatchParts {
  logger: Logger;
  clock: Clock;
  store: TaskStore;
  /** The core's task tracker: a submitted or working task is tracked, so `/ping` says HealthyBusy. */
  tracker: TaskTracker;
  card: AgentCardEndpoint;
  push: PushNotifier | undefined;
  extendedCard: ExtendedAgentCard | undefined;
  streaming: boolean;
  maxTaskHistory: number;
  maxStreamBacklog: number;
  maxOpenTasks: number;
  closing: () => boolean;
}

/** The name a task has in `/ping`'s job list and `getAsyncTaskInfo()`. */
export const TRACKED_TASK_NAME = 'a2a_task';
/** The status message of a task the server's shutdown ended. */
export const SHUTDOWN_TEXT = 'The server shut down before this task finished';

/**
 * A2A's methods (by their 1.0 names) on the library's model: sending a message runs the
 * executor on a new or continued task, the task methods read and cancel tasks, the push
 * methods store configurations, the card method answers the extended card. Params arrive in
 * the 1.0 shape (`Wire.params`); results leave in it (`Wire.result` writes them).
 */
export class A2ADispatcher {
  readonly #parts: DispatchParts;
  #executor: AgentExecutor | undefined;
  /** The execution working on each task now, by task id. */
  readonly #running = new Map<string, Execution>();
  /** The core task id of each task being tracked, by task id. */
  readonly #tracked = new Map<string, number>();
  readonly #host: ExecutionHost;

  constructor(parts: DispatchParts) {
    this.#parts = parts;
    this.#host = {
      logger: parts.logger,
      onReply: (execution) => this.#drop(execution.record),
      isCurrent: (execution) => this.#running.get(execution.record.id) === execution,
      onSettled: (execution) => {
        if (this.#running.get(execution.record.id) === execution) this.#running.delete(execution.record.id);
      },
    };
  }

  /** True once an executor is set. */
  get hasExecutor(): boolean {
    return this.#executor !== undefined;
  }

  /** Sets the agent. */
  setExecutor(executor: AgentExecutor): void {
    this.#executor = executor;
  }

  /**
   * Runs `method` with `params` (1.0 shape).
   * @throws JsonRpcError (or rejects with it) for anything the protocol answers with an error.
   */
  call(method: A2AMethod, params: unknown, call: A2ACall): MethodOutcome | Promise<MethodOutcome> {
    const wire = call.wire;
    switch (method) {
      case 'SendMessage':
        return this.#sendMessage(readSendMessageRequest(wire.params(method, params)), call, false);
      case 'SendStreamingMessage':
        return this.#sendMessage(readSendMessageRequest(wire.params(method, params)), call, true);
      case 'GetTask': {
        const request = readGetTaskRequest(wire.params(method, params));
        return { result: this.#task(request.id).snapshot(request.historyLength) };
      }
      case 'ListTasks':
        return { result: this.#parts.store.list(readListTasksRequest(params)) };
      case 'CancelTask':
        return { result: this.#cancel(readTaskIdRequest(wire.params(method, params)).id) };
      case 'SubscribeToTask':
        return { stream: this.#subscribe(readTaskIdRequest(wire.params(method, params)).id) };
      case 'GetExtendedAgentCard':
        return this.#extendedCard(call.context);
      default:
        return { result: this.#pushMethod(method, wire.params(method, params), wire) };
    }
  }

  /**
   * The server is stopping and its grace ran out (or the work is done): every executor still
   * running has its signal aborted, and its task, unless it finished meanwhile, fails.
   */
  shutdown(): void {
    const reason = new Error('The server is shutting down');
    for (const execution of Array.from(this.#running.values())) {
      execution.abort(reason);
      // An abort listener of the executor's may have ended the task itself (or answered alone).
      if (!isTerminal(execution.record.state) && !execution.replied) execution.fail(SHUTDOWN_TEXT);
    }
    this.#running.clear();
  }

  #task(id: string): TaskRecord {
    const record = this.#parts.store.get(id);
    if (record === undefined) throw A2AError.taskNotFound(id);
    return record;
  }

  #sendMessage(request: SendMessageRequest, call: A2ACall, streaming: boolean): MethodOutcome | Promise<MethodOutcome> {
    const parts = this.#parts;
    const configuration = request.configuration ?? {};
    const pushConfig = configuration.taskPushNotificationConfig;
    if (streaming && !parts.streaming) throw A2AError.unsupportedOperation('streaming is off for this agent');
    if (pushConfig !== undefined) {
      if (parts.push === undefined) throw A2AError.pushNotificationNotSupported();
      parts.push.check(pushConfig, 'configuration.taskPushNotificationConfig.url');
    }
    const executor = this.#executor;
    if (executor === undefined) throw A2AError.unavailable('no executor is registered (server.executor(fn))');
    if (parts.closing()) throw A2AError.unavailable('the server is shutting down');
    const message = request.message;
    const continued = message.taskId !== undefined;
    const record = continued ? this.#continue(message) : this.#create(message);
    if (pushConfig !== undefined) parts.push!.set(record, pushConfig, call.wire.version, 'configuration.taskPushNotificationConfig.url');
    const execution = new Execution(
      record,
      message,
      continued,
      { configuration, metadata: request.metadata, context: call.context, version: call.wire.version },
      this.#host,
    );
    this.#running.get(record.id)?.abort(new Error('The task was continued by a new message'));
    this.#running.set(record.id, execution);
    const historyLength = configuration.historyLength;
    // A stream listens before the executor runs, so it misses nothing.
    const source = streaming ? new TaskEventSource({ task: record.snapshot(historyLength) }, record, parts.maxStreamBacklog) : undefined;
    execution.start(executor);
    // Tracked from here: an executor that answered at once with a message never made the session busy.
    if (!continued && !execution.replied) this.#track(record);
    if (execution.replied) {
      source?.cancel();
      const answer = { message: execution.answer! };
      return streaming ? { stream: new TaskEventSource(answer, undefined, parts.maxStreamBacklog) } : { result: answer };
    }
    if (source !== undefined || configuration.returnImmediately === true || isSettled(record.state)) {
      execution.announced = true;
      return source !== undefined ? { stream: source } : { result: { task: record.snapshot(historyLength) } };
    }
    return this.#whenAnswered(execution, call.context.signal).then(() =>
      execution.replied ? { result: { message: execution.answer! } } : { result: { task: record.snapshot(historyLength) } as { task: Task } },
    );
  }

  /** A new task for `message`, submitted. */
  #create(message: Message): TaskRecord {
    const parts = this.#parts;
    if (parts.store.full) throw A2AError.unavailable(`too many unfinished tasks (maxOpenTasks is ${parts.maxOpenTasks})`);
    const taskId = randomUUID();
    const contextId = message.contextId ?? randomUUID();
    message.taskId = taskId;
    message.contextId = contextId;
    const record = new TaskRecord(taskId, contextId, message, parts.maxTaskHistory, parts.clock);
    parts.store.add(record);
    return record;
  }

  /** The task `message` continues, working again with the message in its history. */
  #continue(message: Message): TaskRecord {
    const record = this.#task(message.taskId!);
    if (message.contextId !== undefined && message.contextId !== record.contextId) {
      throw A2AError.invalidParams('message.contextId', `is not the context of task ${quote(record.id)}`);
    }
    if (isTerminal(record.state)) throw A2AError.unsupportedOperation(`task ${quote(record.id)} has finished (${record.state}); send a new message without its taskId`);
    if (isActive(record.state)) throw A2AError.unsupportedOperation(`task ${quote(record.id)} is still working; it takes a new message once it asks for input`);
    message.contextId = record.contextId;
    record.addMessage(message);
    record.transition(TaskState.Working);
    return record;
  }

  /** Resolves once the task stops (terminal or interrupted), the executor replied, or the client left. */
  #whenAnswered(execution: Execution, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        unlisten();
        execution.onReplied = undefined;
        signal.removeEventListener('abort', done);
        resolve();
      };
      const unlisten = execution.record.listen((record) => {
        if (isSettled(record.state)) done();
      });
      execution.onReplied = done;
      signal.addEventListener('abort', done);
    });
  }

  /** Tracks `record` with the core whenever it is submitted or working, from now on. */
  #track(record: TaskRecord): void {
    // A finished task never works again.
    if (isTerminal(record.state)) return;
    const tracker = this.#parts.tracker;
    const metadata = { task_id: record.id, context_id: record.contextId };
    if (isActive(record.state)) this.#tracked.set(record.id, tracker.add(TRACKED_TASK_NAME, metadata));
    record.listen(() => {
      const trackedId = this.#tracked.get(record.id);
      if (isActive(record.state)) {
        if (trackedId === undefined) this.#tracked.set(record.id, tracker.add(TRACKED_TASK_NAME, metadata));
      } else if (trackedId !== undefined) {
        this.#tracked.delete(record.id);
        tracker.complete(trackedId);
      }
    });
  }

  /** Forgets a task the executor answered with a message instead. */
  #drop(record: TaskRecord): void {
    this.#parts.store.delete(record.id);
    this.#running.delete(record.id);
    const trackedId = this.#tracked.get(record.id);
    if (trackedId !== undefined) {
      this.#tracked.delete(record.id);
      this.#parts.tracker.complete(trackedId);
    }
  }

  #cancel(id: string): Task {
    const record = this.#task(id);
    const state = record.state;
    // Canceling twice has the effect of canceling once.
    if (state === TaskState.Canceled) return record.snapshot();
    if (isTerminal(state)) throw A2AError.taskNotCancelable(id, state);
    record.transition(TaskState.Canceled);
    const execution = this.#running.get(id);
    if (execution !== undefined) {
      this.#running.delete(id);
      execution.abort(new Error('The task was canceled'));
    }
    return record.snapshot();
  }

  #subscribe(id: string): TaskEventSource {
    if (!this.#parts.streaming) throw A2AError.unsupportedOperation('streaming is off for this agent');
    const record = this.#task(id);
    if (isTerminal(record.state)) throw A2AError.unsupportedOperation(`task ${quote(id)} has finished (${record.state})`);
    return new TaskEventSource({ task: record.snapshot() }, record, this.#parts.maxStreamBacklog);
  }

  #extendedCard(context: RequestContext): MethodOutcome | Promise<MethodOutcome> {
    const extended = this.#parts.extendedCard;
    if (extended === undefined) throw A2AError.unsupportedOperation('this agent has no extended agent card');
    if (typeof extended !== 'function') return { result: this.#parts.card.extended(extended) };
    const chosen = extended(context);
    const answer = (options: AgentCardOptions | undefined): MethodOutcome => {
      if (options === undefined) throw A2AError.extendedAgentCardNotConfigured();
      return { result: this.#parts.card.extended(options) };
    };
    return isThenable(chosen) ? Promise.resolve(chosen).then(answer) : answer(chosen);
  }

  #pushMethod(method: A2AMethod, params: unknown, wire: Wire): unknown {
    const push = this.#parts.push;
    if (push === undefined) throw A2AError.pushNotificationNotSupported();
    switch (method) {
      case 'CreateTaskPushNotificationConfig': {
        const config = readPushConfig(params, '');
        if (config.taskId === undefined) throw A2AError.invalidParams('taskId', 'is required');
        return push.set(this.#task(config.taskId), config, wire.version);
      }
      case 'GetTaskPushNotificationConfig': {
        const { taskId, id } = readConfigRef(params, wire.version === '0.3');
        const config = push.get(this.#task(taskId), id);
        if (config === undefined) throw A2AError.pushConfigNotFound(taskId, id ?? '');
        return config;
      }
      case 'ListTaskPushNotificationConfigs':
        return { configs: push.list(this.#task(readConfigListRequest(params).taskId)), nextPageToken: '' };
      default: {
        const { taskId, id } = readConfigRef(params);
        push.delete(this.#task(taskId), id!);
        return null;
      }
    }
  }
}
