/**
 * Test-only WebSocket client pieces: a masked frame builder, a parser for server frames,
 * a raw `node:net` client, and an echo server around `acceptWebSocket`.
 */

import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { acceptWebSocket, type WebSocketOptions } from '../../lib/websocket/server.js';
import type { AgentCoreWebSocket } from '../../lib/websocket/socket.js';

/** The RFC 6455 §1.3 sample key, and its accept value. */
export const SAMPLE_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
export const SAMPLE_ACCEPT = 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=';

export const OP = { CONT: 0, TEXT: 1, BINARY: 2, CLOSE: 8, PING: 9, PONG: 10 } as const;

export interface FrameSpec {
  opcode: number;
  payload?: Buffer | string;
  fin?: boolean;
  /** RSV bits, already shifted into place (0x40, 0x20, 0x10). */
  rsv?: number;
  masked?: boolean;
  /** Raw 64-bit length field to write instead of the real length (for malformed frames). */
  length64?: Buffer;
}

/** Builds one client frame, masked unless `masked: false`. */
export function buildFrame(spec: FrameSpec): Buffer {
  const payload = typeof spec.payload === 'string' ? Buffer.from(spec.payload) : (spec.payload ?? Buffer.alloc(0));
  const masked = spec.masked ?? true;
  const first = ((spec.fin ?? true) ? 0x80 : 0) | (spec.rsv ?? 0) | spec.opcode;
  let header: Buffer;
  if (spec.length64 !== undefined) {
    header = Buffer.concat([Buffer.from([first, 127]), spec.length64]);
  } else if (payload.length < 126) {
    header = Buffer.from([first, payload.length]);
  } else if (payload.length < 65536) {
    header = Buffer.alloc(4);
    header[0] = first;
    header[1] = 126;
    header.writeUInt16BE(payload.length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  header[1] = header[1]! | 0x80;
  const key = randomBytes(4);
  const body = Buffer.allocUnsafe(payload.length);
  for (let i = 0; i < payload.length; i++) body[i] = payload[i]! ^ key[i & 3]!;
  return Buffer.concat([header, key, body]);
}

/** A close frame payload: 2-byte code plus reason bytes. */
export function closePayload(code: number, reason: Buffer | string = ''): Buffer {
  const code16 = Buffer.alloc(2);
  code16.writeUInt16BE(code);
  return Buffer.concat([code16, typeof reason === 'string' ? Buffer.from(reason) : reason]);
}

export interface ParsedFrame {
  fin: boolean;
  rsv: number;
  opcode: number;
  masked: boolean;
  payload: Buffer;
}

/** The close code carried by a parsed close frame, or undefined if it has none. */
export function closeCodeOf(frame: ParsedFrame): number | undefined {
  return frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : undefined;
}

/** Incrementally parses frames as the server writes them. */
export class FrameReader {
  #pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): ParsedFrame[] {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const frames: ParsedFrame[] = [];
    for (;;) {
      const buf = this.#pending;
      if (buf.length < 2) break;
      let length = buf[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buf.length < 4) break;
        length = buf.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buf.length < 10) break;
        length = Number(buf.readBigUInt64BE(2));
        offset = 10;
      }
      const masked = (buf[1]! & 0x80) !== 0;
      if (masked) offset += 4;
      if (buf.length < offset + length) break;
      frames.push({
        fin: (buf[0]! & 0x80) !== 0,
        rsv: buf[0]! & 0x70,
        opcode: buf[0]! & 0x0f,
        masked,
        payload: Buffer.from(buf.subarray(offset, offset + length)),
      });
      this.#pending = buf.subarray(offset + length);
    }
    return frames;
  }
}

/** A client speaking WebSocket over a raw TCP socket, frame by frame. */
export class RawClient {
  readonly socket: Socket;
  readonly frames: ParsedFrame[] = [];
  readonly responseHead: string;
  readonly ended: Promise<void>;
  #waiters: Array<() => void> = [];

