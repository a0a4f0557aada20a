import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AgentCoreApp, BedrockAgentCoreApp, PingStatus } from '../lib/index.js';
import { invoke, ping, startApp, useApp, useHttpServer, type TestServer } from './support/server.js';

describe('AgentCoreApp construction', () => {
  it('is also exported as BedrockAgentCoreApp', () => {
    assert.equal(BedrockAgentCoreApp, AgentCoreApp);
  });

  it('rejects handlers that are not functions', () => {
    const app = new AgentCoreApp({ logLevel: 'silent' });
    assert.throws(() => app.entrypoint('nope' as never), TypeError);
    assert.throws(() => app.ping(42 as never), TypeError);
    assert.throws(() => app.asyncTask(null as never), TypeError);
    assert.throws(() => app.runAsyncTask('x', undefined as never), TypeError);
  });

  it('returns the handler from entrypoint() and ping(), like the Python decorators', () => {
    const app = new AgentCoreApp({ logLevel: 'silent' });
    const handler = (): string => 'ok';
    const pinger = (): PingStatus => PingStatus.Healthy;
    assert.equal(app.entrypoint(handler), handler);
    assert.equal(app.ping(pinger), pinger);
  });

  it('reads the injected clock through the object it was given, so a class instance works too', async (t) => {
    class OffsetClock {
      readonly offsetMs = 60_000;
      now(): number {
        return Date.UTC(2030, 0, 1) + this.offsetMs;
      }
      monotonic(): number {
        return this.offsetMs;
      }
    }
    const server = await useApp(t, { clock: new OffsetClock() });
    const response = await fetch(`${server.url}/ping`);
    assert.deepEqual(JSON.parse(await response.text()), { status: 'Healthy', time_of_last_update: Date.UTC(2030, 0, 1, 0, 1) / 1000 });
  });
});

describe('the AWS TypeScript SDK constructor shape', () => {
  let server: TestServer;
  before(async () => {
    server = await startApp({
      invocationHandler: { process: async (payload: { name: string }) => ({ hello: payload.name }) },
      pingHandler: () => 'HealthyBusy',
    });
  });
  after(() => server.close());

  it('serves invocationHandler.process', async () => {
    const response = await invoke(server, { name: 'ada' });
    assert.equal(response.status, 200);
    assert.deepEqual(response.json(), { hello: 'ada' });
  });

  it('serves pingHandler', async () => {
    assert.equal((await ping(server)).status, 'HealthyBusy');
  });

  it('also accepts { handler }', async (t) => {
    const other = await useApp(t, { handler: () => 'plain' });
    assert.equal((await invoke(other, {})).text, '"plain"');
  });
});

describe('routing', () => {
  let server: TestServer;
  before(async () => {
    server = await startApp({}, (app) => app.entrypoint(() => ({ ok: true })));
  });
  after(() => server.close());

  it('answers 404 with a JSON error for an unknown path', async () => {
    const response = await fetch(`${server.url}/nope`);
    assert.equal(response.status, 404);
    assert.match(response.headers.get('content-type')!, /application\/json/);
    assert.deepEqual(await response.json(), { error: 'Not found: /nope', code: 'NOT_FOUND' });
  });

  it('answers 405 with Allow for a wrong method', async () => {
    const response = await fetch(`${server.url}/invocations`);
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'POST');
    assert.equal(((await response.json()) as { code: string }).code, 'METHOD_NOT_ALLOWED');
    const pingPost = await fetch(`${server.url}/ping`, { method: 'POST' });
    assert.equal(pingPost.status, 405);
    assert.equal(pingPost.headers.get('allow'), 'GET, HEAD');
  });

  it('ignores the query string when routing', async () => {
    const response = await fetch(`${server.url}/invocations?x=1&y=2`, { method: 'POST', body: '{}' });
    assert.equal(response.status, 200);
    assert.equal((await fetch(`${server.url}/ping?verbose=1`)).status, 200);
  });

  it('allows HEAD /ping with headers and no body', async () => {
    const response = await fetch(`${server.url}/ping`, { method: 'HEAD' });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type')!, /application\/json/);
    assert.equal(await response.text(), '');
  });

  it('answers a plain GET /ws with 426 Upgrade Required', async () => {
    const response = await fetch(`${server.url}/ws`);
    assert.equal(response.status, 426);
    assert.equal(((await response.json()) as { code: string }).code, 'UPGRADE_REQUIRED');
  });
});

