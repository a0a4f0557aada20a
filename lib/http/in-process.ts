import type { IncomingMessage, Server } from 'node:http';
import { Duplex, Readable } from 'node:stream';

// Read without an `import`, as in server.ts: an ESM import of node:http loads undici on Node 22+.
const { request: httpRequest } = process.getBuiltinModule('node:http');

/** The origin relative inputs are resolved against; nothing is ever sent to it. */
const IN_PROCESS_ORIGIN = 'http://localhost';
/** Statuses whose responses have no body (WHATWG `Response` refuses one). */
const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);

/**
 * Sends one request to `server` without a socket and answers with a WHATWG `Response`, the way
 * Hono's `app.request()` and Fastify's `inject()` let tests and tools call an app in process.
 * The request travels as HTTP/1.1 bytes over an in-memory connection handed to the server's
 * `connection` event, so Node's parser, the app's limits, routing, context, handler, streaming
 * and error answers all run exactly as for a client on the network.
 * @param input - A path (`/ping`), a URL, or a `Request`; paths resolve against `http://localhost`.
 * @throws TypeError (rejects) for an input `Request` cannot take; the `init.signal`'s reason
 * when it aborts before the response head arrives.
 */
export async function requestInProcess(server: Server, input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const request = new Request(typeof input === 'string' && input.startsWith('/') ? new URL(input, IN_PROCESS_ORIGIN) : input, init);
  const url = new URL(request.url);
  const [clientSide, serverSide] = connectionPair();
  server.emit('connection', serverSide);
  const headers: Record<string, string | string[]> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  headers.host ??= url.host;
  // One request per connection, so nothing lingers once the answer is complete.
  headers.connection = 'close';
  const body = request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
  return new Promise<Response>((resolve, reject) => {
    const outgoing = httpRequest(
      { method: request.method, path: url.pathname + url.search, headers, createConnection: () => clientSide },
      (incoming) => resolve(toResponse(incoming, request.method)),
    );
    const abort = (): void => {
      outgoing.destroy(request.signal.reason as Error);
      clientSide.destroy();
    };
    if (request.signal.aborted) abort();
    else request.signal.addEventListener('abort', abort, { once: true });
    outgoing.on('error', (error) => {
      clientSide.destroy();
      reject(error);
    });
    outgoing.end(body);
  });
}

function toResponse(incoming: IncomingMessage, method: string): Response {
  const headers = new Headers();
  const raw = incoming.rawHeaders;
  for (let index = 0; index < raw.length; index += 2) headers.append(raw[index]!, raw[index + 1]!);
  const status = incoming.statusCode!;
  const hasBody = method !== 'HEAD' && !NULL_BODY_STATUSES.has(status);
  if (!hasBody) incoming.resume();
  const body = hasBody ? (Readable.toWeb(incoming) as ReadableStream<Uint8Array>) : null;
  return new Response(body, { status, statusText: incoming.statusMessage, headers });
}

/** One end of an in-memory connection: what it is written, its peer reads. */
class ConnectionEnd extends Duplex {
  peer!: ConnectionEnd;
  /** The peer's write that waits until this end's reader wants more (back-pressure). */
  #blockedWrite: (() => void) | undefined;

  override _read(): void {
    const blocked = this.#blockedWrite;
    this.#blockedWrite = undefined;
    blocked?.();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.peer.push(chunk)) callback();
    else this.peer.#blockedWrite = () => callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.peer.push(null);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.peer.destroyed) this.peer.destroy();
    callback(error);
  }
}

/** Two ends of an in-memory connection: what one writes, the other reads, with back-pressure. */
function connectionPair(): [Duplex, Duplex] {
  const client = new ConnectionEnd();
  const server = new ConnectionEnd();
  client.peer = server;
  server.peer = client;
  return [client, server];
}
