import type { JsonRpcId } from '../json-rpc/messages.js';

/**
 * The requests being answered right now, by who sent them and their id, so that
 * `notifications/cancelled` can abort one. A session keeps its own; a stateless server keeps one
 * for everybody, keyed by the runtime session (or `Mcp-Session-Id`) header the request came with.
 * Its size is the number of requests in flight, which the connections bound.
 */
export class InflightCalls {
  readonly #calls = new Map<string, AbortController>();

  /** Number of requests in flight. */
  get size(): number {
    return this.#calls.size;
  }

  /** Registers a request; the returned function unregisters it (call it when it is answered). */
  add(owner: string, id: JsonRpcId, controller: AbortController): () => void {
    const key = callKey(owner, id);
    this.#calls.set(key, controller);
    return () => {
      if (this.#calls.get(key) === controller) this.#calls.delete(key);
    };
  }

  /** Aborts request `id` of `owner` with `reason`; false when no such request is in flight. */
  cancel(owner: string, id: JsonRpcId, reason: unknown): boolean {
    const key = callKey(owner, id);
    const controller = this.#calls.get(key);
    if (controller === undefined) return false;
    this.#calls.delete(key);
    controller.abort(reason);
    return true;
  }

  /** Aborts every request in flight (the session ended). */
  cancelAll(reason: unknown): void {
    const controllers = [...this.#calls.values()];
    this.#calls.clear();
    for (const controller of controllers) controller.abort(reason);
  }
}

/** `1` and `"1"` are different ids: the key keeps the type. */
function callKey(owner: string, id: JsonRpcId): string {
  return `${owner}\u0000${typeof id === 'number' ? 'n' : 's'}${id}`;
}
