import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { HttpError } from './errors.js';
import { sendError } from './http/response.js';
import { checkMethod, checkPath, PING_PATH, Router, type RouteHandler } from './http/router.js';
import type { ListenOptions } from './http/server.js';
import type { LifecycleHook } from './lifecycle/hooks.js';
import { runApp, type RunOptions } from './lifecycle/run.js';
import { NO_UPGRADES, ServerLifecycle, type UpgradeHandling } from './lifecycle/serving.js';
import { InflightRequests, type CloseOptions } from './lifecycle/shutdown.js';
import { DEFAULT_WARMUP_PATH, WarmupEndpoint, type WarmupHandler, type WarmupHandlers, type WarmupOptions } from './lifecycle/warmup.js';
import { Logger } from './logger.js';
import { onDemand } from './on-demand.js';
import { resolveServerOptions, type AgentCoreServerOptions, type ResolvedServerOptions } from './options.js';
import { PingEndpoint, type PingHandler } from './ping/endpoint.js';
import { isPingStatus, PingStatusReporter, type PingStatus } from './ping/status.js';
import { TaskSupervisor, type BackgroundWork, type RunAsyncTaskOptions } from './tasks/supervisor.js';
import type { AsyncTaskInfo, TaskMetadata } from './tasks/tracker.js';

/** The in-process client, loaded the first time `request()` is used (by tests, mostly). */
const loadInProcess = onDemand(() => import('./http/in-process.js'));

/** What a protocol tells the core about itself. */
export interface ProtocolDefinition {
  /** The protocol's port in the AgentCore contract: 8080 (HTTP, AG-UI), 8000 (MCP), 9000 (A2A). */
  readonly defaultPort: number;
}

/**
 * The core every protocol's server stands on (`AgentCoreApp` for HTTP and AG-UI, `McpServer`,
 * `A2AServer`): tracked tasks and the `/ping` status derived from them, the warmup hook, the
 * lifecycle (`listen`, `close`, `run`, signals, hooks), limits, logging, the in-flight requests
 * shutdown waits for, and `request()` in process. A protocol subclasses it and adds its routes
 * with `route()`; it never copies any of this.
 */
export class AgentCoreServer {
  /** The server's structured logger. */
  readonly logger: Logger;
  /** The validated options every protocol shares. */
  protected readonly serverOptions: ResolvedServerOptions;
  readonly #router = new Router();
  readonly #tasks: TaskSupervisor;
  readonly #status: PingStatusReporter;
  readonly #ping: PingEndpoint;
  readonly #inflight = new InflightRequests();
  readonly #life: ServerLifecycle;
  #upgrades: UpgradeHandling = NO_UPGRADES;
  #warmup: WarmupEndpoint | undefined;

