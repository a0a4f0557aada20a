import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { UpgradeRequiredError, type HttpError } from './errors.js';
import { sendError } from './http/response.js';
import { checkPath, pathOf, Router, WEBSOCKET_PATH } from './http/router.js';
import type { ListenOptions } from './http/server.js';
import type { InvocationHook } from './invocation/hooks.js';
import { InvocationEndpoint, type InvocationHandler } from './invocation/invocation.js';
import type { LifecycleHook } from './lifecycle/hooks.js';
import { runApp, type RunOptions } from './lifecycle/run.js';
import { ServerLifecycle } from './lifecycle/serving.js';
import { InflightRequests, type CloseOptions } from './lifecycle/shutdown.js';
import { DEFAULT_WARMUP_PATH, WarmupEndpoint, type WarmupHandler, type WarmupOptions } from './lifecycle/warmup.js';
import { Logger } from './logger.js';
import { onDemand } from './on-demand.js';
import { resolveOptions, type AgentCoreAppOptions, type ResolvedOptions } from './options.js';
import { PingEndpoint, type PingHandler } from './ping/endpoint.js';
import { isPingStatus, PingStatusReporter, type PingStatus } from './ping/status.js';
import { TaskSupervisor, type BackgroundWork, type RunAsyncTaskOptions } from './tasks/supervisor.js';
import type { AsyncTaskInfo, TaskMetadata } from './tasks/tracker.js';
import { WebSocketMount, type WebSocketHandler } from './websocket/mount.js';

/** The in-process client, loaded the first time `request()` is used (by tests, mostly). */
const loadInProcess = onDemand(() => import('./http/in-process.js'));

/**
 * An agent server for the Amazon Bedrock AgentCore Runtime contract: `GET /ping` reports
 * `Healthy` or `HealthyBusy` from tracked tasks, `POST /invocations` runs the entrypoint, `/ws`
 * serves WebSockets. A facade: it checks the options, wires the parts and delegates. A request
 * flows router → endpoint (`ping/endpoint.ts`, `invocation/invocation.ts`, `websocket/mount.ts`);
 * tasks change the tracker and the ping status derives from it; `lifecycle/serving.ts` owns
 * listen and close.
 */
export class AgentCoreApp {
  /** The app's structured logger. */
  readonly logger: Logger;
  readonly #options: ResolvedOptions;
  readonly #router: Router;
  readonly #tasks: TaskSupervisor;
  readonly #status: PingStatusReporter;
  readonly #ping: PingEndpoint;
  readonly #invocations: InvocationEndpoint;
  readonly #websockets: WebSocketMount;
  readonly #life: ServerLifecycle;
  readonly #inflight: InflightRequests;
  #warmup: WarmupEndpoint | undefined;

