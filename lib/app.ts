import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { defaultHost, defaultPort } from './environment.js';
import { HttpError } from './errors.js';
import { sendError } from './http/response.js';
import { matchRoute } from './http/router.js';
import { createAgentServer, listenOn, type ListenOptions } from './http/server.js';
import { InvocationEndpoint, type InvocationHandler } from './invocation/invocation.js';
import { runApp } from './lifecycle/run.js';
import { InflightRequests, shutdown, type CloseOptions } from './lifecycle/shutdown.js';
import { EventLoopStallMonitor } from './lifecycle/stall-monitor.js';
import { checkLimit } from './limits.js';
import { Logger } from './logger.js';
import { resolveOptions, type AgentCoreAppOptions, type ResolvedOptions } from './options.js';
import { PingEndpoint, type PingHandler } from './ping/endpoint.js';
import { isPingStatus, PingStatusReporter, type PingStatus } from './ping/status.js';
import { TaskSupervisor, type BackgroundWork, type RunAsyncTaskOptions } from './tasks/supervisor.js';
import type { AsyncTaskInfo, TaskMetadata } from './tasks/tracker.js';
import { WebSocketMount, type WebSocketHandler } from './websocket/mount.js';

const WEBSOCKET_PATH = '/ws';

/**
 * An agent server for the Amazon Bedrock AgentCore Runtime contract: `GET /ping` reports
 * `Healthy` or `HealthyBusy` from tracked async tasks, `POST /invocations` runs the entrypoint,
 * `/ws` serves WebSocket connections.
 *
 * The app is a facade: it checks the options, wires the parts and delegates. A request flows
 * router → endpoint (`ping/endpoint.ts`, `invocation/invocation.ts`, `websocket/mount.ts`);
 * tasks change the tracker, and the ping status derives from it.
 */
export class AgentCoreApp {
  /** The app's structured logger. */
  readonly logger: Logger;
  readonly #options: ResolvedOptions;
  readonly #tasks: TaskSupervisor;
  readonly #status: PingStatusReporter;
  readonly #ping: PingEndpoint;
  readonly #invocations: InvocationEndpoint;
  readonly #websockets: WebSocketMount;
  readonly #inflight = new InflightRequests();
  readonly #stallMonitor: EventLoopStallMonitor | undefined;
  #server: Server | undefined;
  #closing: Promise<void> | undefined;

