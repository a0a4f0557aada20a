import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TaskContext } from '../../lib/a2a/index.js';
import { deferred, rpc, rpcStream, useA2A, userMessage, userMessageV03 } from '../support/a2a.js';

/** An executor that works until the test releases it, then completes with an artifact. */
function heldExecutor(): { executor: (context: TaskContext) => Promise<void>; release: () => void; contexts: TaskContext[] } {
  const gate = deferred();
  const contexts: TaskContext[] = [];
  return {
    contexts,
    release: () => gate.resolve(),
    executor: async (context) => {
      contexts.push(context);
      context.working('on it');
      await gate.promise;
      context.artifact({ artifactId: 'out', name: 'result', parts: [{ text: 'done' }] });
      context.complete('finished');
    },
  };
}

/** Asks a question on the first message and completes with the answer on the next. */
const askOnce = (context: TaskContext): void => {
  if (!context.continued) {
    context.requireInput('Which data id?');
    return;
  }
  context.complete(`Got ${String((context.message.parts[0] as { text: string }).text)}`);
};

describe('SendMessage', () => {
  it('waits for the task to finish by default and answers it with its artifacts and history', async (t) => {
    const { url } = await useA2A(t, {}, async (context) => {
      context.working();
      await sleep(20);
      context.artifact({ parts: [{ text: 'result' }] });
    });
    const { body } = await rpc(url, 'SendMessage', { message: userMessage('go') });
    const task = body.result.task;
    assert.equal(task.status.state, 'TASK_STATE_COMPLETED');
    assert.equal(task.artifacts[0].parts[0].text, 'result');
    assert.match(task.artifacts[0].artifactId, /^[0-9a-f-]{36}$/);
    assert.equal(task.history[0].parts[0].text, 'go');
    assert.equal(task.history[0].taskId, task.id);
    assert.equal(task.history[0].contextId, task.contextId);
    assert.match(task.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('stops waiting when the task asks for input, and the next message with its taskId continues it', async (t) => {
    const { url } = await useA2A(t, {}, askOnce);
    const first = (await rpc(url, 'SendMessage', { message: userMessage('process') })).body.result.task;
    assert.equal(first.status.state, 'TASK_STATE_INPUT_REQUIRED');
    assert.equal(first.status.message.parts[0].text, 'Which data id?');
    const second = (await rpc(url, 'SendMessage', { message: userMessage('d42', { taskId: first.id }), configuration: { historyLength: 2 } })).body.result.task;
    assert.equal(second.id, first.id);
    assert.equal(second.status.state, 'TASK_STATE_COMPLETED');
    assert.equal(second.status.message.parts[0].text, 'Got d42');
    assert.deepEqual(second.history.map((message: { parts: { text: string }[] }) => message.parts[0]!.text), ['d42', 'Got d42']);
  });

  it('answers at once with returnImmediately (0.3: blocking false), while the task works on', async (t) => {
    const held = heldExecutor();
    const { url } = await useA2A(t, {}, held.executor);
    const task = (await rpc(url, 'SendMessage', { message: userMessage('go'), configuration: { returnImmediately: true } })).body.result.task;
    assert.equal(task.status.state, 'TASK_STATE_WORKING');
    const legacy = (await rpc(url, 'message/send', { message: userMessageV03('go'), configuration: { blocking: false } }, '0.3')).body.result;
    assert.equal(legacy.kind, 'task');
    assert.equal(legacy.status.state, 'working');
    held.release();
    await sleep(10);
    const done = (await rpc(url, 'GetTask', { id: task.id })).body.result;
    assert.equal(done.status.state, 'TASK_STATE_COMPLETED');
    assert.equal(done.artifacts[0].artifactId, 'out');
  });

  it('answers with the executor’s message alone when it replies at once, and keeps no task', async (t) => {
    const { url } = await useA2A(t, {}, (context) => context.reply({ parts: [{ data: { answer: 42 } }], metadata: { m: 1 } }));
    const { body } = await rpc(url, 'SendMessage', { message: userMessage('question', { contextId: 'ctx-1' }), configuration: { returnImmediately: true } });
    assert.deepEqual(Object.keys(body.result), ['message']);
    const message = body.result.message;
    assert.equal(message.role, 'ROLE_AGENT');
    assert.equal(message.contextId, 'ctx-1');
    assert.equal(message.taskId, undefined);
    assert.deepEqual(message.parts, [{ data: { answer: 42 } }]);
    assert.deepEqual(message.metadata, { m: 1 });
    assert.equal((await rpc(url, 'ListTasks', {})).body.result.totalSize, 0);
    const legacy = (await rpc(url, 'message/send', { message: userMessageV03('question') }, '0.3')).body.result;
    assert.equal(legacy.kind, 'message');
    assert.deepEqual(legacy.parts, [{ kind: 'data', data: { answer: 42 } }]);
  });

  it('answers with a message alone when a waiting executor replies later, before publishing anything', async (t) => {
    const { url } = await useA2A(t, {}, async (context) => {
      await sleep(10);
      context.reply('thought about it');
    });
    const { body } = await rpc(url, 'SendMessage', { message: userMessage('question') });
    assert.equal(body.result.message.parts[0].text, 'thought about it');
  });

  it('starts a new task in the context a message names, and a new context otherwise', async (t) => {
    const { url } = await useA2A(t, {}, () => undefined);
    const a = (await rpc(url, 'SendMessage', { message: userMessage('a', { contextId: 'shared' }) })).body.result.task;
    const b = (await rpc(url, 'SendMessage', { message: userMessage('b', { contextId: 'shared' }) })).body.result.task;
    const c = (await rpc(url, 'SendMessage', { message: userMessage('c') })).body.result.task;
    assert.equal(a.contextId, 'shared');
    assert.equal(b.contextId, 'shared');
    assert.notEqual(a.id, b.id);
    assert.match(c.contextId, /^[0-9a-f-]{36}$/);
    assert.equal(a.status.state, 'TASK_STATE_COMPLETED');
  });

  it('refuses to continue an unknown (-32001), finished or working (-32004) task, or one in another context (-32602)', async (t) => {
    const held = heldExecutor();
    const { url } = await useA2A(t, {}, (context) => (context.message.parts[0] as { text: string }).text === 'ask' ? askOnce(context) : held.executor(context));
    assert.equal((await rpc(url, 'SendMessage', { message: userMessage('x', { taskId: 'nope' }) })).body.error!.code, -32001);
    const working = (await rpc(url, 'SendMessage', { message: userMessage('work'), configuration: { returnImmediately: true } })).body.result.task;
    const busy = (await rpc(url, 'SendMessage', { message: userMessage('more', { taskId: working.id }) })).body.error!;
    assert.equal(busy.code, -32004);
    assert.match(busy.message, /still working/);
    const waiting = (await rpc(url, 'SendMessage', { message: userMessage('ask') })).body.result.task;
    assert.equal((await rpc(url, 'SendMessage', { message: userMessage('x', { taskId: waiting.id, contextId: 'other' }) })).body.error!.code, -32602);
    held.release();
    await sleep(10);
    const finished = (await rpc(url, 'SendMessage', { message: userMessage('again', { taskId: working.id }) })).body.error!;
    assert.equal(finished.code, -32004);
    assert.match(finished.message, /has finished/);
  });

  it('answers -32603 while no executor is set, and -32003 for a push config while push is off', async (t) => {
    const { url, server } = await useA2A(t);
    const none = (await rpc(url, 'SendMessage', { message: userMessage('x') })).body.error!;
    assert.equal(none.code, -32603);
    assert.match(none.message, /no executor/);
    server.executor(() => undefined);
    const push = await rpc(url, 'SendMessage', { message: userMessage('x'), configuration: { taskPushNotificationConfig: { url: 'https://hooks.example.com/' } } });
    assert.equal(push.body.error!.code, -32003);
  });

  it('refuses a new task past maxOpenTasks (-32603) and takes one again when a task finishes', async (t) => {
    const held = heldExecutor();
    const { url } = await useA2A(t, { maxOpenTasks: 2 }, held.executor);
    for (let index = 0; index < 2; index++) await rpc(url, 'SendMessage', { message: userMessage('x'), configuration: { returnImmediately: true } });
    const refused = (await rpc(url, 'SendMessage', { message: userMessage('x'), configuration: { returnImmediately: true } })).body.error!;
    assert.equal(refused.code, -32603);
    assert.match(refused.message, /maxOpenTasks is 2/);
    held.release();
    await sleep(10);
    assert.equal((await rpc(url, 'SendMessage', { message: userMessage('x'), configuration: { returnImmediately: true } })).body.result.task.status.state, 'TASK_STATE_WORKING');
  });
});

describe('SendStreamingMessage', () => {
  it('streams the task first, then every update in order, and closes once it completes', async (t) => {
    const { url } = await useA2A(t, {}, async (context) => {
      context.working('step 1');
      await sleep(5);
      context.artifact({ artifactId: 'a', parts: [{ text: 'chunk 1' }] });
      context.artifact({ artifactId: 'a', parts: [{ text: 'chunk 2' }] }, { append: true, lastChunk: true });
    });
    const { contentType, events } = await rpcStream(url, 'SendStreamingMessage', { message: userMessage('go') }, '1.0', 'stream-1');
    assert.equal(contentType, 'text/event-stream');
    assert.ok(events.every((event) => event.jsonrpc === '2.0' && event.id === 'stream-1'));
    const results = events.map((event) => event.result);
    assert.deepEqual(results.map((result) => Object.keys(result)[0]), ['task', 'statusUpdate', 'artifactUpdate', 'artifactUpdate', 'statusUpdate']);
    assert.equal(results[0].task.status.state, 'TASK_STATE_SUBMITTED');
    assert.equal(results[1].statusUpdate.status.message.parts[0].text, 'step 1');
    assert.equal(results[3].artifactUpdate.append, true);
    assert.equal(results[3].artifactUpdate.lastChunk, true);
    assert.equal(results[4].statusUpdate.status.state, 'TASK_STATE_COMPLETED');
  });

  it('closes when the task asks for input; the next streaming message continues it', async (t) => {
    const { url } = await useA2A(t, {}, askOnce);
    const first = await rpcStream(url, 'SendStreamingMessage', { message: userMessage('process') });
    assert.equal(first.events.at(-1).result.statusUpdate.status.state, 'TASK_STATE_INPUT_REQUIRED');
    const taskId = first.events[0].result.task.id;
    const second = await rpcStream(url, 'SendStreamingMessage', { message: userMessage('d1', { taskId }) });
    assert.deepEqual(
      second.events.map((event) => event.result.task?.status.state ?? event.result.statusUpdate.status.state),
      ['TASK_STATE_WORKING', 'TASK_STATE_COMPLETED'],
    );
  });

  it('streams the executor’s message alone when it replies at once', async (t) => {
    const { url } = await useA2A(t, {}, (context) => context.reply('hello'));
    const { events } = await rpcStream(url, 'SendStreamingMessage', { message: userMessage('hi') });
    assert.equal(events.length, 1);
    assert.equal(events[0].result.message.parts[0].text, 'hello');
  });

  it('answers an error before the stream as plain JSON, and -32004 when streaming is off', async (t) => {
    const { url } = await useA2A(t, {}, () => undefined);
    const unknown = await rpcStream(url, 'SendStreamingMessage', { message: userMessage('x', { taskId: 'nope' }) });
    assert.equal(unknown.contentType, 'application/json');
    assert.equal(unknown.events[0].error.code, -32001);
    const off = await useA2A(t, { card: { streaming: false } }, () => undefined);
    assert.equal((await rpcStream(off.url, 'SendStreamingMessage', { message: userMessage('x') })).events[0].error.code, -32004);
    assert.equal((await rpcStream(off.url, 'SubscribeToTask', { id: 'x' })).events[0].error.code, -32004);
    assert.equal(off.server.agentCard.capabilities.streaming, false);
  });
});

describe('GetTask and ListTasks', () => {
  it('gets a task with the history asked for, -32001 for an unknown one', async (t) => {
    const { url } = await useA2A(t, {}, (context) => context.complete('done'));
    const task = (await rpc(url, 'SendMessage', { message: userMessage('go') })).body.result.task;
    assert.equal((await rpc(url, 'GetTask', { id: task.id })).body.result.history.length, 2);
    assert.equal((await rpc(url, 'GetTask', { id: task.id, historyLength: 1 })).body.result.history[0].parts[0].text, 'done');
    assert.equal((await rpc(url, 'GetTask', { id: task.id, historyLength: 0 })).body.result.history, undefined);
    assert.equal((await rpc(url, 'GetTask', { id: task.id, historyLength: -1 })).body.error!.code, -32602);
    assert.equal((await rpc(url, 'GetTask', { id: 'nope' })).body.error!.code, -32001);
    assert.equal((await rpc(url, 'GetTask', {})).body.error!.code, -32602);
    assert.equal((await rpc(url, 'tasks/get', { id: task.id }, '0.3')).body.result.status.state, 'completed');
  });

  it('lists tasks a page at a time, newest first, with filters', async (t) => {
    const { url } = await useA2A(t, {}, (context) => ((context.message.parts[0] as { text: string }).text === 'ask' ? context.requireInput() : context.complete()));
    const ids: string[] = [];
    for (const text of ['a', 'ask', 'b']) ids.push((await rpc(url, 'SendMessage', { message: userMessage(text, { contextId: text === 'b' ? 'other' : 'main' }) })).body.result.task.id);
    const page = (await rpc(url, 'ListTasks', { pageSize: 2 })).body.result;
    assert.deepEqual(page.tasks.map((task: { id: string }) => task.id), [ids[2], ids[1]]);
    assert.equal(page.totalSize, 3);
    assert.equal(page.pageSize, 2);
    assert.ok(page.tasks.every((task: object) => !('artifacts' in task)));
    const rest = (await rpc(url, 'ListTasks', { pageSize: 2, pageToken: page.nextPageToken })).body.result;
    assert.deepEqual(rest.tasks.map((task: { id: string }) => task.id), [ids[0]]);
    assert.equal(rest.nextPageToken, '');
    assert.deepEqual((await rpc(url, 'ListTasks', { status: 'TASK_STATE_INPUT_REQUIRED' })).body.result.tasks.map((task: { id: string }) => task.id), [ids[1]]);
    assert.equal((await rpc(url, 'ListTasks', { contextId: 'main' })).body.result.totalSize, 2);
    assert.equal((await rpc(url, 'ListTasks', { pageSize: 150 })).body.error!.code, -32602);
    assert.equal((await rpc(url, 'ListTasks', { status: 'TASK_STATE_RUNNING' })).body.error!.code, -32602);
    assert.equal((await rpc(url, 'ListTasks', undefined)).body.result.pageSize, 50);
  });
});

describe('CancelTask', () => {
  it('cancels a working task, aborting its executor’s signal, and says so to every stream', async (t) => {
    const held = heldExecutor();
    const { url } = await useA2A(t, {}, held.executor);
    const task = (await rpc(url, 'SendMessage', { message: userMessage('go'), configuration: { returnImmediately: true } })).body.result.task;
    const stream = rpcStream(url, 'SubscribeToTask', { id: task.id });
    await sleep(20);
    const canceled = (await rpc(url, 'CancelTask', { id: task.id })).body.result;
    assert.equal(canceled.status.state, 'TASK_STATE_CANCELED');
    assert.equal(held.contexts[0]!.signal.aborted, true);
    assert.match(String(held.contexts[0]!.signal.reason), /canceled/);
    const { events } = await stream;
    assert.equal(events.at(-1).result.statusUpdate.status.state, 'TASK_STATE_CANCELED');
    // The executor's later updates are refused; the task stays canceled.
    held.release();
    await sleep(10);
    assert.equal((await rpc(url, 'GetTask', { id: task.id })).body.result.status.state, 'TASK_STATE_CANCELED');
  });

  it('cancels a task waiting for input; canceling twice answers the canceled task', async (t) => {
    const { url } = await useA2A(t, {}, askOnce);
    const task = (await rpc(url, 'SendMessage', { message: userMessage('go') })).body.result.task;
    assert.equal((await rpc(url, 'CancelTask', { id: task.id })).body.result.status.state, 'TASK_STATE_CANCELED');
    assert.equal((await rpc(url, 'tasks/cancel', { id: task.id }, '0.3')).body.result.status.state, 'canceled');
  });

  it('answers -32002 for a finished task and -32001 for an unknown one', async (t) => {
    const { url } = await useA2A(t, {}, () => undefined);
    const task = (await rpc(url, 'SendMessage', { message: userMessage('go') })).body.result.task;
    const refused = (await rpc(url, 'CancelTask', { id: task.id })).body.error!;
    assert.equal(refused.code, -32002);
    assert.equal(refused.data[0].metadata.state, 'TASK_STATE_COMPLETED');
    assert.equal((await rpc(url, 'CancelTask', { id: 'nope' })).body.error!.code, -32001);
  });
});

describe('SubscribeToTask', () => {
  it('streams the task as it is, then its updates until it ends', async (t) => {
    const held = heldExecutor();
    const { url } = await useA2A(t, {}, held.executor);
    const task = (await rpc(url, 'SendMessage', { message: userMessage('go'), configuration: { returnImmediately: true } })).body.result.task;
    const stream = rpcStream(url, 'SubscribeToTask', { id: task.id });
    await sleep(20);
    held.release();
    const { events } = await stream;
    assert.deepEqual(events.map((event) => Object.keys(event.result)[0]), ['task', 'artifactUpdate', 'statusUpdate']);
    assert.equal(events[0].result.task.status.state, 'TASK_STATE_WORKING');
  });

  it('answers the snapshot alone for a task waiting for input, -32004 for a finished task, -32001 for none', async (t) => {
    const { url } = await useA2A(t, {}, askOnce);
    const task = (await rpc(url, 'SendMessage', { message: userMessage('go') })).body.result.task;
    const waiting = await rpcStream(url, 'SubscribeToTask', { id: task.id });
    assert.equal(waiting.events.length, 1);
    assert.equal(waiting.events[0].result.task.status.state, 'TASK_STATE_INPUT_REQUIRED');
    await rpc(url, 'CancelTask', { id: task.id });
    assert.equal((await rpcStream(url, 'SubscribeToTask', { id: task.id })).events[0].error.code, -32004);
    assert.equal((await rpcStream(url, 'tasks/resubscribe', { id: 'nope' }, '0.3')).events[0].error.code, -32001);
  });
});

describe('GetExtendedAgentCard', () => {
  it('answers -32004 when there is no extended card', async (t) => {
    const { url } = await useA2A(t);
    assert.equal((await rpc(url, 'GetExtendedAgentCard', {})).body.error!.code, -32004);
    assert.equal((await rpc(url, 'agent/getAuthenticatedExtendedCard', undefined, '0.3')).body.error!.code, -32004);
  });

  it('answers the public card with the extended fields over it', async (t) => {
    const { url, server } = await useA2A(t, { card: { name: 'agent-x' }, extendedCard: { description: 'for signed-in callers', skills: [{ id: 'secret', name: 'secret', description: 's', tags: ['x'] }] } });
    const card = (await rpc(url, 'GetExtendedAgentCard', undefined)).body.result;
    assert.equal(card.name, 'agent-x');
    assert.equal(card.description, 'for signed-in callers');
    assert.equal(card.skills[0].id, 'secret');
    assert.equal(server.agentCard.capabilities.extendedAgentCard, true);
    assert.equal(server.agentCard.supportsAuthenticatedExtendedCard, true);
  });

  it('asks a function per request; undefined is -32007 (0.3 says it its own way)', async (t) => {
    const { url } = await useA2A(t, {
      extendedCard: async (request) => (request.headers['x-amzn-bedrock-agentcore-runtime-custom-tier'] === 'gold' ? { name: 'gold' } : undefined),
    });
    const gold = await fetch(`${url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'a2a-version': '1.0', 'x-amzn-bedrock-agentcore-runtime-custom-tier': 'gold' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'GetExtendedAgentCard', params: {} }),
    });
    assert.equal(((await gold.json()) as { result: { name: string } }).result.name, 'gold');
    assert.equal((await rpc(url, 'GetExtendedAgentCard', {})).body.error!.code, -32007);
    const legacy = (await rpc(url, 'agent/getAuthenticatedExtendedCard', undefined, '0.3')).body.error!;
    assert.equal(legacy.code, -32007);
    assert.equal(legacy.message, 'Authenticated Extended Card is not configured');
    const sync = await useA2A(t, { extendedCard: () => ({ name: 'sync' }) });
    assert.equal((await rpc(sync.url, 'GetExtendedAgentCard', {})).body.result.name, 'sync');
  });
});

describe('the push notification methods while push is off', () => {
  it('answer -32003', async (t) => {
    const { url } = await useA2A(t);
    for (const method of ['CreateTaskPushNotificationConfig', 'GetTaskPushNotificationConfig', 'ListTaskPushNotificationConfigs', 'DeleteTaskPushNotificationConfig']) {
      assert.equal((await rpc(url, method, { taskId: 't', id: 'p', url: 'https://h/' })).body.error!.code, -32003, method);
    }
    assert.equal((await rpc(url, 'tasks/pushNotificationConfig/set', { taskId: 't', pushNotificationConfig: { url: 'https://h/' } }, '0.3')).body.error!.code, -32003);
  });
});
