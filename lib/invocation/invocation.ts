import type { IncomingMessage, ServerResponse } from 'node:http';
import { monotonicMs } from '../clock.js';
import { BodyTooLargeError, describeThrown, HttpError } from '../errors.js';
import { collectBody, decodeBody, drainRefusedBody, RequestAbortedError } from '../http/body.js';
import { createRequestContext, RequestLifetime, runWithContext, type RequestContext } from '../http/context.js';
import { sendError, sendJson } from '../http/response.js';
import type { InflightRequests } from '../lifecycle/shutdown.js';
import type { Logger } from '../logger.js';
import type { PingStatusReporter } from '../ping/status.js';
import { toJson } from '../serialize.js';
import type { TaskSupervisor } from '../tasks/supervisor.js';
import { isThenable } from '../thenable.js';
import { DEBUG_ACTION_KEY, isDebugAction, runDebugAction } from './debug-actions.js';
import { invocationCall, runWithHooks, type InvocationHook } from './hooks.js';
import { DegradedResultWarnings, writeResult, type ResultOutcome, type ResultWriterOptions } from './result.js';

/**
 * Handles one invocation: receives the payload (parsed JSON, a string for `text/*`, bytes for
 * other types) and the request context; returns the result or a promise of it.
 */
export type InvocationHandler = (payload: any, context: RequestContext) => unknown;

/** What the invocation path needs from the app. */
export interface InvocationParts {
  logger: Logger;
  maxBodyBytes: number;
  /** Answer `_agent_core_app_action` payloads (debug actions) against these. */
  debug: { status: PingStatusReporter; tasks: TaskSupervisor } | undefined;
  result: ResultWriterOptions;
  inflight: InflightRequests;
}

/**
 * `POST /invocations`: body → payload → handler → answer. Written in callbacks rather than
 * `async` functions: for a synchronous handler it allocates no promise (each one also costs
 * `AsyncLocalStorage` hooks on Node 20).
 */
export class InvocationEndpoint {
  readonly #parts: InvocationParts;
  /** `parts.result`, with the app's one bounded warner of degraded results. */
  readonly #result: ResultWriterOptions;
  #handler: InvocationHandler | undefined;
  readonly #hooks: InvocationHook[] = [];

  constructor(parts: InvocationParts) {
    this.#parts = parts;
    this.#result = { ...parts.result, degraded: parts.result.degraded ?? new DegradedResultWarnings(parts.logger) };
  }

  /** True once an entrypoint is set. */
  get hasHandler(): boolean {
    return this.#handler !== undefined;
  }

  /** Sets the entrypoint. */
  setHandler(handler: InvocationHandler): void {
    this.#handler = handler;
  }

  /** Adds a hook that runs around every call of the handler. */
  addHook(hook: InvocationHook): void {
    this.#hooks.push(hook);
  }