  /** @throws RangeError for an option out of range; TypeError for a handler that is not a function. */
  constructor(options: AgentCoreAppOptions = {}) {
    const resolved = resolveOptions(options);
    this.#options = resolved;
    const logger = new Logger({ level: options.logLevel, sink: options.logSink });
    this.logger = logger;
    const now = resolved.clock.now;
    this.#tasks = new TaskSupervisor(logger, now, resolved.maxTaskAgeMs);
    this.#status = new PingStatusReporter(this.#tasks.tracker, now);
    this.#ping = new PingEndpoint(this.#status, logger, resolved.pingHandlerTimeoutMs);
    this.#invocations = new InvocationEndpoint({
      logger,
      maxBodyBytes: resolved.maxBodyBytes,
      debug: resolved.debug ? { status: this.#status, tasks: this.#tasks } : undefined,
      result: { logger, sseHeartbeatMs: resolved.sseHeartbeatMs, streamStallTimeoutMs: resolved.streamStallTimeoutMs },
      inflight: this.#inflight,
    });
    this.#websockets = new WebSocketMount(WEBSOCKET_PATH, options.websocket, logger, () => this.#closing !== undefined);
    this.upgradeListener = this.#websockets.upgradeListener;
    this.#stallMonitor = resolved.stallWarningMs === 0 ? undefined : new EventLoopStallMonitor(resolved.stallWarningMs, (blockedMs) =>
      logger.warn('event loop was blocked; /ping and every request waited', { blockedMs, hint: 'move CPU-bound work to a worker thread' }),
    );
    const handler = options.handler ?? options.invocationHandler?.process;
    if (handler !== undefined) this.entrypoint(handler);
    if (options.pingHandler !== undefined) this.ping(options.pingHandler);
  }

  /**
   * Sets the invocation handler and returns it (so it can be used like the Python decorator).
   * @throws TypeError when `handler` is not a function.
   */
  entrypoint<H extends InvocationHandler>(handler: H): H {
    this.#invocations.setHandler(checkFunction(handler, 'entrypoint handler'));
    return handler;
  }

  /**
   * Sets a custom ping handler (sync or async) and returns it. It is consulted on each `/ping`
   * unless a status is forced; if it throws, rejects, times out or answers anything but a valid
   * status, the automatic status is used for that poll.
   * @throws TypeError when `handler` is not a function.
   */
  ping<H extends PingHandler>(handler: H): H {
    this.#ping.setHandler(checkFunction(handler, 'ping handler'));
    return handler;
  }

  /**
   * Sets the `/ws` handler and returns it. Without one, upgrades to `/ws` are refused with 404.
   * WebSocket connections do not change the ping status: track long work started over a
   * socket with `runAsyncTask` like any other.
   * @throws TypeError when `handler` is not a function.
   */
  websocket<H extends WebSocketHandler>(handler: H): H {
    this.#websockets.setHandler(checkFunction(handler, 'websocket handler'));
    return handler;
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

  /**
   * Wraps a function so every call is tracked as a task from start until its result settles.
   * Works for any function, async or returning a promise or a plain value; the wrapper returns
   * a promise of the result (a rejection reaches the caller, and the task still completes).
   */
  asyncTask<A extends unknown[], R>(fn: (...args: A) => R, name: string = fn?.name || 'async_task'): (...args: A) => Promise<Awaited<R>> {
    return this.#tasks.wrap(fn, name);
  }

  /**
   * Runs background work tracked as a task from now until it settles, and returns the task id
   * at once. It cannot leak: the task completes however the work ends; a failure is logged,
   * never an unhandled rejection; with `timeoutMs` the task is completed with a warning when
   * time runs out and the work's `signal` is aborted.
   */
  runAsyncTask(name: string, work: BackgroundWork, options?: RunAsyncTaskOptions): number {
    return this.#tasks.run(name, work, options);
  }

  /**
   * The status `/ping` reports right now: forced, else the custom handler's latest answer,
   * else automatic. Does not call the custom handler.
   */
  getCurrentPingStatus(): PingStatus {
    return this.#status.status;
  }

  /**
   * Forces the ping status until `clearForcedPingStatus()`.
   * @throws TypeError when `status` is not `"Healthy"` or `"HealthyBusy"`.
   */
  forcePingStatus(status: PingStatus): void {
    if (!isPingStatus(status)) throw new TypeError(`Invalid ping status: ${String(status)}`);
    this.#status.force(status);
  }

  /** Removes a forced ping status. */
  clearForcedPingStatus(): void {
    this.#status.clearForced();
  }

  /**
   * The bare request listener, to mount the app on a `node:http` server of your own:
   * `createServer(app.requestListener)`.
   */
  readonly requestListener = (request: IncomingMessage, response: ServerResponse): void => {
    // While shutting down, every answer closes its connection so keep-alive clients let go.
    if (this.#closing !== undefined) response.shouldKeepAlive = false;
    let route;
    try {
      route = matchRoute(request.method!, request.url!);
    } catch (error) {
      sendError(response, error as HttpError);
      return;
    }
    if (route === 'ping') this.#ping.serve(response);
    else if (route === 'invocations') this.#invocations.serve(request, response);
    else sendError(response, new HttpError(426, 'Use a WebSocket upgrade for /ws', { code: 'UPGRADE_REQUIRED', headers: { Upgrade: 'websocket' } }));
  };

  /**
   * Handles an HTTP upgrade request, for mounting the app on your own server:
   * `server.on('upgrade', app.upgradeListener)`. Only `/ws` is served.
   */
  readonly upgradeListener: (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

  /** The HTTP server once `listen()` was called. */
  get server(): Server | undefined {
    return this.#server;
  }

  /**
   * Starts serving and resolves with the bound address.
   * @throws Error (rejects) with a clear message when the port is in use or cannot be bound.
   */
  async listen(options: ListenOptions = {}): Promise<AddressInfo> {
    if (this.#server !== undefined) throw new Error('AgentCoreApp is already listening');
    const port = options.port ?? defaultPort();
    const host = options.host ?? defaultHost();
    const server = createAgentServer(this.requestListener, this.#options.server, this.logger);
    server.on('upgrade', this.upgradeListener);
    this.#server = server;
    let address: AddressInfo;
    try {
      address = await listenOn(server, port, host);
    } catch (error) {
      this.#server = undefined;
      throw error;
    }
    server.on('error', (error) => this.logger.error('server error', { error }));
    this.#stallMonitor?.start();
    this.logger.info('agentcore-lite listening', { host: address.address, port: address.port });
    return address;
  }

  /**
   * Shuts down gracefully: stops accepting connections, closes idle keep-alive connections,
   * keeps answering `/ping` and in-flight requests on open ones, waits up to `graceMs` for
   * in-flight invocations and streams to finish and tracked tasks to complete, logs whatever
   * is still running at the deadline, then closes every connection. Calling it again returns
   * the same promise.
   * @throws RangeError (rejects) when `graceMs` is not a non-negative integer.
   */
  close(options: CloseOptions = {}): Promise<void> {
    let graceMs: number;
    try {
      graceMs = checkLimit('graceMs', options.graceMs, this.#options.shutdownGraceMs, true);
    } catch (error) {
      return Promise.reject(error);
    }
    this.#closing ??= this.#shutdown(graceMs).finally(() => {
      this.#closing = undefined;
    });
    return this.#closing;
  }

  async #shutdown(graceMs: number): Promise<void> {
    this.#stallMonitor?.stop();
    const targets = { server: this.#server, inflight: this.#inflight, tasks: this.#tasks, websockets: this.#websockets, logger: this.logger };
    await shutdown(targets, graceMs);
    this.#server = undefined;
  }

  /**
   * Seed-style start: listens on `PORT`/`HOST` (container-aware default host). SIGTERM or
   * SIGINT shuts down gracefully (see `close()`) and exits 0; a second signal exits at once
   * with code 1. A startup failure is logged and exits with code 1.
   */
  run(options: ListenOptions = {}): Promise<AddressInfo> {
    return runApp(this, options, this.#options.shutdownGraceMs);
  }
}

/** The AWS SDKs' name for the same class. */
export { AgentCoreApp as BedrockAgentCoreApp };

function checkFunction<F>(handler: F, what: string): F {
  if (typeof handler !== 'function') throw new TypeError(`${what} must be a function`);
  return handler;
}
