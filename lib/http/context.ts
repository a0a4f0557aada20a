import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';
import { randomUUID } from '../random.js';
import { REDACTED, redactHeaders } from '../redact.js';
import {
  forwardableHeaders,
  headerValue,
  IDENTITY_WAT_HEADER,
  OAUTH2_CALLBACK_URL_HEADER,
  REQUEST_ID_HEADER,
  SESSION_ID_HEADER,
  WORKLOAD_ACCESS_TOKEN_HEADER,
} from './headers.js';
import { parseTraceContext, type TraceContext } from './trace-context.js';

/** What a handler knows about the request it is serving. */
export interface RequestContext {
  /** Platform request id, or a generated UUID (unique per snapshot restore) when the header is absent. */
  readonly requestId: string;
  /** Runtime session id; absent for callers that carry none (bearer-token callers). */
  readonly sessionId: string | undefined;
  /** Workload access token from the identity headers, if any. */
  readonly workloadAccessToken: string | undefined;
  /** OAuth2 callback URL, if any. */
  readonly oauth2CallbackUrl: string | undefined;
  /** Forwardable request headers (AgentCore allowlist), lower-case names. */
  readonly requestHeaders: Readonly<Record<string, string>>;
  /** Alias of `requestHeaders`, the name the AWS TypeScript SDK uses. */
  readonly headers: Readonly<Record<string, string>>;
  /** The raw Node request. */
  readonly request: IncomingMessage;
  /** Aborted when the client goes away before the response is complete. */
  readonly signal: AbortSignal;
  /**
   * The trace the request belongs to (W3C `traceparent`/`tracestate`/`baggage`, X-Ray
   * `X-Amzn-Trace-Id`); log lines inside the request carry its `traceId`. Invalid headers are ignored.
   */
  readonly trace: TraceContext;
}

const storage = new AsyncLocalStorage<RequestContext>();

/**
 * Returns the context of the request whose async call chain is running, or `undefined` outside
 * a request.
 */
export function getRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Runs `fn` with `context` as the current request context. */
export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/**
 * The abort side of a request's life. The `AbortController` is created only when something
 * reads `signal` (most handlers never do), which keeps it off the per-request cost.
 */
export class RequestLifetime {
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;

  /** Aborted when the client goes away early, or at the shutdown deadline. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Aborts the signal (now, or as soon as it is created); later calls do nothing. */
  abort(reason?: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }
}

/**
 * A request's context. Every field is read from the headers when first asked for and kept: most
 * handlers read one or two fields, and the hot path should not pay for the rest (nor generate a
 * request id nobody logs).
 */
class AgentCoreRequestContext implements RequestContext {
  readonly request: IncomingMessage;
  readonly #lifetime: RequestLifetime;
  #requestId: string | undefined;
  #requestHeaders: Readonly<Record<string, string>> | undefined;
  #trace: TraceContext | undefined;

  constructor(request: IncomingMessage, lifetime: RequestLifetime) {
    this.request = request;
    this.#lifetime = lifetime;
  }

  get requestId(): string {
    this.#requestId ??= headerValue(this.request.headers[REQUEST_ID_HEADER]) || randomUUID();
    return this.#requestId;
  }

  get sessionId(): string | undefined {
    return headerValue(this.request.headers[SESSION_ID_HEADER]) || undefined;
  }

  get workloadAccessToken(): string | undefined {
    const headers = this.request.headers;
    return headerValue(headers[IDENTITY_WAT_HEADER]) || headerValue(headers[WORKLOAD_ACCESS_TOKEN_HEADER]) || undefined;
  }

  get oauth2CallbackUrl(): string | undefined {
    return headerValue(this.request.headers[OAUTH2_CALLBACK_URL_HEADER]) || undefined;
  }

  get requestHeaders(): Readonly<Record<string, string>> {
    this.#requestHeaders ??= forwardableHeaders(this.request.headers);
    return this.#requestHeaders;
  }

  get headers(): Readonly<Record<string, string>> {
    return this.requestHeaders;
  }

  get signal(): AbortSignal {
    return this.#lifetime.signal;
  }

  get trace(): TraceContext {
    this.#trace ??= parseTraceContext(this.request.headers);
    return this.#trace;
  }

  /**
   * Plain-object form, so logging or serializing a context shows its fields, never its secrets:
   * the workload access token is `[REDACTED]` (when there is one) and so are header values
   * named like secrets (`authorization`, the identity WAT header, cookies, tokens, API keys) or
   * carrying a credential (`Bearer …`).
   */
  toJSON(): Record<string, unknown> {
    return {
      requestId: this.requestId,
      sessionId: this.sessionId,
      workloadAccessToken: this.workloadAccessToken === undefined ? undefined : REDACTED,
      oauth2CallbackUrl: this.oauth2CallbackUrl,
      traceId: this.trace.traceId,
      requestHeaders: redactHeaders(this.requestHeaders),
    };
  }

  /** What `console.log(context)` and `util.inspect` show: the redacted `toJSON()` form. */
  [Symbol.for('nodejs.util.inspect.custom')](): Record<string, unknown> {
    return this.toJSON();
  }
}

/** Builds the context for a request from its headers. */
export function createRequestContext(request: IncomingMessage, lifetime: RequestLifetime): RequestContext {
  return new AgentCoreRequestContext(request, lifetime);
}
