import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { TaskStore } from '../../lib/mcp/task-store.js';
import { TaskTracker } from '../../lib/tasks/tracker.js';

function makeStore(options: Partial<{ defaultTtlMs: number; maxTtlMs: number; maxTasks: number }> = {}) {
  const tracker = new TaskTracker();
  const changes: string[] = [];
  const store = new TaskStore({
    options: { defaultTtlMs: 60_000, maxTtlMs: 120_000, maxTasks: 3, pollIntervalMs: 100, ...options },
    tracker,
    now: Date.now,
    onChange: (task) => changes.push(`${task.taskId.slice(0, 4)}:${task.status}`),
  });
  return { store, tracker, changes };
}

describe('TaskStore', () => {
  it('tracks a task in the core until it is terminal, once each way', () => {
    const { store, tracker } = makeStore();
    let trackerChanges = 0;
    tracker.onChange(() => trackerChanges++);
    const task = store.create('me', undefined, { tool: 'slow' });
    assert.deepEqual(tracker.info().runningJobs.map((job) => [job.name, job.metadata]), [['mcp_task', { tool: 'slow', taskId: task.taskId }]]);
    task.complete({ content: [] });
    task.cancel('again');
    assert.equal(tracker.size, 0);
    assert.equal(trackerChanges, 2);
  });

  it('mints unguessable ids and grants the ttl asked for, capped, or the default', () => {
    const { store } = makeStore();
    const ids = new Set([store.create('a', 1000, {}), store.create('a', 10_000_000, {}), store.create('a', null, {})].map((task) => task.taskId));
    assert.equal(ids.size, 3);
    assert.deepEqual(store.list('a').map((task) => task.ttlMs), [1000, 120_000, 60_000]);
    for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('lists the tasks of one owner, oldest first', () => {
    const { store } = makeStore();
    const first = store.create('me', undefined, {});
    store.create('you', undefined, {});
    const second = store.create('me', undefined, {});
    assert.deepEqual(store.list('me'), [first, second]);
  });

  it('makes room by dropping the oldest finished task, and refuses a new one when all are working', () => {
    const { store } = makeStore({ maxTasks: 2 });
    const first = store.create('me', undefined, {});
    const second = store.create('me', undefined, {});
    assert.throws(() => store.create('me', undefined, {}), { code: -32603, message: /Too many tasks/ });
    first.complete({ content: [] });
    const third = store.create('me', undefined, {});
    assert.deepEqual([store.get(first.taskId), store.get(second.taskId), store.get(third.taskId)], [undefined, second, third]);
  });

  it('drops a task when its ttl passes, cancelling it if it still works', async () => {
    const { store, tracker } = makeStore();
    const task = store.create('me', 30, {});
    await sleep(80);
    assert.equal(store.get(task.taskId), undefined);
    assert.equal(task.status, 'cancelled');
    assert.equal(tracker.size, 0);
  });

  it('cancels everything on clear (shutdown)', () => {
    const { store, tracker } = makeStore();
    const task = store.create('me', undefined, {});
    store.clear('shutting down');
    assert.deepEqual([task.status, store.size, tracker.size], ['cancelled', 0, 0]);
  });

  it('makes a task of either era, with an id made beforehand when given one', () => {
    const { store } = makeStore();
    const modern = store.create('', undefined, { tool: 't' }, { era: 'modern', taskId: 'made-before' });
    assert.deepEqual([modern.taskId, modern.era, store.get('made-before')], ['made-before', 'modern', modern]);
    assert.equal(store.create('', undefined, { tool: 't' }).era, 'legacy');
  });
});
