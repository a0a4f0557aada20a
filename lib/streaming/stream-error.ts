/**
 * How a streamed answer reports a failure once its headers are out. Until then a failure is an
 * ordinary error response; after, the only way left to tell the client is a last item in the
 * stream, and what that item must look like belongs to the stream's protocol (an AG-UI client,
 * for one, accepts only a `RUN_ERROR` event). So the stream itself carries the choice.
 */

/**
 * The key under which a streamed handler result carries its {@link StreamErrorEvent}. A
 * registered symbol (`Symbol.for`), so every copy of the library agrees on it.
 */
export const STREAM_ERROR_EVENT: unique symbol = Symbol.for('agentcore-lite.streamErrorEvent');

/**
 * Makes the last item of a stream that failed after the response started, from the error. The
 * item is encoded like any other item of that stream (an object becomes `data: <json>`, an
 * `SseEvent` its own fields); `undefined` ends the stream with nothing more written.
 */
export type StreamErrorEvent = (error: unknown) => unknown;

/** A stream result that carries its own error event. */
export type WithStreamErrorEvent<S> = S & { readonly [STREAM_ERROR_EVENT]: StreamErrorEvent };

/**
 * Marks `stream` (an async generator, a `ReadableStream`, any stream result) so that, when it
 * fails after the response started, the event stream ends with `errorEvent(error)` instead of
 * the default `data: {"error","error_type","message"}` frame. Returns the same object.
 * A failure before the first item is still answered as an ordinary error response.
 * @throws TypeError when `stream` is not an object, `errorEvent` not a function, or the object
 * cannot take the property (frozen).
 */
export function withStreamErrorEvent<S extends object>(stream: S, errorEvent: StreamErrorEvent): WithStreamErrorEvent<S> {
  if (typeof stream !== 'object' || stream === null) throw new TypeError('withStreamErrorEvent expects a stream object');
  if (typeof errorEvent !== 'function') throw new TypeError('withStreamErrorEvent expects an errorEvent function');
  // Not enumerable: the marker must not show up if the object is ever logged or serialized.
  Object.defineProperty(stream, STREAM_ERROR_EVENT, { value: errorEvent, configurable: true });
  return stream as WithStreamErrorEvent<S>;
}

/** The error event `stream` carries, if it carries one. */
export function streamErrorEventOf(stream: object): StreamErrorEvent | undefined {
  const errorEvent: unknown = (stream as Partial<Record<typeof STREAM_ERROR_EVENT, unknown>>)[STREAM_ERROR_EVENT];
  return typeof errorEvent === 'function' ? (errorEvent as StreamErrorEvent) : undefined;
}
