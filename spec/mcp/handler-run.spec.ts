import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstOf, linkAbort, needsInput, RunSignal, ToolCallChannel } from '../../lib/mcp/handler-run.js';
import { InputRound } from '../../lib/mcp/input-required.js';
import { randomSecret, RequestStateCodec } from '../../lib/mcp/request-state.js';
import { McpTask } from '../../lib/mcp/task.js';
import { TaskInputs } from '../../lib/mcp/task-inputs.js';

const codec = new RequestStateCodec({ secret: randomSecret(), ttlMs: 60_000, maxBytes: 65_536, now: Date.now });
const binding = (): { method: string; name: string; argumentsDigest: string } => ({ method: 'tools/call', name: 't', argumentsDigest: 'd' });

describe('RunSignal: a handler run\'s signal, made only when read', () => {
  it('follows its parent once made, then the parent it is handed to', () => {
    const request = new AbortController();
    const run = new RunSignal(request.signal);
    const signal = run.get();
    assert.equal(run.get(), signal, 'made once');
    const task = new AbortController();
    run.reparent(task.signal);
    request.abort(new Error('request gone'));
    assert.equal(signal.aborted, false, 'the request no longer matters');
    task.abort(new Error('cancelled'));
    assert.equal((signal.reason as Error).message, 'cancelled');
  });

  it('is aborted when stopped, before or after it is made, and when its parent already was', () => {
    const early = new RunSignal(new AbortController().signal);
    early.stop(new Error('input required'));
    assert.equal((early.get().reason as Error).message, 'input required');
    const late = new RunSignal(new AbortController().signal);
    const signal = late.get();
    late.stop(new Error('stop'));
    assert.equal(signal.aborted, true);
    const gone = new AbortController();
    gone.abort(new Error('gone'));
    assert.equal((new RunSignal(gone.signal).get().reason as Error).message, 'gone');
    const unmade = new RunSignal(new AbortController().signal);
    unmade.reparent(new AbortController().signal);
    assert.equal(unmade.get().aborted, false);
  });

  it('links and unlinks a controller to a signal', () => {
    const parent = new AbortController();
    const child = new AbortController();
    const unlink = linkAbort(parent.signal, child);
    unlink();
    parent.abort();
    assert.equal(child.signal.aborted, false);
  });
});

describe('firstOf and needsInput: how a run ends', () => {
  it('resolves with the value, the error, or nothing when the round needs input or (for a task) a turn passed', async () => {
    assert.deepEqual(await firstOf(new InputRound({}, codec, binding), Promise.resolve(1), false), { value: 1 });
    const failure = new Error('x');
    assert.deepEqual(await firstOf(new InputRound({}, codec, binding), Promise.reject(failure), false), { error: failure });
    const round = new InputRound({}, codec, binding);
    // A handler that catches the ask and goes on waiting: the round's need for input ends the run.
    const running = round.ask('roots/list', {}).catch(() => new Promise(() => undefined));
    assert.equal(await firstOf(round, running, false), undefined);
    assert.equal(await firstOf(new InputRound({}, codec, binding), new Promise(() => undefined), true), undefined);
    const run = new RunSignal(new AbortController().signal);
    const result = needsInput(round, run);
    assert.deepEqual([result.resultType, Object.keys(result.inputRequests!)], ['input_required', ['input_1']]);
    assert.equal(run.get().aborted, true);
  });

  it('throws the round\'s protocol error instead when an answer was malformed', async () => {
    const round = new InputRound({ inputResponses: { input_1: 'no' } }, codec, binding);
    await assert.rejects(round.ask('roots/list', {}), (error: { code: number }) => error.code === -32602);
    assert.throws(() => needsInput(round, new RunSignal(new AbortController().signal)), (error: { code: number }) => error.code === -32602);
  });
});

describe('ToolCallChannel', () => {
  it('asks through the round and notifies on the call, then asks the task and notifies nothing', async () => {
    const sent: string[] = [];
    const round = new InputRound({ inputResponses: { a: { roots: [] } } }, codec, binding);
    const channel = new ToolCallChannel(round.channel((method) => sent.push(method) > 0));
    assert.deepEqual(await channel.request('roots/list', {}, { key: 'a' }), { roots: [] });
    assert.equal(channel.notify('notifications/progress', {}), true);
    const task = new McpTask({ taskId: 't', owner: '', ttlMs: 1000, pollIntervalMs: 100, now: Date.now, onChange: () => undefined, era: 'modern' });
    channel.inputs = new TaskInputs(task, 1000, 5);
    const asked = channel.request('roots/list', {}, { key: 'b' });
    assert.deepEqual(Object.keys(task.toDetailed().inputRequests!), ['b']);
    channel.inputs.update({ b: { roots: [] } });
    await asked;
    assert.equal(channel.notify('notifications/progress', {}), false);
    assert.equal(channel.closeStream(), false);
    assert.deepEqual(sent, ['notifications/progress']);
  });
});
