import type { AddressInfo } from 'node:net';
import { AgentCoreApp, type AgentCoreAppOptions, type CloseOptions, type LogRecord } from '../../lib/index.js';

/** A running app on an ephemeral loopback port, with its log records captured. */
export interface TestServer {
  app: AgentCoreApp;
  url: string;
  port: number;
  logs: LogRecord[];
  close(options?: CloseOptions): Promise<void>;
}

/** Starts an app on 127.0.0.1:0; `configure` registers handlers before it listens. */
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
