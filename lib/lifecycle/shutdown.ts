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

/**
 * The invocations being answered right now, each with its lifetime: aborting a lifetime tells
 * its handler (through `context.signal`) and ends its stream cleanly.
 */
export class InflightRequests {
  readonly #lifetimes = new Set<RequestLifetime>();

  /** Number of invocations still being answered. */
  get size(): number {
    return this.#lifetimes.size;
  }

  /**
   * Counts `response` as in flight until it closes; when it closes before it finished (the client
   * went away), its lifetime is aborted.
   */
  track(response: ServerResponse, lifetime: RequestLifetime): void {
    this.#lifetimes.add(lifetime);
    // 'close' comes once per response, so `on` does what `once` would without its wrapper.
    response.on('close', () => {
      this.#lifetimes.delete(lifetime);
      if (!response.writableFinished) lifetime.abort();
    });
  }

  /** Aborts every in-flight invocation with `reason`. */
  abortAll(reason: Error): void {
    for (const lifetime of this.#lifetimes) lifetime.abort(reason);
  }
}

/** What shutdown waits for and closes. */
export interface ShutdownTargets {
  server: Server | undefined;
  inflight: InflightRequests;
  tasks: { readonly size: number; info(): AsyncTaskInfo };
  websockets: { readonly size: number; closeAll(): void; terminateAll(): void };
  logger: Logger;
}

/**
 * Shuts down gracefully: stops accepting connections, closes idle keep-alive connections, asks
 * WebSockets to close (1001), waits up to `graceMs` for in-flight invocations, streams, sockets
 * and tracked tasks, logs whatever still runs at the deadline, aborts the invocations left (their
 * streams end cleanly), then closes every connection.
 */
export async function shutdown(targets: ShutdownTargets, graceMs: number): Promise<void> {
  const { server, inflight, tasks, websockets, logger } = targets;
  let serverClosed: Promise<void> = Promise.resolve();
  if (server !== undefined) {
    serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
  }
  const deadline = monotonicMs() + graceMs;
  const busy = (): boolean => inflight.size > 0 || tasks.size > 0 || websockets.size > 0;
  websockets.closeAll();
  while (busy() && monotonicMs() < deadline) {
    await sleep(Math.min(SHUTDOWN_POLL_MS, Math.max(1, deadline - monotonicMs())));
  }
  if (busy()) {
    logger.warn('shutdown grace period ended with work still running', {
      graceMs,
      inflightRequests: inflight.size,
      openWebSockets: websockets.size,
      activeTasks: tasks.info().runningJobs,
    });
  }
  if (inflight.size > 0) {
    // Streams end cleanly on abort (a final write and end); give them a moment before the cut.
    inflight.abortAll(new Error('Server shutting down'));
    await sleep(SHUTDOWN_POLL_MS);
  }
  websockets.terminateAll();
  if (server !== undefined) {
    server.closeAllConnections();
    await serverClosed;
  }
}
