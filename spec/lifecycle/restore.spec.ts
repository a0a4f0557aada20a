import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RESTORE_CLOCK_JUMP_MS, RestoreDetector } from '../../lib/lifecycle/restore.js';
import { manualClock } from '../support/clock.js';

describe('RestoreDetector', () => {
  it('notices a wall clock that jumped against the monotonic clock, once per jump', () => {
    const clock = manualClock();
    const detector = new RestoreDetector(clock);
    const jumps: number[] = [];
    detector.onRestore((jumpMs) => jumps.push(jumpMs));
    clock.advance(60_000);
    assert.equal(detector.check(), false, 'time passing on both clocks is no restore');
    clock.stepWall(3 * 86_400_000);
    assert.equal(detector.check(), true);
    assert.equal(detector.check(), false, 'the same jump is reported once');
    assert.deepEqual(jumps, [3 * 86_400_000]);
  });

  it('ignores drift below RESTORE_CLOCK_JUMP_MS between looks, however it adds up, and reports a step back as well', () => {
    const clock = manualClock();
    const detector = new RestoreDetector(clock);
    const jumps: number[] = [];
    detector.onRestore((jumpMs) => jumps.push(jumpMs));
    for (let look = 0; look < 5; look++) {
      clock.stepWall(RESTORE_CLOCK_JUMP_MS - 1);
      assert.equal(detector.check(), false);
    }
    clock.stepWall(-RESTORE_CLOCK_JUMP_MS - 500);
    assert.equal(detector.check(), true);
    assert.deepEqual(jumps, [-RESTORE_CLOCK_JUMP_MS - 500]);
  });
});
