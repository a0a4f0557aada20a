import { JsonRpcError } from '../json-rpc/errors.js';
import type { ClientRequestOptions } from './client-requests.js';
import type { ClientChannel } from './context.js';
import { McpErrorCode } from './errors.js';
import { answerProblem } from './input-required.js';
import type { McpTask } from './task.js';
import type { JsonObject } from './wire.js';
import type { InputRequest, InputRequests } from './wire-2026.js';

interface Outstanding {
  readonly request: InputRequest;
  resolve(answer: unknown): void;
  reject(error: unknown): void;
  cleanup(): void;
}

/**
 * What a task of the tasks extension asks its client (2026-07-28): each `ctx.elicitInput()`,
 * `ctx.createMessage()` or `ctx.listRoots()` of its work becomes an outstanding input request
 * under a key unique over the task's life, the task shows `input_required` with all of them on
 * `tasks/get`, and `tasks/update` answers them (applied before it is acknowledged, so the next
 * `tasks/get` already shows the rest); the task is `working` again once none is left. A request
 * gives up when its signal aborts (the task is cancelled or expires) or after its timeout.
 */
export class TaskInputs {
  readonly #task: McpTask;
  readonly #timeoutMs: number;
  readonly #maxOutstanding: number;
  readonly #outstanding = new Map<string, Outstanding>();
  /** Every key ever used: a key is never reused, even after its answer. */
  readonly #used = new Set<string>();
  #count = 0;

  constructor(task: McpTask, timeoutMs: number, maxOutstanding: number) {
    this.#task = task;
    this.#timeoutMs = timeoutMs;
    this.#maxOutstanding = maxOutstanding;
    task.inputs = this;
  }

  /** The requests waiting for an answer, by key. */
  requests(): InputRequests {
    const requests: InputRequests = {};
    for (const [key, entry] of this.#outstanding) requests[key] = entry.request;
    return requests;
  }

  /** How the task's work reaches its client: asks become input requests; notifications go nowhere. */
  channel(): ClientChannel {
    return { notify: () => false, request: (method, params, options) => this.ask(method, params, options), closeStream: () => false };
  }

  /**
   * Asks the client, through `tasks/get` and `tasks/update`.
   * @throws (rejects with) the reason of `options.signal`; JsonRpcError -32001 after the
   * timeout; -32603 past the limit of outstanding requests.
   */
  ask(method: string, params: unknown, options: ClientRequestOptions = {}): Promise<unknown> {
    if (this.#outstanding.size >= this.#maxOutstanding) {
      return Promise.reject(new JsonRpcError(McpErrorCode.InternalError, `Too many requests waiting for the client (${this.#maxOutstanding})`));
    }
    const signal = options.signal;
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    const key = this.#newKey(options.key);
    const request: InputRequest = { method: method as InputRequest['method'] };
    if (params !== undefined) request.params = params as JsonObject;
    return new Promise((resolve, reject) => {
      const giveUp = (error: unknown): void => this.#remove(key)?.reject(error);
      const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
      const timer = setTimeout(() => giveUp(new JsonRpcError(McpErrorCode.RequestTimeout, `Request timed out: ${method} got no answer within ${timeoutMs} ms`)), timeoutMs);
      timer.unref();
      const onAbort = (): void => giveUp(signal!.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#outstanding.set(key, {
        request,
        resolve,
        reject,
        cleanup: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        },
      });
      if (this.#outstanding.size === 1) this.#task.setWaiting(true, `Waiting for the client to answer ${method}`);
    });
  }

  /**
   * Applies a `tasks/update`: each answer to an outstanding request settles it; answers to
   * unknown or already answered keys are ignored.
   * @throws JsonRpcError -32602 when `responses` is not an object, or an answer to an outstanding
   * request does not have its method's shape (then nothing is applied).
   */
  update(responses: unknown): void {
    if (typeof responses !== 'object' || responses === null || Array.isArray(responses)) throw JsonRpcError.invalidParams('inputResponses must be an object of answers by key');
    const answers = Object.entries(responses as JsonObject).filter(([key]) => this.#outstanding.has(key));
    for (const [key, answer] of answers) {
      const problem = answerProblem(this.#outstanding.get(key)!.request.method, answer);
      if (problem !== undefined) throw JsonRpcError.invalidParams(`inputResponses.${key} is not a valid answer: ${problem}`, { key });
    }
    for (const [key, answer] of answers) this.#remove(key)!.resolve(answer);
  }

  #remove(key: string): Outstanding | undefined {
    const entry = this.#outstanding.get(key);
    if (entry === undefined) return undefined;
    this.#outstanding.delete(key);
    entry.cleanup();
    if (this.#outstanding.size === 0 && !this.#task.terminal) this.#task.setWaiting(false);
    return entry;
  }

  #newKey(wanted: string | undefined): string {
    let key = wanted ?? `input_${++this.#count}`;
    let suffix = 1;
    while (this.#used.has(key)) key = wanted === undefined ? `input_${++this.#count}` : `${wanted}_${++suffix}`;
    this.#used.add(key);
    return key;
  }
}
