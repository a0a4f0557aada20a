import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { CHECK_EVERY_ITEMS, MAX_ITEMS_PER_TURN, MAX_TURN_MS, TurnBudget } from '../../lib/streaming/turn-budget.js';

/** Spends `count` items that did not fill the socket; the number of the item that spent the budget, or 0. */
function spendItems(budget: TurnBudget, count: number): number {
  for (let item = 1; item <= count; item++) if (budget.spend(false)) return item;
  return 0;
}

/** A clock that stands still unless moved: counts are tested apart from the time a loaded machine takes. */
function stoppedClock(): { now: () => number; advance(ms: number): void } {
  let time = 0;
  return { now: () => time, advance: (ms) => (time += ms) };
}

describe('a turn budget', () => {
  it(`is spent after ${MAX_ITEMS_PER_TURN} items in one turn of the loop, and stays spent until the loop turns`, async () => {
    const budget = new TurnBudget(stoppedClock().now);
    assert.equal(spendItems(budget, 2 * MAX_ITEMS_PER_TURN), MAX_ITEMS_PER_TURN);
    assert.equal(budget.exhausted, true);
    await nextTurn();
    assert.equal(budget.exhausted, false, 'a turn of the loop renews it');
    assert.equal(spendItems(budget, MAX_ITEMS_PER_TURN - 1), 0);
  });

  it(`is spent after about ${MAX_TURN_MS} ms, checked every ${CHECK_EVERY_ITEMS} items or on a write that filled the socket`, () => {
    const clock = stoppedClock();
    const budget = new TurnBudget(clock.now);
    assert.equal(budget.spend(true), false, 'the first check starts the clock');
    clock.advance(MAX_TURN_MS - 1);
    assert.equal(budget.spend(true), false, 'not yet');
    clock.advance(1);
    assert.equal(spendItems(budget, CHECK_EVERY_ITEMS - 3), 0, 'no check between');
    assert.equal(budget.spend(false), true, `item ${CHECK_EVERY_ITEMS} checks the clock`);
    const otherClock = stoppedClock();
    const other = new TurnBudget(otherClock.now);
    other.spend(true);
    otherClock.advance(MAX_TURN_MS);
    assert.equal(other.spend(true), true, 'a filled write checks at once');
  });

  it('is renewed by a turn of the loop between items, however many came before', async () => {
    const budget = new TurnBudget(stoppedClock().now);
    for (let round = 0; round < 4; round++) {
      assert.equal(spendItems(budget, MAX_ITEMS_PER_TURN / 2), 0, `round ${round}`);
      await nextTurn();
    }
  });

  it('is not renewed by work that never lets the loop turn (a promise that settles at once)', async () => {
    const budget = new TurnBudget(stoppedClock().now);
    let spentAt = 0;
    for (let item = 1; item <= 2 * MAX_ITEMS_PER_TURN && spentAt === 0; item++) {
      await Promise.resolve();
      if (budget.spend(false)) spentAt = item;
    }
    assert.equal(spentAt, MAX_ITEMS_PER_TURN);
  });

  it('resumes every writer waiting for a turn once, at the next turn, with its budget renewed', async () => {
    const budgets = [new TurnBudget(stoppedClock().now), new TurnBudget(stoppedClock().now)];
    const resumed: number[] = [];
    budgets.forEach((budget, index) => {
      spendItems(budget, MAX_ITEMS_PER_TURN);
      budget.waitForTurn(() => resumed.push(index));
    });
    assert.deepEqual(resumed, [], 'not before the loop turns');
    await nextTurn();
    await nextTurn();
    assert.deepEqual(resumed, [0, 1]);
    assert.ok(budgets.every((budget) => !budget.exhausted && !budget.spend(false)));
  });
});
