import { monotonicMs } from '../clock.js';

/** Shortest and longest interval between the monitor's ticks. */
const MIN_TICK_MS = 10;
const MAX_TICK_MS = 100;
/** Ticks per threshold, so a stall of the threshold's length is always seen. */
const TICKS_PER_THRESHOLD = 5;

/**
 * Notices when the event loop was blocked (by CPU-bound JavaScript) long enough to delay `/ping`.
 * A cheap unref'd timer ticks several times per threshold; a tick arriving `thresholdMs` or more
 * after the previous one means the loop was stuck for that long, and is reported once, with its
 * duration, when the loop is free again.
 */
export class EventLoopStallMonitor {
  readonly #thresholdMs: number;
  readonly #tickMs: number;
  readonly #onStall: (blockedMs: number) => void;
  #timer: NodeJS.Timeout | undefined;
  #lastTick = 0;

  constructor(thresholdMs: number, onStall: (blockedMs: number) => void) {
    this.#thresholdMs = thresholdMs;
    this.#tickMs = Math.max(MIN_TICK_MS, Math.min(MAX_TICK_MS, Math.floor(thresholdMs / TICKS_PER_THRESHOLD)));
    this.#onStall = onStall;
  }

  /** Starts watching; does nothing if already started. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#lastTick = monotonicMs();
    this.#timer = setInterval(() => this.#tick(), this.#tickMs);
    this.#timer.unref();
  }

  /** Stops watching. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #tick(): void {
    const now = monotonicMs();
    const gap = now - this.#lastTick;
    this.#lastTick = now;
    if (gap >= this.#thresholdMs) this.#onStall(Math.round(gap));
  }
}
