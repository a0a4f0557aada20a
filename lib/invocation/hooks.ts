import type { ServerResponse } from 'node:http';
import type { RequestContext } from '../http/context.js';
import { addVary } from '../http/response.js';

/** One invocation as the request hooks see it. */
export interface InvocationCall {
  /** The decoded payload the handler will get. */
  readonly payload: unknown;
  /** The request's context (ids, headers, signal). */
  readonly context: RequestContext;
  /**
   * Adds a header to the answer, whatever form it takes (JSON, stream, error). `Vary` is merged
   * with the names already there (CORS's `Origin`), never replaced.
   */
  setHeader(name: string, value: string): void;
}

/**
 * Code around every invocation (`app.use(hook)`), in the order hooks were added: `next()` runs
 * the hooks after this one and then the handler, and resolves with the handler's result (for a
 * streaming handler: the stream, before any of it is written). Whatever the hook returns is the
 * answer, so it may pass the result on, change it, or answer without calling `next()`; a thrown
 * `HttpError` is answered with its status (401 for a failed auth check, say). Hooks do not run
 * for `/ping`, the warmup hook or debug actions.
 */
export type InvocationHook = (call: InvocationCall, next: () => Promise<unknown>) => unknown;

/** Builds the call the hooks see. */
export function invocationCall(response: ServerResponse, payload: unknown, context: RequestContext): InvocationCall {
  return {
    payload,
    context,
    setHeader(name, value) {
      if (response.headersSent) return;
      if (name.toLowerCase() === 'vary') addVary(response, value);
      else response.setHeader(name, value);
    },
  };
}

/**
 * Runs `hooks` around `handler`; resolves with the answer, rejects with what a hook or the
 * handler threw (including a second call of one hook's `next()`, a bug worth an error).
 */
export function runWithHooks(hooks: readonly InvocationHook[], call: InvocationCall, handler: () => unknown): Promise<unknown> {
  const dispatch = (index: number): Promise<unknown> =>
    new Promise((resolve) => {
      if (index === hooks.length) {
        resolve(handler());
        return;
      }
      let called = false;
      const next = (): Promise<unknown> => {
        if (called) return Promise.reject(new Error('next() called more than once by one request hook'));
        called = true;
        return dispatch(index + 1);
      };
      resolve(hooks[index]!(call, next));
    });
  return dispatch(0);
}