describe('listen(), close() and the request listener', () => {
  it('rejects listen() with a clear error when the port is in use', async (t) => {
    const first = await useApp(t);
    const second = new AgentCoreApp({ logLevel: 'silent' });
    await assert.rejects(second.listen({ port: first.port, host: '127.0.0.1' }), (error: Error & { code?: string }) => {
      assert.match(error.message, /already in use \(EADDRINUSE\)/);
      assert.equal(error.code, 'EADDRINUSE');
      return true;
    });
    assert.equal(second.server, undefined);
  });

  it('rejects a second listen() on the same app', async (t) => {
    const server = await useApp(t);
    await assert.rejects(server.app.listen({ port: 0, host: '127.0.0.1' }), /already listening/);
  });

  it('resolves close() when not listening', async () => {
    await new AgentCoreApp({ logLevel: 'silent' }).close();
  });

  it('mounts on a user\'s own node:http server', async (t) => {
    const app = new AgentCoreApp({ logLevel: 'silent' });
    app.entrypoint(() => 'mounted');
    const { url } = await useHttpServer(t, app.requestListener);
    const response = await fetch(`${url}/invocations`, { method: 'POST', body: '{}' });
    assert.equal(await response.text(), '"mounted"');
  });

  it('rejects a bad PORT from listen() rather than throwing', async (t) => {
    const previous = process.env.PORT;
    t.after(() => {
      if (previous === undefined) delete process.env.PORT;
      else process.env.PORT = previous;
    });
    process.env.PORT = 'not-a-port';
    await assert.rejects(new AgentCoreApp({ logLevel: 'silent' }).listen({ host: '127.0.0.1' }), /PORT must be an integer/);
  });
});

describe('listen()', () => {
  it('logs one JSON line containing "Server listening" (what the AgentCore CLI waits for)', async (t) => {
    const server = await startApp({}, (app) => app.entrypoint(() => 1));
    t.after(() => server.close());
    const line = server.logs.find((record) => String(record.message).includes('Server listening'));
    assert.ok(line, 'no listening line');
    assert.equal(line.message, `Server listening on http://127.0.0.1:${server.port}`);
    assert.equal(line.port, server.port);
  });

  it('warns when no entrypoint is registered', async (t) => {
    const server = await startApp();
    t.after(() => server.close());
    assert.ok(server.logs.some((record) => record.level === 'warn' && /no entrypoint registered/.test(String(record.message))));
  });
});

describe('a configured invocation path', () => {
  it('serves invocations there instead of /invocations, with /ping and /ws where the contract puts them', async (t) => {
    const server = await useApp(t, { invocationPath: '/agents/run' }, (app) => app.entrypoint(() => ({ ran: true })));
    const answer = await fetch(`${server.url}/agents/run`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    assert.deepEqual(await answer.json(), { ran: true });
    assert.equal((await fetch(`${server.url}/invocations`, { method: 'POST', body: '{}' })).status, 404);
    assert.equal((await fetch(`${server.url}/ping`)).status, 200);
    assert.equal((await fetch(`${server.url}/ws`)).status, 426);
  });

  it('is refused at construction when it is invalid or collides with a fixed path', () => {
    assert.throws(() => new AgentCoreApp({ invocationPath: 'run' }), TypeError);
    assert.throws(() => new AgentCoreApp({ invocationPath: '/ws' }), /\/ws is already the ws path/);
  });
});
