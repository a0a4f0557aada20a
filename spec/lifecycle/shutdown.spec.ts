import assert from 'node:assert/strict';
import { Agent, request as httpRequest } from 'node:http';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { openSocket, readUntilClose } from '../support/raw.js';
import { invoke, useApp } from '../support/server.js';
import { createServer } from 'node:http';
import { RequestLifetime } from '../../lib/http/context.js';
import { InflightRequests } from '../../lib/lifecycle/shutdown.js';

describe('close(): graceful shutdown', () => {
  it('lets an in-flight invocation finish and deliver its response intact', async (t) => {
    let running!: () => void;
    const started = new Promise<void>((resolve) => (running = resolve));
    const server = await useApp(t, {}, (app) =>
      app.entrypoint(async () => {
        running();
        await sleep(200);
        return { done: true, filler: 'x'.repeat(100_000) };
      }),
    );
    const pending = invoke(server, {});
    // In flight means its handler runs: a connection whose request has not arrived yet is idle,
    // and idle connections close at once (on a loaded machine 50 ms did not always suffice).
    await started;
    const closed = server.close({ graceMs: 5000 });
    const response = await pending;
    assert.equal(response.status, 200);
    assert.equal((response.json() as { filler: string }).filler.length, 100_000);
    await closed;
    assert.equal(server.app.server, undefined);
  });

  it('stops accepting new connections at once', async (t) => {
    const server = await useApp(t, {}, (app) => app.entrypoint(() => sleep(200)));
    void invoke(server, {});
    await sleep(30);
    const closed = server.close({ graceMs: 5000 });
    await assert.rejects(fetch(`${server.url}/ping`), /fetch failed/);
    await closed;
  });

  it('answers /ping on an open connection during the grace period and closes it after', async (t) => {
    const server = await useApp(t, {}, (app) => app.entrypoint(() => 'ok'));
    const socket = await openSocket(server.port);
    const everything = readUntilClose(socket);
    server.app.addAsyncTask('finishing');
    const closed = server.close({ graceMs: 2000 });
    socket.write('GET /ping HTTP/1.1\r\nHost: x\r\n\r\n');
    await sleep(100);
    server.app.completeAsyncTask(1);
    await closed;
    const text = await everything;
    assert.match(text, /^HTTP\/1\.1 200 OK/);
    assert.match(text, /Connection: close/i);
    assert.match(text, /"status":"HealthyBusy"/);
  });

  it('gives tracked tasks the grace period and waits no longer than needed', async (t) => {
    const server = await useApp(t);
    server.app.runAsyncTask('short', () => sleep(150));
    const started = Date.now();
    await server.close({ graceMs: 5000 });
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 100 && elapsed < 2000, `waited ${elapsed} ms`);
    assert.equal(server.app.getAsyncTaskInfo().activeCount, 0);
    assert.equal(server.logs.some((record) => /grace period ended/.test(record.message)), false);
  });

  it('reports what is still running at the deadline', async (t) => {
    const server = await useApp(t);
    server.app.addAsyncTask('stuck', { job: 7 });
    const started = Date.now();
    await server.close({ graceMs: 150 });
    assert.ok(Date.now() - started < 2000);
    const record = server.logs.find((entry) => /grace period ended/.test(entry.message));
    assert.ok(record, 'a warning names the leftovers');
    assert.equal(record.level, 'warn');
    const tasks = record.activeTasks as Array<{ name: string; metadata: unknown }>;
    assert.deepEqual(tasks.map((task) => [task.name, task.metadata]), [['stuck', { job: 7 }]]);
  });

  it('aborts the signal of runAsyncTask work still running at the deadline, so it stops', async (t) => {
    const server = await useApp(t);
    let signal!: AbortSignal;
    server.app.runAsyncTask('endless', (s) => {
      signal = s;
      return sleep(60_000, undefined, { signal: s });
    });
    const started = Date.now();
    await server.close({ graceMs: 0 });
    assert.ok(Date.now() - started < 2000);
    assert.equal(signal.aborted, true);
    assert.equal((signal.reason as Error).message, 'Server shutting down');
    await sleep(10);
    assert.equal(server.app.getAsyncTaskInfo().activeCount, 0, 'the aborted work settled and its task completed');
    const record = server.logs.find((entry) => /grace period ended/.test(entry.message));
    assert.equal(record?.abortedTasks, 1);
    const stopped = server.logs.find((entry) => entry.message === 'async task stopped after its signal was aborted');
    assert.equal(stopped?.level, 'info', 'the work ended by its abort is no failure');
    assert.equal(stopped?.reason, 'Server shutting down');
    assert.equal(server.logs.some((entry) => entry.level === 'error'), false);
  });

  it('leaves the signal of work that finished within the grace alone', async (t) => {
    const server = await useApp(t);
    let signal!: AbortSignal;
    server.app.runAsyncTask('quick', (s) => {
      signal = s;
      return sleep(50);
    });
    await server.close({ graceMs: 2000 });
    assert.equal(signal.aborted, false);
    assert.equal(server.logs.some((entry) => /grace period ended/.test(entry.message)), false);
  });

  it('closes idle keep-alive connections at once', async (t) => {
    const server = await useApp(t, { keepAliveTimeoutMs: 60_000 });
    const agent = new Agent({ keepAlive: true });
    await new Promise<void>((resolve) => httpRequest(`${server.url}/ping`, { agent }, (res) => res.resume().on('end', resolve)).end());
    const started = Date.now();
    await server.close({ graceMs: 0 });
    assert.ok(Date.now() - started < 1000);
    agent.destroy();
  });

  it('returns the same promise when called twice, and resolves without a server', async (t) => {
    const server = await useApp(t);
    const first = server.close();
    assert.equal(server.app.close(), first);
    await first;
    await server.app.close();
  });

  it('answers a request still running at the deadline with a JSON 503, not a reset socket', async (t) => {
    let running = false;
    const server = await useApp(t, {}, (app) =>
      app.entrypoint(() => {
        running = true;
        return new Promise(() => undefined);
      }),
    );
    const pending = fetch(`${server.url}/invocations`, { method: 'POST', body: '{}' }).then(
      async (response) => ({ status: response.status, connection: response.headers.get('connection'), body: await response.json() }),
      (error: Error) => ({ failed: error.message }),
    );
    while (!running) await sleep(5);
    await server.close({ graceMs: 100 });
    assert.deepEqual(await pending, {
      status: 503,
      connection: 'close',
      body: { error: 'Server shutting down before the answer was ready', code: 'SHUTTING_DOWN' },
    });
    assert.ok(server.logs.some((record) => record.inflightRequests === 1));
  });

  it('closes the connection of every answer to a request in flight when the shutdown began', async (t) => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let running = 0;
    const server = await useApp(t, {}, (app) => app.entrypoint(async () => {
      running++;
      await released;
      return { ok: true };
    }));
    const agent = new Agent({ keepAlive: true, maxSockets: 50 });
    t.after(() => agent.destroy());
    const answers = Array.from({ length: 20 }, () => keepAliveInvoke(server.port, agent));
    while (running < 20) await sleep(5);
    const closed = server.close({ graceMs: 5000 });
    await sleep(20);
    release();
    const results = await Promise.all(answers);
    await closed;
    assert.deepEqual(new Set(results.map((result) => `${result.status} ${result.connection}`)), new Set(['200 close']));
  });

  it('loses no second request of a keep-alive client that pauses between requests during the drain', async (t) => {
    // What the platform's proxy does: reuse the connection unless the answer said close.
    const outcomes = new Map<string, number>();
    for (let round = 0; round < 5; round++) {
      let running = 0;
      const server = await useApp(t, {}, (app) => app.entrypoint(async () => {
        running++;
        await sleep(100);
        return { ok: true };
      }));
      const agent = new Agent({ keepAlive: true, maxSockets: 10 });
      const clients = Array.from({ length: 10 }, async () => {
        const first = await keepAliveInvoke(server.port, agent);
        await sleep(5);
        const second = await keepAliveInvoke(server.port, agent).then(
          (result) => `answered ${result.status}`,
          (error: NodeJS.ErrnoException) => error.code ?? error.message,
        );
        return [`first ${first.status}`, second];
      });
      // The shutdown begins once every first request is in flight (a connection whose request has
      // not arrived yet is idle, and idle connections close at once: that is a different race).
      while (running < 10) await sleep(5);
      await server.close({ graceMs: 2000 });
      for (const outcome of (await Promise.all(clients)).flat()) outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      agent.destroy();
    }
    // Every second request meets a closed server (a clean refusal), never a reset connection.
    assert.deepEqual(Object.fromEntries(outcomes), { 'first 200': 50, ECONNREFUSED: 50 });
  });
});

