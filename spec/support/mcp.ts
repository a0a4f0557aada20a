import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import type { CloseOptions, LogRecord } from '../../lib/index.js';
import { McpServer, type McpServerOptions } from '../../lib/mcp/index.js';
import { parseSse, type SseReader } from './sse-reader.js';

/** A running MCP server on an ephemeral loopback port, with its log records captured. */
export interface TestMcpServer {
  server: McpServer;
  /** The endpoint: `http://127.0.0.1:<port>/mcp`. */
  url: string;
  /** `http://127.0.0.1:<port>`. */
  base: string;
  port: number;
  logs: LogRecord[];
  close(options?: CloseOptions): Promise<void>;
}

/**
 * Starts an `McpServer` on 127.0.0.1:0 (`configure` registers tools and the like first) and
 * closes it when test `t` ends.
 */
export async function useMcpServer(t: TestContext, options: McpServerOptions = {}, configure?: (server: McpServer) => void): Promise<TestMcpServer> {
  const logs: LogRecord[] = [];
  const server = new McpServer({ logLevel: 'debug', logSink: (_line, record) => logs.push(record), ...options });
  configure?.(server);
  const address: AddressInfo = await server.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${address.port}`;
  const close = (closeOptions?: CloseOptions): Promise<void> => server.close({ graceMs: 0, ...closeOptions });
  t.after(() => close());
  return { server, url: `${base}/mcp`, base, port: address.port, logs, close };
}

/** The headers the official clients send on every POST. */
export const CLIENT_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
});

/** A JSON-RPC request. */
export function request(id: number | string, method: string, params?: unknown): Record<string, unknown> {
  return params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params };
}

/** A JSON-RPC notification. */
export function notification(method: string, params?: unknown): Record<string, unknown> {
  return params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params };
}

/** An answer to a POST, read whole. */
export interface McpAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The body as JSON (a JSON answer). */
  json(): any;
  /** The SSE events (an event-stream answer). */
  sse(): SseReader;
  /** The JSON-RPC messages of the answer, whichever form it took. */
  messages(): any[];
}

/**
 * POSTs `body` (JSON-encoded unless it is a string) to the endpoint with the clients' headers,
 * plus `headers` (a value of `null` removes one), and reads the whole answer.
 */
export async function post(url: string, body: unknown, headers: Record<string, string | null> = {}, signal?: AbortSignal): Promise<McpAnswer> {
  const merged: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...CLIENT_HEADERS, ...headers })) if (value !== null) merged[name] = value;
  const response = await fetch(url, { method: 'POST', headers: merged, body: typeof body === 'string' ? body : JSON.stringify(body), signal });
  return answerOf(response);
}

/** Reads a whole answer. */
export async function answerOf(response: Response): Promise<McpAnswer> {
  const text = await response.text();
  const sse = (): SseReader => parseSse(text);
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: () => JSON.parse(text),
    sse,
    messages: () => {
      if (response.headers.get('content-type')?.startsWith('text/event-stream')) return sse().events.filter((event) => event.data !== '').map((event) => JSON.parse(event.data));
      if (text === '') return [];
      const value = JSON.parse(text);
      return Array.isArray(value) ? value : [value];
    },
  };
}

/** Initializes a session (stateful) or just the handshake (stateless); returns the session id, if any. */
export async function initialize(url: string, protocolVersion = '2025-11-25', capabilities: Record<string, unknown> = {}): Promise<{ sessionId: string | undefined; result: any }> {
  const answer = await post(url, request(0, 'initialize', { protocolVersion, capabilities, clientInfo: { name: 'spec', version: '1.0.0' } }));
  const sessionId = answer.headers.get('mcp-session-id') ?? undefined;
  const [message] = answer.messages();
  if (sessionId !== undefined) {
    await post(url, notification('notifications/initialized'), { 'mcp-session-id': sessionId, 'mcp-protocol-version': protocolVersion });
  }
  return { sessionId, result: message.result };
}

/** Headers for a request within a session. */
export function inSession(sessionId: string | undefined, protocolVersion = '2025-11-25'): Record<string, string> {
  return sessionId === undefined ? { 'mcp-protocol-version': protocolVersion } : { 'mcp-session-id': sessionId, 'mcp-protocol-version': protocolVersion };
}

/**
 * Reads a streamed answer event by event: resolves `next()` with each JSON-RPC message as it
 * arrives (priming events and comments skipped), for tests that act between events.
 */
export class EventStreamReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buffer = '';
  /** The `id:` of the last event read, if any. */
  lastEventId: string | undefined;

  constructor(response: Response) {
    this.#reader = response.body!.getReader();
  }

  /** The next message, or `undefined` when the stream ended. */
  async next(): Promise<any> {
    for (;;) {
      const end = this.#buffer.indexOf('\n\n');
      if (end !== -1) {
        const block = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end + 2);
        const event = parseSse(`${block}\n\n`);
        const id = /^id: (.*)$/m.exec(block)?.[1];
        if (id !== undefined) this.lastEventId = id;
        if (event.events.length > 0 && event.events[0]!.data !== '') return JSON.parse(event.events[0]!.data);
        continue;
      }
      const { value, done } = await this.#reader.read();
      if (done) return undefined;
      this.#buffer += this.#decoder.decode(value, { stream: true });
    }
  }

  /** Stops reading (the client goes away). */
  cancel(): Promise<void> {
    return this.#reader.cancel();
  }
}

/** GETs `/ping`. */
export async function ping(base: string): Promise<{ status: string; time_of_last_update: number }> {
  return (await (await fetch(`${base}/ping`)).json()) as { status: string; time_of_last_update: number };
}

/** The 2026-07-28 envelope a request carries in `params._meta`. */
export function modernMeta(capabilities: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientCapabilities': capabilities,
    'io.modelcontextprotocol/clientInfo': { name: 'spec', version: '1.0.0' },
    ...extra,
  };
}

/** The capabilities that declare the tasks extension. */
export const TASKS_CAPABILITY: Readonly<Record<string, unknown>> = Object.freeze({ extensions: { 'io.modelcontextprotocol/tasks': {} } });

/** The name `Mcp-Name` carries for a method, when it carries one. */
function nameOf(method: string, params: Record<string, unknown>): unknown {
  if (method === 'tools/call' || method === 'prompts/get') return params.name;
  if (method === 'resources/read') return params.uri;
  if (method.startsWith('tasks/')) return params.taskId;
  return undefined;
}

/**
 * POSTs a 2026-07-28 request as the official clients do: the envelope in `params._meta` (with
 * `capabilities`, and `meta` laid over it), `MCP-Protocol-Version`, `Mcp-Method` and `Mcp-Name`
 * (when the method names something); `headers` adds or (with `null`) removes headers.
 */
export function postModern(
  url: string,
  id: number | string,
  method: string,
  params: Record<string, unknown> = {},
  options: { capabilities?: Record<string, unknown>; meta?: Record<string, unknown>; headers?: Record<string, string | null>; signal?: AbortSignal } = {},
): Promise<McpAnswer> {
  const body = request(id, method, { ...params, _meta: modernMeta(options.capabilities, options.meta) });
  const name = nameOf(method, params);
  const headers: Record<string, string | null> = { 'mcp-protocol-version': '2026-07-28', 'mcp-method': method };
  if (typeof name === 'string') headers['mcp-name'] = name;
  return post(url, body, { ...headers, ...options.headers }, options.signal);
}

/** The result of a 2026-07-28 answer (the last message with the request's id), or its error. */
export function outcomeOf(answer: McpAnswer): any {
  const message = answer.messages().findLast((item) => item.id !== undefined);
  return message.result ?? message.error;
}
