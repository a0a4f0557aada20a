import type { ServerResponse } from 'node:http';
import { monotonicMs } from '../clock.js';
import type { RequestContext, RequestLifetime } from '../http/context.js';
import { sendJson } from '../http/response.js';
import { JsonRpcError } from '../json-rpc/errors.js';
import type { JsonRpcId } from '../json-rpc/messages.js';
import { errorResponse, notificationMessage, resultResponse } from '../json-rpc/wire.js';
import type { Logger } from '../logger.js';
import { isThenable } from '../thenable.js';
import type { AcceptedAnswers } from './accept.js';
import type { InflightCalls } from './calls.js';
import type { ClientChannel, McpCallInfo } from './context.js';
import { clientCapabilityMissing } from './errors.js';
import type { McpSession } from './session.js';
import type { ConnectionOptions, McpStream } from './stream.js';
import type { JsonObject } from './wire.js';

/** What one request of an exchange is. */
export interface ExchangeRequest {
  /** `null` only for an invalid member of a batch, answered with `invalid`. */
  readonly id: JsonRpcId | null;
  readonly method: string;
  readonly params: JsonObject;
  readonly info: McpCallInfo;
  /** Why a batch member is not a valid request: answered as this error, nothing run. */
  readonly invalid?: JsonRpcError;
}

/** Runs one request: the dispatcher for most, the transport's own for `initialize`. */
export type RunRequest = (request: ExchangeRequest, signal: AbortSignal, channel: ClientChannel) => unknown;

/** What an exchange works with. */
export interface ExchangeParts {
  readonly response: ServerResponse;
  readonly lifetime: RequestLifetime;
  readonly context: RequestContext;
  readonly accepts: AcceptedAnswers;
  readonly session: McpSession | undefined;
  /** Where its requests are registered for `notifications/cancelled`. */
  readonly calls: InflightCalls;
  readonly owner: string;
  /** Extra headers of the answer (`mcp-session-id` on an `initialize` answer). */
  readonly headers: Readonly<Record<string, string>> | undefined;
  readonly connection: ConnectionOptions;
  /** A new answer stream (the session's, resumable, in stateful mode); `onLost` when its connection ends early. */
  readonly openStream: (onLost: () => void) => McpStream;
  /**
   * Answer with SSE from the start when the client accepts it (stateful mode: the events get ids
   * and the answer can be resumed) rather than only once something has to go before the result.
   */
  readonly streamAtOnce: boolean;
  /** Open the SSE answer with a priming event (resumable, 2025-11-25): resumable from the start. */
  readonly prime: boolean;
  readonly retryMs: number;
  /** True during shutdown: a lost connection aborts even resumable work then. */
  readonly closing: () => boolean;
  readonly logger: Logger;
  /** The HTTP status of an error answered as JSON (2026-07-28 answers -32020 and -32021 with 400). Default 200. */
  readonly errorStatus?: (error: JsonRpcError) => number;
}

/**
 * The answer to one POST carrying requests (one, or a 2025-03-26 batch): a state machine
 * `open` → `json` (one JSON body, when nothing had to be said before the results) or
 * `streaming` (an SSE answer, opened as soon as a notification or a server request has to go
 * out, or at once when it can be resumed) → `done`. A connection lost before the end aborts the
 * requests unless the stream can be resumed; a request cancelled by `notifications/cancelled`
 * is dropped from the answer.
 */
export class Exchange {
  readonly #parts: ExchangeParts;
  readonly #batch: boolean;
  /** Requests not answered yet, with their abort controllers (by request: ids may repeat, or be null). */
  readonly #pending = new Map<ExchangeRequest, AbortController>();
  /** A batch's answers while it is answered as JSON. */
  readonly #answers: string[] = [];
  #state: 'open' | 'json' | 'streaming' | 'done' = 'open';
  #stream: McpStream | undefined;

