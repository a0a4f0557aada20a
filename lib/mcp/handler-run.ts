import type { ClientRequestOptions } from './client-requests.js';
import type { ClientChannel } from './context.js';
import type { InputRound } from './input-required.js';
import type { TaskInputs } from './task-inputs.js';
import type { InputRequiredResult } from './wire-2026.js';

/**
 * One run of a handler for a 2026-07-28 call (see modern-dispatch.ts): how it ends (`firstOf`),
 * its signal (`RunSignal`, made only if read, handed over to a task), and how a tool's handler
 * reaches the client before and after its call became a task (`ToolCallChannel`).
 */

/** How a handler run ended, when it did. */
export type Outcome<T> = { value: T } | { error: unknown };

/**
 * Resolves with the handler's outcome, or `undefined` when the round needs input first (a turn
 * after the first unanswered ask) or, for a call that may become a task, when the handler is
 * still running one turn of the event loop after it started. One promise per call.
 */
export function firstOf<T>(round: InputRound, running: Promise<T>, untilNextTurn: boolean): Promise<Outcome<T> | undefined> {
  return new Promise((resolve) => {
    round.onNeedsInput(() => resolve(undefined));
    running.then(
      (value) => resolve({ value }),
      (error: unknown) => resolve({ error }),
    );
    if (untilNextTurn) setImmediate(resolve, undefined);
  });
}

/** The round's answer once it needs input: its protocol error, or `input_required`; the run is told to stop. */
export function needsInput(round: InputRound, signal: RunSignal): InputRequiredResult {
  signal.stop(new Error('The call needs input from the client; it runs again with the answers'));
  if (round.invalid !== undefined) throw round.invalid;
  return round.result();
}

/**
 * The signal of one handler run, made only if the handler reads it (most never do): it aborts
 * when its parent does (the request's signal, then the task's once the call became one) or when
 * the run is stopped.
 */
export class RunSignal {
  #parent: AbortSignal;
  #controller: AbortController | undefined;
  #unlink: (() => void) | undefined;
  #stopped: { reason: unknown } | undefined;

  constructor(parent: AbortSignal) {
    this.#parent = parent;
  }

  /** The signal (a function, so the context makes it on first use). */
  readonly get = (): AbortSignal => {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#stopped !== undefined) this.#controller.abort(this.#stopped.reason);
      else this.#unlink = linkAbort(this.#parent, this.#controller);
    }
    return this.#controller.signal;
  };

  /** From now on it follows `parent` instead. */
  reparent(parent: AbortSignal): void {
    this.#unlink?.();
    this.#parent = parent;
    if (this.#controller !== undefined) this.#unlink = linkAbort(parent, this.#controller);
  }

  /** Aborts it (now, or as soon as it is made). */
  stop(reason: unknown): void {
    this.#stopped ??= { reason };
    this.#unlink?.();
    this.#controller?.abort(reason);
  }
}

/** How a tool call's handler reaches the client: the round's asks, then (once a task) the task's inputs. */
export class ToolCallChannel implements ClientChannel {
  readonly #call: ClientChannel;
  /** The task's input requests, once the call became a task. */
  inputs: TaskInputs | undefined;

  constructor(call: ClientChannel) {
    this.#call = call;
  }

  notify(method: string, params: unknown): boolean {
    // Progress and log notifications are not sent for a task.
    return this.inputs === undefined && this.#call.notify(method, params);
  }

  request(method: string, params: unknown, options?: ClientRequestOptions): Promise<unknown> {
    return this.inputs === undefined ? this.#call.request(method, params, options) : this.inputs.ask(method, params, options);
  }

  closeStream(): boolean {
    return false;
  }
}

/** Aborts `controller` when `signal` aborts; the returned function undoes it. */
export function linkAbort(signal: AbortSignal, controller: AbortController): () => void {
  if (signal.aborted) {
    controller.abort(signal.reason);
    return () => undefined;
  }
  const onAbort = (): void => controller.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}
