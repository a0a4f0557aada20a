import type { RequestContext } from '../http/context.js';
import { JsonRpcError, JsonRpcErrorCode } from '../json-rpc/errors.js';
import type { JsonRpcId } from '../json-rpc/messages.js';
import type { Logger } from '../logger.js';
import { createMcpContext, type ClientChannel, type McpCallInfo, type McpContext } from './context.js';
import { isLoggingLevel } from './logging.js';
import { paginate } from './pagination.js';
import type { PromptRegistry } from './prompts.js';
import type { CompleteCallback, ResourceRegistry } from './resources.js';
import type { McpSession } from './session.js';
import type { McpTask } from './task.js';
import type { TaskStore } from './task-store.js';
import { runTool, type ToolEntry, type ToolRegistry } from './tools.js';
import { VersionFeatures, type ProtocolVersion } from './versions.js';
import { Method, RELATED_TASK_META, type CompleteResult, type JsonObject, type ServerCapabilities } from './wire.js';

/** Most values one `completion/complete` answer carries (the specification's cap). */
const MAX_COMPLETION_VALUES = 100;

/** One request as the dispatcher sees it, whatever the era or transport that brought it. */
export interface McpCall {
  readonly id: JsonRpcId;
  readonly method: string;
  readonly params: JsonObject;
  readonly info: McpCallInfo;
  /** The stateful session, if any. */
  readonly session: McpSession | undefined;
  /** Who owns the tasks it creates (`tasks/list` shows a requestor its own). */
  readonly owner: string;
  readonly request: RequestContext;
  /** Aborts when the request is cancelled or its client is gone for good. */
  readonly signal: AbortSignal;
  /** How its handler reaches the client. */
  readonly channel: ClientChannel;
}

/** What the dispatcher works with. */
export interface DispatchParts {
  readonly tools: ToolRegistry;
  readonly resources: ResourceRegistry;
  readonly prompts: PromptRegistry;
  readonly tasks: TaskStore;
  readonly pageSize: number;
  readonly stateful: boolean;
  readonly logger: Logger;
  /** How a task's work reaches its client after the request that created it was answered. */
  readonly taskChannel: (session: McpSession | undefined, task: McpTask) => ClientChannel;
}

type MethodHandler = (call: McpCall) => unknown;

/**
 * The method table of the legacy era: each request method to its handler, over the feature
 * registries defined once for every era. A handler returns the result (or a promise of it) or
 * throws a `JsonRpcError`; a method the server does not serve, or whose capability was not
 * negotiated, is `-32601`.
 */
export class Dispatcher {
  readonly #parts: DispatchParts;
  readonly #methods: ReadonlyMap<string, MethodHandler>;

