import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { collectBody, decodeBody, drainRefusedBody, RequestAbortedError } from './body.js';
import { monotonicMs } from './clock.js';
import { createRequestContext, RequestLifetime, runWithContext, type RequestContext } from './context.js';
import { DEBUG_ACTION_KEY, isDebugAction, runDebugAction } from './debug-actions.js';
import { defaultHost, defaultPort } from './environment.js';
import { BodyTooLargeError, HttpError } from './errors.js';
import {
  checkLimit,
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_HEADER_BYTES,
  DEFAULT_PING_HANDLER_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_SHUTDOWN_GRACE_MS,
  DEFAULT_STALL_WARNING_MS,
} from './limits.js';
import { Logger, type LogLevel, type LogSink } from './logger.js';
import { sendError, sendJson } from './response.js';
import { resultWriterOptions, writeResult, type ResultOutcome, type ResultWriterOptions } from './result.js';
import { matchRoute, pathOf } from './router.js';
import { toJson } from './serialize.js';
import { createAgentServer, type ServerLimits } from './server.js';
import { EventLoopStallMonitor } from './stall-monitor.js';
import { isPingStatus, PingStatus, PingStatusReporter } from './status.js';
import { TaskTracker, type AsyncTaskInfo, type TaskMetadata } from './tasks.js';
import { CloseCode } from './websocket/constants.js';
import type { WebSocketHandshakeErrorCode } from './websocket/errors.js';
import type { WebSocketOptions } from './websocket/server.js';
import type { AgentCoreWebSocket } from './websocket/socket.js';

/** The WebSocket implementation, loaded on the first upgrade so other agents start faster. */
type WebSocketModule = typeof import('./websocket/index.js');
let websocketModule: Promise<WebSocketModule> | undefined;
function loadWebSocketModule(): Promise<WebSocketModule> {
  websocketModule ??= import('./websocket/index.js');
  return websocketModule;
}

/** How often shutdown checks whether in-flight work and tasks are done. */
const SHUTDOWN_POLL_MS = 20;

/**
 * Handles one invocation: receives the payload (parsed JSON, a string for `text/*`, bytes for
 * other types) and the request context; returns the result or a promise of it.
 */
export type InvocationHandler = (payload: any, context: RequestContext) => unknown;

/**
 * Serves one WebSocket connection on `/ws`: receives the open socket and the upgrade request's
 * context (also reachable through `getRequestContext()` in the handler and its callbacks).
 * If it throws or rejects, the connection closes with 1011.
 */
export type WebSocketHandler = (socket: AgentCoreWebSocket, context: RequestContext) => unknown;

/** WebSocket limits for `/ws` (see `WebSocketOptions`); errors are logged by the app. */
export type AppWebSocketOptions = Omit<WebSocketOptions, 'onError'>;

/** Decides the ping status; sync or async. Anything but a valid status means "use automatic". */
export type PingHandler = () => PingStatus | string | undefined | Promise<PingStatus | string | undefined>;

/** Options for `AgentCoreApp`. Every limit has a safe default. */
export interface AgentCoreAppOptions {
  /** Answer `_agent_core_app_action` debug payloads. Default `false`. */
  debug?: boolean;
  /** Largest request body accepted, in bytes; larger bodies get 413. Default 100 MiB. */
  maxBodyBytes?: number;
  /** How long `/ping` waits for an async custom ping handler. Default 1000 ms. */
  pingHandlerTimeoutMs?: number;
  /** Time to receive a request's headers (slowloris guard). Default 10 000 ms. */
  headersTimeoutMs?: number;
  /** Time to receive a whole request, body included; 0 disables. Default 300 000 ms. */
  requestTimeoutMs?: number;
  /** Idle keep-alive connection lifetime. Default 65 000 ms (longer than common proxy idle timeouts). */
  keepAliveTimeoutMs?: number;
  /** Largest request head in bytes; larger gets 431. Default 16 384. */
  maxHeaderBytes?: number;
  /** Most concurrent connections; more are dropped. Default: unlimited. */
  maxConnections?: number;
  /** Grace for in-flight work and tracked tasks on `close()` and SIGTERM. Default 10 000 ms. */
  shutdownGraceMs?: number;
  /** Warn when the event loop is blocked this long; 0 disables. Default 500 ms. */
  stallWarningMs?: number;
  /**
   * Expire manually tracked tasks (with a warning) after this age, so a forgotten
   * `completeAsyncTask` cannot pin the session busy for 8 hours. Default: off.
   */
  maxTaskAgeMs?: number;
  /** Minimum log level. Default: `LOG_LEVEL`, else `info`. */
  logLevel?: LogLevel;
  /** Where log lines go. Default: stdout (debug, info) and stderr (warn, error). */
  logSink?: LogSink;
  /**
   * Limits for `/ws`: `maxMessageBytes` (default 16 MiB, larger closes with 1009),
   * `maxFrameBytes` (default 60 KiB, under the platform's 64 KB frame limit),
   * `maxFramesPerSecond` (default off; the platform allows 250), `idlePingMs` (default off),
   * `closeTimeoutMs` (default 5000), `selectProtocol`.
   */
  websocket?: AppWebSocketOptions;
  /** The invocation handler (also settable with `entrypoint()`). */
  handler?: InvocationHandler;
  /** AWS TypeScript SDK shape: `{ invocationHandler: { process } }`. */
  invocationHandler?: { process: InvocationHandler };
  /** AWS TypeScript SDK shape: the custom ping handler. */
  pingHandler?: PingHandler;
  /**
   * On a streaming (`text/event-stream`) answer, write a `: keepalive` comment whenever no event
   * was written for this many ms, so proxies and clients do not drop a quiet stream. Default 0 (off).
   */
  sseHeartbeatMs?: number;
}

