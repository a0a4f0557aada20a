import type { ServerResponse } from 'node:http';
import { HttpError } from './errors.js';
import { toJson } from './serialize.js';

const JSON_CONTENT_TYPE = 'application/json';
const OCTET_STREAM_CONTENT_TYPE = 'application/octet-stream';

/** Writes a complete JSON response; `text` must already be JSON. No-op once headers are out. */
export function sendJson(
  response: ServerResponse,
  status: number,
  text: string,
  headers?: Readonly<Record<string, string>>,
): void {
  if (response.headersSent || response.destroyed) return;
  // A flat header list for writeHead is the cheapest way Node offers to set headers.
  const list = ['content-type', JSON_CONTENT_TYPE, 'content-length', String(Buffer.byteLength(text))];
  if (headers !== undefined) {
    for (const name of Object.keys(headers)) list.push(name, headers[name]!);
  }
  response.writeHead(status, list);
  response.end(text);
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
  if (response.headersSent || response.destroyed) return;
  response.statusCode = status;
  response.setHeader('content-type', OCTET_STREAM_CONTENT_TYPE);
  response.setHeader('content-length', bytes.byteLength);
  response.end(bytes);
}
