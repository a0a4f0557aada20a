import type { IncomingMessage } from 'node:http';
import type { RequestContext } from '../http/context.js';
import type { TraceContext } from '../http/trace-context.js';
import type { JsonRpcId } from '../json-rpc/messages.js';
import type { ClientRequestOptions } from './client-requests.js';
import type { Era } from './era.js';
import { clientCapabilityMissing, missingClientCapability } from './errors.js';
import { isLoggingLevel, shouldSendLog } from './logging.js';
import type { McpTask } from './task.js';
import { VersionFeatures, type ProtocolVersion } from './versions.js';
import {
  Method,
  Notification,
  RELATED_TASK_META,
  type ClientCapabilities,
  type CreateMessageRequestParams,
  type CreateMessageResult,
  type ElicitRequestParams,
  type ElicitResult,
  type Implementation,
  type ListRootsResult,
  type LoggingLevel,
  type Meta,
} from './wire.js';

/**
 * How a handler's messages reach the client. The legacy era's transport implements it with the
 * request's SSE stream and the session's pending requests; the 2026-07-28 era with
 * `input_required` answers (`InputRound`) and, in a task, `tasks/update` (`TaskInputs`): the
 * handlers are the same.
 */
export interface ClientChannel {
  /** Why no request can be sent to the client at all (a stateless server), if so. */
  readonly requestsUnavailable?: string;
  /** Sends a notification about this request; false when it cannot reach the client. */
  notify(method: string, params: unknown): boolean;
  /**
   * Sends a request to the client and resolves with its result.
   * @throws (rejects with) JsonRpcError when the client cannot be asked, or answered an error.
   */
  request(method: string, params: unknown, options?: ClientRequestOptions): Promise<unknown>;
  /** Ends the SSE connection so the client resumes later (2025-11-25 polling); false when it could not. */
  closeStream(): boolean;
}

/** What the server knows about one MCP request besides its HTTP request. */
export interface McpCallInfo {
  /** `legacy` (2025-03-26 to 2025-11-25) or `modern` (2026-07-28). */
  readonly era: Era;
  readonly jsonRpcId: JsonRpcId;
  readonly protocolVersion: ProtocolVersion;
  readonly mcpSessionId: string | undefined;
  readonly clientInfo: Implementation | undefined;
  readonly clientCapabilities: ClientCapabilities;
  readonly meta: Meta | undefined;
  /**
   * Legacy: the level the client set with `logging/setLevel` (read each time: it may change);
   * none sends every level. Modern: the request's own `logLevel`; none sends nothing.
   */
  readonly logLevel: () => LoggingLevel | undefined;
}

/**
 * What a tool, resource or prompt handler gets besides its arguments: the request's context
 * (AgentCore ids, headers, trace: the same as `getRequestContext()`), the MCP request's own
 * (`jsonRpcId`, `mcpSessionId`, `protocolVersion`, the client's info and capabilities, `_meta`,
 * the task it runs as), a `signal` that aborts on `notifications/cancelled`, `tasks/cancel`, a
 * client gone for good or shutdown, and the ways to talk to the client: `progress()`, `log()`,
 * `elicitInput()`, `createMessage()`, `listRoots()`.
 */
