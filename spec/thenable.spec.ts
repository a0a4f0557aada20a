import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isThenable } from '../lib/thenable.js';

/** Whether `await` waits for `value` rather than handing it back: what isThenable must predict. */
async function awaitWaitsFor(value: unknown): Promise<boolean> {
  return (await value) !== value;
}

describe('isThenable', () => {
  it('is true for promises and for any object or function with a callable then', () => {
    const callableThen = Object.assign(() => undefined, { then: (resolve: (value: unknown) => void) => resolve(1) });
    for (const value of [Promise.resolve(1), { then: (resolve: (value: unknown) => void) => resolve(2) }, callableThen]) {
      assert.equal(isThenable(value), true);
    }
  });

  it('is false for plain values, null and objects whose then is not a function', () => {
    for (const value of [undefined, null, 0, 'then', true, 10n, Symbol('x'), {}, [], { then: 'later' }, { then: null }, () => undefined]) {
      assert.equal(isThenable(value), false, String(typeof value));
    }
  });

  it('agrees with await about which values it waits for', async () => {
    // Each thenable here settles to something other than itself, so waiting shows.
    const values = [
      Promise.resolve('p'),
      { then: (resolve: (value: unknown) => void) => resolve('custom') },
      { then: 'not callable' },
      { value: 1 },
      null,
      'text',
      Object.assign(() => undefined, { then: (resolve: (value: unknown) => void) => resolve('function') }),
    ];
    for (const value of values) {
      const predicted = isThenable(value);
      assert.equal(await awaitWaitsFor(value), predicted, JSON.stringify(value) ?? String(value));
    }
  });
});
