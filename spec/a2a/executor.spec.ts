import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AGENT_FAILED_TEXT, TaskState, TaskStateError, type TaskContext } from '../../lib/a2a/index.js';
import { getRequestContext } from '../../lib/index.js';
import { deferred, rpc, rpcStream, useA2A, userMessage } from '../support/a2a.js';

describe('the executor’s context', () => {
  it('carries the message with its task’s ids, the task, the configuration, the request and the version', async (t) => {
    const seen = deferred<Record<string, unknown>>();
    const { url } = await useA2A(t, {}, (context) => {
      seen.resolve({
        message: context.message,
        taskId: context.taskId,
        contextId: context.contextId,
        continued: context.continued,
        state: context.state,
        task: context.task,
        configuration: context.configuration,
        metadata: context.metadata,
        sessionId: context.request.sessionId,
        sameAsStore: getRequestContext() === context.request,
        protocolVersion: context.protocolVersion,
        aborted: context.signal.aborted,
      });
    });
    await fetch(`${url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'a2a-version': '1.0', 'x-amzn-bedrock-agentcore-runtime-session-id': 'session-1' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'SendMessage', params: { message: userMessage('hi', { messageId: 'm1' }), configuration: { acceptedOutputModes: ['text/plain'] }, metadata: { from: 'test' } } }),
    });
    const context = await seen.promise;
    const taskId = context.taskId as string;
    assert.deepEqual(context.message, { messageId: 'm1', role: 'ROLE_USER', parts: [{ text: 'hi' }], taskId, contextId: context.contextId });
    assert.equal(context.continued, false);
    assert.equal(context.state, TaskState.Submitted);
    assert.equal((context.task as { id: string }).id, taskId);
    assert.deepEqual(context.configuration, { acceptedOutputModes: ['text/plain'] });
    assert.deepEqual(context.metadata, { from: 'test' });
    assert.equal(context.sessionId, 'session-1');
    assert.equal(context.sameAsStore, true);
    assert.equal(context.protocolVersion, '1.0');
    assert.equal(context.aborted, false);
  });

  it('publishes every state with its message and metadata', async (t) => {
    const { url } = await useA2A(t, {}, async (context) => {
      context.requireAuth({ parts: [{ text: 'sign in' }], extensions: ['urn:auth'], referenceTaskIds: ['t0'] });
      await sleep(5);
      context.setStatus(TaskState.Working, undefined, { step: 2 });
      context.reject('no');
    });
    // A streaming send closes at the first interrupted state (auth-required): subscribe again for the rest.
    const first = await rpcStream(url, 'SendStreamingMessage', { message: userMessage('go') });
    const auth = first.events.at(-1).result.statusUpdate.status;
    assert.equal(auth.state, 'TASK_STATE_AUTH_REQUIRED');
    assert.deepEqual(auth.message.extensions, ['urn:auth']);
    assert.deepEqual(auth.message.referenceTaskIds, ['t0']);
    const taskId = first.events[0].result.task.id;
    const rest = await rpcStream(url, 'SubscribeToTask', { id: taskId });
    assert.equal(rest.events.length, 1);
    await sleep(20);
    const later = (await rpc(url, 'GetTask', { id: taskId })).body.result;
    assert.equal(later.status.state, 'TASK_STATE_REJECTED');
    assert.equal(later.status.message.role, 'ROLE_AGENT');
    assert.equal(later.status.message.taskId, taskId);
    assert.deepEqual(later.history.map((message: { parts: { text: string }[] }) => message.parts[0]!.text), ['go', 'sign in', 'no']);
  });

  it('gives a status update its metadata', async (t) => {
    const { url } = await useA2A(t, {}, async (context) => {
      context.setStatus(TaskState.Working, 'step', { step: 2 });
    });
    const { events } = await rpcStream(url, 'SendStreamingMessage', { message: userMessage('go') });
    assert.deepEqual(events[1].result.statusUpdate.metadata, { step: 2 });
  });

  it('fails a task with fail()', async (t) => {
    const { url } = await useA2A(t, {}, (context) => context.fail('could not'));
    const task = (await rpc(url, 'SendMessage', { message: userMessage('go') })).body.result.task;
    assert.equal(task.status.state, 'TASK_STATE_FAILED');
    assert.equal(task.status.message.parts[0].text, 'could not');
  });

  it('refuses bad parts with a TypeError naming them', async (t) => {
    const errors = deferred<string[]>();
    const { url } = await useA2A(t, {}, (context) => {
      const caught: string[] = [];
      for (const attempt of [
        () => context.artifact({ parts: [] }),
        () => context.artifact({ parts: [{ text: 'a', data: 1 } as never] }),
        () => context.artifact(null as never),
        () => context.working({ parts: [{ raw: '!!' }] }),
        () => context.working({} as never),
      ]) {
        try {
          attempt();
        } catch (error) {
          caught.push(`${(error as Error).name}: ${(error as Error).message}`);
        }
      }
      errors.resolve(caught);
    });
    await rpc(url, 'SendMessage', { message: userMessage('go') });
    assert.deepEqual(await errors.promise, [
      'TypeError: artifact.parts: must be a list of at least one part',
      'TypeError: artifact.parts[0]: must have exactly one of text, raw, url and data',
      'TypeError: artifact() expects an object with parts',
      'TypeError: message.parts[0].raw: must be base64',
      'TypeError: message.parts: must be a list of at least one part',
    ]);
  });

  it('throws TaskStateError for an update after the task finished, and after a reply that answered alone', async (t) => {
    const outcome = deferred<unknown[]>();
    const { url } = await useA2A(t, {}, (context) => {
      const caught: unknown[] = [];
      const attempt = (update: () => void): void => {
        try {
          update();
        } catch (error) {
          caught.push(error);
        }
      };
      context.complete();
      attempt(() => context.artifact({ parts: [{ text: 'late' }] }));
      attempt(() => context.working());
      outcome.resolve(caught);
    });
    await rpc(url, 'SendMessage', { message: userMessage('done') });
    const [artifact, working] = await outcome.promise;
    assert.ok(artifact instanceof TaskStateError && working instanceof TaskStateError);
    assert.equal(artifact.state, TaskState.Completed);
    assert.match(working.message, /a finished task takes no update/);
    const replyOutcome = deferred<unknown[]>();
    const again = await useA2A(t, {}, (context) => {
      const caught: unknown[] = [];
      context.reply('hi');
      for (const update of [() => context.working(), () => context.reply('again')]) {
        try {
          update();
        } catch (error) {
          caught.push(error);
        }
      }
      replyOutcome.resolve(caught);
    });
    const answer = (await rpc(again.url, 'SendMessage', { message: userMessage('reply') })).body.result;
    assert.equal(answer.message.parts[0].text, 'hi');
    const errors = await replyOutcome.promise;
    assert.equal(errors.length, 2);
    assert.ok(errors.every((error) => error instanceof TaskStateError && /answered with a message/.test(error.message)));
  });

  it('completes the task with a reply that comes after an update', async (t) => {
    const { url } = await useA2A(t, {}, (context) => {
      context.working();
      context.reply('here it is');
    });
    const task = (await rpc(url, 'SendMessage', { message: userMessage('go') })).body.result.task;
    assert.equal(task.status.state, 'TASK_STATE_COMPLETED');
    assert.equal(task.status.message.parts[0].text, 'here it is');
  });

  it('completes a task when the executor returns, and leaves one that asked for input waiting', async (t) => {
    const { url } = await useA2A(t, {}, (context) => {
      if ((context.message.parts[0] as { text: string }).text === 'ask') context.requireInput();
    });
    assert.equal((await rpc(url, 'SendMessage', { message: userMessage('plain') })).body.result.task.status.state, 'TASK_STATE_COMPLETED');
    const waiting = (await rpc(url, 'SendMessage', { message: userMessage('ask') })).body.result.task;
    await sleep(10);
    assert.equal((await rpc(url, 'GetTask', { id: waiting.id })).body.result.status.state, 'TASK_STATE_INPUT_REQUIRED');
  });

  it('fails a task when the executor throws or rejects, logging the error and telling the client nothing of it', async (t) => {
    const { url, logs } = await useA2A(t, {}, (context) => {
      if ((context.message.parts[0] as { text: string }).text === 'sync') throw new Error('secret detail one');
      return sleep(1).then(() => {
        throw new Error('secret detail two');
      });
    });
    for (const text of ['sync', 'async']) {
      const task = (await rpc(url, 'SendMessage', { message: userMessage(text) })).body.result.task;
      assert.equal(task.status.state, 'TASK_STATE_FAILED');
      assert.equal(task.status.message.parts[0].text, AGENT_FAILED_TEXT);
      assert.doesNotMatch(JSON.stringify(task), /secret detail/);
    }
    const failures = logs.filter((record) => record.message === 'a2a executor failed');
    assert.deepEqual(failures.map((record) => [record.level, record.errorMessage]), [
      ['error', 'secret detail one'],
      ['error', 'secret detail two'],
    ]);
  });

  it('logs only at debug an executor that ends with its signal’s reason after a cancel', async (t) => {
    const started = deferred<TaskContext>();
    const ended = deferred();
    const { url, logs } = await useA2A(t, {}, async (context) => {
      started.resolve(context);
      try {
        await sleep(60_000, undefined, { signal: context.signal });
      } finally {
        ended.resolve();
      }
    });
    const task = (await rpc(url, 'SendMessage', { message: userMessage('go'), configuration: { returnImmediately: true } })).body.result.task;
    await started.promise;
    await rpc(url, 'CancelTask', { id: task.id });
    await ended.promise;
    await sleep(5);
    assert.ok(logs.some((record) => record.level === 'debug' && record.message === 'a2a executor ended after its task was stopped'));
    assert.ok(!logs.some((record) => record.level === 'error'));
  });

  it('stops the earlier call of a task that a new message continued, and lets it no longer settle the task', async (t) => {
    const calls: TaskContext[] = [];
    const firstMayEnd = deferred();
    const { url } = await useA2A(t, {}, async (context) => {
      calls.push(context);
      if (!context.continued) {
        context.requireInput('more?');
        await firstMayEnd.promise;
        return;
      }
      context.working();
      await sleep(60_000, undefined, { signal: context.signal }).catch(() => undefined);
    });
    const task = (await rpc(url, 'SendMessage', { message: userMessage('go') })).body.result.task;
    const next = (await rpc(url, 'SendMessage', { message: userMessage('more', { taskId: task.id }), configuration: { returnImmediately: true } })).body.result.task;
    assert.equal(next.status.state, 'TASK_STATE_WORKING');
    assert.equal(calls[0]!.signal.aborted, true);
    assert.equal(calls[1]!.continued, true);
    firstMayEnd.resolve();
    await sleep(10);
    assert.equal((await rpc(url, 'GetTask', { id: task.id })).body.result.status.state, 'TASK_STATE_WORKING');
    await rpc(url, 'CancelTask', { id: task.id });
  });
});