/** Options for `listen()`. */
export interface ListenOptions {
  /** Default: `PORT`, else 8080. Use 0 for an ephemeral port. */
  port?: number;
  /** Default: `HOST`, else `0.0.0.0` in a container and `127.0.0.1` elsewhere. */
  host?: string;
}

/** Options for `close()`. */
export interface CloseOptions {
  /** Grace for in-flight invocations, streams and tracked tasks. Default: the app's `shutdownGraceMs`. */
  graceMs?: number;
}

/** Options for `runAsyncTask()`. */
export interface RunAsyncTaskOptions {
  /** Reported with the task by job status. */
  metadata?: TaskMetadata;
  /** Stop tracking after this many ms (with a warning) and abort the work's signal. */
  timeoutMs?: number;
}

/** Work run by `runAsyncTask()`; `signal` aborts when the task times out; `taskId` is its task. */
export type BackgroundWork = (signal: AbortSignal, taskId: number) => unknown;

/**
 * An agent server for the Amazon Bedrock AgentCore Runtime contract: `GET /ping` reports
 * `Healthy` or `HealthyBusy` from tracked async tasks, `POST /invocations` runs the entrypoint.
 */
export class AgentCoreApp {
  /** The app's structured logger. */
  readonly logger: Logger;
  readonly #debug: boolean;
  readonly #maxBodyBytes: number;
  readonly #pingHandlerTimeoutMs: number;
  readonly #serverLimits: ServerLimits;
  readonly #shutdownGraceMs: number;
  readonly #maxTaskAgeMs: number | undefined;
  readonly #stallMonitor: EventLoopStallMonitor | undefined;
  readonly #taskTimers = new Map<number, NodeJS.Timeout>();
  readonly #websocketOptions: WebSocketOptions;
  readonly #websockets = new Set<AgentCoreWebSocket>();
  #websocketHandler: WebSocketHandler | undefined;
  readonly #tracker = new TaskTracker();
  readonly #status = new PingStatusReporter(this.#tracker);
  #handler: InvocationHandler | undefined;
  #pingHandler: PingHandler | undefined;
  #pendingPing: Promise<void> | undefined;
  #server: Server | undefined;
  /** One lifetime per in-flight invocation; aborting it ends a stream cleanly. */
  readonly #inflight = new Set<RequestLifetime>();
  #closing: Promise<void> | undefined;
  readonly #resultOptions: ResultWriterOptions;

