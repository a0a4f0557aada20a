import type { AddressInfo } from 'node:net';
import { AgentCoreServer } from '../core.js';
import type { ListenOptions } from '../http/server.js';
import { InflightCalls } from './calls.js';
import type { ClientChannel } from './context.js';
import { Dispatcher } from './dispatch.js';
import { STATELESS } from './exchange.js';
import { clientCapabilityMissing } from './errors.js';
import { DEFAULT_CLIENT_REQUEST_TIMEOUT_MS, DEFAULT_MAX_PENDING_CLIENT_REQUESTS, MCP_PORT } from './limits.js';

import { resolveMcpOptions, type McpServerOptions, type ResolvedMcpOptions } from './options.js';
import { OriginGuard } from './origin.js';
import { PromptRegistry, type PromptArgs, type PromptConfig, type PromptHandler, type RegisteredPrompt } from './prompts.js';
import {
  ResourceRegistry,
  type ResourceTemplate,
  type ReadResourceCallback,
  type ReadTemplateCallback,
  type RegisteredResource,
  type ResourceMetadata,
} from './resources.js';
import type { RequestStateCodec } from './request-state.js';
import type { McpSchema } from './schema.js';
import type { McpSession } from './session.js';
import type { McpTask } from './task.js';
import type { SessionStore } from './sessions.js';
import type { SubscriptionRegistry } from './subscriptions.js';
import { TaskStore } from './task-store.js';
import { ToolRegistry, type RegisteredTool, type ToolArgs, type ToolConfig, type ToolHandler } from './tools.js';
import { StreamableHttpTransport } from './transport.js';
import type { ModernDispatcher } from './modern-dispatch.js';
import type { LegacyProtocolVersion } from './versions.js';
import { Notification, type InitializeResult } from './wire.js';

/**
 * An MCP server for the Amazon Bedrock AgentCore Runtime's MCP protocol: `POST /mcp` on port
 * 8000 (Streamable HTTP), with the core (`AgentCoreServer`) bringing `GET /ping`, tracked tasks,
 * the lifecycle, limits and logging. One endpoint serves both eras of MCP: the legacy one
 * (`initialize`, protocol versions 2025-03-26, 2025-06-18 and 2025-11-25; stateless by default,
 * `stateful: true` adds sessions and what needs them) and the modern one (2026-07-28: stateless
 * by specification, multi round-trip requests, `subscriptions/listen`, the tasks extension).
 * Register tools, resources and prompts once, as with the official SDK's `McpServer`; an MCP
 * task is a tracked task, so `/ping` says `HealthyBusy` while one works.
 */
export class McpServer extends AgentCoreServer {
  readonly #options: ResolvedMcpOptions;
  readonly #tools: ToolRegistry;
  readonly #resources: ResourceRegistry;
  readonly #prompts: PromptRegistry;
  readonly #tasks: TaskStore;
  readonly #dispatcher: Dispatcher;
  readonly #transport: StreamableHttpTransport;
  /** List changes waiting to be announced at the end of the tick (one notification per kind). */
  readonly #changed = new Set<string>();

