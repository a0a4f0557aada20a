import type { IncomingMessage } from 'node:http';
import {
  BodyTooLargeError,
  EmptyBodyError,
  InvalidJsonError,
  InvalidUtf8Error,
  UnsupportedCharsetError,
} from '../errors.js';
import { locateJsonError } from './json-errors.js';

/**
 * After refusing a body, keep reading (and discarding) at most this long and this much, so the
 * client can read the error before the connection closes; then close it. A client still
 * sending past these bounds loses its connection, never the server's memory.
 */
export const DRAIN_TIMEOUT_MS = 2000;
export const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

/** How a body is handed to the handler, chosen by its media type. */
export type BodyKind = 'json' | 'text' | 'binary';

/** The client went away before the body was complete; there is nobody left to answer. */
export class RequestAbortedError extends Error {
  constructor() {
    super('Client aborted the request before its body was complete');
    this.name = 'RequestAbortedError';
  }
}

/** Receives a whole body, or the reason there is none. */
export type BodyCallback = (error: BodyTooLargeError | RequestAbortedError | undefined, body: Buffer | undefined) => void;

/**
 * Reads the whole request body into one Buffer and calls `done` once, refusing it with
 * `BodyTooLargeError` from its `Content-Length` before reading anything, or from the running
 * count as soon as it passes `limit` (the rest is discarded, never buffered), or reporting
 * `RequestAbortedError` when the client disconnects first. Callback-based so the request hot
 * path allocates no promise; `readBody` is the promise form.
 */
export function collectBody(request: IncomingMessage, limit: number, done: BodyCallback): void {
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    request.resume();
    done(new BodyTooLargeError(limit), undefined);
    return;
  }
  const chunks: Buffer[] = [];
  let received = 0;
  const onData = (chunk: Buffer): void => {
    received += chunk.length;
    if (received > limit) {
      cleanup();
      chunks.length = 0;
      // Keep draining so the 413 can be written and read; nothing more is kept.
      request.resume();
      done(new BodyTooLargeError(limit), undefined);
      return;
    }
    chunks.push(chunk);
  };
  const onEnd = (): void => {
    cleanup();
    done(undefined, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received));
  };
  const onAbort = (): void => {
    cleanup();
    done(new RequestAbortedError(), undefined);
  };
  const cleanup = (): void => {
    request.off('data', onData);
    request.off('end', onEnd);
    request.off('error', onAbort);
    request.off('close', onAbort);
  };
  request.on('data', onData);
  request.on('end', onEnd);
  request.on('error', onAbort);
  request.on('close', onAbort);
}

/** `collectBody` as a promise: resolves with the body, rejects with the same errors. */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    collectBody(request, limit, (error, body) => (error === undefined ? resolve(body!) : reject(error)));
  });
}

/**
 * Discards the rest of a refused request body within `DRAIN_TIMEOUT_MS` and `MAX_DRAIN_BYTES`,
 * then destroys the connection if the body has still not ended. A body that ends in time leaves
 * the keep-alive connection usable.
 */
export function drainRefusedBody(request: IncomingMessage): void {
  if (request.complete) return;
  let drained = 0;
  const stop = (): void => {
    cleanup();
    request.socket.destroy();
  };
  const onData = (chunk: Buffer): void => {
    drained += chunk.length;
    if (drained > MAX_DRAIN_BYTES) stop();
  };
  const cleanup = (): void => {
    clearTimeout(timer);
    request.off('data', onData);
    request.off('end', cleanup);
    request.off('close', cleanup);
  };
  const timer = setTimeout(stop, DRAIN_TIMEOUT_MS);
  timer.unref();
  request.on('data', onData);
  request.once('end', cleanup);
  request.once('close', cleanup);
  request.resume();
}

/**
 * Chooses how to decode a body from its `Content-Type`: JSON for JSON media types
 * (`application/json`, `*+json`), for no content type and for curl's default
 * `application/x-www-form-urlencoded`; text for `text/*`; bytes for everything else.
 */
export function bodyKind(contentType: string | undefined): BodyKind {
  if (contentType === undefined || contentType === 'application/json') return 'json';
  const mediaType = mediaTypeOf(contentType);
  if (
    mediaType === '' ||
    mediaType === 'application/json' ||
    mediaType.endsWith('+json') ||
    mediaType === 'application/x-www-form-urlencoded'
  ) {
    return 'json';
  }
  if (mediaType.startsWith('text/')) return 'text';
  return 'binary';
}

/**
 * Turns a raw body into the handler's payload according to its content type: a parsed JSON
 * value, a string, or the bytes.
 * @throws EmptyBodyError, InvalidUtf8Error, InvalidJsonError, UnsupportedCharsetError.
 */
export function decodeBody(body: Buffer, contentType: string | undefined): unknown {
  const kind = bodyKind(contentType);
  if (kind === 'binary') return body;
  if (kind === 'text') return decodeText(body, charsetOf(contentType!) ?? 'utf-8');
  if (body.length === 0) throw new EmptyBodyError();
  return parseJson(decodeText(body, 'utf-8'));
}

/**
 * Parses JSON text with the native parser; on failure, the hand-written scanner in
 * `json-errors.ts` names the position, line and column, which V8's message does not always
 * carry. `JSON.parse` defines `__proto__` as an own property rather than setting the
 * prototype, so payloads cannot pollute anything.
 * @throws InvalidJsonError with the message, position, line and column of the first error.
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const located = locateJsonError(text);
    if (located === undefined) throw new InvalidJsonError((error as Error).message, undefined, undefined, undefined);
    const { line, column } = lineAndColumn(text, located.position);
    throw new InvalidJsonError(located.message, located.position, line, column);
  }
}

function lineAndColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < position; index = text.indexOf('\n', index + 1)) {
    line++;
    lineStart = index + 1;
  }
  return { line, column: position - lineStart + 1 };
}

const decoders = new Map<string, InstanceType<typeof TextDecoder>>();

function decodeText(body: Buffer, charset: string): string {
  let decoder = decoders.get(charset);
  if (decoder === undefined) {
    try {
      decoder = new TextDecoder(charset, { fatal: true });
    } catch {
      throw new UnsupportedCharsetError(charset);
    }
    decoders.set(charset, decoder);
  }
  try {
    return decoder.decode(body);
  } catch {
    throw new InvalidUtf8Error(charset);
  }
}

function mediaTypeOf(contentType: string): string {
  const semicolon = contentType.indexOf(';');
  return (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}

function charsetOf(contentType: string): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  return match === null ? undefined : match[1]!.toLowerCase();
}
