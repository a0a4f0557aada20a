import type { IncomingMessage } from 'node:http';
import { McpHttpError } from './errors.js';

/**
 * What a POST's `Accept` lets the server answer. The specification says clients MUST list both
 * `application/json` and `text/event-stream`, but prescribes no answer when they do not, and a
 * platform or proxy may not forward `Accept` at all: so a request is refused (406) only when it
 * names media types and neither is among them. SSE is used only when explicitly accepted.
 */
export interface AcceptedAnswers {
  /** `application/json` (or a wildcard, or no `Accept` at all). */
  readonly json: boolean;
  /** `text/event-stream`, named explicitly. */
  readonly sse: boolean;
}

/** A request with no usable `Accept`: JSON only. */
const JSON_ONLY: AcceptedAnswers = Object.freeze({ json: true, sse: false });
const BOTH: AcceptedAnswers = Object.freeze({ json: true, sse: true });

/**
 * Reads `Accept` for a POST.
 * @throws McpHttpError 406 when it names media types and accepts neither JSON nor SSE.
 */
export function acceptedAnswers(request: IncomingMessage): AcceptedAnswers {
  const header = request.headers.accept;
  // The official clients' exact header: the common case costs one comparison.
  if (header === 'application/json, text/event-stream') return BOTH;
  if (header === undefined || header.trim() === '') return JSON_ONLY;
  let json = false;
  let sse = false;
  for (const range of mediaRanges(header)) {
    if (range === 'text/event-stream') sse = true;
    else if (range === 'application/json' || range === 'application/*' || range === '*/*') json = true;
    else if (range === 'text/*') sse = true;
  }
  if (!json && !sse) throw new McpHttpError(406, 'Not Acceptable: Client must accept application/json or text/event-stream');
  return { json, sse };
}

/**
 * Checks `Accept` for the GET stream.
 * @throws McpHttpError 406 when it names media types and `text/event-stream` is not among them.
 */
export function checkAcceptsEventStream(request: IncomingMessage): void {
  const header = request.headers.accept;
  if (header === undefined || header.trim() === '') return;
  for (const range of mediaRanges(header)) {
    if (range === 'text/event-stream' || range === 'text/*' || range === '*/*') return;
  }
  throw new McpHttpError(406, 'Not Acceptable: Client must accept text/event-stream');
}

/**
 * The media types a POST body is read as JSON under: JSON's own, and the defaults `fetch()`
 * (`text/plain`) and `curl -d` (`application/x-www-form-urlencoded`) send when nobody set one,
 * so a probe or a hand-made request is answered rather than refused.
 */
const JSON_BODY_TYPES: ReadonlySet<string> = new Set(['application/json', 'text/plain', 'application/x-www-form-urlencoded']);

/**
 * Checks a POST's `Content-Type`: absent, a JSON media type (`application/json`, `*+json`,
 * parameters allowed) or one of the defaults clients send unasked is read as JSON; anything
 * else is refused.
 * @throws McpHttpError 415.
 */
export function checkContentType(request: IncomingMessage): void {
  const header = request.headers['content-type'];
  if (header === undefined || header === 'application/json') return;
  const semicolon = header.indexOf(';');
  const mediaType = (semicolon === -1 ? header : header.slice(0, semicolon)).trim().toLowerCase();
  if (mediaType === '' || JSON_BODY_TYPES.has(mediaType) || mediaType.endsWith('+json')) return;
  throw new McpHttpError(415, 'Unsupported Media Type: Content-Type must be application/json');
}

/** The media ranges of an `Accept` header, lower case, without parameters; `q=0` ranges left out. */
function mediaRanges(header: string): string[] {
  const ranges: string[] = [];
  for (const part of header.split(',')) {
    const [range, ...parameters] = part.split(';');
    if (parameters.some((parameter) => /^\s*q\s*=\s*0(\.0*)?\s*$/i.test(parameter))) continue;
    ranges.push(range!.trim().toLowerCase());
  }
  return ranges;
}
