import { request as httpRequest, type Agent, type ClientRequest, type IncomingMessage } from 'node:http';
import { SseReader } from './sse-reader.js';

/** An open streaming invocation seen through a real node:http client. */
export interface OpenStream {
  request: ClientRequest;
  /** Resolves with the response once its headers arrive. */
  response: Promise<IncomingMessage>;
  /** Everything parsed so far. */
  reader: SseReader;
  /** Resolves when at least `count` events have arrived. */
  events(count: number): Promise<void>;
  /** Resolves when the connection is gone, however it ended. */
  closed: Promise<void>;
  /** Drops the connection mid-stream, like a client going away. */
  abort(): void;
}

/** POSTs `payload` as JSON to /invocations and reads the answer as an event stream. */
export function openStream(port: number, payload: unknown, agent?: Agent): OpenStream {
  const reader = new SseReader();
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const check = (): void => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (reader.events.length >= waiters[i]!.count) waiters.splice(i, 1)[0]!.resolve();
    }
  };
  const body = JSON.stringify(payload);
  const request = httpRequest({
    host: '127.0.0.1',
    port,
    path: '/invocations',
    method: 'POST',
    agent,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  });
  const response = new Promise<IncomingMessage>((resolve) => {
    request.on('response', (res) => {
      res.on('data', (chunk: Buffer) => {
        reader.push(chunk);
        check();
      });
      res.on('error', () => {});
      resolve(res);
    });
  });
  const closed = new Promise<void>((resolve) => request.on('close', resolve));
  request.on('error', () => {});
  request.end(body);
  return {
    request,
    response,
    reader,
    events(count) {
      return new Promise<void>((resolve) => {
        waiters.push({ count, resolve });
        check();
      });
    },
    closed,
    abort: () => request.destroy(),
  };
}

/** Polls `condition` every few ms until it holds or `timeoutMs` passes; returns whether it held. */
export async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return true;
}
