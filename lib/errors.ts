/**
 * The one error family the app turns into HTTP answers. Every error carries a status, a stable
 * machine-readable `code`, a human message, and optional extra fields that are merged into the
 * JSON body (`{"error": message, "code": code, ...details}`).
 */
export class HttpError extends Error {
  /** HTTP status code to answer with (400–599). */
  readonly status: number;
  /** Stable error code string, e.g. `INVALID_JSON`. */
  readonly code: string;
  /** Extra JSON fields for the error body. */
  readonly details: Readonly<Record<string, unknown>> | undefined;
  /** Extra response headers (for example `Allow` on a 405). */
  readonly headers: Readonly<Record<string, string>> | undefined;

  /**
   * @param status - HTTP status code; values outside 400–599 become 500.
   * @param message - Human-readable message, sent as `error` in the body.
   * @param options - `code` (defaults to `HTTP_<status>`), `details`, `headers`, `cause`.
   */
  constructor(
    status: number,
    message: string,
    options: {
      code?: string;
      details?: Record<string, unknown>;
      headers?: Record<string, string>;
      cause?: unknown;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HttpError';
    this.status = Number.isInteger(status) && status >= 400 && status <= 599 ? status : 500;
    this.code = options.code ?? `HTTP_${this.status}`;
    this.details = options.details;
    this.headers = options.headers;
  }
}

/** The request body is larger than the configured `maxBodyBytes` (413). */
export class BodyTooLargeError extends HttpError {
  constructor(limit: number) {
    super(413, `Request body exceeds the limit of ${limit} bytes`, {
      code: 'BODY_TOO_LARGE',
      details: { limit },
    });
    this.name = 'BodyTooLargeError';
  }
}

/** The request body is not valid JSON (400); `details` carry position, line and column. */
export class InvalidJsonError extends HttpError {
  constructor(detail: string, position: number | undefined, line: number | undefined, column: number | undefined) {
    super(400, 'Invalid JSON', {
      code: 'INVALID_JSON',
      details: { message: detail, position, line, column },
    });
    this.name = 'InvalidJsonError';
  }
}

/** The request body is not valid text in its charset, UTF-8 unless declared otherwise (400). */
export class InvalidUtf8Error extends HttpError {
  constructor(charset = 'utf-8') {
    super(400, `Request body is not valid ${charset}`, { code: 'INVALID_UTF8' });
    this.name = 'InvalidUtf8Error';
  }
}

/** A JSON request arrived with an empty body (400). */
export class EmptyBodyError extends HttpError {
  constructor() {
    super(400, 'Request body is empty; send a JSON value', { code: 'EMPTY_BODY' });
    this.name = 'EmptyBodyError';
  }
}

/** A text body names a charset this runtime cannot decode (415). */
export class UnsupportedCharsetError extends HttpError {
  constructor(charset: string) {
    super(415, `Unsupported charset: ${charset}`, { code: 'UNSUPPORTED_CHARSET', details: { charset } });
    this.name = 'UnsupportedCharsetError';
  }
}

/** No route matches the request path (404). */
export class NotFoundError extends HttpError {
  constructor(path: string) {
    super(404, `Not found: ${path}`, { code: 'NOT_FOUND' });
    this.name = 'NotFoundError';
  }
}

/** A plain request to the WebSocket path, which only answers upgrades (426, with `Upgrade`). */
export class UpgradeRequiredError extends HttpError {
  constructor(path: string) {
    super(426, `Use a WebSocket upgrade for ${path}`, { code: 'UPGRADE_REQUIRED', headers: { Upgrade: 'websocket' } });
    this.name = 'UpgradeRequiredError';
  }
}

/** The path exists but not for this method (405, with `Allow`). */
export class MethodNotAllowedError extends HttpError {
  constructor(method: string, allow: readonly string[]) {
    super(405, `Method ${method} not allowed`, { code: 'METHOD_NOT_ALLOWED', headers: { Allow: allow.join(', ') } });
    this.name = 'MethodNotAllowedError';
  }
}

/** Longest rendering of a thrown non-Error value in an error answer or a log line. */
const MAX_THROWN_TEXT = 200;

/**
 * What a thrown value says about itself, for error answers and logs: an Error's name and
 * message; for anything else (`throw 'boom'`, `throw { code: 42 }`), `thrown <kind>` and the value
 * itself (a string as is, anything else as JSON), so the answer shows what was thrown.
 */
export function describeThrown(value: unknown): { type: string; message: string } {
  if (value instanceof Error) return { type: value.name, message: value.message };
  const kind = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  let text: string;
  if (typeof value === 'string') {
    text = value;
  } else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return { type: `thrown ${kind}`, message: text.length > MAX_THROWN_TEXT ? `${text.slice(0, MAX_THROWN_TEXT)}…` : text };
}
