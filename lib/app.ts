import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeBody, DEFAULT_MAX_BODY_BYTES, readBody, RequestAbortedError } from './body.js';
import { createRequestContext, runWithContext, type RequestContext } from './context.js';
import { DEBUG_ACTION_KEY, isDebugAction, runDebugAction } from './debug-actions.js';
import { defaultHost, defaultPort } from './environment.js';
import { HttpError } from './errors.js';
import { Logger, type LogLevel, type LogSink } from './logger.js';
import { sendError, sendJson } from './response.js';
import { resultWriterOptions, writeResult, type ResultOutcome, type ResultWriterOptions } from './result.js';
import { matchRoute } from './router.js';
import { toJson } from './serialize.js';
import { isPingStatus, PingStatus, PingStatusReporter } from './status.js';
import { TaskTracker, type AsyncTaskInfo, type TaskMetadata } from './tasks.js';

/** Default bound on a custom ping handler's answer before `/ping` falls back to automatic. */
export const DEFAULT_PING_HANDLER_TIMEOUT_MS = 1000;

/**
 * Handles one invocation: receives the payload (parsed JSON, a string for `text/*`, bytes for
 * other types) and the request context; returns the result or a promise of it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type InvocationHandler = (payload: any, context: RequestContext) => unknown;

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
  /** Minimum log level. Default: `LOG_LEVEL`, else `info`. */
  logLevel?: LogLevel;
  /** Where log lines go. Default: stdout (debug, info) and stderr (warn, error). */
  logSink?: LogSink;
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

/** Options for `runAsyncTask()`. */
export interface RunAsyncTaskOptions {
  /** Reported with the task by job status. */
  metadata?: TaskMetadata;
  /** Stop tracking after this many ms (with a warning) and abort the work's signal. */
  timeoutMs?: number;
}

/** Work run by `runAsyncTask()`; `signal` aborts when the task times out. */
export type BackgroundWork = (signal: AbortSignal) => unknown;

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
  readonly #tracker = new TaskTracker();
  readonly #status = new PingStatusReporter(this.#tracker);
  #handler: InvocationHandler | undefined;
  #pingHandler: PingHandler | undefined;
  #pendingPing: Promise<void> | undefined;
  #server: Server | undefined;
  readonly #resultOptions: ResultWriterOptions;

  constructor(options: AgentCoreAppOptions = {}) {
    this.#debug = options.debug === true;
    this.#maxBodyBytes = positiveInteger(options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES, 'maxBodyBytes');
    this.#pingHandlerTimeoutMs = positiveInteger(
      options.pingHandlerTimeoutMs,
      DEFAULT_PING_HANDLER_TIMEOUT_MS,
      'pingHandlerTimeoutMs',
    );
    this.logger = new Logger({ level: options.logLevel, sink: options.logSink });
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

  /** Starts tracking a background task; returns its id (monotonic, never reused). */
  addAsyncTask(name: string, metadata?: TaskMetadata): number {
    const id = this.#tracker.add(name, metadata);
    this.#status.refresh();
    this.logger.debug('async task started', { taskId: id, taskName: name });
    return id;
  }

  /** Completes task `id`; returns `false` (and logs a warning) when it is unknown or done. */
  completeAsyncTask(id: number): boolean {
    const task = this.#tracker.get(id);
    if (task === undefined || !this.#tracker.complete(id)) {
      this.logger.warn('attempted to complete an unknown or already completed async task', { taskId: id });
      return false;
    }
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
    if (timeoutMs !== undefined) positiveInteger(timeoutMs, 0, 'timeoutMs');
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
      Promise.resolve(work(controller.signal)).then(settle, onError);
    } catch (error) {
      onError(error);
    }
    return id;
  }

  /** Completes a task the app itself tracks; silent when it is already gone. */
  #finishTask(id: number): void {
    if (this.#tracker.complete(id)) this.#status.refresh();
  }

  /**
   * The bare request listener, to mount the app on a `node:http` server of your own:
   * `createServer(app.requestListener)`.
   */
  readonly requestListener = (request: IncomingMessage, response: ServerResponse): void => {
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
      void this.#serveInvocation(request, response);
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

  #writePing(response: ServerResponse): void {
    this.logger.debug('ping', { status: this.#status.status });
    sendJson(response, 200, this.#status.body);
  }

  async #serveInvocation(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const controller = new AbortController();
    response.once('close', () => {
      if (!response.writableFinished) controller.abort();
    });
    const context = createRequestContext(request, controller.signal);
    await runWithContext(context, () => this.#invoke(request, response, context));
  }

  async #invoke(request: IncomingMessage, response: ServerResponse, context: RequestContext): Promise<void> {
    const startedAt = performance.now();
    let payload: unknown;
    try {
      payload = decodeBody(await readBody(request, this.#maxBodyBytes), request.headers['content-type']);
    } catch (error) {
      if (error instanceof RequestAbortedError) {
        this.logger.debug('client aborted the request body');
        return;
      }
      this.#answerError(response, error as HttpError);
      return;
    }
    let result: unknown;
    let outcome: ResultOutcome;
    try {
      if (this.#debug && isDebugAction(payload)) {
        result = runDebugAction(payload[DEBUG_ACTION_KEY], this.#debugTarget);
      } else if (this.#handler === undefined) {
        throw new HttpError(500, 'No entrypoint registered: call app.entrypoint(handler)', { code: 'NO_ENTRYPOINT' });
      } else {
        result = await this.#handler(payload, context);
      }
      // JSON, bytes, a Response or an event stream; rejects only before anything was written.
      outcome = await writeResult(response, result, context.signal, this.#resultOptions);
    } catch (error) {
      this.#answerHandlerError(response, error);
      return;
    }
    this.logger.info('invocation completed', { ...outcome, durationMs: elapsed(startedAt) });
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
    const port = options.port ?? defaultPort();
    const host = options.host ?? defaultHost();
    const server = createServer(this.requestListener);
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
        const address = server.address() as AddressInfo;
        this.logger.info('agentcore-lite listening', { host: address.address, port: address.port });
        resolve(address);
      });
    });
  }

  /** Stops accepting connections, closes idle ones, and resolves when the server has closed. */
  close(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return Promise.resolve();
    this.#server = undefined;
    return new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }

  /**
   * Seed-style start: listens on `PORT`/`HOST` (container-aware default host) and stops cleanly
   * on SIGTERM or SIGINT. A startup failure is logged and sets a non-zero exit code.
   */
  async run(options: ListenOptions = {}): Promise<AddressInfo | undefined> {
    let address: AddressInfo;
    try {
      address = await this.listen(options);
    } catch (error) {
      this.logger.error('agentcore-lite failed to start', { error });
      process.exitCode = 1;
      return undefined;
    }
    const stop = (signal: NodeJS.Signals): void => {
      this.logger.info('shutting down', { signal });
      void this.close().then(() => process.exit(0));
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    return address;
  }
}

/** The AWS SDKs' name for the same class. */
export { AgentCoreApp as BedrockAgentCoreApp };

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

function elapsed(startedAt: number): number {
  return Math.round((performance.now() - startedAt) * 1000) / 1000;
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
  return value;
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
