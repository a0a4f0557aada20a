import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AgentCoreApp, type LogRecord } from '../../lib/index.js';
import { LifecycleHooks } from '../../lib/lifecycle/hooks.js';
import { Logger } from '../../lib/logger.js';
import { manualClock } from '../support/clock.js';

function quietApp(logs: LogRecord[] = [], clock = manualClock()): AgentCoreApp {
  return new AgentCoreApp({ logLevel: 'debug', logSink: (_line, record) => logs.push(record), clock });
}

describe('startup hooks', () => {
  it('finish, in order, before the server binds: the first /ping finds the agent ready', async (t) => {
    const app = quietApp();
    const order: string[] = [];
    let ready = false;
    app.onStartup(async () => {
      await sleep(50);
      order.push('first');
    });
    app.onStartup(() => {
      ready = true;
      order.push(`second (bound: ${app.server?.listening === true})`);
    });
    app.ping(() => (ready ? 'Healthy' : 'HealthyBusy'));
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    t.after(() => app.close({ graceMs: 0 }));
    assert.deepEqual(order, ['first', 'second (bound: false)']);
    assert.equal(((await (await fetch(`http://127.0.0.1:${address.port}/ping`)).json()) as { status: string }).status, 'Healthy');
  });

  it('fail listen() when one fails, leaving the app able to listen again', async (t) => {
    const app = quietApp();
    let attempt = 0;
    app.onStartup(() => {
      if (attempt++ === 0) throw new Error('config missing');
    });
    await assert.rejects(app.listen({ port: 0, host: '127.0.0.1' }), /config missing/);
    assert.equal(app.server, undefined);
    await app.listen({ port: 0, host: '127.0.0.1' });
    t.after(() => app.close({ graceMs: 0 }));
    assert.equal((app.server as { listening: boolean } | undefined)?.listening, true);
  });
});

describe('shutdown hooks', () => {
  it('run once in-flight work is done, within the grace period, and a failure does not stop the others', async () => {
    const logs: LogRecord[] = [];
    const app = quietApp(logs);
    const order: string[] = [];
    let release!: () => void;
    app.entrypoint(() => new Promise((resolve) => (release = () => resolve('done'))));
    app.onShutdown(() => {
      order.push('first hook');
      throw new Error('flush failed');
    });
    app.onShutdown(async () => {
      order.push('second hook');
    });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const answer = fetch(`http://127.0.0.1:${address.port}/invocations`, { method: 'POST', body: '{}' }).then((response) => response.text());
    await sleep(50);
    const closed = app.close({ graceMs: 2000 });
    await sleep(50);
    order.push('answer released');
    release();
    assert.equal(await answer, '"done"');
    await closed;
    assert.deepEqual(order, ['answer released', 'first hook', 'second hook']);
    assert.ok(logs.some((record) => record.message === 'shutdown hook failed' && record.errorMessage === 'flush failed'));
  });

  it('are logged and left behind when they outlast the grace period', async () => {
    const logs: LogRecord[] = [];
    const hooks = new LifecycleHooks(new Logger({ level: 'debug', sink: (_line, record) => logs.push(record) }));
    hooks.add('shutdown', () => new Promise(() => undefined));
    const started = performance.now();
    await hooks.shutdown(50);
    assert.ok(performance.now() - started < 1000);
    const warning = logs.find((record) => record.message === 'a shutdown hook did not finish within its share of the grace period; the next one starts');
    assert.deepEqual([warning?.hook, warning?.hooks, warning?.shareMs], [1, 1, 50]);
  });

  it('each get a share of the grace: a hung hook does not starve the ones after it', async () => {
    const logs: LogRecord[] = [];
    const hooks = new LifecycleHooks(new Logger({ level: 'debug', sink: (_line, record) => logs.push(record) }));
    const ran: string[] = [];
    hooks.add('shutdown', () => {
      ran.push('quick');
    });
    hooks.add('shutdown', () => {
      ran.push('hung');
      return new Promise(() => undefined);
    });
    hooks.add('shutdown', async () => {
      await sleep(20);
      ran.push('flush');
    });
    hooks.add('shutdown', () => {
      ran.push('close');
      return Promise.reject(new Error('late failure'));
    });
    const started = performance.now();
    await hooks.shutdown(600);
    const elapsed = performance.now() - started;
    assert.deepEqual(ran, ['quick', 'hung', 'flush', 'close'], 'every hook ran, in order');
    // The hung hook had a third of what the quick one left (about 200 ms), not the whole 600 ms.
    assert.ok(elapsed < 500, `took ${elapsed} ms`);
    const warnings = logs.filter((record) => record.level === 'warn');
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]!.hook, 2);
    assert.ok(logs.some((record) => record.message === 'shutdown hook failed' && record.errorMessage === 'late failure'));
  });
});

describe('restore hooks', () => {
  it('run when the app notices a snapshot restore, and a failing one is logged', async (t) => {
    const logs: LogRecord[] = [];
    const clock = manualClock();
    const app = quietApp(logs, clock);
    let restored = 0;
    app.onRestore(() => {
      restored++;
    });
    app.onRestore(async () => {
      throw new Error('reconnect failed');
    });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    t.after(() => app.close({ graceMs: 0 }));
    clock.stepWall(86_400_000);
    await fetch(`http://127.0.0.1:${address.port}/ping`);
    await sleep(20);
    assert.equal(restored, 1);
    assert.ok(logs.some((record) => record.message === 'restore hook failed' && record.errorMessage === 'reconnect failed'));
  });

  it('refuse a hook that is not a function', () => {
    const app = quietApp();
    assert.throws(() => app.onStartup(1 as never), /startup hook must be a function/);
    assert.throws(() => app.onShutdown(1 as never), /shutdown hook must be a function/);
    assert.throws(() => app.onRestore(1 as never), /restore hook must be a function/);
  });
});
