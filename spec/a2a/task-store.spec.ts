import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonRpcError } from '../../lib/json-rpc/errors.js';
import { TaskRecord } from '../../lib/a2a/task.js';
import { TaskStore, type TaskRetention } from '../../lib/a2a/task-store.js';
import { Role, TaskState } from '../../lib/a2a/wire-v1.js';
import { manualClock } from '../support/clock.js';

const RETENTION: TaskRetention = { maxOpenTasks: 100, maxFinishedTasks: 3, finishedTaskTtlMs: 60_000 };

function storeWith(retention: Partial<TaskRetention> = {}): { store: TaskStore; clock: ReturnType<typeof manualClock>; add: (id: string, contextId?: string) => TaskRecord } {
  const clock = manualClock();
  const store = new TaskStore({ ...RETENTION, ...retention }, clock);
  const add = (id: string, contextId = 'c'): TaskRecord => {
    const record = new TaskRecord(id, contextId, { messageId: `m-${id}`, role: Role.User, parts: [{ text: id }] }, 10, clock);
    store.add(record);
    return record;
  };
  return { store, clock, add };
}

const ids = (list: { tasks: { id: string }[] }): string[] => list.tasks.map((task) => task.id);

describe('the task store', () => {
  it('finds the tasks it holds, and no other', () => {
    const { store, add } = storeWith();
    const record = add('a');
    assert.equal(store.get('a'), record);
    assert.equal(store.get('b'), undefined);
    store.delete('a');
    assert.equal(store.get('a'), undefined);
    assert.equal(store.size, 0);
  });

  it('keeps at most maxFinishedTasks finished tasks, dropping the one that finished first', () => {
    const { store, add } = storeWith();
    const records = ['a', 'b', 'c', 'd', 'e'].map((id) => add(id));
    for (const id of [1, 0, 2, 3]) records[id]!.transition(TaskState.Completed);
    // b finished first, then a, c, d: with room for 3, b went.
    assert.equal(store.get('b'), undefined);
    assert.deepEqual(['a', 'c', 'd', 'e'].map((id) => store.get(id)?.id), ['a', 'c', 'd', 'e']);
    assert.equal(store.size, 4);
    assert.equal(store.openCount, 1);
  });

  it('drops finished tasks once finishedTaskTtlMs has passed, and keeps unfinished ones', () => {
    const { store, clock, add } = storeWith();
    const done = add('done');
    add('waiting').transition(TaskState.InputRequired);
    done.transition(TaskState.Failed);
    clock.advance(59_999);
    assert.ok(store.get('done') !== undefined);
    clock.advance(1);
    assert.equal(store.get('done'), undefined);
    assert.ok(store.get('waiting') !== undefined);
    assert.equal(store.size, 1);
  });

  it('is full at maxOpenTasks unfinished tasks, and has room again when one finishes', () => {
    const { store, add } = storeWith({ maxOpenTasks: 2 });
    const first = add('a');
    add('b');
    assert.equal(store.full, true);
    first.transition(TaskState.Canceled);
    assert.equal(store.full, false);
  });

  it('holds at most maxOpenTasks + maxFinishedTasks tasks, whatever passes through it', () => {
    const { store, add } = storeWith({ maxOpenTasks: 5, maxFinishedTasks: 10 });
    for (let index = 0; index < 10_000; index++) {
      const keepOpen = index % 7 === 0 && !store.full;
      const record = add(`t${index}`);
      if (!keepOpen) record.transition(TaskState.Completed);
      assert.ok(store.size <= 15);
    }
    assert.equal(store.size - store.openCount, 10);
    assert.equal(store.openCount, 5);
  });

  describe('listing', () => {
    it('pages through the tasks, the latest status change first, with the total and the next token', () => {
      const { store, clock, add } = storeWith({ maxFinishedTasks: 10 });
      for (const id of ['a', 'b', 'c', 'd', 'e']) {
        add(id);
        clock.advance(1000);
      }
      store.get('b')!.transition(TaskState.Working);
      const first = store.list({ pageSize: 2 });
      assert.deepEqual(ids(first), ['b', 'e']);
      assert.equal(first.totalSize, 5);
      assert.equal(first.pageSize, 2);
      assert.notEqual(first.nextPageToken, '');
      const second = store.list({ pageSize: 2, pageToken: first.nextPageToken });
      assert.deepEqual(ids(second), ['d', 'c']);
      const last = store.list({ pageSize: 2, pageToken: second.nextPageToken });
      assert.deepEqual(ids(last), ['a']);
      assert.equal(last.nextPageToken, '');
      assert.equal(store.list({ pageSize: 5 }).nextPageToken, '');
    });

    it('does not move a task for an artifact, only for a status change', () => {
      const { store, add } = storeWith();
      const a = add('a');
      add('b');
      a.addArtifact({ artifactId: 'x', parts: [{ text: 'x' }] }, false, false);
      assert.deepEqual(ids(store.list({ pageSize: 10 })), ['b', 'a']);
    });

    it('filters by context, state and status time, and counts the matches', () => {
      const { store, clock, add } = storeWith();
      add('a', 'one');
      clock.advance(1000);
      add('b', 'two').transition(TaskState.Working);
      add('c', 'one').transition(TaskState.Working);
      assert.deepEqual(ids(store.list({ pageSize: 10, contextId: 'one' })), ['c', 'a']);
      assert.deepEqual(ids(store.list({ pageSize: 10, status: TaskState.Working })), ['c', 'b']);
      const recent = store.list({ pageSize: 1, statusTimestampAfter: Date.UTC(2030, 0, 1) + 1000 });
      assert.deepEqual(ids(recent), ['c']);
      assert.equal(recent.totalSize, 2);
    });

    it('leaves artifacts out unless asked, and then lists them even when there are none', () => {
      const { store, add } = storeWith();
      add('a').addArtifact({ artifactId: 'x', parts: [{ text: 'x' }] }, false, false);
      add('b');
      assert.equal(store.list({ pageSize: 10 }).tasks.some((task) => 'artifacts' in task), false);
      const withArtifacts = store.list({ pageSize: 10, includeArtifacts: true, historyLength: 0 });
      assert.deepEqual(
        withArtifacts.tasks.map((task) => [task.id, task.artifacts?.length, task.history]),
        [
          ['b', 0, undefined],
          ['a', 1, undefined],
        ],
      );
    });

    it('refuses a page token it did not issue', () => {
      const { store } = storeWith();
      for (const token of ['abc', '-1', '0', '1.5', '99999999999999999']) {
        assert.throws(() => store.list({ pageSize: 1, pageToken: token }), (error: unknown) => error instanceof JsonRpcError && error.code === -32602);
      }
    });

    it('no longer lists tasks that were dropped', () => {
      const { store, clock, add } = storeWith();
      add('a').transition(TaskState.Completed);
      clock.advance(60_000);
      assert.deepEqual(store.list({ pageSize: 10 }), { tasks: [], nextPageToken: '', pageSize: 10, totalSize: 0 });
    });
  });
});
