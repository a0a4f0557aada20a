import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { createRequestContext, RequestLifetime, runWithContext, type RequestContext } from '../http/context.js';
import { isWebSocketUpgrade } from '../http/router.js';
import type { Logger } from '../logger.js';
import { onDemand } from '../on-demand.js';
import { isThenable } from '../thenable.js';
import { CloseCode } from './constants.js';
import type { WebSocketHandshakeErrorCode } from './errors.js';
import type { WebSocketOptions } from './server.js';
import type { AgentCoreWebSocket } from './socket.js';

/**
 * Serves one WebSocket connection on `/ws`: receives the open socket and the upgrade request's
 * context (also reachable through `getRequestContext()` in the handler and its callbacks).
 * If it throws or rejects, the connection closes with 1011.
 */
export type WebSocketHandler = (socket: AgentCoreWebSocket, context: RequestContext) => unknown;

/** WebSocket limits for `/ws` (see `WebSocketOptions`); errors are logged by the app. */
export type AppWebSocketOptions = Omit<WebSocketOptions, 'onError'>;

/** The WebSocket implementation, loaded on the first upgrade so other agents start faster. */
type WebSocketModule = typeof import('./index.js');
const loadWebSocketModule = onDemand(() => import('./index.js'));
/** Serving a non-WebSocket upgrade request as plain HTTP: only needed on Node before 22.21. */
const loadPlainUpgrade = onDemand(() => import('../http/plain-upgrade.js'));

/**
 * The app's `/ws` endpoint and its `upgrade` event: accepts WebSocket upgrades on `path` once a
 * handler is set, runs the handler in the upgrade request's context, and keeps the open sockets
 * so shutdown can close them. Any other request with an `Upgrade` header is served as plain HTTP.
 */
export class WebSocketMount {
  readonly #path: string;
  readonly #logger: Logger;
  readonly #options: WebSocketOptions;
  readonly #isClosing: () => boolean;
  readonly #server: () => Server | undefined;
  readonly #sockets = new Set<AgentCoreWebSocket>();
  #handler: WebSocketHandler | undefined;

  /**
   * @param isClosing - True while the app shuts down: new upgrades are refused with 503.
   * @param server - The app's HTTP server, which serves the requests that are not handshakes.
   */
  constructor(
    path: string,
    options: AppWebSocketOptions | undefined,
    logger: Logger,
    isClosing: () => boolean,
    server: () => Server | undefined,
  ) {
    this.#path = path;
    this.#logger = logger;
    this.#options = { ...options, onError: (error) => logWebSocketError(logger, error) };
    this.#isClosing = isClosing;
    this.#server = server;
  }

  /**
   * For `http.createServer`'s `shouldUpgradeCallback` (Node 22.21+, 24.9+): only WebSocket
   * handshakes on the WebSocket path leave the HTTP parser.
   */
  readonly shouldUpgrade = (request: IncomingMessage): boolean => isWebSocketUpgrade(request, this.#path);

  /** Number of open connections. */
  get size(): number {
    return this.#sockets.size;
  }

  /** True once a handler is set. */
  get hasHandler(): boolean {
    return this.#handler !== undefined;
  }

  /** Sets the handler; until then upgrades are refused with 404. */
  setHandler(handler: WebSocketHandler): void {
    this.#handler = handler;
  }

  /** The `upgrade` event listener. */
  readonly upgradeListener = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (!this.shouldUpgrade(request)) {
      this.#servePlain(request, socket, head);
      return;
    }
    // Node leaves an upgraded socket paused until someone reads it, so nothing is lost while
    // the WebSocket module loads.
    loadWebSocketModule().then(
      (websocket) => this.#serve(websocket, request, socket, head),
      (error: unknown) => {
        this.#logger.error('websocket support failed to load', { error });
        socket.destroy();
      },
    );
  };

  /** Starts the closing handshake on every open connection (1001). */
  closeAll(): void {
    for (const socket of this.#sockets) void socket.close(CloseCode.GOING_AWAY, 'Server shutting down');
  }

  /** Destroys every connection still open. */
  terminateAll(): void {
    for (const socket of this.#sockets) void socket.terminate();
  }

  #servePlain(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A server of the embedder's own is the socket's; the app's own is known.
    const server = this.#server() ?? (socket as Duplex & { server?: Server }).server;
    if (server === undefined) {
      socket.destroy();
      return;
    }
    loadPlainUpgrade().then(
      (plain) => plain.serveAsPlainHttp(server, request, socket, head),
      (error: unknown) => {
        this.#logger.error('serving an upgrade request as plain HTTP failed', { error });
        socket.destroy();
      },
    );
  }

  #serve(module: WebSocketModule, request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const refusal = this.#refusal();
    if (refusal !== undefined) {
      const [status, code, message] = refusal;
      this.#logger.debug('websocket upgrade refused', { status, code });
      module.rejectHandshake(socket, new module.WebSocketHandshakeError(message, status, code));
      return;
    }
    const lifetime = new RequestLifetime();
    const context = createRequestContext(request, lifetime);
    runWithContext(context, () => {
      const websocket = module.acceptWebSocket(request, socket, head, this.#options);
      if (websocket === undefined) return;
      this.#sockets.add(websocket);
      websocket.once('close', (code: number) => {
        this.#sockets.delete(websocket);
        lifetime.abort();
        this.#logger.debug('websocket closed', { code });
      });
      this.#logger.debug('websocket opened', { protocol: websocket.protocol || undefined });
      this.#runHandler(websocket, context);
    });
  }

  #refusal(): [number, WebSocketHandshakeErrorCode, string] | undefined {
    if (this.#handler === undefined) return [404, 'WS_ERR_NO_HANDLER', 'No WebSocket handler registered: call app.websocket(handler)'];
    if (this.#isClosing()) return [503, 'WS_ERR_SHUTTING_DOWN', 'Server is shutting down'];
    return undefined;
  }

  #runHandler(websocket: AgentCoreWebSocket, context: RequestContext): void {
    const fail = (error: unknown): void => {
      this.#logger.error('websocket handler failed', { error });
      void websocket.close(CloseCode.INTERNAL_ERROR, 'Internal error');
    };
    try {
      const outcome = this.#handler!(websocket, context);
      if (isThenable(outcome)) outcome.then(undefined, fail);
    } catch (error) {
      fail(error);
    }
  }
}

/**
 * The peer's mistakes and the network's (a protocol or handshake error, a reset: all carry a
 * string `code`, `WS_ERR_*` or `E*`) are the peer's business, logged at debug; anything else was
 * thrown by the app's own message or close listener, which closed the socket with 1011.
 */
function logWebSocketError(logger: Logger, error: Error): void {
  if (typeof (error as { code?: unknown }).code === 'string') logger.debug('websocket error', { error });
  else logger.error('websocket listener failed; the connection was closed with 1011', { error });
}
