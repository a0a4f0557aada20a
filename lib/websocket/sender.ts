/**
 * Outgoing frame writer for server-side connections (RFC 6455 §5).
 *
 * Server frames are never masked. Data messages are written one at a time, split into frames
 * of at most `maxFrameBytes`, optionally paced to `maxFramesPerSecond`, and the writer waits
 * for `'drain'` whenever the socket reports backpressure, so a fast producer never builds an
 * unbounded buffer inside the socket. Control frames skip the message queue: RFC 6455 §5.4
 * lets them interleave with the fragments of a message. While the socket is backed up, pongs
 * are coalesced into one answer to the latest ping, so a ping flood costs no memory.
 * @module
 */

import type { Duplex } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { monotonicMs } from '../clock.js';
import {
  CLOSE_CODE_BYTES,
  MAX_16BIT_PAYLOAD_LENGTH,
  MAX_7BIT_PAYLOAD_LENGTH,
  Opcode,
  PACING_WINDOW_MS,
  PAYLOAD_LENGTH_16_MARKER,
  PAYLOAD_LENGTH_64_MARKER,
  QUEUED_MESSAGE_OVERHEAD_BYTES,
} from './constants.js';
import { WebSocketNotOpenError } from './errors.js';

/** First header byte bit that marks the final frame of a message. */
const FIN_BIT = 0x80;
/** Header sizes: 2 bytes, plus 2 or 8 for extended lengths (servers send no mask key). */
const BASE_HEADER_BYTES = 2;
const HEADER_16_BYTES = BASE_HEADER_BYTES + 2;
const HEADER_64_BYTES = BASE_HEADER_BYTES + 8;
/** Multiplier that splits a length into two 32-bit halves. */
const UINT32_RANGE = 2 ** 32;

/** Options for {@link Sender}. */
export interface SenderOptions {
  /** Largest payload of one outgoing frame; longer messages are fragmented. */
  maxFrameBytes: number;
  /** Most frames written in any 1-second window; `0` disables pacing. */
  maxFramesPerSecond: number;
}

/**
 * Writes frames to one connection's socket.
 */
export class Sender {
  readonly #socket: Duplex;
  readonly #maxFrameBytes: number;
  readonly #limiter: FrameRateLimiter | undefined;
  readonly #onProgress: () => void;
  /** Settles when every data message accepted so far has been written (or failed). */
  #tail: Promise<void> = Promise.resolve();
  /** Payload bytes accepted by {@link Sender.sendMessage} but not yet handed to the socket. */
  #queuedBytes = 0;
  /** Messages accepted by {@link Sender.sendMessage} whose last frame is not yet handed to the socket. */
  #queuedMessages = 0;
  /** The payload of the latest ping still to be answered, held while the socket is backed up. */
  #pendingPong: Buffer | undefined;
  #closeFrameSent = false;

