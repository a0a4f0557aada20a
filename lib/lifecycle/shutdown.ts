import type { Server, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { monotonicMs } from '../clock.js';
import type { RequestLifetime } from '../http/context.js';
import type { Logger } from '../logger.js';
import type { AsyncTaskInfo } from '../tasks/tracker.js';

/** How often shutdown checks whether in-flight work and tasks are done. */
const SHUTDOWN_POLL_MS = 20;

/** Options for `close()`. */
export interface CloseOptions {
  /** Grace for in-flight invocations, streams and tracked tasks. Default: the app's `shutdownGraceMs`. */
  graceMs?: number;
}

/** The answer to a request still running when the shutdown grace period ran out. */
const SHUTTING_DOWN_BODY = JSON.stringify({ error: 'Server shutting down before the answer was ready', code: 'SHUTTING_DOWN' });

/**
 * The invocations being answered right now, each with its lifetime: aborting a lifetime tells
 * its handler (through `context.signal`) and ends its stream cleanly.
 */
export class InflightRequests {
  readonly #requests = new Map<ServerResponse, RequestLifetime>();
  /** The answers that end when shutdown starts rather than at its deadline. */
  readonly #longLived = new Set<ServerResponse>();

  /** Number of invocations still being answered. */
  get size(): number {
    return this.#requests.size;
  }

  /**
   * Counts `response` as in flight until it closes; when it closes before it finished (the client
   * went away), its lifetime is aborted. `endAtShutdown` marks an answer that has no end of its
   * own (a stream a client holds open to be told things, such as MCP's GET stream): shutdown
   * aborts its lifetime as soon as it starts instead of waiting the grace period for it.
   */
  track(response: ServerResponse, lifetime: RequestLifetime, options?: { endAtShutdown?: boolean }): void {
    this.#requests.set(response, lifetime);
    const longLived = options?.endAtShutdown === true;
    if (longLived) this.#longLived.add(response);
    // 'close' comes once per response, so `on` does what `once` would without its wrapper.
    response.on('close', () => {
      this.#requests.delete(response);
      if (longLived) this.#longLived.delete(response);
      if (!response.writableFinished) lifetime.abort();
    });
  }

  /**
   * Marks an answer already tracked as long-lived (see `track`): one whose request turned out,
   * once read, to ask for a stream with no end of its own.
   */
  markLongLived(response: ServerResponse): void {
    if (!this.#requests.has(response) || this.#longLived.has(response)) return;
    this.#longLived.add(response);
    response.once('close', () => this.#longLived.delete(response));
  }

  /** Shutdown starts: the long-lived answers end now (their lifetimes abort with `reason`). */
  endLongLived(reason: Error): void {
    for (const response of [...this.#longLived]) this.#requests.get(response)?.abort(reason);
  }

  /**
   * Makes every answer still to come close its connection, so keep-alive clients open a new one
   * (and find the server gone) rather than reuse one the shutdown is about to cut: an answer not
   * yet started says `Connection: close`; one already streaming closes its connection when done.
   */
  closeConnectionsWhenAnswered(): void {
    for (const response of this.#requests.keys()) {
      if (!response.headersSent) {
        response.shouldKeepAlive = false;
      } else {
        const socket = response.socket;
        response.once('finish', () => socket?.end());
      }
    }
  }

  /**
   * The grace period is over: answers every request that has not started its answer with a JSON
   * 503 (never a reset socket), then aborts every lifetime (streams end cleanly).
   */
  answerAndAbortAll(reason: Error): void {
    for (const [response, lifetime] of this.#requests) {
      if (!response.headersSent && !response.destroyed) {
        response.shouldKeepAlive = false;
        response.writeHead(503, ['content-type', 'application/json', 'content-length', String(SHUTTING_DOWN_BODY.length)]);
        response.end(SHUTTING_DOWN_BODY);
      }
      lifetime.abort(reason);
    }
  }
}

/** What shutdown waits for and closes. */
export interface ShutdownTargets {
  server: Server | undefined;
  inflight: InflightRequests;
  tasks: { readonly size: number; info(): AsyncTaskInfo; abortRunning(reason: Error): number };
  websockets: { readonly size: number; closeAll(): void; terminateAll(): void };
  /** Shutdown hooks, given what is left of the grace period. */
  hooks: { shutdown(budgetMs: number): Promise<void> };
  logger: Logger;
}

/**
 * Shuts down gracefully: stops accepting connections, closes idle keep-alive connections, asks
 * WebSockets to close (1001), ends long-lived answers (streams held open to tell clients things),
 * makes every answer still to come close its connection, waits up
 * to `graceMs` for in-flight invocations, streams, sockets and tracked tasks, runs the shutdown
 * hooks in what is left of it, logs whatever still runs at the deadline, aborts the signals of
 * `runAsyncTask` work still running, answers the invocations left with 503 (or ends their streams
 * cleanly), then closes every connection.
 */
export async function shutdown(targets: ShutdownTargets, graceMs: number): Promise<void> {
  const { server, inflight, tasks, websockets, hooks, logger } = targets;
  let serverClosed: Promise<void> = Promise.resolve();
  if (server !== undefined) {
    serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
  }
  const deadline = monotonicMs() + graceMs;
  const busy = (): boolean => inflight.size > 0 || tasks.size > 0 || websockets.size > 0;
  inflight.closeConnectionsWhenAnswered();
  inflight.endLongLived(new Error('Server shutting down'));
  websockets.closeAll();
  while (busy() && monotonicMs() < deadline) {
    await sleep(Math.min(SHUTDOWN_POLL_MS, Math.max(1, deadline - monotonicMs())));
  }
  await hooks.shutdown(Math.max(0, Math.round(deadline - monotonicMs())));
  if (busy()) {
    const activeTasks = tasks.info().runningJobs;
    // Background work is told to stop, as its timeoutMs would: it must not outlive the app.
    const abortedTasks = tasks.size > 0 ? tasks.abortRunning(new Error('Server shutting down')) : 0;
    logger.warn('shutdown grace period ended with work still running', {
      graceMs,
      inflightRequests: inflight.size,
      openWebSockets: websockets.size,
      activeTasks,
      abortedTasks,
    });
  }
  if (inflight.size > 0) {
    // Streams end cleanly on abort (a final write and end); give them a moment before the cut.
    inflight.answerAndAbortAll(new Error('Server shutting down'));
    await sleep(SHUTDOWN_POLL_MS);
  }
  websockets.terminateAll();
  if (server !== undefined) {
    server.closeAllConnections();
    await serverClosed;
  }
}
