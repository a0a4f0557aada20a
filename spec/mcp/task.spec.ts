import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonRpcError } from '../../lib/json-rpc/errors.js';
import { McpTask } from '../../lib/mcp/task.js';

function makeTask(now = (): number => Date.UTC(2026, 0, 1)): { task: McpTask; changes: string[] } {
  const changes: string[] = [];
  const task = new McpTask({ taskId: 't-1', owner: 'me', ttlMs: 60_000, pollIntervalMs: 500, now, onChange: (changed) => changes.push(changed.status) });
  return { task, changes };
}

describe('McpTask: a task state machine', () => {
  it('begins working, with its times in ISO 8601 and its ttl', () => {
    const { task } = makeTask();
    assert.deepEqual(task.toWire(), {
      taskId: 't-1',
      status: 'working',
      createdAt: '2026-01-01T00:00:00.000Z',
      lastUpdatedAt: '2026-01-01T00:00:00.000Z',
      ttl: 60_000,
      pollInterval: 500,
    });
    assert.equal(task.terminal, false);
  });

  it('goes to input_required and back, then completes; a terminal status never changes', async () => {
    let time = 0;
    const { task, changes } = makeTask(() => (time += 1000));
    assert.equal(task.setWaiting(true, 'asking the user'), true);
    assert.equal(task.toWire().statusMessage, 'asking the user');
    assert.equal(task.setWaiting(false), true);
    const settled = task.settled;
    assert.equal(task.complete({ content: [{ type: 'text', text: 'ok' }] }), true);
    await settled;
    assert.deepEqual(changes, ['input_required', 'working', 'completed']);
    assert.deepEqual(task.outcome, { result: { content: [{ type: 'text', text: 'ok' }] } });
    assert.equal(task.cancel('late'), false);
    assert.equal(task.fail(JsonRpcError.internalError()), false);
    assert.equal(task.setWaiting(true), false);
    assert.equal(task.toWire().lastUpdatedAt, '1970-01-01T00:00:04.000Z');
    await task.settled;
  });

  it('fails for a tool error (with its text) and for a protocol error', () => {
    const failed = makeTask().task;
    failed.complete({ content: [{ type: 'text', text: 'broke' }], isError: true });
    assert.deepEqual([failed.status, failed.toWire().statusMessage], ['failed', 'broke']);
    const silent = makeTask().task;
    silent.complete({ content: [], isError: true });
    assert.equal(silent.toWire().statusMessage, 'The tool returned an error');
    const protocol = makeTask().task;
    protocol.fail(new JsonRpcError(-32602, 'bad'));
    assert.deepEqual([protocol.status, (protocol.outcome as { error: JsonRpcError }).error.code], ['failed', -32602]);
  });

  it('aborts its work when cancelled', () => {
    const { task } = makeTask();
    assert.equal(task.cancel('by the client'), true);
    assert.equal(task.signal.aborted, true);
    assert.match(String(task.signal.reason), /by the client/);
    assert.equal(task.status, 'cancelled');
  });

  it('hands out the newest side channel attached, waiting for one when none is', async () => {
    const { task } = makeTask();
    const first = { notify: () => false, request: async () => 1, closeStream: () => false };
    const second = { ...first, request: async () => 2 };
    const waiting = task.whenChannel(undefined, 1000);
    const detachFirst = task.attachChannel(first);
    assert.equal(await waiting, first);
    const detachSecond = task.attachChannel(second);
    assert.equal(task.channel, second);
    detachSecond();
    detachSecond();
    assert.equal(task.channel, first);
    detachFirst();
    assert.equal(task.channel, undefined);
    const controller = new AbortController();
    const aborted = task.whenChannel(controller.signal, 10_000);
    controller.abort(new Error('stopped'));
    await assert.rejects(aborted, /stopped/);
    await assert.rejects(task.whenChannel(controller.signal, 10_000), /stopped/);
    const alive = setInterval(() => undefined, 1000);
    await assert.rejects(task.whenChannel(undefined, 20), { code: -32001 });
    clearInterval(alive);
  });
});

describe('McpTask of the tasks extension (2026-07-28)', () => {
  function modernTask(): McpTask {
    return new McpTask({ taskId: 't-2', owner: '', ttlMs: 60_000, pollIntervalMs: 500, now: () => Date.UTC(2026, 6, 28), onChange: () => undefined, era: 'modern' });
  }

  it('shows itself flat, with ttlMs and pollIntervalMs', () => {
    assert.deepEqual(modernTask().toExtensionWire(), {
      taskId: 't-2',
      status: 'working',
      createdAt: '2026-07-28T00:00:00.000Z',
      lastUpdatedAt: '2026-07-28T00:00:00.000Z',
      ttlMs: 60_000,
      pollIntervalMs: 500,
    });
  });

  it('completes with a tool error (failed is for protocol errors), whose result tasks/get shows', () => {
    const task = modernTask();
    task.complete({ content: [{ type: 'text', text: 'bad input' }], isError: true });
    assert.equal(task.status, 'completed');
    assert.deepEqual(task.toDetailed().result, { content: [{ type: 'text', text: 'bad input' }], isError: true });
  });

  it('shows the error of a failed task, with its data, and nothing more for a cancelled one', () => {
    const failed = modernTask();
    failed.fail(new JsonRpcError(-32603, 'broke', { step: 2 }));
    assert.deepEqual(failed.toDetailed().error, { code: -32603, message: 'broke', data: { step: 2 } });
    assert.equal(failed.toDetailed().result, undefined);
    const plain = modernTask();
    plain.fail(new JsonRpcError(-32000, 'no data'));
    assert.deepEqual(plain.toDetailed().error, { code: -32000, message: 'no data' });
    const cancelled = modernTask();
    cancelled.cancel('stop');
    assert.deepEqual(Object.keys(cancelled.toDetailed()).sort(), ['createdAt', 'lastUpdatedAt', 'pollIntervalMs', 'status', 'statusMessage', 'taskId', 'ttlMs']);
  });
});