  /**
   * @param socket - The upgraded connection.
   * @param options - Fragmentation and pacing limits.
   * @param onProgress - Called whenever the OS took bytes from the socket (a frame was flushed,
   * or the socket drained), so the owner can re-check {@link Sender.backlog}.
   */
  constructor(socket: Duplex, options: SenderOptions, onProgress: () => void = ignore) {
    this.#socket = socket;
    this.#maxFrameBytes = options.maxFrameBytes;
    this.#limiter = options.maxFramesPerSecond > 0 ? new FrameRateLimiter(options.maxFramesPerSecond) : undefined;
    this.#onProgress = onProgress;
    socket.on('drain', () => this.#onDrain());
  }

  /** Bytes accepted but not yet sent: queued payloads plus the socket's own write buffer. */
  get bufferedAmount(): number {
    return this.#queuedBytes + this.#socket.writableLength;
  }

  /**
   * What the send side holds for this connection, as compared with `maxBufferedBytes`:
   * {@link Sender.bufferedAmount} plus `QUEUED_MESSAGE_OVERHEAD_BYTES` for each queued message.
   */
  get backlog(): number {
    return this.#queuedBytes + this.#socket.writableLength + this.#queuedMessages * QUEUED_MESSAGE_OVERHEAD_BYTES;
  }

  /** `true` while a pong waits for the socket to drain. */
  get pongPending(): boolean {
    return this.#pendingPong !== undefined;
  }

  /** `true` once a close frame has been written; no data frame may follow it. */
  get closeFrameSent(): boolean {
    return this.#closeFrameSent;
  }

  /**
   * Queues a data message behind earlier ones and writes it as one or more frames.
   * @returns A promise that resolves once the last frame was handed to the OS, and rejects with
   * {@link WebSocketNotOpenError} if the connection closed first.
   */
  sendMessage(payload: Buffer, isBinary: boolean): Promise<void> {
    this.#queuedBytes += payload.length;
    this.#queuedMessages++;
    const written = this.#tail.then(() => this.#writeMessage(payload, isBinary ? Opcode.BINARY : Opcode.TEXT));
    this.#tail = written.catch(ignore);
    return written;
  }

  /**
   * Writes a ping frame now, ahead of queued messages.
   * @returns A promise that resolves once written; rejects if the connection is closed.
   */
  ping(payload: Buffer): Promise<void> {
    return this.#writeControl(Opcode.PING, payload);
  }

  /**
   * Answers a ping with a pong, ahead of queued messages. While the socket is backed up the
   * pong waits for `'drain'`, and a later ping replaces it: RFC 6455 §5.5.3 lets an endpoint
   * answer only the most recent ping, and a peer that does not read must not grow our memory.
   * Does nothing once a close frame was sent or the socket is gone.
   */
  pong(payload: Buffer): void {
    if (this.#closeFrameSent || this.#socket.destroyed || !this.#socket.writable) return;
    if (this.#socket.writableNeedDrain) {
      this.#pendingPong = payload;
      return;
    }
    this.#writeControl(Opcode.PONG, payload).catch(ignore);
  }

  /**
   * Writes a close frame now, ahead of queued messages; queued messages then fail.
   * Does nothing if a close frame was already sent.
   * @param code - Status code, or `undefined` for an empty close payload (echoing a 1005).
   * @param reason - UTF-8 reason, at most 123 bytes (the caller checks).
   */
  close(code: number | undefined, reason: string): Promise<void> {
    if (this.#closeFrameSent) return Promise.resolve();
    const written = this.#writeControl(Opcode.CLOSE, encodeClosePayload(code, reason));
    this.#closeFrameSent = true;
    // No frame may follow a close frame, not even the answer to an earlier ping.
    this.#pendingPong = undefined;
    return written;
  }

  /**
   * Writes a close frame after every message queued so far, so a graceful close loses no data.
   * @returns A promise that resolves once the close frame was written (or skipped).
   */
  closeAfterQueued(code: number, reason: string): Promise<void> {
    const written = this.#tail.then(() => this.close(code, reason));
    this.#tail = written.catch(ignore);
    return written;
  }

  async #writeMessage(payload: Buffer, firstOpcode: Opcode): Promise<void> {
    let offset = 0;
    let opcode: Opcode = firstOpcode;
    let queued = true;
    try {
      do {
        if (this.#limiter !== undefined) await this.#limiter.take();
        const end = Math.min(offset + this.#maxFrameBytes, payload.length);
        const fin = end === payload.length;
        const frame = payload.subarray(offset, end);
        if (fin) {
          const written = this.#write(opcode, true, frame);
          // From here the socket's writableLength counts the frame, so the message leaves the queue
          // before its flush reports progress.
          this.#queuedBytes -= frame.length;
          this.#queuedMessages--;
          queued = false;
          offset = end;
          await written;
        } else {
          this.#assertWritable();
          const accepted = this.#writeFrame(opcode, false, frame);
          this.#queuedBytes -= frame.length;
          offset = end;
          if (!accepted) await waitForDrain(this.#socket);
        }
        opcode = Opcode.CONTINUATION;
      } while (offset < payload.length);
    } finally {
      // A failed message no longer counts as buffered.
      this.#queuedBytes -= payload.length - offset;
      if (queued) this.#queuedMessages--;
    }
  }

  #writeControl(opcode: Opcode, payload: Buffer): Promise<void> {
    // Control frames count toward the frame rate but never wait: a late pong or close is worse.
    this.#limiter?.record();
    return this.#write(opcode, true, payload);
  }

  /** Writes one frame and resolves when the socket has flushed it. */
  #write(opcode: Opcode, fin: boolean, payload: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#assertWritable();
      this.#writeFrame(opcode, fin, payload, (error) => {
        if (error) {
          reject(new WebSocketNotOpenError('WebSocket closed before the data was written'));
        } else {
          resolve();
          this.#onProgress();
        }
      });
    });
  }

  /** The socket flushed its buffer: answer the latest ping, if one waits, and report progress. */
  #onDrain(): void {
    const pong = this.#pendingPong;
    this.#pendingPong = undefined;
    if (pong !== undefined) this.pong(pong);
    this.#onProgress();
  }

  #assertWritable(): void {
    if (this.#closeFrameSent || this.#socket.destroyed || !this.#socket.writable) {
      throw new WebSocketNotOpenError();
    }
  }

  /** @returns what `socket.write` returned: `false` means wait for `'drain'`. */
  #writeFrame(opcode: Opcode, fin: boolean, payload: Buffer, callback?: (error?: Error | null) => void): boolean {
    const header = encodeFrameHeader(opcode, fin, payload.length);
    if (payload.length === 0) return this.#socket.write(header, callback);
    // Cork so header and payload leave in one writev call without copying the payload.
    this.#socket.cork();
    this.#socket.write(header);
    const accepted = this.#socket.write(payload, callback);
    this.#socket.uncork();
    return accepted;
  }
}