  /** @throws RangeError for a limit out of range; TypeError for a bad path or handler. */
  constructor(options: AgentCoreAppOptions = {}) {
    const resolved = (this.#options = resolveOptions(options));
    const logger = (this.logger = new Logger({ level: options.logLevel, sink: options.logSink }));
    const now = (): number => resolved.clock.now();
    this.#router = new Router(resolved.invocationPath);
    this.#tasks = new TaskSupervisor(logger, now, resolved.maxTaskAgeMs);
    this.#status = new PingStatusReporter(this.#tasks.tracker, now);
    this.#ping = new PingEndpoint(this.#status, logger, resolved.pingHandlerTimeoutMs, () => this.#life.restore.check());
    const inflight = (this.#inflight = new InflightRequests());
    this.#invocations = new InvocationEndpoint({
      logger,
      maxBodyBytes: resolved.maxBodyBytes,
      debug: resolved.debug ? { status: this.#status, tasks: this.#tasks } : undefined,
      result: { logger, sseHeartbeatMs: resolved.sseHeartbeatMs, streamStallTimeoutMs: resolved.streamStallTimeoutMs },
      inflight,
    });
    this.#websockets = new WebSocketMount(WEBSOCKET_PATH, options.websocket, logger, () => this.#life.closing, () => this.#life.server);
    this.upgradeListener = this.#websockets.upgradeListener;
    const parts = { options: resolved, logger, requestListener: this.requestListener, websockets: this.#websockets, inflight, tasks: this.#tasks, status: this.#status };
    this.#life = new ServerLifecycle({ ...parts, hasEntrypoint: () => this.#invocations.hasHandler });
    const handler = options.handler ?? options.invocationHandler?.process;
    if (handler !== undefined) this.entrypoint(handler);
    if (options.pingHandler !== undefined) this.ping(options.pingHandler);
  }

  /** Sets the invocation handler and returns it (like the Python decorator). @throws TypeError for a non-function. */
  entrypoint<H extends InvocationHandler>(handler: H): H {
    this.#invocations.setHandler(checkFunction(handler, 'entrypoint handler'));
    return handler;
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

  /**
   * Sets the `/ws` handler and returns it; without one, upgrades are refused with 404. Connections
   * do not change the ping status: track long work with `runAsyncTask`. @throws TypeError for a non-function.
   */
  websocket<H extends WebSocketHandler>(handler: H): H {
    this.#websockets.setHandler(checkFunction(handler, 'websocket handler'));
    return handler;
  }

  /**
   * Serves the warmup lifecycle hook (platform V2): `POST <path>` (default `/warmup`) runs
   * `handler` once, before any session; every call shares that run (see `WarmupEndpoint`).
   * @throws TypeError for a bad handler or path; Error when set twice or the path is taken.
   */
  warmup(handler: WarmupHandler, options: WarmupOptions = {}): void {
    if (this.#warmup !== undefined) throw new Error('A warmup handler is already set');
    const endpoint = new WarmupEndpoint(checkFunction(handler, 'warmup handler'), this.logger, this.#tasks, () => this.#options.clock.monotonic(), {
      maxBodyBytes: this.#options.maxBodyBytes,
      inflight: this.#inflight,
    });
    this.#router.add('warmup', checkPath('warmup path', options.path ?? DEFAULT_WARMUP_PATH), ['POST']);
    this.#warmup = endpoint;
  }

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

  /** The request listener, to mount the app on a server of your own: `createServer(app.requestListener)`. */
  readonly requestListener = (request: IncomingMessage, response: ServerResponse): void => {
    // While shutting down, every answer closes its connection so keep-alive clients let go.
    if (this.#life.closing) response.shouldKeepAlive = false;
    const cors = this.#options.cors;
    if (cors?.isPreflight(request) && pathOf(request.url!) === this.#options.invocationPath) {
      cors.answerPreflight(request, response, this.logger);
      return;
    }
    let route;
    try {
      route = this.#router.match(request.method!, request.url!);
    } catch (error) {
      sendError(response, error as HttpError);
      return;
    }
    if (route === 'ping') return this.#ping.serve(response);
    if (route === 'warmup') return this.#warmup!.serve(request, response);
    if (route === 'ws') return sendError(response, new UpgradeRequiredError(WEBSOCKET_PATH));
    cors?.decorate(request, response, this.logger);
    this.#invocations.serve(request, response);
  };

  /**
   * The `upgrade` listener, for a server of your own: `server.on('upgrade', app.upgradeListener)`.
   * Only `Upgrade: websocket` on `/ws` is a handshake; other upgrade offers are served as plain HTTP.
   */
  readonly upgradeListener: (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

  /**
   * Sends a request to the app in process, without a socket (`await app.request('/ping')`): the
   * whole pipeline runs as over the network. `input` is a path (against `http://localhost`), a URL or a `Request`.
   */
  async request(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const { requestInProcess } = await loadInProcess();
    return requestInProcess(this.#life.inProcessServer, input, init);
  }

  /** Adds a hook around every invocation (see `InvocationHook`): `app.use(async (call, next) => next())`. */
  use(hook: InvocationHook): void {
    this.#invocations.addHook(checkFunction(hook, 'request hook'));
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
   * exits 1); a startup failure exits 1; errors nothing handled are met as `RunOptions` say.
   * @throws Error (rejects) when the app is already serving; the running server is left alone.
   */
  run(options: RunOptions = {}): Promise<AddressInfo> {
    return runApp(this, options, this.#options.shutdownGraceMs);
  }
}

/** The AWS SDKs' name for the same class. */
export { AgentCoreApp as BedrockAgentCoreApp };

function checkFunction<F>(handler: F, what: string): F {
  if (typeof handler !== 'function') throw new TypeError(`${what} must be a function`);
  return handler;
}
