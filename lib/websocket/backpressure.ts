/**
 * When to read from the peer: not while the message iterator is full, nor while the send side is
 * backed up (more than `maxBufferedBytes` queued, or a pong waiting for `'drain'`). A paused
 * socket is not read, so TCP pushes back on a peer that floods us without reading our answers.
 * @module
 */

import type { Duplex } from 'node:stream';
import { monotonicMs } from '../clock.js';
import type { Sender } from './sender.js';
import type { AgentCoreWebSocketOptions } from './socket.js';

/** Pauses and resumes one connection's socket, and times a peer that stopped taking our bytes. */
export class Backpressure {
  readonly #socket: Duplex;
  readonly #sender: Sender;
  readonly #options: Pick<AgentCoreWebSocketOptions, 'maxBufferedBytes' | 'slowPeerTimeoutMs'>;
  readonly #isOpen: () => boolean;
  readonly #onSlowPeer: () => void;
  #started = false;
  #paused = false;
  #iteratorFull = false;
  #backedUp = false;
  /** When the peer last took bytes from us, or the backlog began (monotonic ms). */
  #progressAt = 0;
  #slowPeerTimer: NodeJS.Timeout | undefined;

  /**
   * @param isOpen - Only an open connection can be backed up: a closing one queues nothing new
   * and must still read the peer's close frame.
   * @param onSlowPeer - Called when the peer took none of our bytes for `slowPeerTimeoutMs`
   * while backed up.
   */
  constructor(
    socket: Duplex,
    sender: Sender,
    options: Pick<AgentCoreWebSocketOptions, 'maxBufferedBytes' | 'slowPeerTimeoutMs'>,
    isOpen: () => boolean,
    onSlowPeer: () => void,
  ) {
    this.#socket = socket;
    this.#sender = sender;
    this.#options = options;
    this.#isOpen = isOpen;
    this.#onSlowPeer = onSlowPeer;
  }

  /** `true` while we do not read from the peer (so its silence says nothing about it). */
  get paused(): boolean {
    return this.#paused;
  }

  /** Starts reading, unless a pause is already due. */
  start(): void {
    this.#started = true;
    if (!this.#paused) this.#socket.resume();
  }

  /** The message iterator filled up, or was read below its limit. */
  setIteratorFull(full: boolean): void {
    this.#iteratorFull = full;
    this.#apply();
  }

  /** Re-derives whether the send side is backed up: after a send, a ping, or the start of closing. */
  update(): void {
    const backedUp =
      this.#isOpen() && (this.#sender.backlog > this.#options.maxBufferedBytes || this.#sender.pongPending);
    if (backedUp === this.#backedUp) return;
    this.#backedUp = backedUp;
    if (backedUp) {
      this.#progressAt = monotonicMs();
      this.#startTimer(this.#options.slowPeerTimeoutMs);
    }
    this.#apply();
  }

  /** The OS took bytes from the socket: the peer is reading. */
  progress(): void {
    if (!this.#backedUp) return;
    this.#progressAt = monotonicMs();
    this.update();
  }

  /** The connection closed. */
  stop(): void {
    this.#backedUp = false;
    clearTimeout(this.#slowPeerTimer);
  }

  #apply(): void {
    const pause = this.#backedUp || this.#iteratorFull;
    if (pause === this.#paused) return;
    this.#paused = pause;
    if (pause) this.#socket.pause();
    else if (this.#started) this.#socket.resume();
  }

  #startTimer(delayMs: number): void {
    if (this.#options.slowPeerTimeoutMs === 0 || this.#slowPeerTimer !== undefined) return;
    this.#slowPeerTimer = setTimeout(() => this.#onTimer(), delayMs).unref();
  }

  #onTimer(afterIo = false): void {
    this.#slowPeerTimer = undefined;
    if (!this.#backedUp) return;
    const remainingMs = this.#options.slowPeerTimeoutMs - (monotonicMs() - this.#progressAt);
    if (remainingMs > 0) {
      // The peer made progress since: wait out the rest from its last progress.
      this.#startTimer(Math.ceil(remainingMs));
    } else if (!afterIo) {
      // Timers run before pending I/O: after a blocked event loop, look again once this turn's
      // I/O is in, so that our own stall is not blamed on the peer.
      setImmediate(() => this.#onTimer(true));
    } else {
      this.#onSlowPeer();
    }
  }
}
