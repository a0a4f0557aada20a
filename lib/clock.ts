/**
 * The clocks the library reads. The app takes a `Clock` option so tests can move time by hand
 * instead of sleeping; everything else uses `systemClock`.
 */
export interface Clock {
  /** Wall-clock time in epoch milliseconds, like `Date.now()`: for stamps other systems read. */
  now(): number;
  /** Milliseconds on a monotonic clock: for durations and deadlines. It never jumps. */
  monotonic(): number;
}

/**
 * Milliseconds on a monotonic clock (not wall time: it never jumps with NTP or a changed system
 * clock), for durations and deadlines.
 *
 * `performance.now()` gives the same, but reading the `performance` global loads Node's
 * `perf_hooks` (about 0.6 ms of a container's cold start), which nothing else here needs.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** The real clocks: `Date.now()` and `monotonicMs()`. */
export const systemClock: Clock = Object.freeze({ now: Date.now, monotonic: monotonicMs });
