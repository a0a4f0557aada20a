import type { IncomingMessage, Server, ServerOptions, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../logger.js';
import { toJson } from '../serialize.js';

/** The HTTP server limits, all enforced by Node's own parser and timers. */
export interface ServerLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxHeaderBytes: number;
  maxConnections: number | undefined;
}

/**
 * `node:http`, read without an `import`: an ES module import of a built-in evaluates every one of
 * its exports, and on Node 22+ `http.WebSocket` is a lazy getter that loads the whole fetch
 * implementation (about 15 ms of every cold start). Type-only imports above cost nothing.
 */
const { createServer } = process.getBuiltinModule('node:http');

/** Longest pause between Node's checks of the header and request timeouts. */
const MAX_TIMEOUT_CHECK_MS = 1000;

/**
 * Creates the `node:http` server with the limits applied and a `clientError` handler that
 * answers malformed requests (bad framing, smuggling attempts, oversized heads, timeouts) with
 * a JSON error and a closed socket. Such requests never reach the request listener. Only the
 * requests `shouldUpgrade` accepts reach the `upgrade` event.
 */
export function createAgentServer(
  listener: (request: IncomingMessage, response: ServerResponse) => void,
  limits: ServerLimits,
  logger: Logger,
  shouldUpgrade: (request: IncomingMessage) => boolean,
): Server {
  const options: ServerOptions & { shouldUpgradeCallback: (request: IncomingMessage) => boolean } = {
    // Node 22.21+ and 24.9+ serve a request this declines as ordinary HTTP; older versions
    // ignore the option and hand every upgrade request to the 'upgrade' listener.
    shouldUpgradeCallback: shouldUpgrade,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    maxHeaderSize: limits.maxHeaderBytes,
    // Node checks both timeouts on this interval (30 s by default): check often enough to honour them.
    connectionsCheckingInterval: Math.min(MAX_TIMEOUT_CHECK_MS, Math.ceil(limits.headersTimeoutMs / 2)),
  };
  const server = createServer(options, listener);
  if (limits.maxConnections !== undefined) server.maxConnections = limits.maxConnections;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => answerClientError(error, socket, logger));
  return server;
}

const CLIENT_ERRORS: Readonly<Record<string, readonly [number, string, string]>> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'HEADERS_TOO_LARGE'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'REQUEST_TIMEOUT'],
};
const BAD_REQUEST = [400, 'Bad Request', 'BAD_REQUEST'] as const;

function answerClientError(error: NodeJS.ErrnoException, socket: Duplex, logger: Logger): void {
  logger.debug('malformed or timed-out request refused', { code: error.code, reason: error.message });
  // Node sets _httpMessage while a response is in progress on the socket; raw bytes would corrupt it.
  const inProgress = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage;
  if (!socket.writable || error.code === 'ECONNRESET' || inProgress?.headersSent) {
    socket.destroy();
    return;
  }
  const [status, reason, code] = CLIENT_ERRORS[error.code ?? ''] ?? BAD_REQUEST;
  const body = toJson({ error: reason, code });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Options for `listen()`. */
export interface ListenOptions {
  /** Default: `PORT`, else 8080. Use 0 for an ephemeral port. */
  port?: number;
  /** Default: `HOST`, else `0.0.0.0` in a container and `127.0.0.1` elsewhere. */
  host?: string;
}

/**
 * Binds `server` to `port` on `host`.
 * @throws Error (rejects) with a clear message when the port is in use or cannot be bound.
 */
export function listenOn(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise<AddressInfo>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => reject(listenError(error, host, port));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
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
