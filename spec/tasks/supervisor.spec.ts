import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AgentCoreApp, PingStatus } from '../../lib/index.js';
import { Logger } from '../../lib/logger.js';
import { TaskSupervisor } from '../../lib/tasks/supervisor.js';
import { manualClock } from '../support/clock.js';
import { useApp } from '../support/server.js';

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

  it('reports running jobs with name, duration in seconds and metadata', () => {
    const clock = manualClock();
    const app = new AgentCoreApp({ logLevel: 'silent', clock });
    app.addAsyncTask('with_meta', { data_id: 'd1' });
    app.addAsyncTask('plain');
    clock.advance(30);
    const info = app.getAsyncTaskInfo();
    assert.equal(info.activeCount, 2);
    assert.equal(info.runningJobs[0]!.name, 'with_meta');
    assert.deepEqual(info.runningJobs[0]!.metadata, { data_id: 'd1' });
    assert.ok(info.runningJobs[0]!.duration >= 0.02 && info.runningJobs[0]!.duration < 5);
    assert.equal(info.runningJobs[0]!.duration, 0.03);
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

  it('aborts the signals of the work still running on abortRunning(), and nothing else', async () => {
    const supervisor = new TaskSupervisor(new Logger({ level: 'silent' }), Date.now, undefined);
    const signals: AbortSignal[] = [];
    const untilAborted = (signal: AbortSignal): Promise<void> => {
      signals.push(signal);
      return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
    };
    supervisor.run('done', () => undefined);
    await sleep(0);
    supervisor.run('first', untilAborted);
    supervisor.run('second', untilAborted);
    supervisor.add('manual');
    const reason = new Error('stop');
    assert.equal(supervisor.abortRunning(reason), 2);
    assert.deepEqual(signals.map((signal) => signal.reason), [reason, reason]);
    await sleep(0);
    assert.deepEqual(supervisor.info().runningJobs.map((job) => job.name), ['manual'], 'aborted work settles and is done');
    assert.equal(supervisor.abortRunning(reason), 0);
  });

  it('rejects an invalid timeout', () => {
    const app = new AgentCoreApp({ logLevel: 'silent' });
    assert.throws(() => app.runAsyncTask('x', () => undefined, { timeoutMs: 0 }), RangeError);
  });
});

describe('maxTaskAgeMs', () => {
  it('expires a forgotten manual task with a warning so the session can go idle', async (t) => {
    const server = await useApp(t, { maxTaskAgeMs: 100 });
    const id = server.app.addAsyncTask('forgotten');
    assert.equal(server.app.getCurrentPingStatus(), PingStatus.HealthyBusy);
    await sleep(200);
    assert.equal(server.app.getCurrentPingStatus(), PingStatus.Healthy);
    assert.ok(server.logs.some((record) => record.level === 'warn' && /maxTaskAgeMs/.test(record.message) && record.taskId === id));
    assert.equal(server.app.completeAsyncTask(id), false);
  });

  it('leaves a task completed in time alone', async (t) => {
    const server = await useApp(t, { maxTaskAgeMs: 100 });
    const id = server.app.addAsyncTask('prompt');
    assert.equal(server.app.completeAsyncTask(id), true);
    const viaRun = server.app.runAsyncTask('prompt too', () => undefined);
    await sleep(150);
    assert.equal(server.logs.some((record) => /maxTaskAgeMs/.test(record.message)), false);
    assert.ok(viaRun > id);
  });
});