  /** Answers one invocation. */
  serve(request: IncomingMessage, response: ServerResponse): void {
    // The clock is read only for the completion log line.
    const startedAt = this.#parts.logger.isEnabled('info') ? monotonicMs() : 0;
    const lifetime = new RequestLifetime();
    this.#parts.inflight.track(response, lifetime);
    const context = createRequestContext(request, lifetime);
    collectBody(request, this.#parts.maxBodyBytes, (error, body) => {
      // Body events run in the socket's async context: enter the request's own from here on.
      runWithContext(context, () => {
        try {
          this.#invoke(request, response, context, error, body!, startedAt);
        } catch (failure) {
          // A bug of ours must still answer (500) rather than take the process down.
          this.#answerHandlerError(response, failure);
        }
      });
    });
  }

  #invoke(
    request: IncomingMessage,
    response: ServerResponse,
    context: RequestContext,
    bodyError: Error | undefined,
    body: Buffer,
    startedAt: number,
  ): void {
    let payload: unknown;
    try {
      if (bodyError !== undefined) throw bodyError;
      payload = decodeBody(body, request.headers['content-type']);
    } catch (error) {
      if (error instanceof RequestAbortedError) {
        this.#parts.logger.debug('client aborted the request body');
        return;
      }
      this.#answerError(response, error as HttpError);
      if (error instanceof BodyTooLargeError) drainRefusedBody(request);
      return;
    }
    let result: unknown;
    try {
      const debug = this.#parts.debug;
      if (debug !== undefined && isDebugAction(payload)) {
        result = runDebugAction(payload[DEBUG_ACTION_KEY], debug.status, debug.tasks);
      } else if (this.#handler === undefined) {
        throw new HttpError(500, 'No entrypoint registered: call app.entrypoint(handler)', { code: 'NO_ENTRYPOINT' });
      } else if (this.#hooks.length === 0) {
        result = this.#handler(payload, context);
      } else {
        result = this.#callWithHooks(this.#handler, response, payload, context);
      }
    } catch (error) {
      this.#answerHandlerError(response, error);
      return;
    }
    if (isThenable(result)) this.#answerWhenSettled(response, context, result, startedAt);
    else this.#answer(response, context, result, startedAt);
  }

  // The closures of the asynchronous paths live in methods of their own, so that `#invoke` and
  // `#answer` create none: a closure over a function's locals makes V8 allocate a context for
  // them on every call, whichever path the call then takes.

  #answerWhenSettled(response: ServerResponse, context: RequestContext, result: PromiseLike<unknown>, startedAt: number): void {
    Promise.resolve(result).then(
      (value) => this.#answer(response, context, value, startedAt),
      (error: unknown) => this.#answerHandlerError(response, error),
    );
  }

  /** The handler called through the hooks. */
  #callWithHooks(handler: InvocationHandler, response: ServerResponse, payload: unknown, context: RequestContext): unknown {
    return runWithHooks(this.#hooks, invocationCall(response, payload, context), () => handler(payload, context));
  }

  /** Writes the handler's result: JSON, bytes, a Response or an event stream. */
  #answer(response: ServerResponse, context: RequestContext, result: unknown, startedAt: number): void {
    let written: ReturnType<typeof writeResult>;
    try {
      written = writeResult(response, result, context, this.#result);
    } catch (error) {
      // A result that cannot be serialized (UNSERIALIZABLE_RESULT): nothing was written yet.
      this.#answerHandlerError(response, error);
      return;
    }
    if (written instanceof Promise) this.#logWhenWritten(response, written, startedAt);
    else this.#logCompleted(written, startedAt);
  }

  #logWhenWritten(response: ServerResponse, written: Promise<ResultOutcome>, startedAt: number): void {
    // Rejects only before anything was written, so an ordinary error answer is still possible.
    written.then(
      (outcome) => this.#logCompleted(outcome, startedAt),
      (error: unknown) => this.#answerHandlerError(response, error),
    );
  }

  #logCompleted(outcome: ResultOutcome, startedAt: number): void {
    const logger = this.#parts.logger;
    if (!logger.isEnabled('info')) return;
    // Named fields rather than a spread of `outcome`: copying an object with a spread costs about
    // as much as the rest of the log record.
    const fields: Record<string, unknown> = { status: outcome.status, kind: outcome.kind };
    if (outcome.ended !== undefined) fields.ended = outcome.ended;
    if (outcome.items !== undefined) fields.items = outcome.items;
    fields.durationMs = elapsedSince(startedAt);
    logger.info('invocation completed', fields);
  }

  #answerHandlerError(response: ServerResponse, error: unknown): void {
    if (error instanceof HttpError) {
      this.#answerError(response, error);
      return;
    }
    const { type, message } = describeThrown(error);
    if (error instanceof Error) this.#parts.logger.error('invocation handler failed', { error });
    else this.#parts.logger.error('invocation handler failed', { errorType: type, errorMessage: message, hint: 'throw an Error to get a stack trace' });
    sendJson(response, 500, toJson({ error: message, code: 'HANDLER_ERROR', error_type: type }));
  }

  #answerError(response: ServerResponse, error: HttpError): void {
    const log = error.status >= 500 ? 'error' : 'warn';
    this.#parts.logger[log]('invocation answered with an error', { status: error.status, code: error.code, errorMessage: error.message });
    sendError(response, error);
  }
}

function elapsedSince(startedAt: number): number {
  return Math.round((monotonicMs() - startedAt) * 1000) / 1000;
}
