import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AgentCoreApp, BedrockAgentCoreApp, getRequestContext, HttpError, PingStatus } from '../lib/index.js';
import { invoke, ping, startApp, useApp, useHttpServer, type TestServer } from './support/server.js';

describe('AgentCoreApp construction', () => {
  it('is also exported as BedrockAgentCoreApp', () => {
    assert.equal(BedrockAgentCoreApp, AgentCoreApp);
  });

  it('rejects invalid limits with a RangeError', () => {
    assert.throws(() => new AgentCoreApp({ maxBodyBytes: 0 }), RangeError);
    assert.throws(() => new AgentCoreApp({ maxBodyBytes: 1.5 }), RangeError);
    assert.throws(() => new AgentCoreApp({ pingHandlerTimeoutMs: -1 }), RangeError);
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

describe('GET /ping', () => {
  it('reports Healthy with an integer stamp when nothing runs', async (t) => {
    const server = await useApp(t);
    const response = await fetch(`${server.url}/ping`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/json');
    const text = await response.text();
    assert.match(text, /^\{"status":"Healthy","time_of_last_update":\d+\}$/);
    const body = JSON.parse(text) as { time_of_last_update: number };
    assert.ok(Number.isInteger(body.time_of_last_update));
    assert.ok(Math.abs(body.time_of_last_update - Date.now() / 1000) < 5);
  });

  it('reports HealthyBusy while a task is active and Healthy after it completes', async (t) => {
    const server = await useApp(t);
    const id = server.app.addAsyncTask('work');
    assert.equal((await ping(server)).status, 'HealthyBusy');
    assert.equal(server.app.completeAsyncTask(id), true);
    assert.equal((await ping(server)).status, 'Healthy');
  });

  it('never moves the stamp because of polling', async (t) => {
    const server = await useApp(t);
    const first = await ping(server);
    await sleep(1100);
    const second = await ping(server);
    assert.equal(second.time_of_last_update, first.time_of_last_update);
  });

  it('moves the stamp to the moment of each genuine transition, whatever its source', async (t) => {
    const server = await useApp(t);
    const initial = (await ping(server)).time_of_last_update;
    await sleep(1100);
    const before = Math.floor(Date.now() / 1000);
    const id = server.app.addAsyncTask('work');
    const busy = await ping(server);
    assert.equal(busy.status, 'HealthyBusy');
    assert.ok(busy.time_of_last_update >= before && busy.time_of_last_update > initial);
    // A second task is not a transition.
    const second = server.app.addAsyncTask('more');
    assert.equal((await ping(server)).time_of_last_update, busy.time_of_last_update);
    await sleep(1100);
    server.app.completeAsyncTask(id);
    assert.equal((await ping(server)).time_of_last_update, busy.time_of_last_update);
    server.app.completeAsyncTask(second);
    const idle = await ping(server);
    assert.equal(idle.status, 'Healthy');
    assert.ok(idle.time_of_last_update > busy.time_of_last_update);
    await sleep(1100);
    server.app.forcePingStatus(PingStatus.HealthyBusy);
    const forced = await ping(server);
    assert.equal(forced.status, 'HealthyBusy');
    assert.ok(forced.time_of_last_update > idle.time_of_last_update);
  });

  it('is not logged at info level', async (t) => {
    const server = await useApp(t, { logLevel: 'info' });
    await ping(server);
    await ping(server);
    assert.deepEqual(
      server.logs.filter((record) => record.message === 'ping'),
      [],
    );
  });

  it('costs the same with 10,000 tracked tasks (it reads only the count)', async (t) => {
    const server = await useApp(t, { logLevel: 'warn' });
    for (let i = 0; i < 10_000; i++) server.app.addAsyncTask(`t${i}`);
    const body = await ping(server);
    assert.equal(body.status, 'HealthyBusy');
  });
});

describe('forced ping status', () => {
  it('overrides both the automatic status and a custom handler, until cleared', async (t) => {
    let handlerCalls = 0;
    const server = await useApp(t, {}, (app) =>
      app.ping(() => {
        handlerCalls++;
        return PingStatus.Healthy;
      }),
    );
    server.app.forcePingStatus(PingStatus.HealthyBusy);
    assert.equal((await ping(server)).status, 'HealthyBusy');
    assert.equal(handlerCalls, 0, 'the handler is not consulted while a status is forced');
    assert.equal(server.app.getCurrentPingStatus(), 'HealthyBusy');
    server.app.clearForcedPingStatus();
    assert.equal((await ping(server)).status, 'Healthy');
    assert.equal(handlerCalls, 1);
  });

  it('rejects an invalid status with a TypeError', () => {
    const app = new AgentCoreApp({ logLevel: 'silent' });
    assert.throws(() => app.forcePingStatus('Busy' as PingStatus), TypeError);
  });
});

describe('custom ping handler', () => {
  it('decides the status when it answers validly, sync or async', async (t) => {
    let answer: PingStatus = PingStatus.HealthyBusy;
    const server = await useApp(t, {}, (app) => app.ping(async () => answer));
    assert.equal((await ping(server)).status, 'HealthyBusy');
    answer = PingStatus.Healthy;
    server.app.addAsyncTask('ignored while the handler answers');
    assert.equal((await ping(server)).status, 'Healthy');
  });

  for (const [label, handler] of [
    ['throws', () => { throw new Error('boom'); }],
    ['rejects', async () => { throw new Error('boom'); }],
    ['answers an invalid status', () => 'Busy'],
    ['answers nothing', () => undefined],
  ] as const) {
    it(`falls back to the automatic status when it ${label}, without moving the stamp`, async (t) => {
      const server = await useApp(t, {}, (app) => app.ping(handler as () => PingStatus));
      const first = await ping(server);
      assert.equal(first.status, 'Healthy');
      await sleep(1100);
      const second = await ping(server);
      assert.equal(second.time_of_last_update, first.time_of_last_update);
      server.app.addAsyncTask('busy');
      assert.equal((await ping(server)).status, 'HealthyBusy');
      assert.ok(server.logs.some((record) => record.level === 'warn' && /ping handler/.test(record.message)));
    });
  }

  it('falls back when it takes longer than pingHandlerTimeoutMs, and /ping still answers promptly', async (t) => {
    const server = await useApp(t, { pingHandlerTimeoutMs: 100 }, (app) =>
      app.ping(() => new Promise<PingStatus>((resolve) => setTimeout(() => resolve(PingStatus.HealthyBusy), 5000).unref())),
    );
    const started = Date.now();
    const body = await ping(server);
    assert.equal(body.status, 'Healthy');
    assert.ok(Date.now() - started < 2000);
    assert.ok(server.logs.some((record) => /did not answer within 100 ms/.test(String(record.errorMessage))));
  });

  it('shares one handler call between concurrent polls', async (t) => {
    let calls = 0;
    const server = await useApp(t, {}, (app) =>
      app.ping(async () => {
        calls++;
        await sleep(50);
        return PingStatus.HealthyBusy;
      }),
    );
    const bodies = await Promise.all(Array.from({ length: 5 }, () => ping(server)));
    assert.deepEqual(new Set(bodies.map((body) => body.status)), new Set(['HealthyBusy']));
    assert.equal(calls, 1);
  });

  it('stamps a change the handler reports', async (t) => {
    let answer: PingStatus = PingStatus.Healthy;
    const server = await useApp(t, {}, (app) => app.ping(() => answer));
    const first = await ping(server);
    await sleep(1100);
    answer = PingStatus.HealthyBusy;
    const second = await ping(server);
    assert.equal(second.status, 'HealthyBusy');
    assert.ok(second.time_of_last_update > first.time_of_last_update);
  });
});

describe('async task tracking', () => {
  it('hands out monotonic integer ids that are never reused', () => {
    const app = new AgentCoreApp({ logLevel: 'silent' });
    const first = app.addAsyncTask('a');
    assert.ok(Number.isInteger(first));
    app.completeAsyncTask(first);
    const second = app.addAsyncTask('b');
    const third = app.addAsyncTask('c');
    assert.ok(second > first && third > second);
  });

  it('returns false and warns for an unknown or already completed id', () => {
    const records: string[] = [];
    const app = new AgentCoreApp({ logSink: (_line, record) => records.push(`${record.level}:${record.message}`) });
    const id = app.addAsyncTask('a');
    assert.equal(app.completeAsyncTask(id), true);
    assert.equal(app.completeAsyncTask(id), false);
    assert.equal(app.completeAsyncTask(9999), false);
    assert.equal(records.filter((line) => line.startsWith('warn:')).length, 2);
  });

  it('reports running jobs with name, duration in seconds and metadata', async () => {
    const app = new AgentCoreApp({ logLevel: 'silent' });
    app.addAsyncTask('with_meta', { data_id: 'd1' });
    app.addAsyncTask('plain');
    await sleep(30);
    const info = app.getAsyncTaskInfo();
    assert.equal(info.activeCount, 2);
    assert.equal(info.runningJobs[0]!.name, 'with_meta');
    assert.deepEqual(info.runningJobs[0]!.metadata, { data_id: 'd1' });
    assert.ok(info.runningJobs[0]!.duration >= 0.02 && info.runningJobs[0]!.duration < 5);
    assert.equal('metadata' in info.runningJobs[1]!, false);
  });

  it('rejects a task name that is not a string', () => {
    const app = new AgentCoreApp({ logLevel: 'silent' });
    assert.throws(() => app.addAsyncTask(7 as never), TypeError);
  });
});

describe('asyncTask(fn)', () => {
  it('tracks any promise-returning function, async or not, until it settles', async () => {
    const app = new AgentCoreApp({ logLevel: 'silent' });
    let release!: () => void;
    // Deliberately not an `async function`: the AWS TS SDK rejects these by constructor name.
    const work = app.asyncTask(function plainPromise(value: number) {
      return new Promise<number>((resolve) => {
        release = () => resolve(value * 2);
      });
    });
    const pending = work(21);
    assert.equal(app.getCurrentPingStatus(), 'HealthyBusy');
    assert.equal(app.getAsyncTaskInfo().runningJobs[0]!.name, 'plainPromise');
    release();
    assert.equal(await pending, 42);
    assert.equal(app.getCurrentPingStatus(), 'Healthy');
  });

  it('completes the task when the function throws or rejects, and passes the error on', async () => {
    const app = new AgentCoreApp({ logLevel: 'silent' });
    const syncThrow = app.asyncTask(() => {
      throw new Error('sync');
    }, 'named');
    const asyncThrow = app.asyncTask(async () => {
      throw new Error('async');
    });
    await assert.rejects(syncThrow(), /sync/);
    await assert.rejects(asyncThrow(), /async/);
    assert.equal(app.getAsyncTaskInfo().activeCount, 0);
  });

  it('keeps `this` for methods', async () => {
    const app = new AgentCoreApp({ logLevel: 'silent' });
    const target = { factor: 3, run: app.asyncTask(async function (this: { factor: number }, x: number) { return x * this.factor; }) };
    assert.equal(await target.run(2), 6);
  });
});

describe('runAsyncTask(name, work, options)', () => {
  it('tracks the work until it resolves and returns the id at once', async () => {
    const app = new AgentCoreApp({ logLevel: 'silent' });
    let release!: () => void;
    let seenId: number | undefined;
    const id = app.runAsyncTask('job', (_signal, taskId) => {
      seenId = taskId;
      return new Promise<void>((resolve) => (release = resolve));
    }, { metadata: { k: 1 } });
    assert.ok(Number.isInteger(id));
    assert.equal(seenId, id, 'the work is told its own task id');
    assert.deepEqual(app.getAsyncTaskInfo().runningJobs.map((job) => [job.id, job.name, job.metadata]), [[id, 'job', { k: 1 }]]);
    release();
    await sleep(5);
    assert.equal(app.getAsyncTaskInfo().activeCount, 0);
  });

  it('logs a failure instead of leaking an unhandled rejection, and completes the task', async (t) => {
    const records: Record<string, unknown>[] = [];
    const app = new AgentCoreApp({ logSink: (_line, record) => records.push(record) });
    let unhandled = 0;
    const onUnhandled = (): void => {
      unhandled++;
    };
    process.on('unhandledRejection', onUnhandled);
    t.after(() => process.off('unhandledRejection', onUnhandled));
    app.runAsyncTask('rejects', async () => {
      throw new Error('async failure');
    });
    app.runAsyncTask('throws', () => {
      throw new Error('sync failure');
    });
    await sleep(20);
    assert.equal(unhandled, 0);
    assert.equal(app.getAsyncTaskInfo().activeCount, 0);
    const errors = records.filter((record) => record.level === 'error').map((record) => record.errorMessage);
    assert.deepEqual(errors.sort(), ['async failure', 'sync failure']);
  });

  it('stops tracking at timeoutMs with a warning and aborts the work signal', async () => {
    const records: Record<string, unknown>[] = [];
    const app = new AgentCoreApp({ logSink: (_line, record) => records.push(record) });
    let signal!: AbortSignal;
    app.runAsyncTask(
      'slow',
      (s) => {
        signal = s;
        return new Promise<void>((resolve) => s.addEventListener('abort', () => resolve()));
      },
      { timeoutMs: 50 },
    );
    assert.equal(app.getCurrentPingStatus(), 'HealthyBusy');
    await sleep(120);
    assert.equal(signal.aborted, true);
    assert.equal(app.getCurrentPingStatus(), 'Healthy');
    assert.ok(records.some((record) => record.level === 'warn' && /timed out/.test(String(record.message))));
    assert.equal(records.filter((record) => /unknown or already completed/.test(String(record.message))).length, 0);
  });

  it('rejects an invalid timeout', () => {
    const app = new AgentCoreApp({ logLevel: 'silent' });
    assert.throws(() => app.runAsyncTask('x', () => undefined, { timeoutMs: 0 }), RangeError);
  });
});

describe('POST /invocations', () => {
  let server: TestServer;
  before(async () => {
    server = await startApp({ maxBodyBytes: 1024 }, (app) =>
      app.entrypoint((payload, context) => ({ payload, type: payload instanceof Uint8Array ? 'bytes' : typeof payload, sessionId: context.sessionId ?? null })),
    );
  });
  after(() => server.close());

  it('passes any JSON value to the handler', async () => {
    for (const value of [{ a: 1 }, [1, 2], 'text', 42, true, null]) {
      const response = await invoke(server, JSON.stringify(value));
      assert.equal(response.status, 200);
      assert.deepEqual((response.json() as { payload: unknown }).payload, value);
    }
  });

  it('parses JSON media types, no content type and curl\'s form default as JSON', async () => {
    for (const contentType of ['application/json; charset=utf-8', 'application/vnd.api+json', 'application/x-www-form-urlencoded', undefined]) {
      const headers: Record<string, string> = contentType === undefined ? {} : { 'content-type': contentType };
      const response = await fetch(`${server.url}/invocations`, { method: 'POST', headers, body: new TextEncoder().encode('{"a":1}') });
      assert.equal(response.status, 200, String(contentType));
      assert.deepEqual(((await response.json()) as { payload: unknown }).payload, { a: 1 });
    }
  });

  it('hands text/* to the handler as a string and other types as bytes', async () => {
    const text = await invoke(server, 'héllo', { 'content-type': 'text/plain; charset=utf-8' });
    assert.deepEqual(text.json(), { payload: 'héllo', type: 'string', sessionId: null });
    const bytes = await invoke(server, new Uint8Array([0, 1, 255]), { 'content-type': 'application/octet-stream' });
    assert.equal((bytes.json() as { type: string }).type, 'bytes');
  });

  it('answers 400 Invalid JSON with the position, line and column', async () => {
    const response = await invoke(server, '{\n  "a": 1,\n  oops\n}');
    assert.equal(response.status, 400);
    const body = response.json() as Record<string, unknown>;
    assert.equal(body.error, 'Invalid JSON');
    assert.equal(body.code, 'INVALID_JSON');
    assert.equal(body.position, 14);
    assert.equal(body.line, 3);
    assert.equal(body.column, 3);
    assert.equal(typeof body.message, 'string');
  });

  it('answers 400 for an empty body and for invalid UTF-8', async () => {
    const empty = await invoke(server, '');
    assert.equal(empty.status, 400);
    assert.equal((empty.json() as { code: string }).code, 'EMPTY_BODY');
    const invalid = await invoke(server, new Uint8Array([0x22, 0xff, 0xfe, 0x22]));
    assert.equal(invalid.status, 400);
    assert.equal((invalid.json() as { code: string }).code, 'INVALID_UTF8');
  });

  it('answers 413 for a body over the limit, by Content-Length and while streaming', async () => {
    const declared = await invoke(server, JSON.stringify({ big: 'x'.repeat(2000) }));
    assert.equal(declared.status, 413);
    assert.deepEqual(declared.json(), { error: 'Request body exceeds the limit of 1024 bytes', code: 'BODY_TOO_LARGE', limit: 1024 });
    const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${server.url}/invocations`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      req.write('"' + 'y'.repeat(800));
      req.end('y'.repeat(800) + '"');
    });
    assert.equal(streamed.status, 413);
    assert.equal((JSON.parse(streamed.body) as { code: string }).code, 'BODY_TOO_LARGE');
  });

  it('does not let __proto__ keys pollute anything', async () => {
    const response = await invoke(server, '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}');
    assert.equal(response.status, 200);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual((response.json() as { payload: unknown }).payload, { ['__proto__']: { polluted: true }, constructor: { prototype: { polluted: true } } });
  });

  it('accepts a request without a session id', async () => {
    const response = await invoke(server, {});
    assert.equal((response.json() as { sessionId: unknown }).sessionId, null);
  });
});

describe('the request context', () => {
  it('carries ids, tokens and forwardable headers, and is reachable through getRequestContext()', async (t) => {
    const server = await useApp(t, {}, (app) =>
      app.entrypoint(async (_payload, context) => {
        await sleep(1);
        const fromStorage = getRequestContext();
        return {
          same: fromStorage === context,
          requestId: context.requestId,
          sessionId: context.sessionId,
          workloadAccessToken: context.workloadAccessToken,
          oauth2CallbackUrl: context.oauth2CallbackUrl,
          headers: context.requestHeaders,
          aliasSame: context.headers === context.requestHeaders,
          serialized: JSON.parse(JSON.stringify(context)),
          rawMethod: context.request.method,
        };
      }),
    );
    const response = await invoke(server, {}, {
      'content-type': 'application/json',
      'X-Amzn-Bedrock-AgentCore-Runtime-Session-Id': 'session-1',
      'X-Amzn-Bedrock-AgentCore-Runtime-Request-Id': 'request-1',
      'X-Amz-Bedrock-AgentCore-Identity-WAT': 'wat-token',
      OAuth2CallbackUrl: 'https://example.invalid/callback',
      Authorization: 'Bearer abc',
      'X-Amzn-Bedrock-AgentCore-Runtime-Custom-Tenant': 'acme',
      'X-Amzn-Trace-Id': 'hidden',
      'X-Amz-Date': 'hidden',
      'X-Forwarded-For': '10.0.0.1',
      traceparent: '00-abc-def-01',
    });
    const body = response.json() as Record<string, unknown>;
    assert.equal(body.same, true);
    assert.equal(body.requestId, 'request-1');
    assert.equal(body.sessionId, 'session-1');
    assert.equal(body.workloadAccessToken, 'wat-token');
    assert.equal(body.oauth2CallbackUrl, 'https://example.invalid/callback');
    assert.equal(body.rawMethod, 'POST');
    assert.equal(body.aliasSame, true);
    const serialized = body.serialized as Record<string, unknown>;
    assert.equal(serialized.requestId, 'request-1');
    assert.equal(serialized.sessionId, 'session-1');
    assert.equal('request' in serialized, false, 'the raw request is not serialized');
    const headers = body.headers as Record<string, string>;
    assert.equal(headers.authorization, 'Bearer abc');
    assert.equal(headers['x-amzn-bedrock-agentcore-runtime-custom-tenant'], 'acme');
    assert.equal(headers['x-amz-bedrock-agentcore-identity-wat'], 'wat-token');
    assert.equal(headers.traceparent, '00-abc-def-01');
    for (const hidden of ['x-amzn-trace-id', 'x-amz-date', 'x-forwarded-for', 'content-type', 'host', 'connection']) {
      assert.equal(hidden in headers, false, hidden);
    }
  });

  it('generates a request id when the header is absent and falls back to WorkloadAccessToken', async (t) => {
    const server = await useApp(t, {}, (app) => app.entrypoint((_payload, context) => [context.requestId, context.workloadAccessToken]));
    const response = await invoke(server, {}, { 'content-type': 'application/json', WorkloadAccessToken: 'legacy' });
    const [requestId, token] = response.json() as [string, string];
    assert.match(requestId, /^[0-9a-f-]{36}$/);
    assert.equal(token, 'legacy');
  });

  it('is undefined outside a request', () => {
    assert.equal(getRequestContext(), undefined);
  });
});

describe('handler results and errors', () => {
  let server: TestServer;
  before(async () => {
    server = await startApp({}, (app) =>
      app.entrypoint(async (payload: { kind: string }) => {
        switch (payload.kind) {
          case 'undefined':
            return undefined;
          case 'exotic': {
            const circular: Record<string, unknown> = { name: 'loop' };
            circular.self = circular;
            return { big: 10n, map: new Map([['a', 1]]), set: new Set([1, 2]), date: new Date(0), circular };
          }
          case 'throw':
            throw new TypeError('handler exploded');
          case 'throw-string':
            throw 'just a string';
          case 'http-error':
            throw new HttpError(422, 'Unprocessable input', { code: 'BAD_INPUT', details: { field: 'x' } });
          default:
            return { ok: true };
        }
      }),
    );
  });
  after(() => server.close());

  it('serializes undefined as null', async () => {
    const response = await invoke(server, { kind: 'undefined' });
    assert.equal(response.status, 200);
    assert.equal(response.text, 'null');
    assert.match(response.headers.get('content-type')!, /application\/json/);
  });

  it('serializes BigInt, Map, Set, Date and circular references without failing', async () => {
    const response = await invoke(server, { kind: 'exotic' });
    assert.equal(response.status, 200);
    assert.deepEqual(response.json(), {
      big: '10',
      map: { a: 1 },
      set: [1, 2],
      date: '1970-01-01T00:00:00.000Z',
      circular: { name: 'loop', self: '[Circular]' },
    });
  });

  it('answers 500 with the message and logs the error with the request id', async () => {
    const response = await invoke(server, { kind: 'throw' }, {
      'content-type': 'application/json',
      'X-Amzn-Bedrock-AgentCore-Runtime-Request-Id': 'req-500',
    });
    assert.equal(response.status, 500);
    assert.deepEqual(response.json(), { error: 'handler exploded', code: 'HANDLER_ERROR', error_type: 'TypeError' });
    const record = server.logs.find((entry) => entry.level === 'error' && entry.requestId === 'req-500');
    assert.ok(record, 'an error log line carries the request id');
    assert.equal(record.errorMessage, 'handler exploded');
    assert.equal(record.errorType, 'TypeError');
  });

  it('answers 500 for a thrown non-Error too', async () => {
    const response = await invoke(server, { kind: 'throw-string' });
    assert.equal(response.status, 500);
    assert.equal((response.json() as { error: string }).error, 'just a string');
  });

  it('lets a handler choose a 4xx with HttpError', async () => {
    const response = await invoke(server, { kind: 'http-error' });
    assert.equal(response.status, 422);
    assert.deepEqual(response.json(), { error: 'Unprocessable input', code: 'BAD_INPUT', field: 'x' });
  });

  it('keeps serving after all of the above', async () => {
    assert.deepEqual((await invoke(server, {})).json(), { ok: true });
  });

  it('answers 500 with a clear message when no entrypoint is registered', async (t) => {
    const bare = await useApp(t);
    const response = await invoke(bare, {});
    assert.equal(response.status, 500);
    assert.equal((response.json() as { code: string }).code, 'NO_ENTRYPOINT');
  });
});

describe('debug actions', () => {
  it('are answered by the app itself only with debug: true', async (t) => {
    const server = await useApp(t, { debug: true }, (app) => app.entrypoint(() => 'handler'));
    const action = (name: string) => invoke(server, { _agent_core_app_action: name });
    assert.deepEqual(((await action('ping_status')).json() as { status: string }).status, 'Healthy');
    server.app.addAsyncTask('job', { data_id: 'd' });
    const jobs = (await action('job_status')).json() as { active_count: number; running_jobs: Array<Record<string, unknown>> };
    assert.equal(jobs.active_count, 1);
    assert.equal(jobs.running_jobs[0]!.name, 'job');
    assert.equal(typeof jobs.running_jobs[0]!.duration, 'number');
    assert.deepEqual((await action('force_healthy')).json(), { forced_status: 'Healthy' });
    assert.equal((await ping(server)).status, 'Healthy');
    assert.deepEqual((await action('force_busy')).json(), { forced_status: 'HealthyBusy' });
    assert.deepEqual((await action('clear_forced_status')).json(), { forced_status: null, status: 'HealthyBusy' });
    const unknown = await action('explode');
    assert.equal(unknown.status, 400);
    assert.equal((unknown.json() as { code: string }).code, 'UNKNOWN_DEBUG_ACTION');
  });

  it('reach the handler as ordinary payloads without debug', async (t) => {
    const server = await useApp(t, {}, (app) => app.entrypoint((payload) => ({ echoed: payload })));
    const response = await invoke(server, { _agent_core_app_action: 'force_busy' });
    assert.deepEqual(response.json(), { echoed: { _agent_core_app_action: 'force_busy' } });
    assert.equal((await ping(server)).status, 'Healthy');
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
});