  private constructor(socket: Socket, responseHead: string, rest: Buffer) {
    this.socket = socket;
    this.responseHead = responseHead;
    const reader = new FrameReader();
    const onData = (chunk: Buffer): void => {
      this.frames.push(...reader.push(chunk));
      for (const wake of this.#waiters.splice(0)) wake();
    };
    socket.on('data', onData);
    this.ended = once(socket, 'close').then(() => {
      for (const wake of this.#waiters.splice(0)) wake();
    });
    if (rest.length > 0) onData(rest);
  }

  /** Opens a TCP connection and performs the upgrade; rejects unless the answer is 101. */
  static async connect(port: number, headers: Record<string, string> = {}, firstFrames: Buffer[] = []): Promise<RawClient> {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    // Without this, Nagle's algorithm and delayed ACKs hold back small writes for ~40 ms.
    socket.setNoDelay(true);
    await once(socket, 'connect');
    // Frames written with the request reach the server as the upgrade's `head`.
    socket.write(Buffer.concat([Buffer.from(upgradeRequest(headers)), ...firstFrames]));
    let received = Buffer.alloc(0);
    for (;;) {
      const [chunk] = (await once(socket, 'data')) as [Buffer];
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end === -1) continue;
      const head = received.subarray(0, end).toString('latin1');
      if (!head.startsWith('HTTP/1.1 101 ')) throw new Error(`Upgrade refused: ${head}`);
      socket.pause();
      const client = new RawClient(socket, head, received.subarray(end + 4));
      socket.resume();
      return client;
    }
  }

  /** The value of a response header (case-insensitive), or undefined. */
  header(name: string): string | undefined {
    const line = this.responseHead.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
    return line?.slice(name.length + 1).trim();
  }

  send(...frames: Buffer[]): void {
    for (const frame of frames) this.socket.write(frame);
  }

  /** Resolves with the `index`-th frame received (0-based), waiting for it if needed. */
  async frame(index: number): Promise<ParsedFrame> {
    while (this.frames.length <= index) {
      if (this.socket.destroyed) throw new Error(`Connection closed after ${this.frames.length} frames`);
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    return this.frames[index]!;
  }

  /** Waits until a frame matching `predicate` has arrived. */
  async until(predicate: (frames: ParsedFrame[]) => boolean): Promise<void> {
    while (!predicate(this.frames)) {
      if (this.socket.destroyed) throw new Error(`Connection closed after ${this.frames.length} frames`);
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Waits for the server's close frame and for the TCP connection to end. */
  async closeFrame(): Promise<ParsedFrame> {
    await this.ended;
    const close = this.frames.find((f) => f.opcode === OP.CLOSE);
    if (close === undefined) throw new Error('No close frame received');
    return close;
  }
}

/** A GET /ws upgrade request; `headers` override or (with '') remove the defaults. */
export function upgradeRequest(headers: Record<string, string> = {}, requestLine = 'GET /ws HTTP/1.1'): string {
  const all: Record<string, string> = {
    Host: '127.0.0.1',
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': SAMPLE_KEY,
    'Sec-WebSocket-Version': '13',
    ...headers,
  };
  let text = `${requestLine}\r\n`;
  for (const [name, value] of Object.entries(all)) if (value !== '') text += `${name}: ${value}\r\n`;
  return `${text}\r\n`;
}

/** Sends raw bytes and resolves with everything the server wrote before closing (shared helper). */
export { rawExchange } from '../support/raw.js';

/** An HTTP server that accepts WebSockets on upgrade and echoes every message by default. */
export class TestServer {
  readonly server: Server;
  readonly errors: Error[] = [];
  readonly sockets: AgentCoreWebSocket[] = [];
  /** The raw TCP sockets of accepted connections, index-aligned with `sockets`. */
  readonly rawSockets: Duplex[] = [];
  /** Close events, in order, as [code, reason]. */
  readonly closes: Array<[number, string]> = [];
  options: WebSocketOptions;
  onSocket: (ws: AgentCoreWebSocket) => void = echo;
  #waiters: Array<(ws: AgentCoreWebSocket) => void> = [];

  constructor(options: WebSocketOptions = {}) {
    this.options = options;
    this.server = createServer((_req, res) => res.writeHead(404).end());
    this.server.on('upgrade', (req, socket, head) => {
      const ws = acceptWebSocket(req, socket, head, { onError: (e) => this.errors.push(e), ...this.options });
      if (ws === undefined) return;
      this.sockets.push(ws);
      this.rawSockets.push(socket);
      ws.on('close', (code, reason) => this.closes.push([code, reason]));
      this.onSocket(ws);
      for (const wake of this.#waiters.splice(0)) wake(ws);
    });
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async listen(): Promise<this> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return this;
  }

  /** Resolves with the most recently accepted socket once one exists after `count` sockets. */
  async socketAt(index: number): Promise<AgentCoreWebSocket> {
    while (this.sockets.length <= index) await new Promise<AgentCoreWebSocket>((resolve) => this.#waiters.push(resolve));
    return this.sockets[index]!;
  }

  /** Closes every socket abruptly and stops listening. */
  async close(): Promise<void> {
    for (const ws of this.sockets) void ws.terminate();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Default handler: send every message back as it came. */
export function echo(ws: AgentCoreWebSocket): void {
  ws.on('message', (data) => {
    void ws.send(data);
  });
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `condition` every few ms until it holds or `timeoutMs` passes; resolves with whether it held. */
export async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(2);
  }
  return true;
}

/**
 * Writes `frame` over and over from a client that reads nothing, until the server stops reading
 * its socket (`raw` is paused). Resolves with how many frames were written.
 * @throws AssertionError when the server is still reading after `maxFrames`.
 */
export async function floodUntilPaused(client: RawClient, raw: Duplex, frame: Buffer, maxFrames = 2000): Promise<number> {
  let written = 0;
  while (!raw.isPaused()) {
    if (written >= maxFrames) throw new Error(`The server was still reading after ${written} frames`);
    client.send(frame);
    written++;
    await sleep(1);
  }
  return written;
}
