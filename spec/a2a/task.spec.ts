import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TaskStateError } from '../../lib/a2a/errors.js';
import { isActive, isSettled, TaskRecord, type TaskEvent } from '../../lib/a2a/task.js';
import { Role, TaskState, type Message } from '../../lib/a2a/wire-v1.js';
import { manualClock } from '../support/clock.js';

function userMessage(text: string): Message {
  return { messageId: `m-${text}`, role: Role.User, parts: [{ text }], taskId: 't1', contextId: 'c1' };
}

function agentMessage(text: string): Message {
  return { messageId: `a-${text}`, role: Role.Agent, parts: [{ text }], taskId: 't1', contextId: 'c1' };
}

function newTask(maxHistory = 100): { record: TaskRecord; events: TaskEvent[]; clock: ReturnType<typeof manualClock> } {
  const clock = manualClock();
  const record = new TaskRecord('t1', 'c1', userMessage('hello'), maxHistory, clock);
  const events: TaskEvent[] = [];
  record.listen((_record, event) => events.push(event));
  return { record, events, clock };
}

describe('a task', () => {
  it('starts submitted, stamped, with the client’s message as its history', () => {
    const { record } = newTask();
    const task = record.snapshot();
    assert.equal(task.status.state, TaskState.Submitted);
    assert.equal(task.status.timestamp, '2030-01-01T00:00:00.000Z');
    assert.deepEqual(task.history?.map((message) => message.messageId), ['m-hello']);
    assert.equal(task.artifacts, undefined);
    assert.deepEqual(Object.keys(task), ['id', 'contextId', 'status', 'history']);
  });

  it('moves through working and input-required to completed, telling its listeners each time', () => {
    const { record, events, clock } = newTask();
    record.transition(TaskState.Working);
    clock.advance(1500);
    record.transition(TaskState.InputRequired, agentMessage('which one?'));
    record.addMessage(userMessage('that one'));
    record.transition(TaskState.Working);
    record.transition(TaskState.Completed, agentMessage('done'));
    assert.deepEqual(
      events.map((event) => ('statusUpdate' in event ? event.statusUpdate.status.state : 'artifact')),
      [TaskState.Working, TaskState.InputRequired, TaskState.Working, TaskState.Completed],
    );
    const second = events[1] as { statusUpdate: { taskId: string; contextId: string; status: { timestamp: string } } };
    assert.equal(second.statusUpdate.taskId, 't1');
    assert.equal(second.statusUpdate.contextId, 'c1');
    assert.equal(second.statusUpdate.status.timestamp, '2030-01-01T00:00:01.500Z');
    assert.equal(record.updatedAt, Date.UTC(2030, 0, 1) + 1500);
    assert.deepEqual(record.snapshot().history?.map((message) => message.messageId), ['m-hello', 'a-which one?', 'm-that one', 'a-done']);
  });

  it('takes no update once it is finished, and never goes back to submitted', () => {
    for (const terminal of [TaskState.Completed, TaskState.Failed, TaskState.Canceled, TaskState.Rejected]) {
      const { record, events } = newTask();
      record.transition(terminal);
      assert.throws(() => record.transition(TaskState.Working), (error: unknown) => error instanceof TaskStateError && error.state === terminal && error.taskId === 't1');
      assert.throws(() => record.addArtifact({ artifactId: 'a', parts: [{ text: 'x' }] }, false, false), TaskStateError);
      assert.equal(events.length, 1);
      assert.equal(record.state, terminal);
    }
    const { record } = newTask();
    assert.throws(() => record.transition(TaskState.Submitted), /cannot go back/);
  });

  it('appends an artifact’s chunks and replaces one sent again without append', () => {
    const { record, events } = newTask();
    record.addArtifact({ artifactId: 'a', name: 'result', parts: [{ text: 'one ' }] }, false, false);
    record.addArtifact({ artifactId: 'a', parts: [{ text: 'two' }] }, true, true, { chunk: 2 });
    record.addArtifact({ artifactId: 'b', parts: [{ data: { n: 1 } }] }, true, false);
    assert.deepEqual(record.snapshot().artifacts, [
      { artifactId: 'a', name: 'result', parts: [{ text: 'one ' }, { text: 'two' }] },
      { artifactId: 'b', parts: [{ data: { n: 1 } }] },
    ]);
    assert.deepEqual(events[1], { artifactUpdate: { taskId: 't1', contextId: 'c1', artifact: { artifactId: 'a', parts: [{ text: 'two' }] }, append: true, lastChunk: true, metadata: { chunk: 2 } } });
    assert.deepEqual(Object.keys((events[0] as { artifactUpdate: object }).artifactUpdate), ['taskId', 'contextId', 'artifact']);
    record.addArtifact({ artifactId: 'a', parts: [{ text: 'new' }] }, false, false);
    assert.deepEqual(record.snapshot().artifacts?.[0], { artifactId: 'a', parts: [{ text: 'new' }] });
  });

  it('never changes what a snapshot already holds', () => {
    const { record } = newTask();
    record.addArtifact({ artifactId: 'a', parts: [{ text: 'one' }] }, false, false);
    const before = record.snapshot();
    record.addArtifact({ artifactId: 'a', parts: [{ text: 'two' }] }, true, false);
    record.transition(TaskState.Working, agentMessage('more'));
    assert.deepEqual(before.artifacts?.[0]?.parts, [{ text: 'one' }]);
    assert.equal(before.history?.length, 1);
    assert.equal(before.status.state, TaskState.Submitted);
  });

  it('shows the latest historyLength messages, none (and no field) for 0, all when unset', () => {
    const { record } = newTask();
    record.transition(TaskState.Working, agentMessage('1'));
    record.transition(TaskState.Working, agentMessage('2'));
    assert.deepEqual(record.snapshot(2).history?.map((message) => message.messageId), ['a-1', 'a-2']);
    assert.equal(record.snapshot(0).history, undefined);
    assert.equal(record.snapshot(99).history?.length, 3);
    assert.equal(record.snapshot().history?.length, 3);
  });

  it('keeps at most maxHistory messages, the oldest dropped; 0 keeps none', () => {
    const { record } = newTask(2);
    record.transition(TaskState.Working, agentMessage('1'));
    record.transition(TaskState.Working, agentMessage('2'));
    assert.deepEqual(record.snapshot().history?.map((message) => message.messageId), ['a-1', 'a-2']);
    const empty = newTask(0).record;
    empty.transition(TaskState.Working, agentMessage('1'));
    assert.equal(empty.snapshot().history, undefined);
  });

  it('includes artifacts on demand, as an empty list when asked to always', () => {
    const { record } = newTask();
    assert.equal(record.snapshot(undefined, true, false).artifacts, undefined);
    assert.deepEqual(record.snapshot(undefined, true, true).artifacts, []);
    record.addArtifact({ artifactId: 'a', parts: [{ text: 'x' }] }, false, false);
    assert.equal(record.snapshot(undefined, false).artifacts, undefined);
  });

  it('stops telling a listener once it is removed, even from inside its own call', () => {
    const { record } = newTask();
    const seen: string[] = [];
    const remove = record.listen(() => {
      seen.push('once');
      remove();
    });
    record.listen(() => seen.push('always'));
    record.transition(TaskState.Working);
    record.transition(TaskState.Working);
    assert.deepEqual(seen, ['once', 'always', 'always']);
    remove();
  });

  it('names the states that are tracked and the ones that end a stream', () => {
    assert.deepEqual(Object.values(TaskState).filter(isActive), [TaskState.Submitted, TaskState.Working]);
    assert.deepEqual(
      Object.values(TaskState).filter(isSettled).sort(),
      [TaskState.Completed, TaskState.Failed, TaskState.Canceled, TaskState.InputRequired, TaskState.Rejected, TaskState.AuthRequired].sort(),
    );
  });
});