  /** @throws RangeError for a limit out of range; TypeError for a bad option or handler. */
  constructor(options: AgentCoreServerOptions, protocol: ProtocolDefinition) {
    const resolved = (this.serverOptions = resolveServerOptions(options));
    const logger = (this.logger = new Logger({ level: options.logLevel, sink: options.logSink }));
    const now = (): number => resolved.clock.now();
    this.#tasks = new TaskSupervisor(logger, now, resolved.maxTaskAgeMs);
    this.#status = new PingStatusReporter(this.#tasks.tracker, now);
    this.#ping = new PingEndpoint(this.#status, logger, resolved.pingHandlerTimeoutMs, () => this.#life.restore.check());
    this.#router.add('ping', PING_PATH, ['GET', 'HEAD'], (_request, response) => this.#ping.serve(response));
    this.#life = new ServerLifecycle({
      options: resolved,
      logger,
      requestListener: this.requestListener,
      upgrades: () => this.#upgrades,
      inflight: this.#inflight,
      tasks: this.#tasks,
      status: this.#status,
      defaultPort: protocol.defaultPort,
      readinessWarning: () => this.readinessWarning(),
    });
    if (options.pingHandler !== undefined) this.ping(options.pingHandler);
  }

  // ── For protocols ────────────────────────────────────────────────────────────────────────

  /**
   * Serves `path` for `methods` with `serve` (a protocol's endpoint); `cors: true` lets the
   * `cors` option apply to it. `name` says what the route is in messages.
   * @throws Error when the path is taken.
   */
  protected route(name: string, path: string, methods: readonly string[], serve: RouteHandler, options?: { cors?: boolean }): void {
    this.#router.add(name, path, methods, serve, options);
  }

  /** Takes over upgraded connections (the HTTP app's `/ws`); set before `listen()`. */
  protected handleUpgrades(upgrades: UpgradeHandling): void {
    this.#upgrades = upgrades;
  }

  /**
   * The in-flight requests: a protocol's endpoint tracks each answer it gives (`inflight.track`),
   * so shutdown waits for it within the grace, then answers or ends it and aborts its lifetime.
   */
  protected get inflight(): InflightRequests {
    return this.#inflight;
  }

  /** The task supervisor behind `addAsyncTask` and `runAsyncTask`. */
  protected get tasks(): TaskSupervisor {
    return this.#tasks;
  }

  /** The ping status reporter behind `/ping`. */
  protected get status(): PingStatusReporter {
    return this.#status;
  }

  /** True while `close()` runs: long-lived streams should end and new work be refused. */
  protected get closing(): boolean {
    return this.#life.closing;
  }

  /** Why the server cannot do its work yet, if so; `listen()` warns with it. Protocols override it. */
  protected readinessWarning(): string | undefined {
    return undefined;
  }

  /**
   * Why `run()` must refuse to start (the server has nothing to serve, so the platform would
   * keep a healthy-looking agent that cannot work), if so. Protocols override it.
   */
  protected nothingToServe(): string | undefined {
    return undefined;
  }

  // ── Tasks and health ─────────────────────────────────────────────────────────────────────

  /** Starts tracking a background task; returns its id (monotonic, never reused). */
  addAsyncTask(name: string, metadata?: TaskMetadata): number {
    return this.#tasks.add(name, metadata);
  }

  /** Completes task `id`; returns `false` (and logs a warning) when it is unknown or done. */
  completeAsyncTask(id: number): boolean {
    return this.#tasks.complete(id);
  }

  /** The active tasks: `{ activeCount, runningJobs: [{ id, name, duration, metadata? }] }`. */
  getAsyncTaskInfo(): AsyncTaskInfo {
    return this.#tasks.info();
  }

  /** Wraps any function so each call is a task until its result settles; the wrapper returns a promise of it. */
  asyncTask<A extends unknown[], R>(fn: (...args: A) => R, name: string = fn?.name || 'async_task'): (...args: A) => Promise<Awaited<R>> {
    return this.#tasks.wrap(fn, name);
  }

  /**
   * Runs background work as a task until it settles and returns the task id at once. It cannot
   * leak: failures are logged, never unhandled; `timeoutMs` ends tracking and aborts `signal`.
   */
  runAsyncTask(name: string, work: BackgroundWork, options?: RunAsyncTaskOptions): number {
    return this.#tasks.run(name, work, options);
  }

  /**
   * Sets a custom ping handler (sync or async) and returns it, consulted on each `/ping` unless a
   * status is forced; one that fails, times out or answers no valid status leaves the automatic one.
   * @throws TypeError for a non-function.
   */
  ping<H extends PingHandler>(handler: H): H {
    this.#ping.setHandler(checkFunction(handler, 'ping handler'));
    return handler;
  }

  /** The status `/ping` reports now (forced, else the handler's last answer, else automatic). */
  getCurrentPingStatus(): PingStatus {
    return this.#status.status;
  }

  /** Forces the ping status until `clearForcedPingStatus()`. @throws TypeError for an invalid status. */
  forcePingStatus(status: PingStatus): void {
    if (!isPingStatus(status)) throw new TypeError(`Invalid ping status: ${String(status)}`);
    this.#status.force(status);
  }

  /** Removes a forced ping status. */
  clearForcedPingStatus(): void {
    this.#status.clearForced();
  }

  /**
   * Serves the warmup lifecycle hook (platform V2): `POST <path>` (default `/warmup`), before any
   * session. The platform calls it twice, `memory` and `disk`: `handler({ type })` runs once per
   * type, or give `{ memory, disk }` handlers; repeated calls share a run (see `WarmupEndpoint`).
   * @throws TypeError for a bad handler or path; Error when set twice or the path is taken.
   */
  warmup(handler: WarmupHandler | WarmupHandlers, options: WarmupOptions = {}): void {
    if (this.#warmup !== undefined) throw new Error('A warmup handler is already set');
    const endpoint = new WarmupEndpoint(handler, this.logger, this.#tasks, () => this.serverOptions.clock.monotonic(), {
      maxBodyBytes: this.serverOptions.maxBodyBytes,
      inflight: this.#inflight,
    });
    this.#router.add('warmup', checkPath('warmup path', options.path ?? DEFAULT_WARMUP_PATH), ['POST'], (request, response) => endpoint.serve(request, response));
    this.#warmup = endpoint;
  }

  // ── Serving ──────────────────────────────────────────────────────────────────────────────

  /** The request listener, to mount the server on one of your own: `createServer(server.requestListener)`. */
  readonly requestListener = (request: IncomingMessage, response: ServerResponse): void => {
    // While shutting down, every answer closes its connection so keep-alive clients let go.
    if (this.#life.closing) response.shouldKeepAlive = false;
    let route;
    try {
      route = this.#router.find(request.url!);
      if (route.cors && this.serverOptions.cors?.isPreflight(request)) {
        this.serverOptions.cors.answerPreflight(request, response, this.logger, route.methods);
        return;
      }
      checkMethod(route, request.method!);
    } catch (error) {
      sendError(response, error as HttpError);
      return;
    }
    if (route.cors) this.serverOptions.cors?.decorate(request, response, this.logger);
    route.serve(request, response);
  };

  /**
   * The `upgrade` listener, for a server of your own: `server.on('upgrade', server.upgradeListener)`.
   * Only the protocol's own upgrades (the HTTP app's `/ws`) are taken; other offers are plain HTTP.
   */
  readonly upgradeListener = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    this.#upgrades.upgradeListener(request, socket, head);
  };

  /**
   * Sends a request to the server in process, without a socket (`await server.request('/ping')`):
   * the whole pipeline runs as over the network. `input` is a path (against `http://localhost`),
   * a URL or a `Request`.
   */
  async request(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const { requestInProcess } = await loadInProcess();
    return requestInProcess(this.#life.inProcessServer, input, init);
  }

  /** Adds work `listen()` finishes before binding, so `/ping` first answers when ready; a failure fails `listen()`. */
  onStartup(hook: LifecycleHook): void {
    this.#life.hooks.add('startup', hook);
  }

  /**
   * Adds work `close()` runs once in-flight work is done, within what is left of the grace
   * period; hooks run in order, each within its share of what is left (a hung one cannot starve the rest).
   */
  onShutdown(hook: LifecycleHook): void {
    this.#life.hooks.add('shutdown', hook);
  }

  /** Adds work to run after a snapshot restore is noticed (refresh credentials, reconnect clients). */
  onRestore(hook: LifecycleHook): void {
    this.#life.hooks.add('restore', hook);
  }

  /** The HTTP server once `listen()` was called. */
  get server(): Server | undefined {
    return this.#life.server;
  }

  /** Runs the startup hooks, binds and resolves with the address. @throws Error (rejects) on a failed hook or bind. */
  listen(options: ListenOptions = {}): Promise<AddressInfo> {
    return this.#life.listen(options);
  }

  /**
   * Shuts down gracefully (see `shutdown()` in `lifecycle/shutdown.ts`): in-flight answers and
   * tracked tasks get `graceMs`, then the shutdown hooks run and every connection closes.
   * @throws RangeError (rejects) for a `graceMs` that is not a non-negative integer.
   */
  close(options: CloseOptions = {}): Promise<void> {
    return this.#life.close(options);
  }

  /**
   * Starts and owns the process: SIGTERM/SIGINT shut down gracefully and exit 0 (a second signal
   * exits 1); a startup failure, or a server with nothing to serve (an app with neither an
   * entrypoint nor a WebSocket handler), exits 1; errors nothing handled are met as `RunOptions` say.
   * @throws Error (rejects) when the server is already serving; the running server is left alone.
   */
  run(options: RunOptions = {}): Promise<AddressInfo> {
    return runApp(this, options, this.serverOptions.shutdownGraceMs, () => this.nothingToServe());
  }
}

/** @throws TypeError naming `what` when `handler` is not a function. */
export function checkFunction<F>(handler: F, what: string): F {
  if (typeof handler !== 'function') throw new TypeError(`${what} must be a function`);
  return handler;
}
