/**
 * The bounded queue behind `for await (const message of socket)`.
 * @module
 */

import { ITERATOR_HIGH_WATER_MARK } from './constants.js';

/** Hooks a {@link MessageIterator} uses to apply backpressure and to close early. */
export interface MessageIteratorHooks {
  pause(): void;
  resume(): void;
  cancel(): void;
}

/** The bounded message queue behind `for await (const message of socket)`. */
export class MessageIterator implements AsyncIterableIterator<string | Buffer> {
  readonly #hooks: MessageIteratorHooks;
  #messages: (string | Buffer)[] = [];
  #waiting: ((result: IteratorResult<string | Buffer>) => void) | undefined;
  #paused = false;
  done = false;

  constructor(hooks: MessageIteratorHooks) {
    this.#hooks = hooks;
  }

  push(message: string | Buffer): void {
    if (this.done) return;
    if (this.#waiting !== undefined) {
      const waiting = this.#waiting;
      this.#waiting = undefined;
      waiting({ value: message, done: false });
      return;
    }
    this.#messages.push(message);
    if (this.#messages.length >= ITERATOR_HIGH_WATER_MARK && !this.#paused) {
      this.#paused = true;
      this.#hooks.pause();
    }
  }

  /** The connection closed: queued messages are still delivered, then iteration ends. */
  end(): void {
    this.done = true;
    this.#resumeReading();
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<string | Buffer>> {
    const message = this.#messages.shift();
    if (message !== undefined) {
      if (this.#messages.length < ITERATOR_HIGH_WATER_MARK) this.#resumeReading();
      return Promise.resolve({ value: message, done: false });
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.#waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<string | Buffer>> {
    this.#messages = [];
    if (!this.done) {
      this.end();
      this.#hooks.cancel();
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<string | Buffer> {
    return this;
  }

  #resumeReading(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#hooks.resume();
  }
}