export interface McpContext extends RequestContext {
  /** The JSON-RPC id of the request (the AgentCore request id is `requestId`). */
  readonly jsonRpcId: JsonRpcId;
  /** The MCP session (`Mcp-Session-Id`) in stateful mode; the runtime session is `sessionId`. */
  readonly mcpSessionId: string | undefined;
  /** `legacy` (`initialize` and sessions: 2025-03-26 to 2025-11-25) or `modern` (2026-07-28). */
  readonly era: Era;
  readonly protocolVersion: ProtocolVersion;
  readonly clientInfo: Implementation | undefined;
  readonly clientCapabilities: ClientCapabilities;
  /** The request's `params._meta`. */
  readonly meta: Meta | undefined;
  /**
   * The id of the task this call runs as: when a 2025-11-25 client asked for one, or (2026-07-28)
   * when the client declared the tasks extension and the tool may run as a task (the task exists
   * once the handler first waits on something else: see docs/mcp.md).
   */
  readonly taskId: string | undefined;
  /**
   * Reports progress when the client asked for it (`_meta.progressToken`): `progress` must grow
   * from one call to the next. False when nothing was sent (no token, not growing, no way to the client).
   */
  progress(progress: number, total?: number, message?: string): boolean;
  /**
   * Sends a log message (`notifications/message`) at `level` unless the client asked for a higher
   * level. Never put secrets in it. False when nothing was sent.
   */
  log(level: LoggingLevel, data: unknown, logger?: string): boolean;
  /**
   * Asks the user through the client (`elicitation/create`), when the client declared
   * `elicitation`. Legacy era: a request on the session's stream (stateful mode only). 2026-07-28:
   * an `input_required` answer, the handler run again with the answer (`options.key` names it),
   * or in a task a request answered by `tasks/update`.
   * @throws (rejects with) JsonRpcError when it cannot be asked (2026-07-28: -32021 without the
   * capability), times out or answers an error; `InputRequiredSignal` (2026-07-28) until the
   * client answered.
   */
  elicitInput(params: ElicitRequestParams, options?: ClientRequestOptions): Promise<ElicitResult>;
  /**
   * Asks the client's model (`sampling/createMessage`), when the client declared `sampling`;
   * in each era as `elicitInput`.
   * @throws (rejects with) JsonRpcError as `elicitInput`.
   */
  createMessage(params: CreateMessageRequestParams, options?: ClientRequestOptions): Promise<CreateMessageResult>;
  /**
   * Asks the client for its roots (`roots/list`), when the client declared `roots`; in each era
   * as `elicitInput`.
   * @throws (rejects with) JsonRpcError as `elicitInput`.
   */
  listRoots(options?: ClientRequestOptions): Promise<ListRootsResult>;
  /**
   * Ends this request's SSE connection now and lets the client resume with `Last-Event-ID`
   * (2025-11-25 polling, for long calls behind proxies that cut idle connections). False when the
   * answer cannot be resumed (not stateful, not SSE, or an older protocol version).
   */
  closeStream(): boolean;
}

/**
 * Builds the context of one handler call; `signal` may be made on first use (a function);
 * `taskId` is the id of the task a 2026-07-28 call may become (the task itself does not exist yet).
 */
export function createMcpContext(request: RequestContext, info: McpCallInfo, channel: ClientChannel, signal: AbortSignal | (() => AbortSignal), task?: McpTask, taskId?: string): McpContext {
  return new HandlerContext(request, info, channel, signal, task, taskId ?? task?.taskId);
}

class HandlerContext implements McpContext {
  readonly #request: RequestContext;
  readonly #info: McpCallInfo;
  readonly #channel: ClientChannel;
  readonly #task: McpTask | undefined;
  readonly #taskId: string | undefined;
  #signal: AbortSignal | (() => AbortSignal);
  #lastProgress = Number.NEGATIVE_INFINITY;

  constructor(request: RequestContext, info: McpCallInfo, channel: ClientChannel, signal: AbortSignal | (() => AbortSignal), task: McpTask | undefined, taskId: string | undefined) {
    this.#request = request;
    this.#info = info;
    this.#channel = channel;
    this.#signal = signal;
    this.#task = task;
    this.#taskId = taskId;
  }