  constructor(parts: DispatchParts) {
    this.#parts = parts;
    this.#methods = new Map<string, MethodHandler>([
      [Method.Ping, () => ({})],
      [Method.ToolsList, (call) => this.#listTools(call)],
      [Method.ToolsCall, (call) => this.#callTool(call)],
      [Method.ResourcesList, (call) => this.#listResources(call)],
      [Method.ResourcesTemplatesList, (call) => this.#page('resourceTemplates', this.#parts.resources.templates(), call)],
      [Method.ResourcesRead, (call) => this.#parts.resources.read(stringParam(call.params, 'uri'), this.#context(call))],
      [Method.ResourcesSubscribe, (call) => this.#subscribe(call, true)],
      [Method.ResourcesUnsubscribe, (call) => this.#subscribe(call, false)],
      [Method.PromptsList, (call) => this.#page('prompts', this.#parts.prompts.list(), call)],
      [Method.PromptsGet, (call) => this.#parts.prompts.get(stringParam(call.params, 'name'), call.params.arguments, this.#context(call))],
      [Method.CompletionComplete, (call) => this.#complete(call)],
      [Method.LoggingSetLevel, (call) => this.#setLevel(call)],
      [Method.TasksGet, (call) => this.#task(call).toWire()],
      [Method.TasksResult, (call) => this.#taskResult(call)],
      [Method.TasksList, (call) => this.#listTasks(call)],
      [Method.TasksCancel, (call) => this.#cancelTask(call)],
    ]);
  }

  /**
   * Answers one request.
   * @throws (or rejects with) JsonRpcError for every protocol error; other exceptions are the
   * server's own failures (the transport answers -32603 and logs them).
   */
  call(call: McpCall): unknown {
    const handler = this.#methods.get(call.method);
    if (handler === undefined || !this.#serves(call.method, call.info.protocolVersion)) throw JsonRpcError.methodNotFound(call.method);
    return handler(call);
  }

  /**
   * What the server declares in `initialize` for `version`: tools and logging always, resources
   * and prompts when it has some, completions when a prompt or template can have them, tasks
   * from 2025-11-25 when a tool can run as one.
   */
  capabilities(version: ProtocolVersion): ServerCapabilities {
    const { tools, resources, prompts, stateful } = this.#parts;
    // List changes reach a client only on a session's GET stream.
    const listChanged = stateful ? { listChanged: true } : {};
    const capabilities: ServerCapabilities = { tools: { ...listChanged }, logging: {} };
    if (resources.size > 0) capabilities.resources = stateful ? { subscribe: true, listChanged: true } : {};
    if (prompts.size > 0) capabilities.prompts = { ...listChanged };
    if (prompts.size > 0 || resources.hasTemplates) capabilities.completions = {};
    if (VersionFeatures.tasks(version) && tools.anyTaskSupport) capabilities.tasks = { list: {}, cancel: {}, requests: { tools: { call: {} } } };
    return capabilities;
  }

  /** Whether a method is served at this version and in this mode (a capability not negotiated is -32601). */
  #serves(method: string, version: ProtocolVersion): boolean {
    if (method.startsWith('tasks/')) return VersionFeatures.tasks(version);
    if (method === Method.ResourcesSubscribe || method === Method.ResourcesUnsubscribe) return this.#parts.stateful;
    return true;
  }

  #context(call: McpCall, task?: McpTask): McpContext {
    return createMcpContext(call.request, call.info, task === undefined ? call.channel : this.#parts.taskChannel(call.session, task), task?.signal ?? call.signal, task);
  }

  #page(key: string, items: readonly unknown[], call: McpCall): JsonObject {
    const page = paginate(items, call.params.cursor, this.#parts.pageSize);
    const result: JsonObject = { [key]: page.items };
    if (page.nextCursor !== undefined) result.nextCursor = page.nextCursor;
    return result;
  }

  #listTools(call: McpCall): JsonObject {
    return this.#page('tools', this.#parts.tools.list(), call);
  }

  async #listResources(call: McpCall): Promise<JsonObject> {
    return this.#page('resources', await this.#parts.resources.list(this.#context(call)), call);
  }

  #callTool(call: McpCall): unknown {
    const name = stringParam(call.params, 'name');
    const tool = this.#parts.tools.get(name);
    if (tool === undefined) throw JsonRpcError.invalidParams(`Unknown tool: ${name}`);
    const args = call.params.arguments ?? {};
    if (typeof args !== 'object' || args === null || Array.isArray(args)) throw JsonRpcError.invalidParams('arguments must be an object');
    const taskRequest = call.params.task;
    const asTask = taskRequest !== undefined && VersionFeatures.tasks(call.info.protocolVersion);
    if (asTask && tool.taskSupport === 'forbidden') throw new JsonRpcError(JsonRpcErrorCode.MethodNotFound, `Tool ${name} does not support being called as a task`);
    if (!asTask && tool.taskSupport === 'required') throw new JsonRpcError(JsonRpcErrorCode.MethodNotFound, `Tool ${name} must be called as a task (params.task)`);
    if (!asTask) return runTool(tool, args as JsonObject, this.#context(call), this.#parts.logger);
    if (typeof taskRequest !== 'object' || taskRequest === null) throw JsonRpcError.invalidParams('task must be an object');
    const task = this.#parts.tasks.create(call.owner, (taskRequest as { ttl?: number | null }).ttl, { tool: name });
    this.#runTask(tool, args as JsonObject, call, task);
    return { task: task.toWire() };
  }

  /** Runs a task's tool in the background; the task records how it ended. */
  #runTask(tool: ToolEntry, args: JsonObject, call: McpCall, task: McpTask): void {
    runTool(tool, args, this.#context(call, task), this.#parts.logger).then(
      (result) => task.complete(result),
      (error: unknown) => {
        if (!(error instanceof JsonRpcError)) this.#parts.logger.error('task failed', { taskId: task.taskId, tool: tool.name, error });
        task.fail(error instanceof JsonRpcError ? error : JsonRpcError.internalError());
      },
    );
  }

  #task(call: McpCall): McpTask {
    const taskId = stringParam(call.params, 'taskId');
    const task = this.#parts.tasks.get(taskId);
    if (task === undefined) throw JsonRpcError.invalidParams(`Failed to retrieve task: Task not found: ${taskId}`);
    return task;
  }

  async #taskResult(call: McpCall): Promise<unknown> {
    const task = this.#task(call);
    if (!task.terminal) {
      // While it waits, what the task asks its client goes on this request's stream.
      const detach = task.attachChannel(call.channel);
      try {
        await untilSettledOrAborted(task, call.signal);
      } finally {
        detach();
      }
    }
    const outcome = task.outcome!;
    if ('error' in outcome) throw outcome.error;
    const result = outcome.result;
    return { ...result, _meta: { ...result._meta, [RELATED_TASK_META]: { taskId: task.taskId } } };
  }

  #listTasks(call: McpCall): JsonObject {
    return this.#page('tasks', this.#parts.tasks.list(call.owner).map((task) => task.toWire()), call);
  }

  #cancelTask(call: McpCall): unknown {
    const task = this.#task(call);
    if (!task.cancel('Cancelled by the client')) throw JsonRpcError.invalidParams(`Cannot cancel task: already in terminal status '${task.status}'`);
    return task.toWire();
  }

  #subscribe(call: McpCall, subscribe: boolean): JsonObject {
    const uri = stringParam(call.params, 'uri');
    const session = call.session!;
    if (subscribe) session.subscribe(uri);
    else session.unsubscribe(uri);
    return {};
  }

  #setLevel(call: McpCall): JsonObject {
    const level = call.params.level;
    if (!isLoggingLevel(level)) throw JsonRpcError.invalidParams(`level must be one of debug, info, notice, warning, error, critical, alert, emergency`);
    // Stateless: there is no session to remember it in; every request starts with every level.
    if (call.session !== undefined) call.session.logLevel = level;
    return {};
  }

  async #complete(call: McpCall): Promise<CompleteResult> {
    const { ref, argument, context } = call.params as { ref?: unknown; argument?: unknown; context?: unknown };
    if (typeof ref !== 'object' || ref === null) throw JsonRpcError.invalidParams('ref must be an object');
    if (typeof argument !== 'object' || argument === null) throw JsonRpcError.invalidParams('argument must be an object');
    const { name, value } = argument as { name?: unknown; value?: unknown };
    if (typeof name !== 'string' || typeof value !== 'string') throw JsonRpcError.invalidParams('argument must have a string name and value');
    const { type } = ref as { type?: unknown };
    let completer: CompleteCallback | undefined;
    if (type === 'ref/prompt') completer = this.#parts.prompts.completer(stringParam(ref as JsonObject, 'name'), name);
    else if (type === 'ref/resource') completer = this.#parts.resources.completer(stringParam(ref as JsonObject, 'uri'), name);
    else throw JsonRpcError.invalidParams('ref.type must be ref/prompt or ref/resource');
    const given = (context as { arguments?: unknown } | undefined)?.arguments;
    const values = completer === undefined ? [] : await completer(value, { arguments: isStringRecord(given) ? given : {} });
    const all = Array.isArray(values) ? values.filter((item) => typeof item === 'string') : [];
    return { completion: { values: all.slice(0, MAX_COMPLETION_VALUES), total: all.length, hasMore: all.length > MAX_COMPLETION_VALUES } };
  }
}

/** `params[key]` when it is a string. @throws JsonRpcError -32602 otherwise. */
function stringParam(params: JsonObject, key: string): string {
  const value = params[key];
  if (typeof value !== 'string') throw JsonRpcError.invalidParams(`${key} must be a string`);
  return value;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && Object.values(value).every((item) => typeof item === 'string');
}

/** Waits until `task` is terminal, or rejects when `signal` aborts first. */
function untilSettledOrAborted(task: McpTask, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    task.settled.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}
