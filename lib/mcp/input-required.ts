import { JsonRpcError } from '../json-rpc/errors.js';
import type { ClientChannel } from './context.js';
import { InputRequiredSignal, McpErrorCode } from './errors.js';
import type { RequestStateBinding, RequestStateCodec } from './request-state.js';
import { Method, type JsonObject } from './wire.js';

export { InputRequiredSignal };
import type { InputRequest, InputRequests, InputRequiredResult } from './wire-2026.js';

/** Most input requests one round asks at once (a handler asking in a loop is stopped here). */
export const MAX_INPUT_REQUESTS_PER_ROUND = 100;

/**
 * One run of a handler in a multi round-trip request (2026-07-28, "Multi Round-Trip Requests"):
 * the client's answers available to this run (those of earlier rounds from the verified
 * `requestState`, this round's from `params.inputResponses`) and what the handler asked that
 * was not answered yet. Each ask is a key: the handler's own (`{ key }` in the ask's options)
 * or `input_<n>`, the n-th ask of the run, so that the same handler asks the same keys on every
 * run. An answered ask resolves at once with its answer (checked for the shape its method
 * requires); an unanswered one is recorded and rejects with `InputRequiredSignal`. When the run
 * is over, an unanswered ask makes the answer `input_required`, with every unanswered request
 * and a new signed `requestState` carrying the answers this run used.
 */
export class InputRound {
  readonly #codec: RequestStateCodec;
  /** What the state is bound to, computed only when a state is opened or made (it hashes the arguments). */
  readonly #binding: () => RequestStateBinding;
  readonly #given: Readonly<Record<string, unknown>>;
  readonly #round: number;
  /** The answers this run used, and what it asked that was not answered: made on first use (most calls ask nothing). */
  #used: Map<string, unknown> | undefined;
  #asked: Map<string, InputRequest> | undefined;
  #invalid: JsonRpcError | undefined;
  #count = 0;
  #onNeedsInput: (() => void) | undefined;
  #signalled = false;

  /**
   * Opens a round from a request's params.
   * @throws JsonRpcError -32602 for a `requestState` that does not verify (or belongs to another
   * call), or `inputResponses` that is not an object.
   */
  constructor(params: JsonObject, codec: RequestStateCodec, binding: () => RequestStateBinding) {
    this.#codec = codec;
    this.#binding = binding;
    const responses = params.inputResponses;
    if (responses !== undefined && (typeof responses !== 'object' || responses === null || Array.isArray(responses))) {
      throw JsonRpcError.invalidParams('inputResponses must be an object of answers by key');
    }
    const state = params.requestState === undefined ? undefined : codec.open(params.requestState, binding());
    this.#round = state?.round ?? 0;
    // Answers already used in an earlier round stay as they were.
    this.#given = state === undefined ? ((responses as JsonObject | undefined) ?? NO_ANSWERS) : { ...(responses as JsonObject | undefined), ...state.answers };
  }

  /** True when the handler asked something the client has not answered. */
  get pending(): boolean {
    return this.#asked !== undefined && this.#asked.size > 0;
  }

  /** The protocol error an answer of the wrong shape (or too many asks) calls for, if any. */
  get invalid(): JsonRpcError | undefined {
    return this.#invalid;
  }

  /**
   * Calls `callback` (once) one event-loop turn after the first unanswered ask (or invalid
   * answer): by then a handler asking several things at once (`Promise.all`) has asked all of them.
   */
  onNeedsInput(callback: () => void): void {
    this.#onNeedsInput = callback;
    if (this.#signalled) setImmediate(callback);
  }

  /**
   * The ask of a handler: its answer when the client gave one.
   * @throws (rejects with) InputRequiredSignal when it did not; JsonRpcError -32602 for an answer
   * of the wrong shape.
   */
  ask(method: string, params: unknown, key?: string): Promise<unknown> {
    const name = key ?? `input_${this.#count + 1}`;
    this.#count++;
    if (Object.hasOwn(this.#given, name)) {
      const answer = this.#given[name];
      const problem = answerProblem(method, answer);
      if (problem === undefined) {
        (this.#used ??= new Map()).set(name, answer);
        return Promise.resolve(answer);
      }
      return this.#fail(JsonRpcError.invalidParams(`inputResponses.${name} is not a valid answer to ${method}: ${problem}`, { key: name }));
    }
    const asked = (this.#asked ??= new Map());
    if (asked.size >= MAX_INPUT_REQUESTS_PER_ROUND && !asked.has(name)) {
      return this.#fail(new JsonRpcError(McpErrorCode.InternalError, `More than ${MAX_INPUT_REQUESTS_PER_ROUND} input requests in one round`));
    }
    const request: InputRequest = { method: method as InputRequest['method'] };
    if (params !== undefined) request.params = params as JsonObject;
    asked.set(name, request);
    this.#signal();
    return Promise.reject(new InputRequiredSignal(name));
  }

  /** How this round's handler reaches the client: asks answered from the round, notifications as `notify` sends them. */
  channel(notify: ClientChannel['notify']): ClientChannel {
    return { notify, request: (method, params, options) => this.ask(method, params, options?.key), closeStream: () => false };
  }

  /**
   * The `input_required` answer: every unanswered request, and the state of the next round.
   * @throws JsonRpcError -32603 when the answers used do not fit in a state.
   */
  result(): InputRequiredResult {
    const inputRequests: InputRequests = Object.fromEntries(this.#asked ?? []);
    const requestState = this.#codec.mint(this.#binding(), { answers: Object.fromEntries(this.#used ?? []), round: this.#round + 1 });
    return { resultType: 'input_required', inputRequests, requestState };
  }

  #fail(error: JsonRpcError): Promise<never> {
    this.#invalid ??= error;
    this.#signal();
    return Promise.reject(error);
  }

  #signal(): void {
    if (this.#signalled) return;
    this.#signalled = true;
    if (this.#onNeedsInput !== undefined) setImmediate(this.#onNeedsInput);
  }
}

/** The answers of a call that brought none. */
const NO_ANSWERS: Readonly<Record<string, unknown>> = Object.freeze({});

/** Why `answer` is not a result of `method`, or `undefined` when it is one. */
export function answerProblem(method: string, answer: unknown): string | undefined {
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) return 'it must be an object';
  const value = answer as JsonObject;
  if (method === Method.ElicitationCreate) {
    if (value.action !== 'accept' && value.action !== 'decline' && value.action !== 'cancel') return 'action must be accept, decline or cancel';
    if (value.content !== undefined && (typeof value.content !== 'object' || value.content === null || Array.isArray(value.content))) return 'content must be an object';
  } else if (method === Method.SamplingCreateMessage) {
    if (value.role !== 'user' && value.role !== 'assistant') return 'role must be user or assistant';
    if (typeof value.content !== 'object' || value.content === null) return 'content must be an object or an array';
    if (typeof value.model !== 'string') return 'model must be a string';
  } else if (method === Method.RootsList) {
    if (!Array.isArray(value.roots) || !value.roots.every((root) => typeof root === 'object' && root !== null && typeof (root as JsonObject).uri === 'string')) {
      return 'roots must be an array of { uri }';
    }
  }
  return undefined;
}
