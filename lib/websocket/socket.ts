/**
 * The server side of one WebSocket connection, in the spirit of the WHATWG `WebSocket`.
 * @module
 */

import { AsyncResource } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { Backpressure } from './backpressure.js';
import {
  CloseCode,
  MAX_CLOSE_REASON_BYTES,
  MAX_CONTROL_PAYLOAD_BYTES,
} from './constants.js';
import { WebSocketNotOpenError, WebSocketProtocolError } from './errors.js';
import { MessageIterator } from './message-iterator.js';
import { Receiver } from './receiver.js';
import { Sender } from './sender.js';
import { isValidCloseCode } from './validation.js';

/** Resolved limits and hooks of one connection (see `WebSocketOptions` for the defaults). */
export interface AgentCoreWebSocketOptions {
  /** Largest incoming message in bytes; larger ones close the connection with 1009. */
  maxMessageBytes: number;
  /** Largest payload of one outgoing frame; longer messages are fragmented. */
  maxFrameBytes: number;
  /** Most outgoing frames in any 1-second window; `0` disables pacing. */
  maxFramesPerSecond: number;
  /** Silence (ms) before a keepalive ping, and then before giving up on the peer; `0` is off. */
  idlePingMs: number;
  /** How long (ms) to wait for the peer to complete the closing handshake. */
  closeTimeoutMs: number;
  /** Send backlog (bytes, see `Sender.backlog`) above which reading from the peer pauses. */
  maxBufferedBytes: number;
  /** How long (ms) the peer may take none of our bytes while the backlog pauses reading; `0` is never. */
  slowPeerTimeoutMs: number;
  /** Called with protocol, socket and handler errors, for logging. Must not throw. */
  onError?: ((error: Error) => void) | undefined;
}

/** What the handshake negotiated for this connection. */
export interface AgentCoreWebSocketInit {
  /** The selected subprotocol, or `''`. */
  protocol: string;
  /** The bearer token from `Authorization: Bearer` or `base64UrlBearerAuthorization.<token>`, if sent. */
  bearerToken: string | undefined;
  /** Bytes the HTTP parser read past the upgrade request; parsed before socket data. */
  head: Buffer;
}

/** Events of {@link AgentCoreWebSocket} and their arguments. */
export type AgentCoreWebSocketEventMap = {
  /** A complete message: a string for text, a Buffer for binary. */
  message: [data: string | Buffer, isBinary: boolean];
  /** Emitted exactly once. `code` is the peer's close code, the code a protocol error failed
   * the connection with, 1005 for a close frame without code, or 1006 for an abrupt end. */
  close: [code: number, reason: string];
  /** A protocol or handler error (not transport errors). Only emitted when a listener is attached. */
  error: [error: Error];
  /** A pong frame (answering {@link AgentCoreWebSocket.ping} or unsolicited). */
  pong: [data: Buffer];
};

/** Data accepted by {@link AgentCoreWebSocket.send}. */
export type WebSocketData = string | Uint8Array | ArrayBuffer;

/** The readyState values. */
type ReadyState = 0 | 1 | 2 | 3;

/**
 * One accepted WebSocket connection. Created by `acceptWebSocket`; not constructed directly.
 *
 * Listen for `'message'`, or iterate with `for await (const message of socket)`. Attach
 * listeners (or start iterating) in the same tick as `acceptWebSocket` returns: messages
 * arriving before that are not buffered. A listener that throws (or an async listener that
 * rejects) is reported to `onError` and closes the connection with 1011.
 */
export class AgentCoreWebSocket extends EventEmitter<AgentCoreWebSocketEventMap> {
  /** The connection is being established (never observed: sockets are handed out open). */
  static readonly CONNECTING = 0;
  /** Messages can be sent and received. */
  static readonly OPEN = 1;
  /** The closing handshake has started. */
  static readonly CLOSING = 2;
  /** The connection is closed. */
  static readonly CLOSED = 3;

  /** The negotiated subprotocol, or `''` when none was selected. */
  readonly protocol: string;

  // Private so util.inspect and JSON.stringify never print the token.
  readonly #bearerToken: string | undefined;
  readonly #socket: Duplex;
  readonly #options: AgentCoreWebSocketOptions;
  readonly #receiver: Receiver;
  readonly #sender: Sender;
  #readyState: ReadyState = AgentCoreWebSocket.OPEN;

