import type { IncomingMessage, RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { defaultHost, defaultPort } from '../environment.js';
import { createAgentServer, listenOn, type ListenOptions } from '../http/server.js';
import { checkLimit } from '../limits.js';
import type { Logger } from '../logger.js';
import type { ResolvedServerOptions } from '../options.js';
import type { PingStatusReporter } from '../ping/status.js';
import type { TaskSupervisor } from '../tasks/supervisor.js';
import { LifecycleHooks } from './hooks.js';
import { RestoreDetector } from './restore.js';
import { shutdown, type CloseOptions, type InflightRequests } from './shutdown.js';
import { EventLoopStallMonitor } from './stall-monitor.js';

/**
 * Connections a protocol takes over with an HTTP upgrade (the HTTP app's `/ws`): which requests
 * leave the HTTP parser, the `upgrade` listener, and the open connections shutdown closes.
 */
export interface UpgradeHandling {
  /** For `http.createServer`'s `shouldUpgradeCallback`. */
  shouldUpgrade(request: IncomingMessage): boolean;
  readonly upgradeListener: (request: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /** Open connections. */
  readonly size: number;
  /** Asks every connection to close (shutdown's start). */
  closeAll(): void;
  /** Ends every connection at once (shutdown's deadline). */
  terminateAll(): void;
}

/** What a server whose protocol takes no connection over has: every upgrade offer is plain HTTP. */
export const NO_UPGRADES: UpgradeHandling = Object.freeze({
  shouldUpgrade: () => false,
  upgradeListener: () => undefined,
  size: 0,
  closeAll: () => undefined,
  terminateAll: () => undefined,
});

/** What a server's life from `listen()` to `close()` involves. */
export interface ServingParts {
  options: ResolvedServerOptions;
  logger: Logger;
  requestListener: RequestListener;
  /** The protocol's upgrade handling, read when the server is created. */
  upgrades: () => UpgradeHandling;
  inflight: InflightRequests;
  tasks: TaskSupervisor;
  status: PingStatusReporter;
  /** The protocol's port in the AgentCore contract, used when neither `PORT` nor `listen({ port })` says. */
  defaultPort: number;
  /** Why the server cannot do its work yet (no entrypoint, no tools), if so; `listen()` warns with it. */
  readinessWarning: () => string | undefined;
}

/**
 * A server's life: lifecycle hooks, `listen()` (startup hooks, bind, the listening line, the
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
  /** Set before the shutdown starts, so `closing` is already true during its synchronous part. */
  #shuttingDown = false;

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

  /** True while `close()` runs (from its first step: long-lived answers ending at once see it). */
  get closing(): boolean {
    return this.#shuttingDown;
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
    if (this.#server !== undefined) throw new Error('The server is already listening');
    const { requestListener, logger } = this.#parts;
    const upgrades = this.#parts.upgrades();
    const port = options.port ?? defaultPort(process.env, this.#parts.defaultPort);
    const host = options.host ?? defaultHost();
    const server = createAgentServer(requestListener, this.#parts.options.server, logger, upgrades.shouldUpgrade);
    // Without an `upgrade` listener, Node before 22.21 serves every upgrade offer as plain HTTP too.
    if (upgrades !== NO_UPGRADES) server.on('upgrade', upgrades.upgradeListener);
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
    const notReady = this.#parts.readinessWarning();
    if (notReady !== undefined) logger.warn(notReady);
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
    if (this.#closing === undefined) {
      this.#shuttingDown = true;
      this.#closing = this.#shutdown(graceMs).finally(() => {
        this.#closing = undefined;
        this.#shuttingDown = false;
      });
    }
    return this.#closing;
  }

  async #shutdown(graceMs: number): Promise<void> {
    this.#stallMonitor?.stop();
    const { inflight, tasks, logger } = this.#parts;
    await shutdown({ server: this.#server, inflight, tasks, websockets: this.#parts.upgrades(), hooks: this.hooks, logger }, graceMs);
    this.#server = undefined;
  }
}

function formatHost(address: AddressInfo): string {
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}
