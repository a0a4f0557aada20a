import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonRpcError } from '../../lib/json-rpc/errors.js';
import { McpTask } from '../../lib/mcp/task.js';
import { TaskInputs } from '../../lib/mcp/task-inputs.js';

function makeInputs(timeoutMs = 60_000, max = 10): { task: McpTask; inputs: TaskInputs; statuses: string[] } {
  const statuses: string[] = [];
  const task = new McpTask({ taskId: 't', owner: '', ttlMs: 60_000, pollIntervalMs: 500, now: Date.now, onChange: (changed) => statuses.push(changed.status), era: 'modern' });
  return { task, inputs: new TaskInputs(task, timeoutMs, max), statuses };
}

const accept = { action: 'accept', content: { confirm: true } };

describe('TaskInputs: what a task of the extension asks its client', () => {
  it('puts the task in input_required with every outstanding request, and back to working once all are answered', async () => {
    const { task, inputs, statuses } = makeInputs();
    const first = inputs.ask('elicitation/create', { message: 'One?' }, { key: 'first' });
    const second = inputs.ask('elicitation/create', { message: 'Two?' }, { key: 'second' });
    assert.equal(task.status, 'input_required');
    assert.deepEqual(Object.keys(task.toDetailed().inputRequests!), ['first', 'second']);
    inputs.update({ first: accept, unknown: { ignored: true } });
    assert.deepEqual(await first, accept);
    assert.deepEqual(Object.keys(task.toDetailed().inputRequests!), ['second'], 'applied before the acknowledgement');
    inputs.update({ second: { action: 'decline' } });
    assert.deepEqual(await second, { action: 'decline' });
    assert.equal(task.status, 'working');
    assert.deepEqual(statuses, ['input_required', 'working']);
  });

  it('never reuses a key over the task\'s life', async () => {
    const { inputs } = makeInputs();
    const keys: string[] = [];
    for (const key of ['confirm', 'confirm', undefined, undefined]) {
      const asked = inputs.ask('roots/list', undefined, { key });
      keys.push(...Object.keys(inputs.requests()));
      inputs.update(Object.fromEntries(Object.keys(inputs.requests()).map((name) => [name, { roots: [] }])));
      await asked;
    }
    assert.deepEqual(keys, ['confirm', 'confirm_2', 'input_1', 'input_2']);
  });

  it('refuses inputResponses that is no object, or a malformed answer to an outstanding request (applying none)', () => {
    const { inputs } = makeInputs();
    void inputs.ask('elicitation/create', {}, { key: 'a' });
    void inputs.ask('elicitation/create', {}, { key: 'b' });
    assert.throws(() => inputs.update(null), (error: JsonRpcError) => error.code === -32602);
    assert.throws(() => inputs.update({ a: accept, b: { action: 'maybe' } }), (error: JsonRpcError) => error.code === -32602 && /inputResponses\.b/.test(error.message));
    assert.deepEqual(Object.keys(inputs.requests()), ['a', 'b']);
  });

  it('gives up when the signal aborts or the timeout passes, and past the limit of outstanding requests', async () => {
    const { inputs } = makeInputs(20, 1);
    const controller = new AbortController();
    const aborted = inputs.ask('elicitation/create', {}, { signal: controller.signal });
    controller.abort(new Error('cancelled'));
    await assert.rejects(aborted, /cancelled/);
    await assert.rejects(inputs.ask('elicitation/create', {}, { signal: controller.signal }), /cancelled/);
    // The timeout's timer does not hold the process open: this one does, meanwhile.
    const hold = setTimeout(() => undefined, 1000);
    await assert.rejects(inputs.ask('elicitation/create', {}), (error: JsonRpcError) => error.code === -32001);
    clearTimeout(hold);
    void inputs.ask('elicitation/create', {}, { timeoutMs: 60_000 }).catch(() => undefined);
    await assert.rejects(inputs.ask('elicitation/create', {}), (error: JsonRpcError) => error.code === -32603);
  });

  it('makes a channel: asks become input requests, notifications go nowhere', async () => {
    const { inputs } = makeInputs();
    const channel = inputs.channel();
    const asked = channel.request('roots/list', {}, { key: 'r' });
    inputs.update({ r: { roots: [] } });
    assert.deepEqual(await asked, { roots: [] });
    assert.equal(channel.notify('notifications/progress', {}), false);
    assert.equal(channel.closeStream(), false);
  });
});
