import { monotonicMs } from '../clock.js';

/** Shortest and longest interval between the monitor's ticks. */
const MIN_TICK_MS = 10;
const MAX_TICK_MS = 100;
/** Ticks per threshold, so a stall of the threshold's length is always seen. */
const TICKS_PER_THRESHOLD = 5;
/**
 * Below this share of a gap spent on the CPU, the process was not running (the VM was suspended
 * for a snapshot, or the host stalled it) rather than blocked by its own code.
 */
const MIN_BLOCKED_CPU_SHARE = 0.1;
const MICROSECONDS_PER_MS = 1000;

/** What the monitor reads; replaceable for tests. */
export interface StallMonitorProbes {
  /** Milliseconds on a monotonic clock. */
  monotonic?: () => number;
  /** CPU time the process has used, in ms. */
  cpuMs?: () => number;
  /** True when the gap was a snapshot restore (see `RestoreDetector.check`). */
  restored?: () => boolean;
  /** Told of a gap the process did not spend running (suspended, restored), not blocked. */
  onPause?: (pausedMs: number) => void;
}

function processCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / MICROSECONDS_PER_MS;
}

/**
 * Notices when the event loop was blocked (by CPU-bound JavaScript) long enough to delay `/ping`.
 * A cheap unref'd timer ticks several times per threshold; a tick arriving `thresholdMs` or more
 * after the previous one means the loop was stuck for that long, and is reported once, with its
 * duration, when the loop is free again. A gap that is a snapshot restore, or one the process
 * spent (almost) without using the CPU, is not a block: it goes to `onPause` instead. (So a loop
 * blocked in a synchronous wait that uses no CPU, such as `Atomics.wait`, is reported as a pause.)
 */
export class EventLoopStallMonitor {
  readonly #thresholdMs: number;
  readonly #tickMs: number;
  readonly #onStall: (blockedMs: number) => void;
  readonly #monotonic: () => number;
  readonly #cpuMs: () => number;
  readonly #restored: () => boolean;
  readonly #onPause: (pausedMs: number) => void;
  #timer: NodeJS.Timeout | undefined;
  #lastTick = 0;
  #lastCpu = 0;

  constructor(thresholdMs: number, onStall: (blockedMs: number) => void, probes: StallMonitorProbes = {}) {
    this.#thresholdMs = thresholdMs;
    this.#tickMs = Math.max(MIN_TICK_MS, Math.min(MAX_TICK_MS, Math.floor(thresholdMs / TICKS_PER_THRESHOLD)));
    this.#onStall = onStall;
    this.#monotonic = probes.monotonic ?? monotonicMs;
    this.#cpuMs = probes.cpuMs ?? processCpuMs;
    this.#restored = probes.restored ?? (() => false);
    this.#onPause = probes.onPause ?? (() => undefined);
  }

  /** Starts watching; does nothing if already started. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#lastTick = this.#monotonic();
    this.#lastCpu = this.#cpuMs();
    this.#timer = setInterval(() => this.tick(), this.#tickMs);
    this.#timer.unref();
  }

  /** Stops watching. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** One look at the clock (the timer's callback; tests call it directly). */
  tick(): void {
    const now = this.#monotonic();
    const cpu = this.#cpuMs();
    const gap = now - this.#lastTick;
    const busy = cpu - this.#lastCpu;
    this.#lastTick = now;
    this.#lastCpu = cpu;
    if (gap < this.#thresholdMs) return;
    if (this.#restored() || busy < gap * MIN_BLOCKED_CPU_SHARE) this.#onPause(Math.round(gap));
    else this.#onStall(Math.round(gap));
  }
}
