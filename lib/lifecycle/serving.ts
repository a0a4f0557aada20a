import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultHost, defaultPort } from '../environment.js';
import { createAgentServer, listenOn, type ListenOptions } from '../http/server.js';
import { checkLimit } from '../limits.js';
import type { Logger } from '../logger.js';
import type { ResolvedOptions } from '../options.js';
import type { PingStatusReporter } from '../ping/status.js';
import type { TaskSupervisor } from '../tasks/supervisor.js';
import type { WebSocketMount } from '../websocket/mount.js';
import { LifecycleHooks } from './hooks.js';
import { RestoreDetector } from './restore.js';
import { shutdown, type CloseOptions, type InflightRequests } from './shutdown.js';
import { EventLoopStallMonitor } from './stall-monitor.js';

/** What the app's life from `listen()` to `close()` involves. */
export interface ServingParts {
  options: ResolvedOptions;
  logger: Logger;
  requestListener: RequestListener;
  websockets: WebSocketMount;
  inflight: InflightRequests;
  tasks: TaskSupervisor;
  status: PingStatusReporter;
  /** True once an entrypoint is registered (listen warns otherwise). */
  hasEntrypoint: () => boolean;
}

/**
 * The app's life: lifecycle hooks, `listen()` (startup hooks, bind, the listening line, the
 * stall monitor), `close()` (the graceful shutdown), the in-process server behind `request()`,
 * and noticing snapshot restores (which restamps `/ping` and runs the restore hooks).
 */
export class ServerLifecycle {
  readonly hooks: LifecycleHooks;
  readonly restore: RestoreDetector;
  readonly #parts: ServingParts;
  readonly #stallMonitor: EventLoopStallMonitor | undefined;
  #server: Server | undefined;
  #inProcessServer: Server | undefined;
  #closing: Promise<void> | undefined;

  constructor(parts: ServingParts) {
    this.#parts = parts;
    const { options, logger } = parts;
    const clock = options.clock;
    this.hooks = new LifecycleHooks(logger);
    this.restore = new RestoreDetector(clock);
    this.restore.onRestore((clockJumpMs) => {
      parts.status.restamp();
      logger.info('restored from a snapshot (the wall clock jumped against the monotonic clock)', { clockJumpMs });
      this.hooks.restore();
    });
    this.#stallMonitor =
      options.stallWarningMs === 0
        ? undefined
        : new EventLoopStallMonitor(
            options.stallWarningMs,
            (blockedMs) => logger.warn('event loop was blocked; /ping and every request waited', { blockedMs, hint: 'move CPU-bound work to a worker thread' }),
            {
              monotonic: () => clock.monotonic(),
              restored: () => this.restore.check(),
              onPause: (pausedMs) => logger.debug('the process did not run for a while (suspended or restored); not a blocked event loop', { pausedMs }),
            },
          );
  }

  /** The listening server, once `listen()` was called. */
  get server(): Server | undefined {
    return this.#server;
  }

  /** True while `close()` runs. */
  get closing(): boolean {
    return this.#closing !== undefined;
  }

  /** The never-listening server that `request()` hands in-memory connections to. */
  get inProcessServer(): Server {
    const { requestListener, options, logger } = this.#parts;
    this.#inProcessServer ??= createAgentServer(requestListener, options.server, logger, () => false);
    return this.#inProcessServer;
  }

  /**
   * Runs the startup hooks, then binds and resolves with the address.
   * @throws Error (rejects) when already listening, when a startup hook fails, or with a clear
   * message when the port is in use or cannot be bound.
   */
  async listen(options: ListenOptions): Promise<AddressInfo> {
    if (this.#server !== undefined) throw new Error('AgentCoreApp is already listening');
    const { requestListener, websockets, logger } = this.#parts;
    const port = options.port ?? defaultPort();
    const host = options.host ?? defaultHost();
    const server = createAgentServer(requestListener, this.#parts.options.server, logger, websockets.shouldUpgrade);
    server.on('upgrade', websockets.upgradeListener);
    this.#server = server;
    let address: AddressInfo;
    try {
      await this.hooks.startup();
      address = await listenOn(server, port, host);
    } catch (error) {
      this.#server = undefined;
      throw error;
    }
    server.on('error', (error) => logger.error('server error', { error }));
    this.#stallMonitor?.start();
    // One JSON line; the AgentCore CLI's `agentcore dev` waits for "Server listening" in it.
    logger.info(`Server listening on http://${formatHost(address)}:${address.port}`, { host: address.address, port: address.port });
    if (!this.#parts.hasEntrypoint()) logger.warn('no entrypoint registered: POST /invocations answers 500 until app.entrypoint(handler) is called');
    return address;
  }

  /**
   * The graceful shutdown (see `shutdown()`); calling it again returns the same promise.
   * @throws RangeError (rejects) when `graceMs` is not a non-negative integer.
   */
  close(options: CloseOptions): Promise<void> {
    let graceMs: number;
    try {
      graceMs = checkLimit('graceMs', options.graceMs, this.#parts.options.shutdownGraceMs, true);
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
    const { inflight, tasks, websockets, logger } = this.#parts;
    await shutdown({ server: this.#server, inflight, tasks, websockets, hooks: this.hooks, logger }, graceMs);
    this.#server = undefined;
  }
}

function formatHost(address: AddressInfo): string {
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}
