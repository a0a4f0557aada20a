import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AgentCoreApp, PingStatus } from '../../lib/index.js';
import { manualClock, unixSeconds } from '../support/clock.js';
import { ping, useApp } from '../support/server.js';

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
    const clock = manualClock();
    const server = await useApp(t, { clock });
    const first = await ping(server);
    clock.advance(5_000);
    const second = await ping(server);
    assert.equal(second.time_of_last_update, first.time_of_last_update);
  });

  it('moves the stamp to the moment of each genuine transition, whatever its source', async (t) => {
    const clock = manualClock();
    const server = await useApp(t, { clock });
    const initial = (await ping(server)).time_of_last_update;
    assert.equal(initial, unixSeconds(clock), 'the first stamp is the start');
    clock.advance(1100);
    const before = unixSeconds(clock);
    const id = server.app.addAsyncTask('work');
    const busy = await ping(server);
    assert.equal(busy.status, 'HealthyBusy');
    assert.ok(busy.time_of_last_update >= before && busy.time_of_last_update > initial);
    assert.equal(busy.time_of_last_update, before);
    // A second task is not a transition.
    const second = server.app.addAsyncTask('more');
    assert.equal((await ping(server)).time_of_last_update, busy.time_of_last_update);
    clock.advance(1100);
    server.app.completeAsyncTask(id);
    assert.equal((await ping(server)).time_of_last_update, busy.time_of_last_update);
    server.app.completeAsyncTask(second);
    const idle = await ping(server);
    assert.equal(idle.status, 'Healthy');
    assert.ok(idle.time_of_last_update > busy.time_of_last_update);
    assert.equal(idle.time_of_last_update, unixSeconds(clock));
    clock.advance(1100);
    server.app.forcePingStatus(PingStatus.HealthyBusy);
    const forced = await ping(server);
    assert.equal(forced.status, 'HealthyBusy');
    assert.ok(forced.time_of_last_update > idle.time_of_last_update);
    assert.equal(forced.time_of_last_update, unixSeconds(clock));
  });

  it('after a snapshot restore, reports a stamp no older than the restore, and moves only on transitions after it', async (t) => {
    const clock = manualClock();
    const server = await useApp(t, { clock });
    const booted = (await ping(server)).time_of_last_update;
    // The snapshot sat for two days; the platform synced the guest's wall clock on restore.
    clock.advance(500);
    clock.stepWall(2 * 86_400_000);
    const restoredAt = clock.now() / 1000;
    const restored = await ping(server);
    assert.equal(restored.status, 'Healthy');
    assert.equal(restored.time_of_last_update, Math.ceil(restoredAt), 'rounded up: never older than the restore');
    assert.ok(restored.time_of_last_update > booted);
    assert.ok(server.logs.some((record) => /restored from a snapshot/.test(String(record.message)) && record.clockJumpMs === 2 * 86_400_000));
    clock.advance(5000);
    assert.equal((await ping(server)).time_of_last_update, restored.time_of_last_update, 'polling after the restore moves nothing');
    clock.advance(5000);
    server.app.addAsyncTask('work');
    assert.deepEqual(await ping(server), { status: 'HealthyBusy', time_of_last_update: unixSeconds(clock) });
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
      const clock = manualClock();
      const server = await useApp(t, { clock }, (app) => app.ping(handler as () => PingStatus));
      const first = await ping(server);
      assert.equal(first.status, 'Healthy');
      clock.advance(1100);
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
    const clock = manualClock();
    const server = await useApp(t, { clock }, (app) => app.ping(() => answer));
    const first = await ping(server);
    clock.advance(1100);
    answer = PingStatus.HealthyBusy;
    const second = await ping(server);
    assert.equal(second.status, 'HealthyBusy');
    assert.ok(second.time_of_last_update > first.time_of_last_update);
    assert.equal(second.time_of_last_update, unixSeconds(clock));
  });
});