  /** @throws RangeError for a limit out of range; TypeError for a bad option. */
  constructor(options: McpServerOptions = {}) {
    super(withSessionHeaderExposed(options), { defaultPort: MCP_PORT });
    const resolved = (this.#options = resolveMcpOptions(options));
    const now = (): number => this.serverOptions.clock.now();
    const onInvalidSchema = (message: string): void => this.logger.error(`${message}; its calls are answered -32603`);
    this.#tools = new ToolRegistry(() => this.#listChanged(Notification.ToolsListChanged), onInvalidSchema);
    this.#resources = new ResourceRegistry(() => this.#listChanged(Notification.ResourcesListChanged));
    this.#prompts = new PromptRegistry(() => this.#listChanged(Notification.PromptsListChanged), onInvalidSchema);
    const stateful = resolved.stateful;
    this.#tasks = new TaskStore({
      options: resolved.tasks,
      tracker: this.tasks.tracker,
      now,
      onChange: (task) => {
        const subscriptions = this.#subscriptions;
        if (task.era === 'legacy') this.#sessionOf(task.owner)?.notify(Notification.TaskStatus, task.toWire());
        else if (subscriptions !== undefined && subscriptions.size > 0) subscriptions.taskChanged(task.toDetailed());
      },
    });
    this.#dispatcher = new Dispatcher({
      tools: this.#tools,
      resources: this.#resources,
      prompts: this.#prompts,
      tasks: this.#tasks,
      pageSize: resolved.pageSize,
      stateful: stateful !== undefined,
      logger: this.logger,
      taskChannel: (session, task) => taskChannel(session, task, resolved.stateful?.clientRequestTimeoutMs ?? 0),
    });
    let codec: RequestStateCodec | undefined;
    // The modern era's modules load on demand, with the SSE ones (see StreamableHttpTransport):
    // right after listen, before any request, so the key below is made before any snapshot and
    // every copy restored from one shares it (see McpRequestStateOptions).
    const createModern = (modules: typeof import('./modern-endpoint.js')): { dispatcher: ModernDispatcher; subscriptions: SubscriptionRegistry } => {
      const secret = resolved.requestState.secret ?? modules.randomSecret();
      const { ttlMs, maxBytes } = resolved.requestState;
      return this.#createModern(modules, () => (codec ??= new modules.RequestStateCodec({ secret, ttlMs, maxBytes, now })));
    };
    const transport = (this.#transport = new StreamableHttpTransport({
      options: resolved,
      logger: this.logger,
      maxBodyBytes: this.serverOptions.maxBodyBytes,
      streamStallTimeoutMs: this.serverOptions.streamStallTimeoutMs,
      inflight: this.inflight,
      guard: new OriginGuard(resolved.dnsRebinding, () => this.server),
      dispatcher: this.#dispatcher,
      createSessions:
        stateful === undefined ? undefined : (Store) => new Store(stateful, now, (session) => this.logger.debug('MCP session ended', { mcpSessionId: session.id })),
      calls: new InflightCalls(),
      closing: () => this.closing,
      initializeResult: (version) => this.#initializeResult(version),
      createModern,
    }));
    // Stateful mode's modules load at once (a stateless server's with the schemas, after listen).
    if (stateful !== undefined) void transport.load();
    this.route('mcp', resolved.path, ['POST', 'GET', 'DELETE'], (request, response) => transport.serve(request, response), { cors: true });
    // Whatever the grace period left running ends with the server.
    this.onShutdown(() => {
      this.#sessions?.closeAll('server shutting down');
      this.#tasks.clear('Server shutting down');
    });
  }

  /**
   * Registers a tool: `server.registerTool('add', { description, inputSchema }, async (args, ctx) => result)`.
   * Returns a handle whose `remove()` takes it away again. Stateful sessions are told of changes.
   * A JSON Schema that turns out invalid once compiled (right after start) is logged as an error.
   * @throws TypeError for a bad name or handler, or a schema that is none at all; Error when the name is taken.
   */
  registerTool<InputSchema extends McpSchema | undefined = undefined>(
    name: string,
    config: ToolConfig<InputSchema>,
    handler: ToolHandler<ToolArgs<InputSchema>>,
  ): RegisteredTool {
    return this.#tools.register(name, config as ToolConfig, handler as ToolHandler<never>);
  }

  /**
   * Registers a resource at a fixed URI, read by `read(uri, ctx)`.
   * @throws TypeError for a bad name, URI or callback; Error when the URI is taken.
   */
  registerResource(name: string, uri: string, metadata: ResourceMetadata, read: ReadResourceCallback): RegisteredResource;
  /**
   * Registers a family of resources behind a `ResourceTemplate`, read by `read(uri, variables, ctx)`.
   * @throws TypeError for a bad name or callback; Error when the template is taken.
   */
  registerResource(name: string, template: ResourceTemplate, metadata: ResourceMetadata, read: ReadTemplateCallback): RegisteredResource;
  registerResource(name: string, target: string | ResourceTemplate, metadata: ResourceMetadata, read: ReadResourceCallback | ReadTemplateCallback): RegisteredResource {
    return this.#resources.register(name, target, metadata ?? {}, read);
  }

  /**
   * Registers a prompt: `server.registerPrompt('review', { description, argsSchema }, (args, ctx) => ({ messages }))`.
   * @throws TypeError for a bad name, schema or handler; Error when the name is taken.
   */
  registerPrompt<ArgsSchema extends McpSchema | undefined = undefined>(
    name: string,
    config: PromptConfig<ArgsSchema>,
    handler: PromptHandler<PromptArgs<ArgsSchema>>,
  ): RegisteredPrompt {
    return this.#prompts.register(name, config as PromptConfig, handler as PromptHandler<never>);
  }

  /**
   * Tells the clients following `uri` that it changed (`notifications/resources/updated`): the
   * stateful sessions subscribed to it, and the 2026-07-28 listen streams that name it. Returns
   * how many were told.
   */
  notifyResourceUpdated(uri: string): number {
    let told = this.#subscriptions?.resourceUpdated(uri) ?? 0;
    for (const session of this.#sessions?.values() ?? []) {
      if (session.isSubscribed(uri) && session.notify(Notification.ResourceUpdated, { uri })) told++;
    }
    return told;
  }

  /**
   * Tells the clients that listen for it that a list changed though nothing was registered or
   * removed (what a tool does, or what a template's `list` returns, changed): stateful sessions
   * and 2026-07-28 listen streams get `notifications/<kind>/list_changed`, once per kind and tick.
   * @throws TypeError for another kind.
   */
  notifyListChanged(kind: 'tools' | 'resources' | 'prompts'): void {
    const method = Object.hasOwn(LIST_CHANGED, kind) ? LIST_CHANGED[kind] : undefined;
    if (method === undefined) throw new TypeError("notifyListChanged takes 'tools', 'resources' or 'prompts'");
    this.#listChanged(method);
  }

  /** Number of live sessions (stateful mode). */
  get sessionCount(): number {
    return this.#sessions?.size ?? 0;
  }

  /**
   * Listens as the core does; a moment after, compiles the tools' and prompts' JSON Schemas (the
   * validator's modules load then, not before the first `/ping`), logging any that is invalid.
   * @throws Error (rejects) as `AgentCoreServer.listen`.
   */
  override async listen(options?: ListenOptions): Promise<AddressInfo> {
    const address = await super.listen(options);
    setTimeout(() => {
      void this.#tools.prepare();
      void this.#prompts.prepare();
      void this.#transport.load();
    }, SCHEMA_PREPARE_DELAY_MS).unref();
    return address;
  }

  protected override readinessWarning(): string | undefined {
    if (this.#tools.size > 0 || this.#resources.size > 0 || this.#prompts.size > 0) return undefined;
    return 'no MCP tools, resources or prompts registered: clients will find nothing to use';
  }

  /** The modern era's method table and listen streams, over the registries every era shares. */
  #createModern(modules: typeof import('./modern-endpoint.js'), codec: () => RequestStateCodec): { dispatcher: ModernDispatcher; subscriptions: SubscriptionRegistry } {
    const options = this.#options;
    return {
      dispatcher: new modules.ModernDispatcher({
        dispatcher: this.#dispatcher,
        tools: this.#tools,
        resources: this.#resources,
        prompts: this.#prompts,
        tasks: this.#tasks,
        codec,
        pageSize: options.pageSize,
        serverInfo: options.serverInfo,
        instructions: options.instructions,
        cache: options.cache,
        taskInputTimeoutMs: DEFAULT_CLIENT_REQUEST_TIMEOUT_MS,
        maxTaskInputs: DEFAULT_MAX_PENDING_CLIENT_REQUESTS,
        logger: this.logger,
      }),
      subscriptions: new modules.SubscriptionRegistry({
        ...options.subscriptions,
        serverInfo: options.serverInfo,
        closing: () => this.closing,
        connection: { heartbeatMs: options.sseHeartbeatMs, stallTimeoutMs: this.serverOptions.streamStallTimeoutMs, bufferBytes: options.streamBufferBytes },
      }),
    };
  }

  #initializeResult(version: LegacyProtocolVersion): InitializeResult {
    const result: InitializeResult = { protocolVersion: version, capabilities: this.#dispatcher.capabilities(version), serverInfo: this.#options.serverInfo };
    if (this.#options.instructions !== undefined) result.instructions = this.#options.instructions;
    return result;
  }

  /** Announces a list change to every session and listen stream, once per kind and tick. */
  #listChanged(method: string): void {
    if ((this.#sessions?.size ?? 0) === 0 && (this.#subscriptions?.size ?? 0) === 0) return;
    if (this.#changed.size === 0) queueMicrotask(() => this.#announceChanges());
    this.#changed.add(method);
  }

  #announceChanges(): void {
    const methods = [...this.#changed];
    this.#changed.clear();
    for (const session of this.#sessions?.values() ?? []) for (const method of methods) session.notify(method);
    for (const method of methods) this.#subscriptions?.listChanged(method);
  }

  /** Stateful mode's sessions, once loaded. */
  get #sessions(): SessionStore | undefined {
    return this.#transport.sessions;
  }

  /** The 2026-07-28 listen streams, once loaded. */
  get #subscriptions(): SubscriptionRegistry | undefined {
    return this.#transport.subscriptions;
  }

  #sessionOf(owner: string): McpSession | undefined {
    return owner === '' ? undefined : this.#sessions?.peek(owner);
  }
}