  get signal(): AbortSignal {
    if (typeof this.#signal === 'function') this.#signal = this.#signal();
    return this.#signal;
  }
  get requestId(): string {
    return this.#request.requestId;
  }
  get sessionId(): string | undefined {
    return this.#request.sessionId;
  }
  get workloadAccessToken(): string | undefined {
    return this.#request.workloadAccessToken;
  }
  get oauth2CallbackUrl(): string | undefined {
    return this.#request.oauth2CallbackUrl;
  }
  get requestHeaders(): Readonly<Record<string, string>> {
    return this.#request.requestHeaders;
  }
  get headers(): Readonly<Record<string, string>> {
    return this.#request.headers;
  }
  get request(): IncomingMessage {
    return this.#request.request;
  }
  get trace(): TraceContext {
    return this.#request.trace;
  }
  get jsonRpcId(): JsonRpcId {
    return this.#info.jsonRpcId;
  }
  get mcpSessionId(): string | undefined {
    return this.#info.mcpSessionId;
  }
  get era(): Era {
    return this.#info.era;
  }
  get protocolVersion(): ProtocolVersion {
    return this.#info.protocolVersion;
  }
  get clientInfo(): Implementation | undefined {
    return this.#info.clientInfo;
  }
  get clientCapabilities(): ClientCapabilities {
    return this.#info.clientCapabilities;
  }
  get meta(): Meta | undefined {
    return this.#info.meta;
  }
  get taskId(): string | undefined {
    return this.#taskId;
  }

  progress(progress: number, total?: number, message?: string): boolean {
    const token = this.#info.meta?.progressToken;
    if ((typeof token !== 'string' && typeof token !== 'number') || typeof progress !== 'number' || !(progress > this.#lastProgress)) return false;
    if (this.#task?.terminal === true) return false;
    this.#lastProgress = progress;
    const params: Record<string, unknown> = { progressToken: token, progress };
    if (total !== undefined) params.total = total;
    if (message !== undefined) params.message = message;
    return this.#channel.notify(Notification.Progress, params);
  }

  log(level: LoggingLevel, data: unknown, logger?: string): boolean {
    const minimum = this.#info.logLevel();
    // 2026-07-28: a request that names no level gets no log messages at all.
    if (minimum === undefined && this.#info.era === 'modern') return false;
    if (!isLoggingLevel(level) || !shouldSendLog(level, minimum)) return false;
    const params: Record<string, unknown> = { level, data };
    if (logger !== undefined) params.logger = logger;
    return this.#channel.notify(Notification.Message, this.#related(params));
  }

  elicitInput(params: ElicitRequestParams, options?: ClientRequestOptions): Promise<ElicitResult> {
    const elicitation = this.#info.clientCapabilities.elicitation;
    const unavailable = this.#channel.requestsUnavailable;
    if (unavailable !== undefined) return this.#refuse(Method.ElicitationCreate, unavailable);
    if (!VersionFeatures.elicitation(this.#info.protocolVersion)) return this.#refuse(Method.ElicitationCreate, `protocol version ${this.#info.protocolVersion} has no elicitation`);
    if (elicitation === undefined) return this.#refuse(Method.ElicitationCreate, 'the client did not declare the elicitation capability', { elicitation: {} });
    if (params?.mode === 'url' && elicitation.url === undefined) return this.#refuse(Method.ElicitationCreate, 'the client did not declare URL elicitation', { elicitation: { url: {} } });
    return this.#ask(Method.ElicitationCreate, params, options) as Promise<ElicitResult>;
  }

  createMessage(params: CreateMessageRequestParams, options?: ClientRequestOptions): Promise<CreateMessageResult> {
    const unavailable = this.#channel.requestsUnavailable;
    if (unavailable !== undefined) return this.#refuse(Method.SamplingCreateMessage, unavailable);
    if (this.#info.clientCapabilities.sampling === undefined) return this.#refuse(Method.SamplingCreateMessage, 'the client did not declare the sampling capability', { sampling: {} });
    return this.#ask(Method.SamplingCreateMessage, params, options) as Promise<CreateMessageResult>;
  }

  listRoots(options?: ClientRequestOptions): Promise<ListRootsResult> {
    const unavailable = this.#channel.requestsUnavailable;
    if (unavailable !== undefined) return this.#refuse(Method.RootsList, unavailable);
    if (this.#info.clientCapabilities.roots === undefined) return this.#refuse(Method.RootsList, 'the client did not declare the roots capability', { roots: {} });
    return this.#ask(Method.RootsList, {}, options) as Promise<ListRootsResult>;
  }

  closeStream(): boolean {
    return this.#channel.closeStream();
  }

  /** Asks the client; a 2025-11-25 task waits in `input_required` meanwhile (a modern task's inputs say so themselves). */
  async #ask(method: string, params: unknown, options: ClientRequestOptions | undefined): Promise<unknown> {
    const task = this.#task?.era === 'legacy' ? this.#task : undefined;
    task?.setWaiting(true, `Waiting for the client to answer ${method}`);
    try {
      return await this.#channel.request(method, this.#related(params), { signal: this.signal, ...options });
    } finally {
      if (task !== undefined && !task.terminal) task.setWaiting(false);
    }
  }

  /** `params` with the related-task `_meta` every message about a 2025-11-25 task carries. */
  #related(params: unknown): unknown {
    if (this.#task?.era !== 'legacy' || typeof params !== 'object' || params === null) return params;
    const withMeta = params as { _meta?: Meta };
    return { ...withMeta, _meta: { ...withMeta._meta, [RELATED_TASK_META]: { taskId: this.#task.taskId } } };
  }

  /** Legacy: -32601, which a tool turns into a tool error; 2026-07-28: -32021 naming `required`. */
  #refuse(method: string, reason: string, required?: Record<string, unknown>): Promise<never> {
    if (this.#info.era === 'modern' && required !== undefined) return Promise.reject(missingClientCapability(required, `Cannot send ${method}: ${reason}`));
    return Promise.reject(clientCapabilityMissing(method, reason));
  }

  /** Logging or serializing a context shows the request context's redacted form and the MCP ids. */
  toJSON(): Record<string, unknown> {
    const base = (this.#request as { toJSON?: () => Record<string, unknown> }).toJSON?.() ?? {};
    return { ...base, jsonRpcId: this.jsonRpcId, mcpSessionId: this.mcpSessionId, era: this.era, protocolVersion: this.protocolVersion, taskId: this.taskId };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): Record<string, unknown> {
    return this.toJSON();
  }
}
