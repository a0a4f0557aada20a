import type { ClientRequest, IncomingMessage, Server } from 'node:http';
import { Duplex, Readable } from 'node:stream';

// Read without an `import`, as in server.ts: an ESM import of node:http loads undici on Node 22+.
const { request: httpRequest } = process.getBuiltinModule('node:http');

/** The origin relative inputs are resolved against; nothing is ever sent to it. */
const IN_PROCESS_ORIGIN = 'http://localhost';
/** Statuses whose responses have no body (WHATWG `Response` refuses one). */
const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);
/** The period of the timer that keeps the process alive while a request waits: it never needs to fire. */
const KEEP_ALIVE_INTERVAL_MS = 2 ** 30;

/**
 * Servers whose header and request timeouts run. Node starts checking them when a server emits
 * `listening`; the in-process server never listens, so it is told it does, once, and its
 * connections are held to `headersTimeoutMs` and `requestTimeoutMs` like a socket's.
 */
const timedServers = new WeakSet<Server>();

function startTimeoutChecks(server: Server): void {
  if (timedServers.has(server) || server.listening) return;
  timedServers.add(server);
  server.emit('listening');
}

/**
 * Sends one request to `server` without a socket and answers with a WHATWG `Response`, the way
 * Hono's `app.request()` and Fastify's `inject()` let tests and tools call an app in process.
 * The request travels as HTTP/1.1 bytes over an in-memory connection handed to the server's
 * `connection` event, so Node's parser, the app's limits and timeouts, routing, context,
 * handler, streaming and error answers all run exactly as for a client on the network. A body
 * already in memory (a string, bytes, a `Blob`, form data) is sent with its `Content-Length`; a
 * body stream is sent as it is read, with back-pressure (a refused body stops being read).
 * @param input - A path (`/ping`), a URL, or a `Request`; paths resolve against `http://localhost`.
 * @throws TypeError (rejects) for an input `Request` cannot take; the signal's reason when it
 * aborts (or has aborted) before the response head arrives; the body stream's error when it
 * fails first; `ERR_HTTP_CONTENT_LENGTH_MISMATCH` for a body shorter or longer than a
 * `Content-Length` header says.
 */
export async function requestInProcess(server: Server, input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const request = new Request(typeof input === 'string' && input.startsWith('/') ? new URL(input, IN_PROCESS_ORIGIN) : input, init);
  const signal = request.signal;
  if (signal.aborted) throw signal.reason;
  const url = new URL(request.url);
  const headers: Record<string, string | string[]> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  headers.host ??= url.host;
  // One request per connection, so nothing lingers once the answer is complete.
  headers.connection = 'close';
  const buffered = request.body !== null && isInMemoryBody(init?.body) ? Buffer.from(await request.arrayBuffer()) : undefined;
  if (signal.aborted) throw signal.reason;
  startTimeoutChecks(server);
  const [clientSide, serverSide] = connectionPair();
  server.emit('connection', serverSide);
  return new Promise<Response>((resolve, reject) => {
    let answered = false;
    let finished = false;
    // A socket keeps the process alive while its request waits for an answer; so does this
    // (Node's timeout checks, unref'd, would otherwise never get to fire).
    const waiting = setInterval(ignore, KEEP_ALIVE_INTERVAL_MS);
    const fail = (error: unknown): void => {
      clearInterval(waiting);
      if (!answered) {
        answered = true;
        reject(error);
      }
      // Destroying one end destroys the other: the server lets go of the connection too.
      clientSide.destroy();
    };
    const outgoing = httpRequest({ method: request.method, path: url.pathname + url.search, headers, createConnection: () => clientSide }, (incoming) => {
      answered = true;
      clearInterval(waiting);
      incoming.once('end', () => (finished = true));
      resolve(toResponse(incoming, request.method));
    });
    // A body that is not the length its Content-Length says is an error, never a hung request.
    (outgoing as ClientRequest & { strictContentLength: boolean }).strictContentLength = true;
    const onAbort = (): void => fail(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    clientSide.once('close', () => {
      clearInterval(waiting);
      signal.removeEventListener('abort', onAbort);
    });
    outgoing.on('error', fail);
    try {
      if (request.body === null || buffered !== undefined) {
        outgoing.end(buffered);
      } else {
        outgoing.flushHeaders();
        sendBodyStream(request.body, outgoing, () => finished).catch(fail);
      }
    } catch (error) {
      fail(error);
    }
  });
}

/** Bodies `fetch` would send with a known length: already in memory, so buffering copies nothing new. */
function isInMemoryBody(body: RequestInit['body'] | undefined): boolean {
  return (
    typeof body === 'string' ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    body instanceof Blob ||
    body instanceof URLSearchParams ||
    body instanceof FormData
  );
}

/**
 * Writes `body` to `outgoing` as it is read, waiting for `drain` whenever the connection is full,
 * so nothing is held beyond its buffers. Stops reading (and cancels the stream) once the answer
 * is complete or the connection is gone: a server that refused the body (413) reads no more.
 * @throws (rejects with) the stream's error, or the length mismatch `end()` reports.
 */
async function sendBodyStream(body: ReadableStream<Uint8Array>, outgoing: ClientRequest, answered: () => boolean): Promise<void> {
  const reader = body.getReader();
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (outgoing.destroyed || answered()) return;
      if (next.done === true) {
        done = true;
        outgoing.end();
        return;
      }
      if (!outgoing.write(next.value)) await drained(outgoing);
    }
  } finally {
    if (!done) reader.cancel().catch(ignore);
  }
}

/** Resolves on `drain`, or when the request closes instead. */
function drained(outgoing: ClientRequest): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      outgoing.off('drain', done);
      outgoing.off('close', done);
      resolve();
    };
    outgoing.on('drain', done);
    outgoing.on('close', done);
  });
}

function ignore(): void {}

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
