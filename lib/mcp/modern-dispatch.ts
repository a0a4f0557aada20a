import { JsonRpcError } from '../json-rpc/errors.js';
import type { Logger } from '../logger.js';
import { randomUUID } from '../random.js';
import { createMcpContext, type ClientChannel } from './context.js';
import type { Dispatcher, McpCall } from './dispatch.js';
import { declaresTasks } from './envelope.js';
import { McpErrorCode, missingClientCapability } from './errors.js';
import { checkParamHeaders } from './headers.js';
import { firstOf, needsInput, RunSignal, ToolCallChannel } from './handler-run.js';
import { InputRound } from './input-required.js';
import { paginate } from './pagination.js';
import type { PromptRegistry } from './prompts.js';
import { digestArguments, type RequestStateCodec } from './request-state.js';
import type { ResourceRegistry } from './resources.js';
import type { McpTask } from './task.js';
import { TaskInputs } from './task-inputs.js';
import type { TaskStore } from './task-store.js';
import { checkToolArguments, invokeTool, type ToolRegistry } from './tools.js';
import { MODERN_PROTOCOL_VERSIONS } from './versions.js';
import { Method, type CallToolResult, type Implementation, type JsonObject, type ServerCapabilities } from './wire.js';
import { MetaKey, ModernMethod, TASKS_EXTENSION, type CacheHints, type InputRequiredResult } from './wire-2026.js';

/** What the modern dispatcher works with. */
export interface ModernDispatchParts {
  /** The legacy era's dispatcher, for the methods both eras answer alike. */
  readonly dispatcher: Dispatcher;
  readonly tools: ToolRegistry;
  readonly resources: ResourceRegistry;
  readonly prompts: PromptRegistry;
  readonly tasks: TaskStore;
  /** The `requestState` codec, made the first time a multi round-trip request needs it. */
  readonly codec: () => RequestStateCodec;
  readonly pageSize: number;
  readonly serverInfo: Implementation;
  readonly instructions: string | undefined;
  readonly cache: CacheHints;
  /** How long a task's input request waits for `tasks/update`. */
  readonly taskInputTimeoutMs: number;
  /** Most input requests a task has outstanding at once. */
  readonly maxTaskInputs: number;
  readonly logger: Logger;
}

/** 2026-07-28's capabilities: 2025-11-25's `tasks` slot gone, `extensions` added. */
export type ModernCapabilities = Omit<ServerCapabilities, 'tasks'> & { extensions?: { [name: string]: JsonObject } };

/** The results clients may cache, which carry `ttlMs` and `cacheScope`. */
const CACHEABLE: ReadonlySet<string> = new Set([
  ModernMethod.ServerDiscover,
  Method.ToolsList,
  Method.PromptsList,
  Method.ResourcesList,
  Method.ResourcesTemplatesList,
  Method.ResourcesRead,
]);

/** Methods answered only when `server/discover` declares their capability (the tasks extension's when a tool may run as a task). */
const CAPABILITY_OF: ReadonlyMap<string, keyof ModernCapabilities> = new Map([
  [Method.TasksGet, 'extensions'],
  [ModernMethod.TasksUpdate, 'extensions'],
  [Method.TasksCancel, 'extensions'],
  [Method.PromptsList, 'prompts'],
  [Method.PromptsGet, 'prompts'],
  [Method.ResourcesList, 'resources'],
  [Method.ResourcesTemplatesList, 'resources'],
  [Method.ResourcesRead, 'resources'],
  [Method.CompletionComplete, 'completions'],
]);

/** The tasks extension's methods: only for requests that declare it. */
const TASK_METHODS: ReadonlySet<string> = new Set([Method.TasksGet, ModernMethod.TasksUpdate, Method.TasksCancel]);

type Handler = (call: McpCall) => unknown;

