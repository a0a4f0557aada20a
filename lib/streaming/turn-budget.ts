import { monotonicMs } from '../clock.js';

/**
 * Items written in one go before a writer lets the event loop run (timers, `/ping`, other
 * requests): a producer whose items are all at hand, and a client fast enough never to fill the
 * socket, would otherwise keep it to itself. A 100-event answer is written in one go.
 */
export const MAX_ITEMS_PER_TURN = 1024;

/**
 * About the longest a writer goes on in one go, whatever the count: 1,024 items of 20 KB take
 * far longer than 1,024 small ones. The time is counted from the turn's first check.
 */
export const MAX_TURN_MS = 10;

/**
 * Every this many items, and after every write that fills the socket, the budget is checked:
 * the clock read, and a turn of the loop asked to be seen. A 100-event answer written in one go
 * costs one check.
 */
export const CHECK_EVERY_ITEMS = 64;

/**
 * The turns of the event loop seen so far: one `setImmediate`, shared by every budget, counts
 * the next turn once one asks for it (`markTurn()`) and resumes the writers waiting for it.
 */
let loopTurns = 0;
let turnMarked = false;
let waitingForTurn: Array<() => void> = [];

function markTurn(): void {
  if (turnMarked) return;
  turnMarked = true;
  setImmediate(onLoopTurn);
}

function onLoopTurn(): void {
  turnMarked = false;
  loopTurns++;
  const resumed = waitingForTurn;
  waitingForTurn = [];
  for (const resume of resumed) resume();
}

/**
 * How much one writer may do before it lets the event loop run: `MAX_ITEMS_PER_TURN` items or
 * `MAX_TURN_MS`, renewed only by a turn of the loop itself. A socket that takes every write at
 * once fires `drain` before timers or I/O can run, so a `drain` (or a promise that settles at
 * once) renews nothing; a writer that waited for a real event (items that took a while, a
 * client that read) finds its budget renewed.
 */
export class TurnBudget {
  /** The turn of the loop (`loopTurns`) the count belongs to. */
  #turn = -1;
  #items = 0;
  /** When the turn's first check read the clock; -1 before. */
  #startedAt = -1;
  #spent = false;
  readonly #now: () => number;

  /** @param now - The monotonic clock in ms (tests give their own). */
  constructor(now: () => number = monotonicMs) {
    this.#now = now;
  }

  /**
   * Counts one item written (`filled` when its write filled the socket); true when the budget
   * is spent, and the writer should `waitForTurn()` before the next item.
   */
  spend(filled: boolean): boolean {
    if (this.#turn !== loopTurns) {
      this.#turn = loopTurns;
      this.#items = 0;
      this.#startedAt = -1;
      this.#spent = false;
    }
    const count = ++this.#items;
    if (!filled && count % CHECK_EVERY_ITEMS !== 0) return false;
    // A loop that turns from now on (the writer waiting for items or for `drain`) renews the budget.
    markTurn();
    const now = this.#now();
    if (this.#startedAt === -1) this.#startedAt = now;
    this.#spent = count >= MAX_ITEMS_PER_TURN || now - this.#startedAt >= MAX_TURN_MS;
    return this.#spent;
  }

  /** True when the budget is spent and the loop has not turned since. */
  get exhausted(): boolean {
    return this.#spent && this.#turn === loopTurns;
  }

  /** Calls `resume` at the next turn of the event loop, with the budget renewed. */
  waitForTurn(resume: () => void): void {
    waitingForTurn.push(resume);
    markTurn();
  }
}
