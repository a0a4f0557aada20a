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

  it('answers an unknown or missing action with the seed agent’s info object, word for word', async () => {
    const info = {
      message: 'Simple BedrockAgentCore Agent',
      available_actions: ['process', 'cleanup', 'status'],
      usage: "Send {'action': 'process', 'data_id': 'my_data'}",
    };
    assert.deepEqual(await call(url, { hello: 'world' }), info);
    assert.deepEqual(await call(url, { action: 'info' }), info);
    assert.deepEqual(await call(url, {}), info);
  });

  it('tracks process and cleanup as tasks, busy until they finish', async () => {
    assert.equal(await pingStatus(url), 'Healthy');
    const started = await call(url, { action: 'process', data_id: 'd-42', seconds: 0.3 });
    assert.deepEqual(started, { message: 'Started processing d-42', task_id: started.task_id, status: 'processing' });
    assert.equal(typeof started.task_id, 'number');
    const cleaning = await call(url, { action: 'cleanup', seconds: 0.1 });
    assert.deepEqual(cleaning, { message: 'Started cleanup', task_id: (started.task_id as number) + 1 });
    assert.equal(await pingStatus(url), 'HealthyBusy');
    const status = await call(url, { action: 'status' });
    assert.equal(status.ping_status, 'HealthyBusy');
    assert.equal(status.active_tasks, 2);
    const jobs = status.running_jobs as Array<{ name: string; metadata?: unknown }>;
    assert.deepEqual(jobs.map((job) => job.name), ['data_processing', 'cleanup']);
    assert.deepEqual(jobs[0]!.metadata, { data_id: 'd-42' });
    assert.deepEqual(jobs[1]!.metadata, {});
    await sleep(450);
    assert.equal(await pingStatus(url), 'Healthy');
    assert.deepEqual(await call(url, { action: 'status' }), { ping_status: 'Healthy', active_tasks: 0, running_jobs: [] });
  });

  it('uses default_data when no data_id is given', async () => {
    const started = await call(url, { action: 'process', seconds: 0.05 });
    assert.equal(started.message, 'Started processing default_data');
    assert.deepEqual(app.getAsyncTaskInfo().runningJobs.map((job) => job.metadata), [{ data_id: 'default_data' }]);
    await sleep(100);
    assert.equal(app.getAsyncTaskInfo().activeCount, 0);
  });
});

describe('the async-processing example when its work fails', () => {
  it('still completes the task, and logs the failure instead of leaving an unhandled rejection', async (t) => {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    t.after(() => app.close({ graceMs: 0 }));
    const url = `http://127.0.0.1:${address.port}`;
    const errors: unknown[] = [];
    const { info, error } = app.logger;
    t.after(() => Object.assign(app.logger, { info, error }));
    // The simulated work throws where a real one might: after its wait, before it reports.
    app.logger.info = (message: string, fields?: Record<string, unknown>) => {
      if (message.startsWith('Completed processing')) throw new Error('disk full');
      info.call(app.logger, message, fields);
    };
    app.logger.error = (message: string, fields?: Record<string, unknown>) => errors.push({ message, error: (fields?.error as Error)?.message });
    await call(url, { action: 'process', data_id: 'doomed', seconds: 0.05 });
    assert.equal(await pingStatus(url), 'HealthyBusy');
    await sleep(200);
    assert.equal(await pingStatus(url), 'Healthy');
    assert.deepEqual(errors, [{ message: 'processing failed', error: 'disk full' }]);
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