  constructor(options: AgentCoreAppOptions = {}) {
    this.#debug = options.debug === true;
    this.#maxBodyBytes = checkLimit('maxBodyBytes', options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES);
    this.#pingHandlerTimeoutMs = checkLimit('pingHandlerTimeoutMs', options.pingHandlerTimeoutMs, DEFAULT_PING_HANDLER_TIMEOUT_MS);
    this.#serverLimits = {
      headersTimeoutMs: checkLimit('headersTimeoutMs', options.headersTimeoutMs, DEFAULT_HEADERS_TIMEOUT_MS),
      requestTimeoutMs: checkLimit('requestTimeoutMs', options.requestTimeoutMs, DEFAULT_REQUEST_TIMEOUT_MS, true),
      keepAliveTimeoutMs: checkLimit('keepAliveTimeoutMs', options.keepAliveTimeoutMs, DEFAULT_KEEP_ALIVE_TIMEOUT_MS),
      maxHeaderBytes: checkLimit('maxHeaderBytes', options.maxHeaderBytes, DEFAULT_MAX_HEADER_BYTES),
      maxConnections: options.maxConnections === undefined ? undefined : checkLimit('maxConnections', options.maxConnections, 0),
    };
    const { headersTimeoutMs, requestTimeoutMs } = this.#serverLimits;
    if (requestTimeoutMs !== 0 && headersTimeoutMs > requestTimeoutMs) {
      throw new RangeError(`headersTimeoutMs (${headersTimeoutMs}) must not exceed requestTimeoutMs (${requestTimeoutMs})`);
    }
    this.#shutdownGraceMs = checkLimit('shutdownGraceMs', options.shutdownGraceMs, DEFAULT_SHUTDOWN_GRACE_MS, true);
    this.#maxTaskAgeMs = options.maxTaskAgeMs === undefined ? undefined : checkLimit('maxTaskAgeMs', options.maxTaskAgeMs, 0);
    const stallWarningMs = checkLimit('stallWarningMs', options.stallWarningMs, DEFAULT_STALL_WARNING_MS, true);
    this.logger = new Logger({ level: options.logLevel, sink: options.logSink });
    this.#websocketOptions = {
      ...options.websocket,
      onError: (error) => this.logger.debug('websocket error', { error }),
    };
    this.#stallMonitor =
      stallWarningMs === 0
        ? undefined
        : new EventLoopStallMonitor(stallWarningMs, (blockedMs) =>
            this.logger.warn('event loop was blocked; /ping and every request waited', {
              blockedMs,
              hint: 'move CPU-bound work to a worker thread',
            }),
          );
    this.#resultOptions = resultWriterOptions(this.logger, options.sseHeartbeatMs);
    const handler = options.handler ?? options.invocationHandler?.process;
    if (handler !== undefined) this.entrypoint(handler);
    if (options.pingHandler !== undefined) this.ping(options.pingHandler);
  }

  /**
   * Sets the invocation handler and returns it (so it can be used like the Python decorator).
   * @throws TypeError when `handler` is not a function.
   */
  entrypoint<H extends InvocationHandler>(handler: H): H {
    if (typeof handler !== 'function') throw new TypeError('entrypoint handler must be a function');
    this.#handler = handler;
    return handler;
  }

  /**
   * Sets a custom ping handler (sync or async) and returns it. It is consulted on each `/ping`
   * unless a status is forced; if it throws, rejects, times out or answers anything but a valid
   * status, the automatic status is used for that poll.
   * @throws TypeError when `handler` is not a function.
   */
  ping<H extends PingHandler>(handler: H): H {
    if (typeof handler !== 'function') throw new TypeError('ping handler must be a function');
    this.#pingHandler = handler;
    return handler;
  }

  /**
   * Sets the `/ws` handler and returns it. Without one, upgrades to `/ws` are refused with 404.
   * WebSocket connections do not change the ping status: track long work started over a
   * socket with `runAsyncTask` like any other.
   * @throws TypeError when `handler` is not a function.
   */
  websocket<H extends WebSocketHandler>(handler: H): H {
    if (typeof handler !== 'function') throw new TypeError('websocket handler must be a function');
    this.#websocketHandler = handler;
    return handler;
  }

  /**
   * Handles an HTTP upgrade request, for mounting the app on your own server:
   * `server.on('upgrade', app.upgradeListener)`. Only `/ws` is served.
   */
  readonly upgradeListener = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // Node leaves an upgraded socket paused until someone reads it, so nothing is lost while
    // the WebSocket module loads.
    loadWebSocketModule().then(
      (websocket) => this.#serveUpgrade(websocket, request, socket, head),
      (error: unknown) => {
        this.logger.error('websocket support failed to load', { error });
        socket.destroy();
      },
    );
  };

  #serveUpgrade(module: WebSocketModule, request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const refusal = this.#upgradeRefusal(request);
    if (refusal !== undefined) {
      const [status, code, message] = refusal;
      this.logger.debug('websocket upgrade refused', { status, code });
      module.rejectHandshake(socket, new module.WebSocketHandshakeError(message, status, code));
      return;
    }
    const lifetime = new RequestLifetime();
    const context = createRequestContext(request, lifetime);
    runWithContext(context, () => {
      const websocket = module.acceptWebSocket(request, socket, head, this.#websocketOptions);
      if (websocket === undefined) return;
      this.#websockets.add(websocket);
      websocket.once('close', (code: number) => {
        this.#websockets.delete(websocket);
        lifetime.abort();
        this.logger.debug('websocket closed', { code });
      });
      this.logger.debug('websocket opened', { protocol: websocket.protocol || undefined });
      this.#runWebSocketHandler(websocket, context);
    });
  }

  #upgradeRefusal(request: IncomingMessage): [number, WebSocketHandshakeErrorCode, string] | undefined {
    const path = pathOf(request.url!);
    if (path !== '/ws') return [404, 'WS_ERR_NOT_FOUND', `Not found: ${path}`];
    if (this.#websocketHandler === undefined) {
      return [404, 'WS_ERR_NO_HANDLER', 'No WebSocket handler registered: call app.websocket(handler)'];
    }
    if (this.#closing !== undefined) return [503, 'WS_ERR_SHUTTING_DOWN', 'Server is shutting down'];
    return undefined;
  }

  #runWebSocketHandler(websocket: AgentCoreWebSocket, context: RequestContext): void {
    const fail = (error: unknown): void => {
      this.logger.error('websocket handler failed', { error });
      void websocket.close(CloseCode.INTERNAL_ERROR, 'Internal error');
    };
    try {
      const outcome = this.#websocketHandler!(websocket, context);
      if (isThenable(outcome)) outcome.then(undefined, fail);
    } catch (error) {
      fail(error);
    }
  }

  /** Starts tracking a background task; returns its id (monotonic, never reused). */
  addAsyncTask(name: string, metadata?: TaskMetadata): number {
    const id = this.#tracker.add(name, metadata);
    this.#status.refresh();
    this.logger.debug('async task started', { taskId: id, taskName: name });
    if (this.#maxTaskAgeMs !== undefined) this.#expireAfter(id, name, this.#maxTaskAgeMs);
    return id;
  }

  /** Completes task `id`; returns `false` (and logs a warning) when it is unknown or done. */
  completeAsyncTask(id: number): boolean {
    const task = this.#tracker.get(id);
    if (task === undefined || !this.#tracker.complete(id)) {
      this.logger.warn('attempted to complete an unknown or already completed async task', { taskId: id });
      return false;
    }
    this.#clearExpiry(id);
    this.#status.refresh();
    this.logger.debug('async task completed', {
      taskId: id,
      taskName: task.name,
      durationMs: Date.now() - task.startedAt,
    });
    return true;
  }

  /** The active tasks: `{ activeCount, runningJobs: [{ id, name, duration, metadata? }] }`. */
  getAsyncTaskInfo(): AsyncTaskInfo {
    return this.#tracker.info();
  }

  /**
   * The status `/ping` reports right now: forced, else the custom handler's latest answer,
   * else automatic. Does not call the custom handler.
   */
  getCurrentPingStatus(): PingStatus {
    return this.#status.refresh();
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
   * Wraps a function so every call is tracked as a task from start until its result settles.
   * Works for any function, async or returning a promise or a plain value; the wrapper returns
   * a promise of the result (a rejection reaches the caller, and the task still completes).
   */
  asyncTask<A extends unknown[], R>(fn: (...args: A) => R, name: string = fn.name || 'async_task'): (...args: A) => Promise<Awaited<R>> {
    if (typeof fn !== 'function') throw new TypeError('asyncTask expects a function');
    const app = this;
    return async function trackedTask(this: unknown, ...args: A): Promise<Awaited<R>> {
      const id = app.addAsyncTask(name);
      try {
        return await fn.apply(this, args);
      } finally {
        app.#finishTask(id);
      }
    };
  }

  /**
   * Runs background work tracked as a task from now until it settles, and returns the task id
   * at once. It cannot leak: the task completes however the work ends; a failure is logged,
   * never an unhandled rejection; with `timeoutMs` the task is completed with a warning when
   * time runs out and the work's `signal` is aborted.
   */
  runAsyncTask(name: string, work: BackgroundWork, options: RunAsyncTaskOptions = {}): number {
    if (typeof work !== 'function') throw new TypeError('runAsyncTask expects a function');
    const timeoutMs = options.timeoutMs;
    if (timeoutMs !== undefined) checkLimit('timeoutMs', timeoutMs, 0);
    const id = this.addAsyncTask(name, options.metadata);
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => {
        this.logger.warn('async task timed out; no longer tracked', { taskId: id, taskName: name, timeoutMs });
        controller.abort(new Error(`Task ${name} timed out after ${timeoutMs} ms`));
        this.#finishTask(id);
      }, timeoutMs);
      timer.unref();
    }
    const settle = (): void => {
      clearTimeout(timer);
      this.#finishTask(id);
    };
    const onError = (error: unknown): void => {
      settle();
      this.logger.error('async task failed', { taskId: id, taskName: name, error });
    };
    try {
      Promise.resolve(work(controller.signal, id)).then(settle, onError);
    } catch (error) {
      onError(error);
    }
    return id;
  }

  /** Completes a task the app itself tracks; silent when it is already gone. */
  #finishTask(id: number): void {
    if (!this.#tracker.complete(id)) return;
    this.#clearExpiry(id);
    this.#status.refresh();
  }

  #expireAfter(id: number, name: string, maxAgeMs: number): void {
    const timer = setTimeout(() => {
      this.logger.warn('async task exceeded maxTaskAgeMs and was expired; was completeAsyncTask forgotten?', {
        taskId: id,
        taskName: name,
        maxTaskAgeMs: maxAgeMs,
      });
      this.#finishTask(id);
    }, maxAgeMs);
    timer.unref();
    this.#taskTimers.set(id, timer);
  }

  #clearExpiry(id: number): void {
    const timer = this.#taskTimers.get(id);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.#taskTimers.delete(id);
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
    if (route === 'ping') {
      this.#servePing(response);
    } else if (route === 'invocations') {
      this.#serveInvocation(request, response);
    } else {
      sendError(response, new HttpError(426, 'Use a WebSocket upgrade for /ws', { code: 'UPGRADE_REQUIRED', headers: { Upgrade: 'websocket' } }));
    }
  };

  #servePing(response: ServerResponse): void {
    if (this.#pingHandler === undefined || this.#status.forced !== undefined) {
      this.#writePing(response);
      return;
    }
    // Concurrent polls share one handler call, so a slow handler cannot pile up work.
    this.#pendingPing ??= this.#consultPingHandler(this.#pingHandler).finally(() => {
      this.#pendingPing = undefined;
    });
    void this.#pendingPing.then(() => this.#writePing(response));
  }

  async #consultPingHandler(handler: PingHandler): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const answer = handler();
      const value = isThenable(answer)
        ? await Promise.race([
            answer,
            new Promise<never>((_, reject) => {
              timer = setTimeout(
                () => reject(new Error(`ping handler did not answer within ${this.#pingHandlerTimeoutMs} ms`)),
                this.#pingHandlerTimeoutMs,
              );
            }),
          ])
        : answer;
      if (isPingStatus(value)) {
        this.#status.recordHandlerStatus(value);
        return;
      }
      this.logger.warn('ping handler returned an invalid status; using the automatic status', { value: String(value) });
    } catch (error) {
      this.logger.warn('ping handler failed; using the automatic status', { error });
    } finally {
      clearTimeout(timer);
    }
    this.#status.recordHandlerStatus(undefined);
  }

  /** The hot path: a cached body and a header list, no per-poll allocation beyond Node's own. */
  #writePing(response: ServerResponse): void {
    if (this.logger.isEnabled('debug')) this.logger.debug('ping', { status: this.#status.status });
    if (response.destroyed) return;
    response.writeHead(200, this.#status.headers);
    response.end(this.#status.body);
  }

  /**
   * The invocation path, in callbacks rather than `async` functions: for a synchronous handler
   * it allocates no promise (each one also costs `AsyncLocalStorage` hooks in Node 20).
   */
  #serveInvocation(request: IncomingMessage, response: ServerResponse): void {
    // The clock is read only for the completion log line.
    const startedAt = this.logger.isEnabled('info') ? monotonicMs() : 0;
    const lifetime = new RequestLifetime();
    this.#inflight.add(lifetime);
    // 'close' comes once per response, so `on` does what `once` would without its wrapper.
    response.on('close', () => {
      this.#inflight.delete(lifetime);
      if (!response.writableFinished) lifetime.abort();
    });
    const context = createRequestContext(request, lifetime);
    collectBody(request, this.#maxBodyBytes, (error, body) => {
      // Body events run in the socket's async context: enter the request's own from here on.
      runWithContext(context, () => {
        try {
          this.#invoke(request, response, context, error, body!, startedAt);
        } catch (failure) {
          // A bug of ours must still answer (500) rather than take the process down.
          this.#answerHandlerError(response, failure);
        }
      });
    });
  }

  #invoke(
    request: IncomingMessage,
    response: ServerResponse,
    context: RequestContext,
    bodyError: Error | undefined,
    body: Buffer,
    startedAt: number,
  ): void {
    let payload: unknown;
    try {
      if (bodyError !== undefined) throw bodyError;
      payload = decodeBody(body, request.headers['content-type']);
    } catch (error) {
      if (error instanceof RequestAbortedError) {
        this.logger.debug('client aborted the request body');
        return;
      }
      this.#answerError(response, error as HttpError);
      if (error instanceof BodyTooLargeError) drainRefusedBody(request);
      return;
    }
    let result: unknown;
    try {
      if (this.#debug && isDebugAction(payload)) {
        result = runDebugAction(payload[DEBUG_ACTION_KEY], this.#debugTarget);
      } else if (this.#handler === undefined) {
        throw new HttpError(500, 'No entrypoint registered: call app.entrypoint(handler)', { code: 'NO_ENTRYPOINT' });
      } else {
        result = this.#handler(payload, context);
      }
    } catch (error) {
      this.#answerHandlerError(response, error);
      return;
    }
    if (isThenable(result)) {
      Promise.resolve(result).then(
        (value) => this.#answer(response, context, value, startedAt),
        (error: unknown) => this.#answerHandlerError(response, error),
      );
    } else {
      this.#answer(response, context, result, startedAt);
    }
  }

  /** Writes the handler's result: JSON, bytes, a Response or an event stream. */
  #answer(response: ServerResponse, context: RequestContext, result: unknown, startedAt: number): void {
    const written = writeResult(response, result, context, this.#resultOptions);
    if (written instanceof Promise) {
      // Rejects only before anything was written, so an ordinary error answer is still possible.
      written.then(
        (outcome) => this.#logCompleted(outcome, startedAt),
        (error: unknown) => this.#answerHandlerError(response, error),
      );
    } else {
      this.#logCompleted(written, startedAt);
    }
  }

  #logCompleted(outcome: ResultOutcome, startedAt: number): void {
    if (this.logger.isEnabled('info')) this.logger.info('invocation completed', { ...outcome, durationMs: elapsed(startedAt) });
  }

  #answerHandlerError(response: ServerResponse, error: unknown): void {
    if (error instanceof HttpError) {
      this.#answerError(response, error);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    this.logger.error('invocation handler failed', { error });
    sendJson(
      response,
      500,
      toJson({ error: message, code: 'HANDLER_ERROR', error_type: error instanceof Error ? error.name : typeof error }),
    );
  }

  #answerError(response: ServerResponse, error: HttpError): void {
    const log = error.status >= 500 ? 'error' : 'warn';
    this.logger[log]('invocation answered with an error', { status: error.status, code: error.code, errorMessage: error.message });
    sendError(response, error);
  }

  readonly #debugTarget = {
    getCurrentPingStatus: () => this.getCurrentPingStatus(),
    getPingBody: () => {
      this.#status.refresh();
      return this.#status.body;
    },
    getAsyncTaskInfo: () => this.getAsyncTaskInfo(),
    forcePingStatus: (status: PingStatus) => this.forcePingStatus(status),
    clearForcedPingStatus: () => this.clearForcedPingStatus(),
  };

  /** The HTTP server once `listen()` was called. */
  get server(): Server | undefined {
    return this.#server;
  }

  /**
   * Starts serving and resolves with the bound address.
   * @throws Error (rejects) with a clear message when the port is in use or cannot be bound.
   */
  listen(options: ListenOptions = {}): Promise<AddressInfo> {
    if (this.#server !== undefined) return Promise.reject(new Error('AgentCoreApp is already listening'));
    let port: number;
    try {
      port = options.port ?? defaultPort();
    } catch (error) {
      return Promise.reject(error);
    }
    const host = options.host ?? defaultHost();
    const server = createAgentServer(this.requestListener, this.#serverLimits, this.logger);
    server.on('upgrade', this.upgradeListener);
    this.#server = server;
    return new Promise<AddressInfo>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        this.#server = undefined;
        reject(listenError(error, host, port));
      };
      server.once('error', onError);
      server.listen(port, host, () => {
        server.off('error', onError);
        server.on('error', (error) => this.logger.error('server error', { error }));
        this.#stallMonitor?.start();
        const address = server.address() as AddressInfo;
        this.logger.info('agentcore-lite listening', { host: address.address, port: address.port });
        resolve(address);
      });
    });
  }

  /**
   * Shuts down gracefully: stops accepting connections, closes idle keep-alive connections,
   * keeps answering `/ping` and in-flight requests on open ones, waits up to `graceMs` for
   * in-flight invocations and streams to finish and tracked tasks to complete, logs whatever
   * is still running at the deadline, then closes every connection. Calling it again returns
   * the same promise.
   */
  close(options: CloseOptions = {}): Promise<void> {
    const graceMs = checkLimit('graceMs', options.graceMs, this.#shutdownGraceMs, true);
    this.#closing ??= this.#shutdown(graceMs).finally(() => {
      this.#closing = undefined;
    });
    return this.#closing;
  }

  async #shutdown(graceMs: number): Promise<void> {
    const server = this.#server;
    this.#stallMonitor?.stop();
    let serverClosed: Promise<void> = Promise.resolve();
    if (server !== undefined) {
      serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
    }
    const deadline = monotonicMs() + graceMs;
    for (const websocket of this.#websockets) void websocket.close(CloseCode.GOING_AWAY, 'Server shutting down');
    while ((this.#inflight.size > 0 || this.#tracker.size > 0 || this.#websockets.size > 0) && monotonicMs() < deadline) {
      await sleep(Math.min(SHUTDOWN_POLL_MS, Math.max(1, deadline - monotonicMs())));
    }
    if (this.#inflight.size > 0 || this.#tracker.size > 0 || this.#websockets.size > 0) {
      this.logger.warn('shutdown grace period ended with work still running', {
        graceMs,
        inflightRequests: this.#inflight.size,
        openWebSockets: this.#websockets.size,
        activeTasks: this.#tracker.info().runningJobs,
      });
    }
    if (this.#inflight.size > 0) {
      // Streams end cleanly on abort (a final write and end); give them a moment before the cut.
      for (const lifetime of this.#inflight) lifetime.abort(new Error('Server shutting down'));
      await sleep(SHUTDOWN_POLL_MS);
    }
    for (const websocket of this.#websockets) void websocket.terminate();
    if (server !== undefined) {
      server.closeAllConnections();
      await serverClosed;
      this.#server = undefined;
    }
  }

  /**
   * Seed-style start: listens on `PORT`/`HOST` (container-aware default host). SIGTERM or
   * SIGINT shuts down gracefully (see `close()`) and exits 0; a second signal exits at once
   * with code 1. A startup failure is logged and exits with code 1.
   */
  async run(options: ListenOptions = {}): Promise<AddressInfo> {
    let address: AddressInfo;
    try {
      address = await this.listen(options);
    } catch (error) {
      this.logger.error('agentcore-lite failed to start', { error });
      process.exit(1);
    }
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      signals++;
      if (signals > 1) {
        this.logger.warn('second signal: exiting without waiting', { signal });
        process.exit(1);
      }
      this.logger.info('shutting down', { signal, graceMs: this.#shutdownGraceMs });
      this.close().then(
        () => process.exit(0),
        (error: unknown) => {
          this.logger.error('shutdown failed', { error });
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    return address;
  }
}

/** The AWS SDKs' name for the same class. */
export { AgentCoreApp as BedrockAgentCoreApp };

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

function elapsed(startedAt: number): number {
  return Math.round((monotonicMs() - startedAt) * 1000) / 1000;
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `${host}:${port}`;
  const message =
    error.code === 'EADDRINUSE'
      ? `Cannot listen on ${where}: the port is already in use (EADDRINUSE)`
      : error.code === 'EACCES'
        ? `Cannot listen on ${where}: permission denied (EACCES)`
        : `Cannot listen on ${where}: ${error.message}`;
  return Object.assign(new Error(message, { cause: error }), { code: error.code });
}
