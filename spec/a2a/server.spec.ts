import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SHUTDOWN_TEXT } from '../../lib/a2a/dispatch.js';
import { A2AServer, type TaskContext } from '../../lib/a2a/index.js';
import { AgentCoreServer, type LogRecord } from '../../lib/index.js';
import { deferred, pingStatus, rpc, rpcStream, useA2A, userMessage } from '../support/a2a.js';

describe('the A2A server', () => {
  it('is a server on the core: /ping, the JSON-RPC endpoint, the card, and nothing else', async (t) => {
    const { url, server } = await useA2A(t, {}, () => undefined);
    assert.ok(server instanceof AgentCoreServer);
    assert.equal((await fetch(`${url}/ping`)).status, 200);
    assert.equal((await fetch(`${url}/.well-known/agent-card.json`)).status, 200);
    assert.equal((await fetch(`${url}/invocations`, { method: 'POST', body: '{}' })).status, 404);
    assert.equal((await fetch(`${url}/ws`)).status, 404);
  });

  it('listens on 9000, A2A’s port in the contract, when neither PORT nor listen() names one', async (t) => {
    const previous = process.env.PORT;
    t.after(() => {
      if (previous === undefined) delete process.env.PORT;
      else process.env.PORT = previous;
    });
    delete process.env.PORT;
    const server = new A2AServer({ logLevel: 'silent' });
    t.after(() => server.close({ graceMs: 0 }));
    // 9000 may be taken on a shared machine: either it binds there, or the error names it.
    try {
      assert.equal((await server.listen({ host: '127.0.0.1' })).port, 9000);
    } catch (error) {
      assert.match(String(error), /9000/);
    }
  });

  it('counts a submitted or working task as a tracked task (HealthyBusy), not one waiting for input', async (t) => {
    const gates = [deferred(), deferred()];
    const { url, server } = await useA2A(t, {}, async (context) => {
      context.working();
      await gates[context.continued ? 1 : 0]!.promise;
      if (!context.continued) context.requireInput('more?');
    });
    assert.equal(await pingStatus(url), 'Healthy');
    const task = (await rpc(url, 'SendMessage', { message: userMessage('go'), configuration: { returnImmediately: true } })).body.result.task;
    assert.equal(await pingStatus(url), 'HealthyBusy');
    const info = server.getAsyncTaskInfo();
    assert.equal(info.activeCount, 1);
    assert.equal(info.runningJobs[0]!.name, 'a2a_task');
    assert.deepEqual(info.runningJobs[0]!.metadata, { task_id: task.id, context_id: task.contextId });
    gates[0]!.resolve();
    await sleep(10);
    assert.equal(await pingStatus(url), 'Healthy');
    await rpc(url, 'SendMessage', { message: userMessage('this', { taskId: task.id }), configuration: { returnImmediately: true } });
    assert.equal(await pingStatus(url), 'HealthyBusy');
    gates[1]!.resolve();
    await sleep(10);
    assert.equal(await pingStatus(url), 'Healthy');
    assert.equal(server.getAsyncTaskInfo().activeCount, 0);
  });

  it('never makes the session busy for an executor that answers at once with a message', async (t) => {
    const seen: number[] = [];
    const { url, server } = await useA2A(t, {}, (context) => {
      seen.push(server.getAsyncTaskInfo().activeCount);
      context.reply(server.getCurrentPingStatus());
    });
    const answer = (await rpc(url, 'SendMessage', { message: userMessage('status') })).body.result;
    assert.equal(answer.message.parts[0].text, 'Healthy');
    assert.deepEqual(seen, [0]);
  });

  it('keeps memory bounded: past maxFinishedTasks the oldest finished tasks are dropped, and /ping is unaffected', async (t) => {
    const { url, server } = await useA2A(t, { maxFinishedTasks: 20, logLevel: 'warn' }, (context) => context.complete());
    const send = (): Promise<unknown> => rpc(url, 'SendMessage', { message: userMessage('x'), configuration: { historyLength: 0 } });
    for (let batch = 0; batch < 10; batch++) await Promise.all(Array.from({ length: 30 }, send));
    const listed = (await rpc(url, 'ListTasks', { pageSize: 100 })).body.result;
    assert.equal(listed.totalSize, 20);
    assert.equal(server.getAsyncTaskInfo().activeCount, 0);
    assert.equal(await pingStatus(url), 'Healthy');
  });

  it('warns at startup while no executor is set', async (t) => {
    const { logs } = await useA2A(t);
    assert.ok(logs.some((record) => record.level === 'warn' && /no executor registered/.test(record.message)));
  });

  it('takes the executor as an option or through executor(), which returns it', async (t) => {
    const executor = (context: TaskContext): void => context.reply('from option');
    const { url } = await useA2A(t, { executor });
    assert.equal((await rpc(url, 'SendMessage', { message: userMessage('x') })).body.result.message.parts[0].text, 'from option');
    const server = new A2AServer({ logLevel: 'silent' });
    assert.equal(server.executor(executor), executor);
    assert.throws(() => server.executor('nope' as never), /executor must be a function/);
  });

  it('checks its limits', () => {
    for (const option of ['maxOpenTasks', 'finishedTaskTtlMs', 'maxStreamBacklog']) {
      assert.throws(() => new A2AServer({ [option]: 0 }), RangeError, option);
    }
    for (const option of ['maxFinishedTasks', 'maxTaskHistory']) {
      assert.doesNotThrow(() => new A2AServer({ [option]: 0, logLevel: 'silent' }), option);
      assert.throws(() => new A2AServer({ [option]: -1 }), RangeError, option);
    }
  });

  it('answers in process through request(), with no socket', async () => {
    const server = new A2AServer({ logLevel: 'silent', executor: (context) => context.reply('in process') });
    const answer = await server.request('/', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'a2a-version': '1.0' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'SendMessage', params: { message: userMessage('x') } }),
    });
    assert.equal(((await answer.json()) as { result: { message: { parts: { text: string }[] } } }).result.message.parts[0]!.text, 'in process');
  });

  describe('shutting down', () => {
    it('gives working tasks the grace period to finish', async (t) => {
      const { url, server } = await useA2A(t, {}, async (context) => {
        context.working();
        await sleep(100);
        context.complete('made it');
      });
      const task = (await rpc(url, 'SendMessage', { message: userMessage('go'), configuration: { returnImmediately: true } })).body.result.task;
      await server.close({ graceMs: 2000 });
      const after = await server.request('/', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'a2a-version': '1.0' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'GetTask', params: { id: task.id } }),
      });
      assert.equal(((await after.json()) as { result: { status: { state: string } } }).result.status.state, 'TASK_STATE_COMPLETED');
    });

    it('refuses new messages during the grace period, still answers reads, then fails the tasks left and aborts their executors', async (t) => {
      const started = deferred<TaskContext>();
      const logs: LogRecord[] = [];
      const { url, server } = await useA2A(t, { logSink: (_line, record) => logs.push(record) }, async (context) => {
        started.resolve(context);
        context.working();
        await sleep(60_000, undefined, { signal: context.signal }).catch(() => undefined);
      });
      const stream = rpcStream(url, 'SendStreamingMessage', { message: userMessage('long') });
      const context = await started.promise;
      const closing = server.close({ graceMs: 300 });
      await sleep(50);
      const call = (method: string, params: unknown): Promise<{ result?: { status: { state: string } }; error?: { code: number; message: string } }> =>
        server
          .request('/', { method: 'POST', headers: { 'content-type': 'application/json', 'a2a-version': '1.0' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
          .then((answer) => answer.json() as never);
      const refused = await call('SendMessage', { message: userMessage('new') });
      assert.equal(refused.error?.code, -32603);
      assert.match(refused.error!.message, /shutting down/);
      assert.equal((await call('GetTask', { id: context.taskId })).result?.status.state, 'TASK_STATE_WORKING');
      await closing;
      assert.equal(context.signal.aborted, true);
      assert.match(String(context.signal.reason), /shutting down/);
      const { events } = await stream;
      const last = events.at(-1).result.statusUpdate.status;
      assert.equal(last.state, 'TASK_STATE_FAILED');
      assert.equal(last.message.parts[0].text, SHUTDOWN_TEXT);
    });
  });
});
