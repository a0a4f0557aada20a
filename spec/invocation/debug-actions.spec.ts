import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