/** The notification of each kind of list. */
const LIST_CHANGED: Readonly<Record<string, string>> = Object.freeze({
  tools: Notification.ToolsListChanged,
  resources: Notification.ResourcesListChanged,
  prompts: Notification.PromptsListChanged,
});

/**
 * How long after binding the JSON Schemas are compiled: after the platform's (or a client's)
 * first `/ping` has had its answer, well before a person's first tool call.
 */
const SCHEMA_PREPARE_DELAY_MS = 100;

/** Stateful: a browser page must be able to read `Mcp-Session-Id` when CORS is on. */
function withSessionHeaderExposed(options: McpServerOptions): McpServerOptions {
  if (options.cors === undefined || options.cors.exposeHeaders !== undefined) return options;
  return { ...options, cors: { ...options.cors, exposeHeaders: ['Mcp-Session-Id'] } };
}

/**
 * How a task's work reaches its client once the request that created it was answered:
 * notifications on the session's GET stream; requests on the stream of a `tasks/result` waiting
 * on the task (the specification's side channel), else on the GET stream, else as soon as a
 * `tasks/result` comes to wait (the client looks for them when it sees `input_required`).
 */
function taskChannel(session: McpSession | undefined, task: McpTask, timeoutMs: number): ClientChannel {
  if (session === undefined) return NO_CHANNEL;
  return {
    notify: (method, params) => session.notify(method, params),
    request: async (method, params, options) => {
      const side = task.channel;
      if (side !== undefined) return side.request(method, params, options);
      if (session.hasStandalone) return session.request(method, params, undefined, options);
      const channel = await task.whenChannel(options?.signal, options?.timeoutMs ?? timeoutMs);
      return channel.request(method, params, options);
    },
    closeStream: () => false,
  };
}

/** A stateless task's work cannot reach its client after the creating request was answered. */
const NO_CHANNEL: ClientChannel = Object.freeze({
  requestsUnavailable: STATELESS,
  notify: () => false,
  request: (method: string) => Promise.reject(clientCapabilityMissing(method, STATELESS)),
  closeStream: () => false,
});
