import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';
import { randomUUID } from '../random.js';
import { REDACTED, redactHeaders, redactString } from '../redact.js';
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
  /**
   * Platform request id, or a generated UUID (unique per snapshot restore) when the header is
   * absent or is not an id: more than `MAX_LOGGED_ID_CHARS` characters, or any character but
   * visible ASCII. Log lines carry the same.
   */
  readonly requestId: string;
  /**
   * Runtime session id exactly as the header has it; absent for callers that carry none
   * (bearer-token callers). It comes from the client: validate it before using it as a file
   * name or a key. Log lines and `toJSON()` carry it bounded (see `MAX_LOGGED_ID_CHARS`).
   */
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
 * Longest request or session id written to a log line: 256 characters, the platform's longest
 * session id. A longer one is cut there (and ends with `…`), and any character but visible ASCII
 * is written as `_`, so a client cannot fill log lines or hide text in them through the ids.
 */
export const MAX_LOGGED_ID_CHARS = 256;

/** An id as the platform sends them: 1 to `MAX_LOGGED_ID_CHARS` visible ASCII characters. */
const WELL_FORMED_ID = /^[\x21-\x7e]{1,256}$/;
const NOT_VISIBLE_ASCII = /[^\x21-\x7e]/g;

/** `id` as a log line may carry it: as it is when well formed, else bounded (see `MAX_LOGGED_ID_CHARS`). */
export function loggableId(id: string): string {
  if (WELL_FORMED_ID.test(id)) return id;
  const cut = id.length > MAX_LOGGED_ID_CHARS;
  return (cut ? id.slice(0, MAX_LOGGED_ID_CHARS) : id).replace(NOT_VISIBLE_ASCII, '_') + (cut ? '…' : '');
}

/** The session id of `context` as log lines carry it (see `loggableId`), worked out once per request. */
export function loggedSessionId(context: RequestContext): string | undefined {
  if (context instanceof AgentCoreRequestContext) return context.loggedSessionId;
  const sessionId = context.sessionId;
  return sessionId === undefined ? undefined : loggableId(sessionId);
}

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
  #loggedSessionId: string | undefined;
  #requestHeaders: Readonly<Record<string, string>> | undefined;
  #trace: TraceContext | undefined;

  constructor(request: IncomingMessage, lifetime: RequestLifetime) {
    this.request = request;
    this.#lifetime = lifetime;
  }

  get requestId(): string {
    if (this.#requestId === undefined) {
      const header = headerValue(this.request.headers[REQUEST_ID_HEADER]);
      this.#requestId = header !== undefined && WELL_FORMED_ID.test(header) ? header : randomUUID();
    }
    return this.#requestId;
  }

  get sessionId(): string | undefined {
    return headerValue(this.request.headers[SESSION_ID_HEADER]) || undefined;
  }

  /** The session id bounded for log lines; kept, since every line of the request writes it. */
  get loggedSessionId(): string | undefined {
    if (this.#loggedSessionId === undefined) {
      const sessionId = this.sessionId;
      if (sessionId === undefined) return undefined;
      this.#loggedSessionId = loggableId(sessionId);
    }
    return this.#loggedSessionId;
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
   * the workload access token is `[REDACTED]` (when there is one), so is the callback URL's
   * authorization `code`, and so are header values named like secrets (`authorization`, the
   * identity WAT header, cookies, tokens, API keys) or carrying a credential (`Bearer …`, a JWT,
   * a URL's user information). The session id is bounded as in log lines.
   */
  toJSON(): Record<string, unknown> {
    const callbackUrl = this.oauth2CallbackUrl;
    return {
      requestId: this.requestId,
      sessionId: this.loggedSessionId,
      workloadAccessToken: this.workloadAccessToken === undefined ? undefined : REDACTED,
      oauth2CallbackUrl: callbackUrl === undefined ? undefined : redactString(callbackUrl),
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
