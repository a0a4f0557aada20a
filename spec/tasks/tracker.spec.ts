import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TaskTracker, toWireTaskInfo } from '../../lib/tasks/tracker.js';
import { manualClock } from '../support/clock.js';

describe('task ids', () => {
  it('are positive integers that only ever grow, never reused after a task completes', () => {
    const tracker = new TaskTracker();
    const seen: number[] = [];
    for (let round = 0; round < 100; round++) {
      const id = tracker.add(`task ${round}`);
      seen.push(id);
      // Complete every other task at once, so the tracker is often empty again.
      if (round % 2 === 0) assert.equal(tracker.complete(id), true);
    }
    assert.ok(seen.every((id) => Number.isSafeInteger(id) && id > 0));
    assert.ok(seen.every((id, index) => index === 0 || id > seen[index - 1]!), 'strictly increasing');
    assert.equal(new Set(seen).size, seen.length);
  });

  it('are not used up by a rejected add', () => {
    const tracker = new TaskTracker();
    const first = tracker.add('a');
    assert.throws(() => tracker.add(7 as never), { name: 'TypeError', message: 'Task name must be a string' });
    assert.equal(tracker.add('b'), first + 1);
  });
});

describe('tracking a task', () => {
  it('keeps its name, metadata and start time until it completes', () => {
    const clock = manualClock();
    const tracker = new TaskTracker(clock.now);
    const id = tracker.add('index', { documents: 3 });
    assert.deepEqual(tracker.get(id), { id, name: 'index', startedAt: clock.now(), metadata: { documents: 3 } });
    assert.equal(tracker.complete(id), true);
    assert.equal(tracker.get(id), undefined);
  });

  it('completes a task once: a second completion or an unknown id answers false', () => {
    const tracker = new TaskTracker();
    const id = tracker.add('a');
    assert.equal(tracker.complete(id), true);
    assert.equal(tracker.complete(id), false);
    assert.equal(tracker.complete(id + 1), false);
    assert.equal(tracker.complete(-1), false);
  });

  it('counts the active tasks in size without reading the clock', () => {
    let clockReads = 0;
    const tracker = new TaskTracker(() => ++clockReads);
    const ids = Array.from({ length: 1000 }, (_, index) => tracker.add(`t${index}`));
    for (const id of ids.slice(0, 400)) tracker.complete(id);
    tracker.complete(ids[0]!);
    const readsBefore = clockReads;
    assert.equal(tracker.size, 600);
    assert.equal(tracker.size, 600);
    assert.equal(clockReads, readsBefore, 'size is a count kept as tasks change, not a walk over them');
  });
});

describe('onChange', () => {
  it('notifies every listener, in subscription order, after each add and each completion, seeing the new size', () => {
    const tracker = new TaskTracker();
    const calls: string[] = [];
    tracker.onChange(() => calls.push(`first:${tracker.size}`));
    tracker.onChange(() => calls.push(`second:${tracker.size}`));
    const id = tracker.add('a');
    tracker.complete(id);
    assert.deepEqual(calls, ['first:1', 'second:1', 'first:0', 'second:0']);
  });

  it('stays quiet when nothing changed: a completion that answers false, or a rejected add', () => {
    const tracker = new TaskTracker();
    const id = tracker.add('a');
    tracker.complete(id);
    let calls = 0;
    tracker.onChange(() => calls++);
    tracker.complete(id);
    tracker.complete(999);
    assert.throws(() => tracker.add(undefined as never), TypeError);
    assert.equal(calls, 0);
  });
});

describe('info()', () => {
  it('lists the active tasks oldest first with their age in seconds to two decimals, from the injected clock', () => {
    const clock = manualClock();
    const tracker = new TaskTracker(clock.now);
    const oldest = tracker.add('oldest', { data_id: 'd1' });
    clock.advance(1_000);
    const done = tracker.add('done');
    clock.advance(456);
    const newest = tracker.add('newest');
    tracker.complete(done);
    clock.advance(1_000);
    assert.deepEqual(tracker.info(), {
      activeCount: 2,
      runningJobs: [
        { id: oldest, name: 'oldest', duration: 2.46, metadata: { data_id: 'd1' } },
        { id: newest, name: 'newest', duration: 1 },
      ],
    });
  });

  it('gives a job without metadata no metadata key at all', () => {
    const tracker = new TaskTracker();
    tracker.add('plain');
    assert.equal('metadata' in tracker.info().runningJobs[0]!, false);
  });

  it('is empty with no tasks', () => {
    assert.deepEqual(new TaskTracker().info(), { activeCount: 0, runningJobs: [] });
  });
});

describe('toWireTaskInfo', () => {
  it('renames the counts to the snake_case job status of the Python SDK and keeps the jobs', () => {
    const runningJobs = [{ id: 1, name: 'a', duration: 0.5 }];
    assert.deepEqual(toWireTaskInfo({ activeCount: 1, runningJobs }), { active_count: 1, running_jobs: runningJobs });
  });
});