/**
 * The method table of the modern era (2026-07-28) over the same registries as the legacy one:
 * `server/discover`, the lists, `tools/call`, `prompts/get` and `resources/read` as multi
 * round-trip requests (`InputRound`), the tasks extension (a tool's call becomes a task when the
 * request declares the extension and the tool may run as one), and every result shaped as the
 * revision requires (`resultType`, cache hints, the server's identity in `_meta`).
 * `subscriptions/listen` is known here but answered by the endpoint (it needs the response).
 */
export class ModernDispatcher {
  readonly #parts: ModernDispatchParts;
  readonly #methods: ReadonlyMap<string, Handler>;
  /** The `_meta` of a result that has none of its own (shared: only ever serialized). */
  readonly #serverMeta: JsonObject;

  constructor(parts: ModernDispatchParts) {
    this.#parts = parts;
    this.#serverMeta = Object.freeze({ [MetaKey.ServerInfo]: parts.serverInfo });
    const { dispatcher } = parts;
    const shared: Handler = (call) => dispatcher.call(call);
    this.#methods = new Map<string, Handler>([
      [ModernMethod.ServerDiscover, () => this.#discover()],
      [Method.ToolsList, (call) => this.#page('tools', parts.tools.modernList(), call)],
      [Method.ToolsCall, (call) => this.#callTool(call)],
      [Method.ResourcesList, shared],
      [Method.ResourcesTemplatesList, shared],
      [Method.ResourcesRead, (call) => this.#readResource(call)],
      [Method.PromptsList, shared],
      [Method.PromptsGet, (call) => this.#getPrompt(call)],
      [Method.CompletionComplete, shared],
      [ModernMethod.SubscriptionsListen, () => undefined],
      [Method.TasksGet, (call) => this.#task(call).toDetailed()],
      [ModernMethod.TasksUpdate, (call) => this.#updateTask(call)],
      [Method.TasksCancel, (call) => this.#cancelTask(call)],
    ]);
  }

  /** True when the method is served now (known, and its capability declared). */
  serves(method: string): boolean {
    if (!this.#methods.has(method)) return false;
    const capability = CAPABILITY_OF.get(method);
    return capability === undefined || this.capabilities()[capability] !== undefined;
  }

  /**
   * Refuses a request that needs a client capability it did not declare, before anything runs.
   * @throws JsonRpcError -32021: a tasks extension method from a request without the extension.
   */
  gate(method: string, call: Pick<McpCall, 'info'>): void {
    if (TASK_METHODS.has(method) && !declaresTasks(call.info.clientCapabilities)) {
      throw missingClientCapability({ extensions: { [TASKS_EXTENSION]: {} } }, `${method} needs the tasks extension (${TASKS_EXTENSION}) in the request's clientCapabilities`);
    }
  }

  /**
   * Answers one request (after `serves` and `gate`), its result shaped for the wire.
   * @throws (or rejects with) JsonRpcError for every protocol error.
   */
  call(call: McpCall): unknown {
    const result = this.#methods.get(call.method)!(call);
    return result instanceof Promise ? result.then((value) => this.#shape(call.method, value)) : this.#shape(call.method, result);
  }

  /**
   * What `server/discover` declares: tools (and their list changes: `subscriptions/listen`
   * delivers them), logging, prompts and resources when there are some, completions when a
   * prompt or template can have them, the tasks extension when a tool may run as a task.
   */
  capabilities(): ModernCapabilities {
    const { tools, resources, prompts } = this.#parts;
    const capabilities: ModernCapabilities = { tools: { listChanged: true }, logging: {} };
    if (prompts.size > 0) capabilities.prompts = { listChanged: true };
    if (resources.size > 0) capabilities.resources = { subscribe: true, listChanged: true };
    if (prompts.size > 0 || resources.hasTemplates) capabilities.completions = {};
    if (tools.anyTaskSupport) capabilities.extensions = { [TASKS_EXTENSION]: {} };
    return capabilities;
  }

  #discover(): JsonObject {
    const result: JsonObject = { supportedVersions: [...MODERN_PROTOCOL_VERSIONS], capabilities: this.capabilities() };
    if (this.#parts.instructions !== undefined) result.instructions = this.#parts.instructions;
    return result;
  }

  /** `resultType` (complete unless said), cache hints on a complete cacheable result, the server's identity. */
  #shape(method: string, value: unknown): JsonObject {
    const result = value as JsonObject;
    const meta = result._meta === undefined ? this.#serverMeta : { ...(result._meta as JsonObject), [MetaKey.ServerInfo]: this.#parts.serverInfo };
    const shaped: JsonObject = { resultType: 'complete', ...result, _meta: meta };
    if (shaped.resultType === 'complete' && CACHEABLE.has(method)) {
      shaped.ttlMs ??= this.#parts.cache.ttlMs;
      shaped.cacheScope ??= this.#parts.cache.cacheScope;
    }
    return shaped;
  }

  #page(key: string, items: readonly unknown[], call: McpCall): JsonObject {
    const page = paginate(items, call.params.cursor, this.#parts.pageSize);
    const result: JsonObject = { [key]: page.items };
    if (page.nextCursor !== undefined) result.nextCursor = page.nextCursor;
    return result;
  }

  // ── Multi round-trip requests ─────────────────────────────────────────────────────────────

  /**
   * Runs a handler as one round: answered asks go on, an unanswered one makes the answer
   * `input_required` (once the handler settled, or a turn after it asked, whichever is first),
   * the handler told to stop (its signal aborts) since it will run again with the answer.
   */
  async #round<T>(call: McpCall, name: string, args: unknown, run: (channel: ClientChannel, signal: () => AbortSignal) => Promise<T>): Promise<T | InputRequiredResult> {
    const round = new InputRound(call.params, this.#parts.codec(), () => ({ method: call.method, name, argumentsDigest: digestArguments(args) }));
    const signal = new RunSignal(call.signal);
    const running = run(round.channel(call.channel.notify), signal.get);
    const outcome = await firstOf(round, running, false);
    if (round.invalid !== undefined || round.pending) return needsInput(round, signal);
    if ('error' in outcome!) throw outcome.error;
    return outcome!.value;
  }

  #getPrompt(call: McpCall): Promise<unknown> {
    const name = stringParam(call.params, 'name');
    const args = call.params.arguments;
    return this.#round(call, name, args, (channel, signal) => this.#parts.prompts.get(name, args, createMcpContext(call.request, call.info, channel, signal)));
  }

  async #readResource(call: McpCall): Promise<unknown> {
    const uri = stringParam(call.params, 'uri');
    try {
      return await this.#round(call, uri, undefined, (channel, signal) => this.#parts.resources.read(uri, createMcpContext(call.request, call.info, channel, signal)));
    } catch (error) {
      // 2026-07-28 answers an unknown resource with -32602 (it was -32002).
      if (error instanceof JsonRpcError && error.code === McpErrorCode.ResourceNotFound) throw JsonRpcError.invalidParams(`Resource not found: ${uri}`, { uri });
      throw error;
    }
  }

  // ── tools/call and the tasks extension ────────────────────────────────────────────────────

  /**
   * Calls a tool. A request that declares the tasks extension, for a tool that may run as a
   * task, runs the handler at once all the same: what it asks within its first turn of the event
   * loop is asked on the call itself (`input_required`, multi round-trip), and if it finishes in
   * that turn its result is the answer (a `required` tool's in an already finished task). Once
   * it waits on anything else the call becomes a task: the answer is its handle, the handler goes
   * on as the task (its signal now the task's, its asks the task's input requests).
   */
  async #callTool(call: McpCall): Promise<unknown> {
    const { tools, codec, logger } = this.#parts;
    const name = stringParam(call.params, 'name');
    const tool = tools.get(name);
    if (tool === undefined) throw JsonRpcError.invalidParams(`Unknown tool: ${name}`);
    const args = call.params.arguments ?? {};
    if (typeof args !== 'object' || args === null || Array.isArray(args)) throw JsonRpcError.invalidParams('arguments must be an object');
    if (tool.paramHeaders.length > 0) checkParamHeaders(tool.paramHeaders, args as JsonObject, call.request.request.headers);
    const extension = declaresTasks(call.info.clientCapabilities);
    if (tool.taskSupport === 'required' && !extension) {
      throw missingClientCapability({ extensions: { [TASKS_EXTENSION]: {} } }, `Tool ${name} runs only as a task: declare the tasks extension (${TASKS_EXTENSION})`);
    }
    const asTask = extension && tool.taskSupport !== 'forbidden';
    const round = new InputRound(call.params, codec(), () => ({ method: call.method, name, argumentsDigest: digestArguments(args) }));
    const checked = tool.input === undefined ? { ok: true as const, value: args } : await checkToolArguments(tool, args as JsonObject);
    if (!checked.ok) return checked.result;
    const signal = new RunSignal(call.signal);
    const taskId = asTask ? randomUUID() : undefined;
    const channel = new ToolCallChannel(round.channel(call.channel.notify));
    const running = invokeTool(tool, checked.value, createMcpContext(call.request, call.info, channel, signal.get, undefined, taskId), logger);
    const outcome = await firstOf(round, running, asTask);
    if (round.invalid !== undefined || round.pending) return needsInput(round, signal);
    if (outcome !== undefined && 'error' in outcome) throw outcome.error;
    if (outcome !== undefined && !(asTask && tool.taskSupport === 'required')) return outcome.value;
    return this.#becomeTask(call, name, taskId!, running, signal, channel);
  }

  /** The call goes on as a task: created before its handle is answered, the handler's signal and asks now the task's. */
  #becomeTask(call: McpCall, name: string, taskId: string, running: Promise<CallToolResult>, signal: RunSignal, channel: ToolCallChannel): JsonObject {
    let task: McpTask;
    try {
      task = this.#parts.tasks.create(call.owner, undefined, { tool: name }, { era: 'modern', taskId });
    } catch (error) {
      signal.stop(error);
      throw error;
    }
    channel.inputs = new TaskInputs(task, this.#parts.taskInputTimeoutMs, this.#parts.maxTaskInputs);
    signal.reparent(task.signal);
    running.then(
      (result) => task.complete(result),
      (error: unknown) => task.fail(this.#taskError(error, task, name)),
    );
    return { resultType: 'task', ...task.toExtensionWire() };
  }

  /** The protocol error a task failed with: a handler's own `JsonRpcError`, else -32603 (logged). */
  #taskError(error: unknown, task: McpTask, tool: string): JsonRpcError {
    if (error instanceof JsonRpcError) return error;
    this.#parts.logger.error('task failed', { taskId: task.taskId, tool, error });
    return JsonRpcError.internalError();
  }

  /** The modern task `params.taskId` names. @throws JsonRpcError -32602 when there is none (or no longer). */
  #task(call: McpCall): McpTask {
    const taskId = stringParam(call.params, 'taskId');
    const task = this.#parts.tasks.get(taskId);
    if (task === undefined || task.era !== 'modern') throw JsonRpcError.invalidParams(`Failed to retrieve task: Task not found: ${taskId}`);
    return task;
  }

  /** `tasks/update`: the answers applied (unknown keys ignored) before the empty acknowledgement. */
  #updateTask(call: McpCall): JsonObject {
    const task = this.#task(call);
    const responses = call.params.inputResponses;
    if (task.inputs === undefined || task.terminal) {
      if (typeof responses !== 'object' || responses === null || Array.isArray(responses)) throw JsonRpcError.invalidParams('inputResponses must be an object of answers by key');
    } else {
      task.inputs.update(responses);
    }
    return {};
  }

  /** `tasks/cancel`: the work told to stop; the same empty acknowledgement for a task already finished. */
  #cancelTask(call: McpCall): JsonObject {
    this.#task(call).cancel('Cancelled by the client');
    return {};
  }
}

/** `params[key]` when it is a string. @throws JsonRpcError -32602 otherwise. */
function stringParam(params: JsonObject, key: string): string {
  const value = params[key];
  if (typeof value !== 'string') throw JsonRpcError.invalidParams(`${key} must be a string`);
  return value;
}
