import { JsonRpcError } from '../json-rpc/errors.js';
import type { JsonRpcId, JsonRpcResponse } from '../json-rpc/messages.js';
import { notificationMessage, requestMessage } from '../json-rpc/wire.js';
import { McpErrorCode } from './errors.js';
import { Notification } from './wire.js';

/** Options of one server-initiated request. */
export interface ClientRequestOptions {
  /** Gives up (and tells the client with `notifications/cancelled`) when it aborts. */
  signal?: AbortSignal;
  /** Gives up after this long. Default: the session's `clientRequestTimeoutMs`. */
  timeoutMs?: number;
  /**
   * 2026-07-28: the key of this request in an `input_required` answer (or a task's
   * `inputRequests`), unique within the call. Default `input_<n>`, the call's n-th request, the
   * same on every run of a deterministic handler. The legacy era ignores it.
   */
  key?: string;
}

interface Pending {
  resolve(result: unknown): void;
  reject(error: unknown): void;
  cleanup(): void;
}

/**
 * The requests a session's server sent to its client (elicitation, sampling, roots) and is
 * waiting on: each gets an id of its own, is answered by a later POST carrying a JSON-RPC
 * response, and gives up on a timeout or an abort, telling the client. Bounded: past
 * `maxPending`, a new request fails at once.
 */
export class ClientRequests {
  readonly #pending = new Map<JsonRpcId, Pending>();
  readonly #timeoutMs: number;
  readonly #maxPending: number;
  #nextId = 0;

  constructor(timeoutMs: number, maxPending: number) {
    this.#timeoutMs = timeoutMs;
    this.#maxPending = maxPending;
  }

  /** Requests waiting for an answer. */
  get size(): number {
    return this.#pending.size;
  }

  /**
   * Sends `method` through `send` (which writes the request's text to a stream, and throws when it
   * cannot) and resolves with the client's result.
   * @throws (rejects with) JsonRpcError: the client's own error; `-32001` on timeout; `-32603`
   * past the limit of pending requests; the signal's reason when it aborts.
   */
  send(method: string, params: unknown, deliver: (text: string) => void, options: ClientRequestOptions = {}): Promise<unknown> {
    if (this.#pending.size >= this.#maxPending) {
      return Promise.reject(new JsonRpcError(McpErrorCode.InternalError, `Too many requests waiting for the client (${this.#maxPending})`));
    }
    const signal = options.signal;
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    const id = ++this.#nextId;
    return new Promise((resolve, reject) => {
      const giveUp = (error: unknown, reason: string): void => {
        if (!this.#pending.has(id)) return;
        this.#pending.get(id)!.cleanup();
        this.#pending.delete(id);
        // Best effort: the client may stop waiting for its user or model.
        try {
          deliver(notificationMessage(Notification.Cancelled, { requestId: id, reason }));
        } catch {
          // No stream to tell it on: nothing else to do.
        }
        reject(error);
      };
      const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
      const timer = setTimeout(() => giveUp(new JsonRpcError(McpErrorCode.RequestTimeout, `Request timed out: ${method} got no answer within ${timeoutMs} ms`, { timeout: timeoutMs }), 'timeout'), timeoutMs);
      timer.unref();
      const onAbort = (): void => giveUp(signal!.reason, 'aborted');
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#pending.set(id, {
        resolve,
        reject,
        cleanup: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        },
      });
      try {
        deliver(requestMessage(id, method, params));
      } catch (error) {
        this.#pending.get(id)!.cleanup();
        this.#pending.delete(id);
        reject(error);
      }
    });
  }

  /** Settles the request `response` answers; false when none is waiting for it. */
  settle(response: JsonRpcResponse): boolean {
    const id = response.id;
    if (id === null) return false;
    const pending = this.#pending.get(id);
    if (pending === undefined) return false;
    this.#pending.delete(id);
    pending.cleanup();
    if ('error' in response) pending.reject(new JsonRpcError(response.error.code, response.error.message, response.error.data));
    else pending.resolve(response.result);
    return true;
  }

  /** Fails every request still waiting (the session ended). */
  rejectAll(error: unknown): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const request of pending) {
      request.cleanup();
      request.reject(error);
    }
  }
}
