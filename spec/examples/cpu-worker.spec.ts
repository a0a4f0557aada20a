import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { app, results } from '../../examples/cpu-worker.js';

describe('the cpu-worker example agent', { timeout: 30_000 }, () => {
  let url: string;
  before(async () => {
    url = `http://127.0.0.1:${(await app.listen({ port: 0, host: '127.0.0.1' })).port}`;
  });
  after(() => app.close({ graceMs: 0 }));

  it('keeps /ping answering promptly while a 2 s CPU job runs, then reports its result', async () => {
    const started = await fetch(`${url}/invocations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seconds: 2 }),
    });
    const { task_id: taskId } = (await started.json()) as { task_id: number };
    let slowest = 0;
    let polls = 0;
    while (app.getAsyncTaskInfo().activeCount > 0) {
      const sent = performance.now();
      const body = (await (await fetch(`${url}/ping`)).json()) as { status: string };
      slowest = Math.max(slowest, performance.now() - sent);
      if (app.getAsyncTaskInfo().activeCount > 0) assert.equal(body.status, 'HealthyBusy');
      polls++;
      await sleep(100);
    }
    assert.ok(polls >= 10, `polled ${polls} times during the job`);
    assert.ok(slowest < 500, `slowest /ping took ${slowest.toFixed(0)} ms`);
    assert.ok((results.get(taskId) ?? 0) > 100, 'the worker counted primes');
  });
});