  /** Set when the peer's close frame arrives, or when we fail the connection. */
  #closeCode: number = CloseCode.ABNORMAL;
  #closeReason = '';
  #closeTimer: NodeJS.Timeout | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #awaitingPong = false;
  #iterator: MessageIterator | undefined;
  /** Whether to read from the peer: not while the iterator is full or the send side is backed up. */
  readonly #backpressure: Backpressure;
  readonly #closed: Promise<void>;
  #resolveClosed: () => void = ignore;

  /**
   * @param socket - The upgraded socket, after the 101 response was written.
   * @param options - Resolved limits.
   * @param init - Negotiated protocol, bearer token and leftover handshake bytes.
   */
  constructor(socket: Duplex, options: AgentCoreWebSocketOptions, init: AgentCoreWebSocketInit) {
    super({ captureRejections: true });
    this.#socket = socket;
    this.#options = options;
    this.protocol = init.protocol;
    this.#bearerToken = init.bearerToken;
    this.#closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    this.#sender = new Sender(socket, options, () => this.#backpressure.progress());
    this.#backpressure = new Backpressure(
      socket,
      this.#sender,
      options,
      () => this.#readyState === AgentCoreWebSocket.OPEN,
      () => this.#onSlowPeer(),
    );
    this.#receiver = new Receiver(options, {
      onMessage: (data, isBinary) => this.#onMessage(data, isBinary),
      onPing: (payload) => this.#onPing(payload),
      onPong: (payload) => this.#emitSafely('pong', payload),
      onClose: (code, reason) => this.#onCloseFrame(code, reason),
      onError: (error) => this.#onProtocolError(error),
    });

    // Socket events run in the async context where the WebSocket was accepted, so listeners
    // (and the request context in AsyncLocalStorage) see the upgrade request's context.
    const inContext = <A extends unknown[]>(fn: (...args: A) => void): ((...args: A) => void) => AsyncResource.bind(fn);
    // Transport errors (ECONNRESET...) go to the log hook only; 'close' (1006) follows anyway.
    socket.on('error', inContext((error: Error) => this.#log(error)));
    socket.on('end', () => socket.end());
    socket.on('close', inContext(() => this.#onSocketClose()));
    if (options.idlePingMs > 0) {
      this.#idleTimer = setTimeout(() => this.#onIdle(), options.idlePingMs).unref();
    }
    // Start reading on the next tick so the caller can attach listeners first.
    process.nextTick(() => {
      if (init.head.length > 0) this.#onData(init.head);
      socket.on('data', inContext((chunk: Buffer) => this.#onData(chunk)));
      // Replies to the head may already have filled the backlog.
      this.#backpressure.start();
    });
  }

  /** {@link AgentCoreWebSocket.CONNECTING}, `OPEN`, `CLOSING` or `CLOSED`. */
  get readyState(): ReadyState {
    return this.#readyState;
  }

  /**
   * The bearer token the client sent, `undefined` if none: from `Authorization: Bearer <token>`
   * (AWS SDK OAuth connections), else decoded from the subprotocol
   * `base64UrlBearerAuthorization.<base64url token>` (browsers). The header wins when both are
   * sent. Treat it as a secret: never log it.
   */
  get bearerToken(): string | undefined {
    return this.#bearerToken;
  }

  /** Bytes passed to {@link AgentCoreWebSocket.send} and not yet handed to the OS. */
  get bufferedAmount(): number {
    return this.#sender.bufferedAmount;
  }

  /**
   * Sends a message: a string as text, bytes as binary. Messages are sent in call order and
   * fragmented under `maxFrameBytes`. Do not mutate the bytes until the promise settles.
   *
   * While more than `maxBufferedBytes` wait to be sent, the connection stops reading from the
   * peer, so a handler that ignores the promise (an echo, say) cannot grow memory without bound;
   * a peer that then takes none of our bytes for `slowPeerTimeoutMs` is closed with 1008.
   * @returns A promise that resolves once the message was handed to the OS (awaiting it gives
   * backpressure), and rejects with `WebSocketNotOpenError` when the connection is not open or
   * closes first. Ignoring the promise is safe: a rejection is never unhandled.
   */
  send(data: WebSocketData): Promise<void> {
    if (this.#readyState !== AgentCoreWebSocket.OPEN) return handled(Promise.reject(new WebSocketNotOpenError()));
    const sent = handled(this.#sender.sendMessage(toBuffer(data), typeof data !== 'string'));
    this.#backpressure.update();
    return sent;
  }

  /**
   * Sends a ping; the peer's pong is emitted as `'pong'`.
   * @returns A promise that resolves once written; rejects when the connection is not open.
   * @throws RangeError when the payload exceeds 125 bytes.
   */
  ping(data: WebSocketData = ''): Promise<void> {
    const payload = toBuffer(data);
    if (payload.length > MAX_CONTROL_PAYLOAD_BYTES) throw new RangeError('Ping payload exceeds 125 bytes');
    if (this.#readyState !== AgentCoreWebSocket.OPEN) return handled(Promise.reject(new WebSocketNotOpenError()));
    return handled(this.#sender.ping(payload));
  }

  /**
   * Starts the closing handshake after queued messages are sent. If the peer does not answer
   * within `closeTimeoutMs`, the TCP connection is destroyed. Calling it again is harmless.
   * @returns A promise that resolves after `'close'` was emitted; it never rejects.
   * @throws RangeError for a code that may not be sent or a reason over 123 UTF-8 bytes.
   */
  close(code: number = CloseCode.NORMAL, reason = ''): Promise<void> {
    if (!isValidCloseCode(code)) throw new RangeError(`Invalid close code ${code}`);
    if (Buffer.byteLength(reason) > MAX_CLOSE_REASON_BYTES) throw new RangeError('Close reason exceeds 123 bytes');
    if (this.#readyState === AgentCoreWebSocket.OPEN) {
      this.#readyState = AgentCoreWebSocket.CLOSING;
      this.#sender.closeAfterQueued(code, reason).catch(ignore);
      this.#startCloseTimer();
      this.#backpressure.update();
    }
    return this.#closed;
  }

  /**
   * Destroys the TCP connection without a closing handshake; `'close'` reports 1006.
   * @returns A promise that resolves after `'close'` was emitted.
   */
  terminate(): Promise<void> {
    this.#socket.destroy();
    return this.#closed;
  }

  /**
   * Iterates over incoming messages (strings for text, Buffers for binary) until the
   * connection closes. Up to 16 unread messages are held; beyond that the socket stops
   * reading so TCP flow control slows the client. Leaving the loop early (`break`, `throw`)
   * closes the connection with 1000. Only one iterator may be active at a time.
   * @throws Error when another iterator is active.
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<string | Buffer> {
    if (this.#iterator !== undefined && !this.#iterator.done) {
      throw new Error('AgentCoreWebSocket is already being iterated');
    }
    const iterator = new MessageIterator({
      pause: () => this.#backpressure.setIteratorFull(true),
      resume: () => this.#backpressure.setIteratorFull(false),
      cancel: () => {
        if (this.#readyState === AgentCoreWebSocket.OPEN) this.close().catch(ignore);
      },
    });
    if (this.#readyState === AgentCoreWebSocket.CLOSED) iterator.end();
    this.#iterator = iterator;
    return iterator;
  }

  /** Routes rejections of async listeners (captureRejections) to the handler-error path. */
  override [EventEmitter.captureRejectionSymbol](error: Error, ..._eventAndArgs: unknown[]): void {
    this.#onHandlerError(error);
  }

  #onData(chunk: Buffer): void {
    this.#awaitingPong = false;
    this.#idleTimer?.refresh();
    this.#receiver.push(chunk);
  }

  #onMessage(data: string | Buffer, isBinary: boolean): void {
    this.#iterator?.push(data);
    this.#emitSafely('message', data, isBinary);
  }

  #onPing(payload: Buffer): void {
    if (this.#readyState !== AgentCoreWebSocket.OPEN) return;
    this.#sender.pong(payload);
    // A pong that has to wait means the peer is not reading: stop reading its pings too.
    this.#backpressure.update();
  }

  #onSlowPeer(): void {
    const message = `The peer read nothing for ${this.#options.slowPeerTimeoutMs} ms while ${this.bufferedAmount} bytes waited to be sent`;
    this.#report(new WebSocketProtocolError(message, CloseCode.POLICY_VIOLATION, 'WS_ERR_SLOW_PEER'));
    this.#fail(CloseCode.POLICY_VIOLATION, 'Peer is not reading');
  }

  /** The peer's close frame: answer it (unless we started) and end the TCP connection. */
  #onCloseFrame(code: number, reason: string): void {
    this.#closeCode = code;
    this.#closeReason = reason;
    if (!this.#sender.closeFrameSent) {
      this.#sender.close(code === CloseCode.NO_STATUS ? undefined : code, reason).catch(ignore);
    }
    this.#readyState = AgentCoreWebSocket.CLOSING;
    // RFC 6455 §7.1.1: the server closes the TCP connection first.
    this.#socket.end();
    this.#startCloseTimer();
    this.#backpressure.update();
  }

  #onProtocolError(error: WebSocketProtocolError): void {
    this.#report(error);
    this.#fail(error.closeCode);
  }

  #onHandlerError(error: unknown): void {
    this.#report(error instanceof Error ? error : new Error(String(error)));
    this.#fail(CloseCode.INTERNAL_ERROR);
  }

  /** Fails the connection: send a close frame now, stop sending, and end the TCP connection. */
  #fail(code: number, reason = ''): void {
    if (this.#readyState === AgentCoreWebSocket.CLOSED || this.#sender.closeFrameSent) return;
    this.#closeCode = code;
    this.#readyState = AgentCoreWebSocket.CLOSING;
    this.#sender.close(code, reason).catch(ignore);
    this.#socket.end();
    this.#startCloseTimer();
    this.#backpressure.update();
  }

  #onIdle(): void {
    if (this.#readyState !== AgentCoreWebSocket.OPEN) return;
    if (this.#backpressure.paused) {
      // Silence is ours while we do not read; the slow-peer timeout judges a backed-up peer.
      this.#awaitingPong = false;
      this.#idleTimer?.refresh();
      return;
    }
    if (this.#awaitingPong) {
      // Nothing arrived for two idle periods, not even a pong: the peer is gone.
      this.#socket.destroy();
      return;
    }
    this.#awaitingPong = true;
    this.#sender.ping(Buffer.alloc(0)).catch(ignore);
    this.#idleTimer?.refresh();
  }

  #startCloseTimer(): void {
    if (this.#closeTimer !== undefined) return;
    this.#closeTimer = setTimeout(() => this.#socket.destroy(), this.#options.closeTimeoutMs).unref();
  }

  #onSocketClose(): void {
    clearTimeout(this.#closeTimer);
    clearTimeout(this.#idleTimer);
    this.#backpressure.stop();
    // The handler may keep this object: let go of any partial message it can no longer receive.
    this.#receiver.halt();
    this.#readyState = AgentCoreWebSocket.CLOSED;
    this.#iterator?.end();
    this.#emitSafely('close', this.#closeCode, this.#closeReason);
    this.#resolveClosed();
  }

  /** Emits an event; a listener that throws is a handler error, never a crash. */
  #emitSafely<K extends keyof AgentCoreWebSocketEventMap>(event: K, ...args: AgentCoreWebSocketEventMap[K]): void {
    try {
      (this.emit as (event: K, ...args: AgentCoreWebSocketEventMap[K]) => boolean)(event, ...args);
    } catch (error) {
      this.#onHandlerError(error);
    }
  }

  /** Passes an error to the `onError` hook and to `'error'` listeners, if any. */
  #report(error: Error): void {
    this.#log(error);
    if (this.listenerCount('error') > 0) this.#emitSafely('error', error);
  }

  #log(error: Error): void {
    try {
      this.#options.onError?.(error);
    } catch {
      // A failing log hook must not take the connection down.
    }
  }
}

/** Converts send/ping data to a Buffer without copying bytes. */
function toBuffer(data: WebSocketData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  throw new TypeError('WebSocket data must be a string, Uint8Array or ArrayBuffer');
}

/** Marks a promise as handled so fire-and-forget callers never see an unhandled rejection. */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(ignore);
  return promise;
}

function ignore(): void {}