/**
 * Limits frames to `maxFramesPerSecond` in any sliding 1-second window.
 *
 * It remembers the send time of the last N frames in a ring; a frame may go once the oldest
 * of them is a window old. Unlike a token bucket refilled at N per second, whose full bucket
 * plus refill allows up to 2N frames within one second, this never exceeds N in any window,
 * which is what a per-second platform limit measures.
 */
class FrameRateLimiter {
  readonly #sentAt: number[];
  #next = 0;

  constructor(maxFramesPerSecond: number) {
    this.#sentAt = new Array<number>(maxFramesPerSecond).fill(-Infinity);
  }

  /** Waits until another frame fits in the window, then records it. */
  async take(): Promise<void> {
    const wait = this.#sentAt[this.#next]! + PACING_WINDOW_MS - monotonicMs();
    if (wait > 0) await delay(Math.ceil(wait));
    this.record();
  }

  /** Records a frame sent now, without waiting. */
  record(): void {
    this.#sentAt[this.#next] = monotonicMs();
    this.#next = (this.#next + 1) % this.#sentAt.length;
  }
}

/** Builds an unmasked frame header for a payload of `length` bytes (RFC 6455 §5.2). */
function encodeFrameHeader(opcode: Opcode, fin: boolean, length: number): Buffer {
  const first = (fin ? FIN_BIT : 0) | opcode;
  if (length <= MAX_7BIT_PAYLOAD_LENGTH) {
    const header = Buffer.allocUnsafe(BASE_HEADER_BYTES);
    header[0] = first;
    header[1] = length;
    return header;
  }
  if (length <= MAX_16BIT_PAYLOAD_LENGTH) {
    const header = Buffer.allocUnsafe(HEADER_16_BYTES);
    header[0] = first;
    header[1] = PAYLOAD_LENGTH_16_MARKER;
    header.writeUInt16BE(length, BASE_HEADER_BYTES);
    return header;
  }
  const header = Buffer.allocUnsafe(HEADER_64_BYTES);
  header[0] = first;
  header[1] = PAYLOAD_LENGTH_64_MARKER;
  header.writeUInt32BE(Math.floor(length / UINT32_RANGE), BASE_HEADER_BYTES);
  header.writeUInt32BE(length % UINT32_RANGE, BASE_HEADER_BYTES + 4);
  return header;
}

/** Encodes a close payload: empty when `code` is undefined, else code plus UTF-8 reason. */
function encodeClosePayload(code: number | undefined, reason: string): Buffer {
  if (code === undefined) return Buffer.alloc(0);
  const payload = Buffer.allocUnsafe(CLOSE_CODE_BYTES + Buffer.byteLength(reason));
  payload.writeUInt16BE(code, 0);
  payload.write(reason, CLOSE_CODE_BYTES);
  return payload;
}

/**
 * Waits for the socket to drain its write buffer.
 * @throws WebSocketNotOpenError if the socket closes first.
 */
function waitForDrain(socket: Duplex): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = (): void => {
      socket.off('close', onClose);
      resolve();
    };
    const onClose = (): void => {
      socket.off('drain', onDrain);
      reject(new WebSocketNotOpenError('WebSocket closed while waiting to send'));
    };
    socket.once('drain', onDrain);
    socket.once('close', onClose);
  });
}

/** Swallows a rejection that is reported elsewhere (to the caller who holds the promise). */
function ignore(): void {}
