/** True for a promise or any other object with a callable `then` (what `await` would wait for). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}