/** POST /invocations over `agent`'s keep-alive connections; resolves with the status and Connection header. */
function keepAliveInvoke(port: number, agent: Agent): Promise<{ status: number; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, path: '/invocations', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': '2' } },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode!, connection: response.headers.connection }));
      },
    );
    request.on('error', reject);
    request.end('{}');
  });
}

describe('close() with open event streams', () => {
  async function readAll(response: Response): Promise<{ text: string; clean: boolean }> {
    let text = '';
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body!) text += decoder.decode(chunk as Uint8Array, { stream: true });
      return { text, clean: true };
    } catch {
      return { text, clean: false };
    }
  }

  it('lets a stream that finishes within the grace deliver every event', async (t) => {
    const server = await useApp(t, {}, (app) =>
      app.entrypoint(async function* () {
        for (let i = 0; i < 5; i++) {
          await sleep(40);
          yield { i };
        }
      }),
    );
    const response = await fetch(`${server.url}/invocations`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    const closed = server.close({ graceMs: 3000 });
    const { text, clean } = await readAll(response);
    await closed;
    assert.equal(clean, true);
    assert.equal(text.match(/^data: /gm)?.length, 5);
  });

  it('ends a never-ending stream cleanly at the deadline', async (t) => {
    let returned = false;
    const server = await useApp(t, {}, (app) =>
      app.entrypoint(async function* () {
        try {
          for (let i = 0; ; i++) {
            await sleep(20);
            yield { i };
          }
        } finally {
          returned = true;
        }
      }),
    );
    const response = await fetch(`${server.url}/invocations`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    const started = Date.now();
    const closed = server.close({ graceMs: 200 });
    const { text, clean } = await readAll(response);
    await closed;
    assert.equal(clean, true, 'the response ends with a proper end of stream, not a reset');
    assert.ok(text.startsWith('data: {"i":0}'));
    assert.ok(Date.now() - started < 2000);
    assert.equal(returned, true, 'the generator was told to stop');
  });

  it('ends at once an answer marked long-lived after it was tracked, and forgets it once closed', async (t) => {
    const inflight = new InflightRequests();
    const lifetimes: RequestLifetime[] = [];
    const server = createServer((_request, response) => {
      const lifetime = new RequestLifetime();
      lifetimes.push(lifetime);
      inflight.markLongLived(response);
      inflight.track(response, lifetime);
      inflight.markLongLived(response);
      inflight.markLongLived(response);
      lifetime.signal.addEventListener('abort', () => response.end('ended'));
      response.writeHead(200).write('open ');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => server.close());
    const { port } = server.address() as { port: number };
    const response = await fetch(`http://127.0.0.1:${port}/`);
    inflight.endLongLived(new Error('Server shutting down'));
    assert.equal(await response.text(), 'open ended');
    assert.equal(lifetimes[0]!.signal.aborted, true);
    await sleep(20);
    assert.equal(inflight.size, 0);
  });
});