  constructor(parts: ExchangeParts, batch: boolean) {
    this.#parts = parts;
    this.#batch = batch;
    parts.lifetime.signal.addEventListener('abort', () => this.#connectionLost(), { once: true });
  }

  /** Runs every request; answers as each settles. */
  start(requests: readonly ExchangeRequest[], run: RunRequest): void {
    for (const request of requests) this.#pending.set(request, new AbortController());
    if (this.#parts.streamAtOnce && this.#parts.accepts.sse) this.#upgrade();
    for (const request of requests) this.#run(request, run);
  }

  #run(request: ExchangeRequest, run: RunRequest): void {
    const { id } = request;
    const controller = this.#pending.get(request)!;
    if (id === null || request.invalid !== undefined) {
      this.#answer(request, controller, errorResponse(id, request.invalid ?? JsonRpcError.invalidRequest('id must be a string or a number')));
      return;
    }
    const unregister = this.#parts.calls.add(this.#parts.owner, id, controller);
    const endBusy = this.#parts.session?.begin();
    // Health probes send `ping` every few seconds: like GET /ping, it is not logged at info.
    const startedAt = request.method !== 'ping' && this.#parts.logger.isEnabled('info') ? monotonicMs() : undefined;
    const finish = (text: string, error?: JsonRpcError): void => {
      unregister();
      endBusy?.();
      if (startedAt !== undefined) logCompleted(this.#parts.logger, request, startedAt, controller.signal.aborted, error);
      this.#answer(request, controller, text, error === undefined ? 200 : (this.#parts.errorStatus?.(error) ?? 200));
    };
    const fail = (error: unknown): void => {
      const protocolError = error instanceof JsonRpcError ? error : undefined;
      finish(this.#errorText(id, error, request.method), protocolError ?? JsonRpcError.internalError());
    };
    let result: unknown;
    try {
      result = run(request, controller.signal, this.#channel());
    } catch (error) {
      fail(error);
      return;
    }
    if (isThenable(result)) Promise.resolve(result).then((value) => finish(resultResponse(id, value)), fail);
    else finish(resultResponse(id, result));
  }

  /** The way a request's handler reaches the client: this answer's stream, else the session's. */
  #channel(): ClientChannel {
    return {
      requestsUnavailable: this.#parts.session === undefined ? STATELESS : undefined,
      notify: (method, params) => this.#emit(notificationMessage(method, params)),
      request: (method, params, options) => {
        const session = this.#parts.session;
        if (session === undefined) return Promise.reject(clientCapabilityMissing(method, STATELESS));
        if (this.#state === 'open' && this.#parts.accepts.sse) this.#upgrade();
        return session.request(method, params, this.#state === 'streaming' ? this.#stream : undefined, options);
      },
      closeStream: () => this.#state === 'streaming' && this.#stream!.closeConnection(this.#parts.retryMs),
    };
  }

  /** Sends a message about a request before its answer; false when it cannot reach the client. */
  #emit(text: string): boolean {
    if (this.#state === 'open' && this.#parts.accepts.sse) this.#upgrade();
    if (this.#state !== 'streaming') return false;
    this.#stream!.send(text);
    return true;
  }

  #upgrade(): void {
    const { response, connection, retryMs } = this.#parts;
    const stream = this.#parts.openStream(() => this.#connectionLost());
    this.#stream = stream;
    this.#state = 'streaming';
    stream.connect(response, { ...connection, headers: this.#parts.headers });
    if (this.#parts.prime) stream.prime(retryMs);
    // A batch's answers collected while it was to be answered as JSON go first.
    for (const text of this.#answers.splice(0)) stream.send(text);
  }

  #answer(request: ExchangeRequest, controller: AbortController, text: string, status = 200): void {
    if (this.#pending.get(request) !== controller) return;
    this.#pending.delete(request);
    // Cancelled: the specification says no answer is sent for it.
    if (controller.signal.aborted) {
      this.#endIfDone();
      return;
    }
    if (this.#state === 'streaming') {
      this.#stream!.send(text);
    } else if (this.#state === 'open' && !this.#parts.accepts.json) {
      this.#upgrade();
      this.#stream!.send(text);
    } else if (this.#batch) {
      this.#answers.push(text);
    } else if (this.#state === 'open') {
      this.#state = 'done';
      sendJson(this.#parts.response, status, text, this.#parts.headers);
      return;
    }
    this.#endIfDone();
  }

  /** Every request is answered (or cancelled): end the answer. */
  #endIfDone(): void {
    if (this.#pending.size > 0 || this.#state === 'done') return;
    if (this.#state === 'streaming') {
      this.#stream!.finish();
    } else if (this.#answers.length > 0) {
      sendJson(this.#parts.response, 200, `[${this.#answers.join(',')}]`, this.#parts.headers);
    } else {
      // Nothing to say (every request was cancelled): answered as a notification is.
      endEmpty(this.#parts.response, 202);
    }
    this.#state = 'done';
  }

  /**
   * The connection ended before the answer did. A stream the client can resume keeps its
   * requests running (the specification: a disconnect is not a cancellation); otherwise nobody
   * can receive their answers any more, and their signals abort.
   */
  #connectionLost(): void {
    if (this.#state === 'done' && this.#pending.size === 0) return;
    if (this.#stream?.resumable === true && !this.#parts.closing()) return;
    const reason = new Error('The client disconnected before the answer was complete');
    for (const controller of this.#pending.values()) controller.abort(reason);
    this.#pending.clear();
    this.#stream?.finish();
    this.#state = 'done';
  }

  #errorText(id: JsonRpcId, error: unknown, method: string): string {
    if (error instanceof JsonRpcError) return errorResponse(id, error);
    this.#parts.logger.error('MCP request failed', { method, error });
    return errorResponse(id, JsonRpcError.internalError());
  }
}

/** One line per request answered: what it was, how it ended, how long it took. */
function logCompleted(logger: Logger, request: ExchangeRequest, startedAt: number, cancelled: boolean, error: JsonRpcError | undefined): void {
  const fields: Record<string, unknown> = { method: request.method };
  const name = request.params.name ?? request.params.uri;
  if (typeof name === 'string') fields.name = name;
  fields.outcome = cancelled ? 'cancelled' : error === undefined ? 'result' : 'error';
  if (error !== undefined && !cancelled) fields.errorCode = error.code;
  fields.durationMs = Math.round((monotonicMs() - startedAt) * 1000) / 1000;
  logger.info('MCP request completed', fields);
}

/** Why a stateless server cannot send its client a request. */
export const STATELESS = 'the server is stateless; server-initiated requests need stateful mode';

/** An answer with no body. */
export function endEmpty(response: ServerResponse, status: number, headers?: Readonly<Record<string, string>>): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, { ...headers, 'content-length': '0' });
  response.end();
}
