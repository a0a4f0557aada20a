import type { Clock } from '../clock.js';

/**
 * How far the wall clock must move against the monotonic clock between two looks before the
 * app treats it as a restore. On a snapshot restore (AgentCore platform V2) the monotonic clock
 * continues from the snapshot while the platform steps the wall clock to the present: the two
 * part by as long as the snapshot sat (seconds in the simulator, days on the platform). NTP
 * slews a running clock by milliseconds, never seconds.
 */
export const RESTORE_CLOCK_JUMP_MS = 2000;

/**
 * Notices that the process was restored from a snapshot: the difference between the wall clock
 * and the monotonic clock jumped by `RESTORE_CLOCK_JUMP_MS` or more since the last look. A wall
 * clock stepped by hand looks the same and is treated the same (the ping stamp moves to now,
 * which is harmless). When the guest's wall clock is not synced after a restore, nothing moves
 * and nothing can be noticed; then "now" is still the snapshot's time, and so is every stamp.
 */
export class RestoreDetector {
  readonly #clock: Clock;
  readonly #listeners: ((jumpMs: number) => void)[] = [];
  #offset: number;

  constructor(clock: Clock) {
    this.#clock = clock;
    this.#offset = clock.now() - clock.monotonic();
  }

  /** Calls `listener` with the jump (ms, positive when the wall clock moved ahead) on each restore noticed. */
  onRestore(listener: (jumpMs: number) => void): void {
    this.#listeners.push(listener);
  }

  /** Compares the clocks; cheap enough for every `/ping`. Returns true when it noticed a restore. */
  check(): boolean {
    const offset = this.#clock.now() - this.#clock.monotonic();
    const jump = offset - this.#offset;
    // Compared with the last look only, so a slow drift (NTP slewing) never adds up to a jump.
    this.#offset = offset;
    if (Math.abs(jump) < RESTORE_CLOCK_JUMP_MS) return false;
    for (const listener of this.#listeners) listener(Math.round(jump));
    return true;
  }
}
