import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { A2AServer, type A2AServerOptions, type AgentExecutor } from '../../lib/a2a/index.js';
import type { LogRecord } from '../../lib/index.js';
import { jsonData, parseSse } from './sse-reader.js';

/** A running A2A server on an ephemeral loopback port, with its log records captured. */
export interface TestA2AServer {
  server: A2AServer;
  url: string;
  port: number;
  logs: LogRecord[];
}

/**
 * Starts an `A2AServer` on 127.0.0.1:0 with `executor` (if any) and closes it when test `t`
 * ends (no grace: tests leave tasks working on purpose).
 */
export async function useA2A(t: TestContext, options: A2AServerOptions = {}, executor?: AgentExecutor): Promise<TestA2AServer> {
  const logs: LogRecord[] = [];
  const server = new A2AServer({ logLevel: 'debug', logSink: (_line, record) => logs.push(record), ...options });
  if (executor !== undefined) server.executor(executor);
  const address: AddressInfo = await server.listen({ port: 0, host: '127.0.0.1' });
  t.after(() => server.close({ graceMs: 0 }));
  return { server, url: `http://127.0.0.1:${address.port}`, port: address.port, logs };
}

/** A JSON-RPC answer as received. */
export interface RpcAnswer {
  status: number;
  headers: Headers;
  // The tests read the envelope's members freely.
  body: { jsonrpc: string; id: unknown; result?: any; error?: { code: number; message: string; data?: any } };
}

/** Which version a call speaks: `1.0` (the header), `0.3` (no header), or a header value of the test's choosing. */
export type VersionHeader = '1.0' | '0.3' | { header: string };

function versionHeaders(version: VersionHeader): Record<string, string> {
  if (version === '1.0') return { 'a2a-version': '1.0' };
  if (version === '0.3') return {};
  return { 'a2a-version': version.header };
}

/** POSTs one JSON-RPC call to `/` (id 1 unless given) and parses the JSON answer. */
export async function rpc(base: string, method: string, params?: unknown, version: VersionHeader = '1.0', id: unknown = 1): Promise<RpcAnswer> {
  const body = JSON.stringify(params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params });
  return post(base, body, versionHeaders(version));
}

/** POSTs raw `body` to `/`. */
export async function post(base: string, body: string | Uint8Array, headers: Record<string, string> = {}): Promise<RpcAnswer> {
  const response = await fetch(`${base}/`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, headers: response.headers, body: (await response.json()) as RpcAnswer['body'] };
}

/** A streaming call read to its end: the content type and every event's JSON-RPC response. */
export async function rpcStream(base: string, method: string, params: unknown, version: VersionHeader = '1.0', id: unknown = 1): Promise<{ contentType: string | null; events: any[] }> {
  const response = await fetch(`${base}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...versionHeaders(version) },
    body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
  });
  const text = await response.text();
  const contentType = response.headers.get('content-type');
  return { contentType, events: contentType?.startsWith('text/event-stream') ? jsonData(parseSse(text)) : [JSON.parse(text)] };
}

/** A 1.0 user message with one text part. */
export function userMessage(text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { messageId: `m-${Math.random().toString(36).slice(2)}`, role: 'ROLE_USER', parts: [{ text }], ...extra };
}

/** A 0.3 user message with one text part. */
export function userMessageV03(text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { kind: 'message', messageId: `m-${Math.random().toString(36).slice(2)}`, role: 'user', parts: [{ kind: 'text', text }], ...extra };
}

/** `/ping`'s status now. */
export async function pingStatus(base: string): Promise<string> {
  return ((await (await fetch(`${base}/ping`)).json()) as { status: string }).status;
}

/** A promise and the functions that settle it, for executors the test releases by hand. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}
