import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { AgentCoreApp, type AgentCoreAppOptions, type CloseOptions, type LogRecord } from '../../lib/index.js';

/** A running app on an ephemeral loopback port, with its log records captured. */
export interface TestServer {
  app: AgentCoreApp;
  url: string;
  port: number;
  logs: LogRecord[];
  close(options?: CloseOptions): Promise<void>;
}

/**
 * Starts an app on 127.0.0.1:0; `configure` registers handlers before it listens. For a suite
 * that shares one app from `before()` to `after()`; a single test uses `useApp`.
 */
export async function startApp(
  options: AgentCoreAppOptions = {},
  configure?: (app: AgentCoreApp) => void,
): Promise<TestServer> {
  const logs: LogRecord[] = [];
  const app = new AgentCoreApp({ logLevel: 'debug', logSink: (_line, record) => logs.push(record), ...options });
  configure?.(app);
  const address: AddressInfo = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    app,
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    logs,
    // Tests leave tasks running on purpose; only shutdown tests ask for a grace period.
    close: (closeOptions?: CloseOptions) => app.close({ graceMs: 0, ...closeOptions }),
  };
}

/**
 * Starts an app like `startApp` and closes it when test `t` ends, whether it passed or failed:
 * `const server = await useApp(t, options, (app) => app.entrypoint(handler))`. A test may still
 * close it itself (shutdown tests do); closing again when it ends is harmless.
 */
export async function useApp(
  t: TestContext,
  options: AgentCoreAppOptions = {},
  configure?: (app: AgentCoreApp) => void,
): Promise<TestServer> {
  const server = await startApp(options, configure);
  t.after(() => server.close());
  return server;
}

/** A plain `node:http` server on an ephemeral loopback port. */
export interface TestHttpServer {
  server: Server;
  url: string;
  port: number;
}

/**
 * Starts a plain `node:http` server with `listener` on 127.0.0.1:0 (to mount an app's listener
 * or drive a module without the app) and closes it, connections and all, when test `t` ends.
 */
export async function useHttpServer(t: TestContext, listener: RequestListener): Promise<TestHttpServer> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => closeHttpServer(server));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, port };
}

/** Closes `server` and every connection it still has; resolves once it is closed. */
export function closeHttpServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** POSTs `body` to /invocations; a non-string body is JSON-encoded. */
export async function invoke(
  server: TestServer,
  body: unknown,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<{ status: number; headers: Headers; text: string; json: () => unknown }> {
  const response = await fetch(`${server.url}/invocations`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

/** GETs /ping and returns the parsed body and status. */
export async function ping(server: TestServer): Promise<{ status: string; time_of_last_update: number }> {
  const response = await fetch(`${server.url}/ping`);
  return (await response.json()) as { status: string; time_of_last_update: number };
}
