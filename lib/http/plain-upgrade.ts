import type { IncomingMessage, Server } from 'node:http';
import { Duplex } from 'node:stream';

/**
 * Serves a request that Node handed to the `upgrade` event although it is not a WebSocket
 * handshake, as ordinary HTTP on the same connection. Only Node versions without the server's
 * `shouldUpgradeCallback` option (before 22.21 and 24.9) get here: once an `upgrade` listener
 * exists, they take every request with `Connection: upgrade` away from the HTTP parser.
 *
 * The request head is written again without the upgrade (`Upgrade`, `HTTP2-Settings` and their
 * `Connection` tokens dropped), followed by the bytes read past it, and the connection is given
 * back to `server` as a new one (Node accepts any Duplex on its `connection` event), so its
 * parser, limits and keep-alive apply as to any request. Loaded only when such a request comes.
 */
export function serveAsPlainHttp(server: Server, request: IncomingMessage, socket: Duplex, head: Buffer): void {
  const replayed = new ReplayedConnection(socket, Buffer.concat([Buffer.from(headWithoutUpgrade(request), 'latin1'), head]));
  server.emit('connection', replayed);
}

/** Headers that only mean something together with the upgrade they ask for. */
const UPGRADE_HEADERS: ReadonlySet<string> = new Set(['upgrade', 'http2-settings']);

function headWithoutUpgrade(request: IncomingMessage): string {
  let head = `${request.method} ${request.url} HTTP/${request.httpVersion}\r\n`;
  const raw = request.rawHeaders;
  for (let index = 0; index < raw.length; index += 2) {
    const name = raw[index]!;
    const lower = name.toLowerCase();
    let value = raw[index + 1]!;
    if (UPGRADE_HEADERS.has(lower)) continue;
    if (lower === 'connection') {
      value = value
        .split(',')
        .map((token) => token.trim())
        .filter((token) => token !== '' && !UPGRADE_HEADERS.has(token.toLowerCase()))
        .join(', ');
      if (value === '') continue;
    }
    head += `${name}: ${value}\r\n`;
  }
  return head + '\r\n';
}

/** A connection that first yields `prefix`, then whatever `socket` receives; writes go to `socket`. */
class ReplayedConnection extends Duplex {
  readonly #socket: Duplex;

  constructor(socket: Duplex, prefix: Buffer) {
    super();
    this.#socket = socket;
    this.push(prefix);
    socket.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) socket.pause();
    });
    socket.on('end', () => this.push(null));
    socket.on('error', (error: Error) => this.destroy(error));
    socket.on('close', () => this.destroy());
  }

  override _read(): void {
    this.#socket.resume();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#socket.write(chunk, encoding, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#socket.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#socket.destroy(error ?? undefined);
    callback(error);
  }
}
