import type { Clock } from '../../lib/index.js';

/** 2030-01-01T00:00:00Z: a whole second, so a stamp moves exactly when a test crosses one. */
const START_MS = Date.UTC(2030, 0, 1);

/** A `Clock` that moves only when a test says so. */
export interface ManualClock extends Clock {
  /** Moves both clocks forward by `ms`. */
  advance(ms: number): void;
  /**
   * Moves only the wall clock by `ms`: what a snapshot restore looks like once the platform has
   * synced the guest's clock (the monotonic clock continues from the snapshot).
   */
  stepWall(ms: number): void;
}

/**
 * A clock for `AgentCoreApp`'s `clock` option, so tests of stamps and durations move time by
 * hand instead of sleeping. Its functions close over their state (no `this`).
 */
export function manualClock(startMs = START_MS): ManualClock {
  let wall = startMs;
  let monotonic = 0;
  return {
    now: () => wall,
    monotonic: () => monotonic,
    advance: (ms: number) => {
      wall += ms;
      monotonic += ms;
    },
    stepWall: (ms: number) => {
      wall += ms;
    },
  };
}

/** The Unix second of `clock`'s wall time, as `/ping` reports it. */
export function unixSeconds(clock: Clock): number {
  return Math.floor(clock.now() / 1000);
}
