import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from '../errors.js';
import { checkLimit } from '../limits.js';
import type { Logger } from '../logger.js';
import { addVary, sendError } from './response.js';

/**
 * Which browser origins may call the agent: one, a list, or a predicate over the `Origin` header.
 * A predicate that throws (`new URL(origin)` throws on `Origin: null`) means "not allowed".
 */
export type CorsOrigin = string | readonly string[] | ((origin: string) => boolean);

/** Cross-origin access to the invocation path for browser front-ends (AG-UI clients, dev UIs). */
export interface CorsOptions {
  /**
   * The allowed origins, e.g. `'https://app.example.com'`; `'*'` allows any origin (and may not
   * be combined with `credentials`). A predicate is called with the `Origin` header as sent
   * (`'null'` included); one that throws refuses the origin, and its first failure is logged.
   */
  origin: CorsOrigin;
  /** Request headers a page may send. Default: whatever the preflight asks for. */
  allowHeaders?: readonly string[];
  /** Response headers a page may read beyond the CORS-safelisted ones. Default: none. */
  exposeHeaders?: readonly string[];
  /**
   * Let pages send cookies and `Authorization` (`credentials: 'include'`). Default `false`. Not
   * with `origin: '*'`: name the origins (a list or a predicate) that may act as the user.
   */
  credentials?: boolean;
  /** How long a browser may cache a preflight's answer, in seconds. Default 600. */
  maxAgeSeconds?: number;
}

/** Default `maxAgeSeconds`: browsers cap it anyway (Chromium at 2 hours, Firefox at 1 day). */
export const DEFAULT_CORS_MAX_AGE_SECONDS = 600;

/** How much of an origin a log line quotes: a real origin is far shorter. */
const MAX_LOGGED_ORIGIN_CHARS = 256;

/**
 * CORS for the invocation path (RFC 6454 origins, the Fetch standard's CORS protocol): answers
 * preflights (`OPTIONS` with `Access-Control-Request-Method`) and adds the response headers to
 * answers for allowed origins. A disallowed origin gets no CORS headers at all, so the browser
 * blocks the page; its preflight is answered 403 with a JSON error. `/ping` is never touched.
 */
export class Cors {
  readonly #allows: (origin: string) => boolean;
  readonly #any: boolean;
  readonly #allowHeaders: string | undefined;
  readonly #exposeHeaders: string | undefined;
  readonly #credentials: boolean;
  readonly #maxAge: string;
  /** Whether a throwing predicate was logged already: once per app, however often it throws. */
  #predicateFailureLogged = false;

  /**
   * @throws TypeError for an origin that is neither a string, a list of strings nor a function,
   * or for `'*'` with `credentials: true`; RangeError for a bad max age.
   */
  constructor(options: CorsOptions) {
    const { origin } = options;
    if (typeof origin === 'function') {
      this.#allows = (value) => origin(value) === true;
    } else if (typeof origin === 'string' || (Array.isArray(origin) && origin.every((item) => typeof item === 'string'))) {
      const allowed = new Set<string>(typeof origin === 'string' ? [origin] : origin);
      this.#allows = allowed.has('*') ? () => true : (value) => allowed.has(value);
    } else {
      throw new TypeError('cors.origin must be a string, a list of strings or a function');
    }
    this.#any = origin === '*' || (Array.isArray(origin) && origin.includes('*'));
    if (this.#any && options.credentials === true) {
      // Browsers refuse `*` with credentials; echoing every origin instead, `null` included,
      // would let any page on the web call the agent as the signed-in user.
      throw new TypeError("cors: origin '*' cannot be combined with credentials: true; list the origins allowed, or give a predicate");
    }
    this.#allowHeaders = options.allowHeaders?.join(', ');
    this.#exposeHeaders = options.exposeHeaders === undefined || options.exposeHeaders.length === 0 ? undefined : options.exposeHeaders.join(', ');
    this.#credentials = options.credentials === true;
    this.#maxAge = String(checkLimit('cors.maxAgeSeconds', options.maxAgeSeconds, DEFAULT_CORS_MAX_AGE_SECONDS, true));
  }

  /** True for a CORS preflight: `OPTIONS` with an `Origin` and `Access-Control-Request-Method`. */
  isPreflight(request: IncomingMessage): boolean {
    return request.method === 'OPTIONS' && request.headers.origin !== undefined && request.headers['access-control-request-method'] !== undefined;
  }

  /**
   * Answers a preflight: 204 with the CORS headers for an allowed origin (pages may use the
   * route's `methods`), 403 otherwise. `logger` hears of a predicate that throws (once).
   */
  answerPreflight(request: IncomingMessage, response: ServerResponse, logger: Logger, methods: readonly string[] = ['POST']): void {
    if (!this.#allowOrigin(request, response, logger)) {
      sendError(response, new HttpError(403, `Origin ${request.headers.origin} is not allowed`, { code: 'CORS_ORIGIN_NOT_ALLOWED' }));
      return;
    }
    response.setHeader('access-control-allow-methods', methods.join(', '));
    const headers = this.#allowHeaders ?? request.headers['access-control-request-headers'];
    if (headers !== undefined && headers !== '') response.setHeader('access-control-allow-headers', headers);
    response.setHeader('access-control-max-age', this.#maxAge);
    response.writeHead(204);
    response.end();
  }

  /** Adds the CORS headers to an answer for an allowed origin; nothing for any other. */
  decorate(request: IncomingMessage, response: ServerResponse, logger: Logger): void {
    if (this.#allowOrigin(request, response, logger) && this.#exposeHeaders !== undefined) {
      response.setHeader('access-control-expose-headers', this.#exposeHeaders);
    }
  }

  /** Sets `Access-Control-Allow-Origin` (and credentials) when the request's origin is allowed. */
  #allowOrigin(request: IncomingMessage, response: ServerResponse, logger: Logger): boolean {
    // The answer depends on Origin: caches must keep one per origin.
    addVary(response, 'Origin');
    const origin = request.headers.origin;
    if (origin === undefined || !this.#isAllowed(origin, logger)) return false;
    // With credentials, a browser accepts only the exact origin, never `*`.
    response.setHeader('access-control-allow-origin', this.#any && !this.#credentials ? '*' : origin);
    if (this.#credentials) response.setHeader('access-control-allow-credentials', 'true');
    return true;
  }

  /** Whether `origin` is allowed; a predicate that throws refuses it, and the first failure is logged. */
  #isAllowed(origin: string, logger: Logger): boolean {
    try {
      return this.#allows(origin);
    } catch (error) {
      if (!this.#predicateFailureLogged) {
        this.#predicateFailureLogged = true;
        // Client-chosen text: a bounded excerpt, enough to recognise the origin that broke it.
        logger.warn('the cors.origin predicate threw; the origin is refused (further failures are not logged)', {
          origin: origin.slice(0, MAX_LOGGED_ORIGIN_CHARS),
          error,
        });
      }
      return false;
    }
  }
}
