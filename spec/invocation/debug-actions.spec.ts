import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HttpError } from '../../lib/errors.js';
import { DEBUG_ACTION_KEY, isDebugAction, runDebugAction } from '../../lib/invocation/debug-actions.js';
import { PingStatusReporter } from '../../lib/ping/status.js';
import { TaskTracker } from '../../lib/tasks/tracker.js';
import { manualClock } from '../support/clock.js';
import { invoke, ping, useApp } from '../support/server.js';

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

describe('isDebugAction', () => {
  it('is true only for an object with its own _agent_core_app_action key', () => {
    assert.equal(DEBUG_ACTION_KEY, '_agent_core_app_action');
    assert.equal(isDebugAction({ _agent_core_app_action: 'ping_status' }), true);
    assert.equal(isDebugAction({ _agent_core_app_action: undefined }), true);
    for (const payload of [null, undefined, '_agent_core_app_action', 1, {}, { action: 'ping_status' }, Object.create({ _agent_core_app_action: 'inherited' })]) {
      assert.equal(isDebugAction(payload), false, JSON.stringify(payload));
    }
  });
});

describe('runDebugAction', () => {
  function parts(): { clock: ReturnType<typeof manualClock>; tracker: TaskTracker; reporter: PingStatusReporter } {
    const clock = manualClock();
    const tracker = new TaskTracker(clock.now);
    return { clock, tracker, reporter: new PingStatusReporter(tracker, clock.now) };
  }

  it('reports the ping status with the stamp of its last change', () => {
    const { clock, tracker, reporter } = parts();
    clock.advance(3_000);
    tracker.add('work');
    assert.deepEqual(runDebugAction('ping_status', reporter, tracker), { status: 'HealthyBusy', time_of_last_update: Math.floor(clock.now() / 1000) });
  });

  it('reports the job status in the wire shape', () => {
    const { clock, tracker, reporter } = parts();
    const id = tracker.add('job', { data_id: 'd' });
    clock.advance(1_500);
    assert.deepEqual(runDebugAction('job_status', reporter, tracker), { active_count: 1, running_jobs: [{ id, name: 'job', duration: 1.5, metadata: { data_id: 'd' } }] });
  });

  it('forces each status and clears the force, answering what it did', () => {
    const { tracker, reporter } = parts();
    tracker.add('work');
    assert.deepEqual(runDebugAction('force_healthy', reporter, tracker), { forced_status: 'Healthy' });
    assert.equal(reporter.status, 'Healthy');
    assert.deepEqual(runDebugAction('force_busy', reporter, tracker), { forced_status: 'HealthyBusy' });
    assert.equal(reporter.forced, 'HealthyBusy');
    assert.deepEqual(runDebugAction('clear_forced_status', reporter, tracker), { forced_status: null, status: 'HealthyBusy' });
    assert.equal(reporter.forced, undefined);
  });

  it('refuses an unknown action with 400 UNKNOWN_DEBUG_ACTION, listing the actions it knows', () => {
    const { tracker, reporter } = parts();
    assert.throws(() => runDebugAction('explode', reporter, tracker), (error: HttpError) => {
      assert.ok(error instanceof HttpError);
      assert.equal(error.status, 400);
      assert.equal(error.code, 'UNKNOWN_DEBUG_ACTION');
      assert.deepEqual(error.details, { available_actions: ['ping_status', 'job_status', 'force_healthy', 'force_busy', 'clear_forced_status'] });
      return true;
    });
  });
});
