import type { ServerResponse } from 'node:http';
import { HttpError } from '../errors.js';
import { toJson } from '../serialize.js';

const JSON_CONTENT_TYPE = 'application/json';
const OCTET_STREAM_CONTENT_TYPE = 'application/octet-stream';

/**
 * Writes a complete response with a body and its length; no-op once headers are out or the
 * connection is gone. A flat header list for `writeHead` is the cheapest way Node offers.
 */
function sendBody(
  response: ServerResponse,
  status: number,
  contentType: string,
  body: string | Uint8Array,
  headers: Readonly<Record<string, string>> | undefined,
): void {
  if (response.headersSent || response.destroyed) return;
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  const list = ['content-type', contentType, 'content-length', String(length)];
  if (headers !== undefined) {
    for (const name of Object.keys(headers)) {
      // writeHead would replace a Vary set earlier (CORS's Origin): merged instead.
      if (name.toLowerCase() === 'vary') addVary(response, headers[name]!);
      else list.push(name, headers[name]!);
    }
  }
  response.writeHead(status, list);
  response.end(body);
}

/** Writes a complete JSON response; `text` must already be JSON. No-op once headers are out. */
export function sendJson(
  response: ServerResponse,
  status: number,
  text: string,
  headers?: Readonly<Record<string, string>>,
): void {
  sendBody(response, status, JSON_CONTENT_TYPE, text, headers);
}

/** The JSON body every error answer uses: `{"error": message, "code": code, ...details}`. */
export function errorBody(error: HttpError): string {
  return toJson({ error: error.message, code: error.code, ...error.details });
}

/** Answers with an `HttpError` in the one JSON error shape, with its headers. */
export function sendError(response: ServerResponse, error: HttpError): void {
  sendJson(response, error.status, errorBody(error), error.headers);
}

/** Writes a complete `application/octet-stream` response. No-op once headers are out. */
export function sendBytes(response: ServerResponse, status: number, bytes: Uint8Array): void {
  sendBody(response, status, OCTET_STREAM_CONTENT_TYPE, bytes, undefined);
}

/**
 * Adds the field names in `value` to the response's `Vary`, keeping those already there (CORS's
 * `Origin`): replacing them would let a shared cache serve one origin's answer to another.
 * Names are compared case-insensitively; `*` stands for every name. No-op once headers are out.
 */
export function addVary(response: ServerResponse, value: string): void {
  if (response.headersSent) return;
  const existing = response.getHeader('vary');
  response.setHeader('vary', existing === undefined ? value : mergeVary(String(existing), value));
}

/** The union of two `Vary` values, in order, each name once; `*` when either is `*`. */
export function mergeVary(current: string, added: string): string {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const name of `${current},${added}`.split(',')) {
    const trimmed = name.trim();
    const lower = trimmed.toLowerCase();
    if (lower === '*') return '*';
    if (trimmed === '' || seen.has(lower)) continue;
    seen.add(lower);
    names.push(trimmed);
  }
  return names.join(', ');
}
