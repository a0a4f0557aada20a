import assert from 'node:assert/strict';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { app } from '../../examples/async-processing.js';
import { spawnAgent } from '../support/agent-process.js';

const EXAMPLE_PATH = fileURLToPath(new URL('../../examples/async-processing.js', import.meta.url));

async function call(url: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}/invocations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 200);
  return (await response.json()) as Record<string, unknown>;
}

async function pingStatus(url: string): Promise<string> {
  return ((await (await fetch(`${url}/ping`)).json()) as { status: string }).status;
}

describe('the async-processing example agent', () => {
  let url: string;
  before(async () => {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${address.port}`;
  });
  after(() => app.close({ graceMs: 0 }));

  it('answers an unknown action with the info object', async () => {
    const body = await call(url, { hello: 'world' });
    assert.equal(body.message, 'Simple agent is ready');
    assert.deepEqual(body.available_actions, ['process', 'cleanup', 'status']);
    assert.equal(typeof body.usage, 'string');
  });

  it('tracks process and cleanup as tasks, busy until they finish', async () => {
    assert.equal(await pingStatus(url), 'Healthy');
    const started = await call(url, { action: 'process', data_id: 'd-42', seconds: 0.3 });
    assert.equal(started.message, 'Started processing data: d-42');
    assert.equal(started.status, 'processing');
    assert.equal(typeof started.task_id, 'number');
    const cleaning = await call(url, { action: 'cleanup', seconds: 0.1 });
    assert.equal(cleaning.status, 'cleaning');
    assert.equal(await pingStatus(url), 'HealthyBusy');
    const status = await call(url, { action: 'status' });
    assert.equal(status.ping_status, 'HealthyBusy');
    assert.equal(status.active_tasks, 2);
    const jobs = status.running_jobs as Array<{ name: string; metadata?: unknown }>;
    assert.deepEqual(jobs.map((job) => job.name), ['data_processing', 'cleanup']);
    assert.deepEqual(jobs[0]!.metadata, { data_id: 'd-42' });
    await sleep(450);
    assert.equal(await pingStatus(url), 'Healthy');
    assert.deepEqual(await call(url, { action: 'status' }), { ping_status: 'Healthy', active_tasks: 0, running_jobs: [] });
  });

  it('uses default_data when no data_id is given', async () => {
    const started = await call(url, { action: 'process', seconds: 0.05 });
    assert.equal(started.message, 'Started processing data: default_data');
    assert.deepEqual(app.getAsyncTaskInfo().runningJobs.map((job) => job.metadata), [{ data_id: 'default_data' }]);
    await sleep(100);
    assert.equal(app.getAsyncTaskInfo().activeCount, 0);
  });
});

describe('the example as a process (node dist/examples/async-processing.js)', () => {
  it('serves on PORT and exits 0 on SIGTERM', async () => {
    const { child, port } = await spawnAgent(EXAMPLE_PATH);
    assert.equal(await pingStatus(`http://127.0.0.1:${port}`), 'Healthy');
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0);
  });
});
