import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import { AgentCoreServer, type AgentCoreServerOptions, type LogRecord } from '../lib/index.js';
import { RequestLifetime } from '../lib/http/context.js';
import { rawExchange } from './support/raw.js';

/** A protocol of the tests' own on the core: `POST /echo` answers its body, a task per call. */
class EchoServer extends AgentCoreServer {
  ready = true;

  constructor(options: AgentCoreServerOptions = {}) {
    super(options, { defaultPort: 9999 });
    this.route('echo', '/echo', ['POST'], (request, response) => this.#echo(request, response), { cors: true });
    this.route('watch', '/watch', ['GET', 'DELETE'], (_request, response) => this.#watch(response), { cors: true });
  }

  /** What the tests read of the core's parts. */
  get parts(): { closing: boolean; inflight: number; maxBodyBytes: number } {
    return { closing: this.closing, inflight: this.inflight.size, maxBodyBytes: this.serverOptions.maxBodyBytes };
  }

  protected override readinessWarning(): string | undefined {
    return this.ready ? undefined : 'echo is not ready';
  }

  /** A stream with no end of its own: it says hello, then ends only when its lifetime aborts. */
  #watch(response: ServerResponse): void {
    const lifetime = new RequestLifetime();
    this.inflight.track(response, lifetime, { endAtShutdown: true });
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.write('watching\n');
    lifetime.signal.addEventListener('abort', () => response.end('ended\n'), { once: true });
  }

  #echo(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const id = this.addAsyncTask('echo');
      response.end(Buffer.concat(chunks), () => this.completeAsyncTask(id));
    });
  }
}

async function useEcho(t: TestContext, options: AgentCoreServerOptions = {}, configure?: (server: EchoServer) => void): Promise<{ server: EchoServer; url: string; logs: LogRecord[] }> {
  const logs: LogRecord[] = [];
  const server = new EchoServer({ logLevel: 'debug', logSink: (_line, record) => logs.push(record), ...options });
  configure?.(server);
  const address: AddressInfo = await server.listen({ port: 0, host: '127.0.0.1' });
  t.after(() => server.close({ graceMs: 0 }));
  return { server, url: `http://127.0.0.1:${address.port}`, logs };
}

describe('a protocol on the core', () => {
  it('serves its own route beside the core /ping, and nothing else', async (t) => {
    const { url } = await useEcho(t);
    const echo = await fetch(`${url}/echo`, { method: 'POST', body: 'hello' });
    assert.equal(await echo.text(), 'hello');
    const ping = await fetch(`${url}/ping`);
    assert.deepEqual(Object.keys((await ping.json()) as object), ['status', 'time_of_last_update']);
    assert.equal((await fetch(`${url}/invocations`, { method: 'POST', body: '{}' })).status, 404);
    assert.equal((await fetch(`${url}/ws`)).status, 404);
    const wrongMethod = await fetch(`${url}/echo`);
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get('allow'), 'POST');
  });

  it('shares the task tracker and the ping status with every public task method', async (t) => {
    const { server, url } = await useEcho(t);
    const id = server.addAsyncTask('long work');
    assert.equal(((await (await fetch(`${url}/ping`)).json()) as { status: string }).status, 'HealthyBusy');
    assert.equal(server.completeAsyncTask(id), true);
    assert.equal(((await (await fetch(`${url}/ping`)).json()) as { status: string }).status, 'Healthy');
    assert.equal(server.getCurrentPingStatus(), 'Healthy');
  });

  it('listens on the protocol port when neither PORT nor listen() names one', async (t) => {
    const previous = process.env.PORT;
    t.after(() => {
      if (previous === undefined) delete process.env.PORT;
      else process.env.PORT = previous;
    });
    delete process.env.PORT;
    const server = new EchoServer({ logLevel: 'silent' });
    t.after(() => server.close({ graceMs: 0 }));
    // 9999 may be taken on a shared machine: either it binds there, or the error names it.
    try {
      const address = await server.listen({ host: '127.0.0.1' });
      assert.equal(address.port, 9999);
    } catch (error) {
      assert.match((error as Error).message, /127\.0\.0\.1:9999/);
    }
  });

  it('applies the cors option to the routes that allow it, never to /ping', async (t) => {
    const { url } = await useEcho(t, { cors: { origin: 'https://app.example' } });
    const preflight = await fetch(`${url}/echo`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://app.example');
    const echo = await fetch(`${url}/echo`, { method: 'POST', body: 'x', headers: { origin: 'https://app.example' } });
    assert.equal(echo.headers.get('access-control-allow-origin'), 'https://app.example');
    const ping = await fetch(`${url}/ping`, { headers: { origin: 'https://app.example' } });
    assert.equal(ping.headers.get('access-control-allow-origin'), null);
    const pingPreflight = await fetch(`${url}/ping`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' },
    });
    assert.equal(pingPreflight.status, 405);
  });

  it("lets a page use the route's own methods in a preflight", async (t) => {
    const { url } = await useEcho(t, { cors: { origin: 'https://app.example' } });
    const preflight = await fetch(`${url}/watch`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'DELETE' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-methods'), 'GET, DELETE');
  });

  it('ends a long-lived answer as soon as shutdown starts, not at the end of the grace period', async (t) => {
    const { server, url } = await useEcho(t);
    const response = await fetch(`${url}/watch`);
    assert.equal(server.parts.inflight, 1);
    const started = Date.now();
    await server.close({ graceMs: 5000 });
    assert.equal(await response.text(), 'watching\nended\n');
    assert.ok(Date.now() - started < 2000, `close() took ${Date.now() - started} ms`);
  });

  it('warns at listen with the reason the protocol gives for not being ready', async (t) => {
    const { logs } = await useEcho(t, {}, (server) => {
      server.ready = false;
    });
    assert.ok(logs.some((record) => record.level === 'warn' && record.message === 'echo is not ready'));
  });

  it('serves an upgrade offer as plain HTTP when the protocol takes no connection over', async (t) => {
    const { url } = await useEcho(t);
    const port = new URL(url).port;
    const answer = await rawExchange(
      Number(port),
      'GET /ping HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, close\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    assert.match(answer, /^HTTP\/1\.1 200 OK/);
    assert.match(answer, /"status":"Healthy"/);
  });

  it('runs the whole pipeline in process with request()', async () => {
    const server = new EchoServer({ logLevel: 'silent' });
    const response = await server.request('/echo', { method: 'POST', body: 'in process' });
    assert.equal(await response.text(), 'in process');
    assert.equal((await server.request('/ping')).status, 200);
  });

  it('gives the protocol the shared options and the shutdown state', async (t) => {
    const { server } = await useEcho(t, { maxBodyBytes: 1234 });
    assert.deepEqual(server.parts, { closing: false, inflight: 0, maxBodyBytes: 1234 });
    const closed = server.close({ graceMs: 0 });
    assert.equal(server.parts.closing, true);
    await closed;
    assert.equal(server.parts.closing, false);
  });

  it('serves the warmup hook for any protocol', async (t) => {
    let runs = 0;
    const { url } = await useEcho(t, {}, (server) =>
      server.warmup(() => {
        runs++;
      }),
    );
    const response = await fetch(`${url}/warmup`, { method: 'POST' });
    assert.equal(response.status, 200);
    assert.equal(runs, 1);
  });
});
