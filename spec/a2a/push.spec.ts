import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { A2AServer, type TaskContext } from '../../lib/a2a/index.js';
import { closeHttpServer, useHttpServer } from '../support/server.js';
import { deferred, rpc, useA2A, userMessage, userMessageV03 } from '../support/a2a.js';

interface Delivery {
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
}

/** A webhook on 127.0.0.1 that records what it receives and answers `status(n)` for the n-th call. */
async function useWebhook(t: TestContext, status: (call: number) => number = () => 200, delayMs = 0): Promise<{ url: string; deliveries: Delivery[]; arrived: (count: number) => Promise<void> }> {
  const deliveries: Delivery[] = [];
  let calls = 0;
  const waiters: { count: number; resolve: () => void }[] = [];
  const { url } = await useHttpServer(t, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const code = status(++calls);
      setTimeout(() => {
        deliveries.push({ path: request.url!, headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString() || 'null') });
        for (const waiter of waiters.filter((candidate) => deliveries.length >= candidate.count)) waiter.resolve();
        if (code === 302) response.writeHead(302, { location: '/elsewhere' });
        else response.writeHead(code);
        response.end();
      }, delayMs);
    });
  });
  return {
    url,
    deliveries,
    arrived: (count) =>
      new Promise((resolve) => {
        if (deliveries.length >= count) resolve();
        else waiters.push({ count, resolve });
      }),
  };
}

/** An executor that works until released, then completes with an artifact. */
function held(): { executor: (context: TaskContext) => Promise<void>; release: () => void } {
  const gate = deferred();
  return {
    release: () => gate.resolve(),
    executor: async (context) => {
      context.working();
      await gate.promise;
      context.artifact({ artifactId: 'a', parts: [{ text: 'out' }] });
      context.complete();
    },
  };
}

describe('push notifications', () => {
  it('store a configuration for a task and POST each of its updates there, in order, with the credentials and token', async (t) => {
    const hook = await useWebhook(t);
    const work = held();
    const { url, server } = await useA2A(t, { pushNotifications: { allowedDestinations: [`${hook.url}/a2a`] } }, work.executor);
    assert.equal(server.agentCard.capabilities.pushNotifications, true);
    const task = (await rpc(url, 'SendMessage', { message: userMessage('go'), configuration: { returnImmediately: true } })).body.result.task;
    const created = (await rpc(url, 'CreateTaskPushNotificationConfig', { taskId: task.id, url: `${hook.url}/a2a/hook?x=1`, token: 'tok-123', authentication: { scheme: 'Bearer', credentials: 'cred-456' } })).body.result;
    assert.match(created.id, /^[0-9a-f-]{36}$/);
    assert.equal(created.taskId, task.id);
    work.release();
    await hook.arrived(2);
    assert.deepEqual(hook.deliveries.map((delivery) => Object.keys(delivery.body)[0]), ['artifactUpdate', 'statusUpdate']);
    const [first] = hook.deliveries;
    assert.equal(first!.path, '/a2a/hook?x=1');
    assert.equal(first!.headers['content-type'], 'application/a2a+json');
    assert.equal(first!.headers.authorization, 'Bearer cred-456');
    assert.equal(first!.headers['x-a2a-notification-token'], 'tok-123');
    assert.equal(hook.deliveries[1]!.body.statusUpdate.status.state, 'TASK_STATE_COMPLETED');
  });

  it('take a configuration inline with the message', async (t) => {
    const hook = await useWebhook(t);
    const { url } = await useA2A(t, { pushNotifications: { allowedDestinations: [hook.url] } }, (context) => context.complete('done'));
    await rpc(url, 'SendMessage', { message: userMessage('go'), configuration: { returnImmediately: true, taskPushNotificationConfig: { url: `${hook.url}/x`, authentication: { scheme: 'Basic' } } } });
    await hook.arrived(1);
    assert.equal(hook.deliveries[0]!.body.statusUpdate.status.state, 'TASK_STATE_COMPLETED');
    assert.equal(hook.deliveries[0]!.headers.authorization, 'Basic');
    assert.equal(hook.deliveries[0]!.headers['x-a2a-notification-token'], undefined);
  });

  it('call only the destinations the operator allowed: no other host, port, path, scheme or userinfo', async (t) => {
    const hook = await useWebhook(t);
    const { url } = await useA2A(t, { pushNotifications: { allowedDestinations: [`${hook.url}/a2a`, 'https://hooks.example.com/'] } }, (context) => context.requireInput());
    const task = (await rpc(url, 'SendMessage', { message: userMessage('go') })).body.result.task;
    const port = Number(new URL(hook.url).port);
    const refused = [
      `http://127.0.0.1:${port + 1}/a2a`,
      `http://localhost:${port}/a2a`,
      `${hook.url}/a2a-other`,
      `${hook.url}/`,
      'https://hooks.example.com.evil.example/',
      'https://user:pass@hooks.example.com/',
      'http://hooks.example.com/',
      'file:///etc/passwd',
      'not a url',
    ];
    for (const target of refused) {
      const answer = (await rpc(url, 'CreateTaskPushNotificationConfig', { taskId: task.id, url: target })).body.error!;
      assert.equal(answer.code, -32602, target);
    }
    for (const target of [`${hook.url}/a2a`, `${hook.url}/a2a/deeper`, `${hook.url}/a2a?q=1`, 'https://hooks.example.com/any/path', 'https://hooks.example.com:443/']) {
      assert.ok((await rpc(url, 'CreateTaskPushNotificationConfig', { taskId: task.id, url: target })).body.result, target);
    }
    const inline = await rpc(url, 'SendMessage', { message: userMessage('x'), configuration: { taskPushNotificationConfig: { url: 'http://169.254.169.254/latest/meta-data' } } });
    assert.equal(inline.body.error!.code, -32602);
    assert.equal((await rpc(url, 'ListTasks', {})).body.result.totalSize, 1, 'a refused message made no task');
  });

  it('let a function decide the destinations', async (t) => {
    const { url } = await useA2A(t, { pushNotifications: { allowedDestinations: (target) => target.hostname.endsWith('.trusted.example') } }, (context) => context.requireInput());
    const task = (await rpc(url, 'SendMessage', { message: userMessage('go') })).body.result.task;
    assert.ok((await rpc(url, 'CreateTaskPushNotificationConfig', { taskId: task.id, url: 'https://a.trusted.example/x' })).body.result);
    assert.equal((await rpc(url, 'CreateTaskPushNotificationConfig', { taskId: task.id, url: 'https://trusted.example.evil/x' })).body.error!.code, -32602);
  });

  it('get, list and delete configurations; deleting twice is fine; unknown ones are -32001', async (t) => {
    const { url } = await useA2A(t, { pushNotifications: { allowedDestinations: ['https://hooks.example.com/'], maxConfigsPerTask: 2 } }, (context) => context.requireInput());
    const task = (await rpc(url, 'SendMessage', { message: userMessage('go') })).body.result.task;
    const one = (await rpc(url, 'CreateTaskPushNotificationConfig', { taskId: task.id, id: 'one', url: 'https://hooks.example.com/1' })).body.result;
    assert.equal(one.id, 'one');
    await rpc(url, 'CreateTaskPushNotificationConfig', { taskId: task.id, id: 'two', url: 'https://hooks.example.com/2' });
    // The same id replaces; a third id is one too many.
    await rpc(url, 'CreateTaskPushNotificationConfig', { taskId: task.id, id: 'two', url: 'https://hooks.example.com/2b' });
    assert.equal((await rpc(url, 'CreateTaskPushNotificationConfig', { taskId: task.id, id: 'three', url: 'https://hooks.example.com/3' })).body.error!.code, -32602);
    assert.equal((await rpc(url, 'GetTaskPushNotificationConfig', { taskId: task.id, id: 'two' })).body.result.url, 'https://hooks.example.com/2b');
    const list = (await rpc(url, 'ListTaskPushNotificationConfigs', { taskId: task.id })).body.result;
    assert.deepEqual(list.configs.map((config: { id: string }) => config.id), ['one', 'two']);
    assert.equal(list.nextPageToken, '');
    assert.equal((await rpc(url, 'DeleteTaskPushNotificationConfig', { taskId: task.id, id: 'one' })).body.result, null);
    assert.equal((await rpc(url, 'DeleteTaskPushNotificationConfig', { taskId: task.id, id: 'one' })).body.result, null);
    assert.equal((await rpc(url, 'GetTaskPushNotificationConfig', { taskId: task.id, id: 'one' })).body.error!.code, -32001);
    assert.equal((await rpc(url, 'GetTaskPushNotificationConfig', { taskId: 'nope', id: 'one' })).body.error!.code, -32001);
    assert.equal((await rpc(url, 'ListTaskPushNotificationConfigs', { taskId: 'nope' })).body.error!.code, -32001);
    assert.equal((await rpc(url, 'CreateTaskPushNotificationConfig', { url: 'https://hooks.example.com/' })).body.error!.code, -32602);
    assert.equal((await rpc(url, 'CreateTaskPushNotificationConfig', { taskId: 'nope', url: 'https://hooks.example.com/' })).body.error!.code, -32001);
    const other = (await rpc(url, 'SendMessage', { message: userMessage('go') })).body.result.task;
    assert.deepEqual((await rpc(url, 'ListTaskPushNotificationConfigs', { taskId: other.id })).body.result.configs, []);
    assert.equal((await rpc(url, 'GetTaskPushNotificationConfig', { taskId: other.id, id: 'x' })).body.error!.code, -32001);
  });

  it('speak 0.3 to a 0.3 client, and send a 0.3 client the task as it is', async (t) => {
    const hook = await useWebhook(t);
    const work = held();
    const { url } = await useA2A(t, { pushNotifications: { allowedDestinations: [hook.url] } }, work.executor);
    const task = (await rpc(url, 'message/send', { message: userMessageV03('go'), configuration: { blocking: false } }, '0.3')).body.result;
    const set = (await rpc(url, 'tasks/pushNotificationConfig/set', { taskId: task.id, pushNotificationConfig: { url: `${hook.url}/v03`, token: 't', authentication: { schemes: ['Bearer'], credentials: 'c' } } }, '0.3')).body.result;
    assert.deepEqual(Object.keys(set), ['taskId', 'pushNotificationConfig']);
    assert.deepEqual(set.pushNotificationConfig.authentication, { schemes: ['Bearer'], credentials: 'c' });
    const id = set.pushNotificationConfig.id;
    assert.equal((await rpc(url, 'tasks/pushNotificationConfig/get', { id: task.id, pushNotificationConfigId: id }, '0.3')).body.result.pushNotificationConfig.id, id);
    assert.equal((await rpc(url, 'tasks/pushNotificationConfig/get', { id: task.id }, '0.3')).body.result.pushNotificationConfig.id, id);
    const list = (await rpc(url, 'tasks/pushNotificationConfig/list', { id: task.id }, '0.3')).body.result;
    assert.ok(Array.isArray(list) && list.length === 1);
    work.release();
    await hook.arrived(2);
    assert.deepEqual(hook.deliveries.map((delivery) => [delivery.body.kind, delivery.body.status.state]), [
      ['task', 'working'],
      ['task', 'completed'],
    ]);
    assert.equal(hook.deliveries[0]!.headers['content-type'], 'application/json');
    assert.equal((await rpc(url, 'tasks/pushNotificationConfig/delete', { id: task.id, pushNotificationConfigId: id }, '0.3')).body.result, null);
  });

  it('retry with a doubling delay, and give up after maxAttempts with a warning that names no secret', async (t) => {
    const flaky = await useWebhook(t, (call) => (call < 3 ? 500 : 200));
    const down = await useWebhook(t, () => 503);
    const { url, logs } = await useA2A(t, { pushNotifications: { allowedDestinations: [flaky.url, down.url], retryDelayMs: 20, maxAttempts: 3 } }, (context) => context.requireInput());
    const task = (await rpc(url, 'SendMessage', { message: userMessage('go') })).body.result.task;
    await rpc(url, 'CreateTaskPushNotificationConfig', { taskId: task.id, url: `${flaky.url}/ok?secret-query=1`, token: 'TOKEN-abc', authentication: { scheme: 'Bearer', credentials: 'CRED-xyz' } });
    await rpc(url, 'CreateTaskPushNotificationConfig', { taskId: task.id, url: `${down.url}/private-path`, token: 'TOKEN-abc', authentication: { scheme: 'Bearer', credentials: 'CRED-xyz' } });
    const started = Date.now();
    await rpc(url, 'CancelTask', { id: task.id });
    await flaky.arrived(3);
    await down.arrived(3);
    // 20 ms, then 40 ms between the three attempts.
    assert.ok(Date.now() - started >= 60);
    await sleep(20);
    const warning = logs.find((record) => record.message === 'a2a push notification not delivered');
    assert.ok(warning !== undefined);
    assert.equal(warning.destination, down.url);
    assert.equal(warning.outcome, 'HTTP 503');
    assert.equal(warning.attempts, 3);
    assert.equal(logs.filter((record) => record.message === 'a2a push notification not delivered').length, 1);
    const everything = JSON.stringify(logs);
    for (const secret of ['TOKEN-abc', 'CRED-xyz', 'private-path', 'secret-query']) assert.ok(!everything.includes(secret), secret);
  });

  it('do not follow redirects, and say why a destination could not be reached', async (t) => {
    const hook = await useWebhook(t, () => 302);
    const closed = await useHttpServer(t, () => undefined);
    await closeHttpServer(closed.server);
    const { url, logs } = await useA2A(t, { pushNotifications: { allowedDestinations: [hook.url, closed.url], maxAttempts: 1 } }, (context) => context.requireInput());
    const task = (await rpc(url, 'SendMessage', { message: userMessage('go') })).body.result.task;
    await rpc(url, 'CreateTaskPushNotificationConfig', { taskId: task.id, url: `${hook.url}/start` });
    await rpc(url, 'CreateTaskPushNotificationConfig', { taskId: task.id, url: `${closed.url}/closed` });
    await rpc(url, 'CancelTask', { id: task.id });
    await hook.arrived(1);
    await sleep(100);
    assert.deepEqual(hook.deliveries.map((delivery) => delivery.path), ['/start']);
    const outcomes = logs.filter((record) => record.message === 'a2a push notification not delivered').map((record) => record.outcome).sort();
    assert.deepEqual(outcomes, ['ECONNREFUSED', 'TypeError']);
  });

  it('drop the oldest notification past maxQueuedNotifications for one slow destination', async (t) => {
    const slow = await useWebhook(t, () => 200, 50);
    const { url, logs } = await useA2A(t, { pushNotifications: { allowedDestinations: [slow.url], maxQueuedNotifications: 1 } }, async (context) => {
      for (let index = 0; index < 5; index++) context.working(`step ${index}`);
      await sleep(1);
      context.complete();
    });
    await rpc(url, 'SendMessage', { message: userMessage('go'), configuration: { taskPushNotificationConfig: { url: slow.url } } });
    await sleep(300);
    assert.ok(logs.some((record) => record.message === 'a2a push notification dropped: too many waiting for one destination'));
    assert.ok(slow.deliveries.length < 6);
    assert.equal(slow.deliveries.at(-1)!.body.statusUpdate.status.state, 'TASK_STATE_COMPLETED');
  });

  it('stop retrying when the server shuts down', async (t) => {
    const down = await useWebhook(t, () => 500);
    const { url, server } = await useA2A(t, { pushNotifications: { allowedDestinations: [down.url], retryDelayMs: 200 } }, (context) => context.requireInput());
    const task = (await rpc(url, 'SendMessage', { message: userMessage('go') })).body.result.task;
    await rpc(url, 'CreateTaskPushNotificationConfig', { taskId: task.id, url: down.url });
    await rpc(url, 'CancelTask', { id: task.id });
    await down.arrived(1);
    await server.close({ graceMs: 0 });
    await sleep(300);
    assert.equal(down.deliveries.length, 1);
  });

  it('refuse options without destinations, with a bad prefix or a limit out of range', () => {
    assert.throws(() => new A2AServer({ pushNotifications: {} as never }), /allowedDestinations must be a list/);
    assert.throws(() => new A2AServer({ pushNotifications: { allowedDestinations: ['hooks.example.com'] } }), /is not an absolute URL/);
    assert.throws(() => new A2AServer({ pushNotifications: { allowedDestinations: ['ftp://hooks.example.com/'] } }), /is not http or https/);
    assert.throws(() => new A2AServer({ pushNotifications: { allowedDestinations: [], maxAttempts: 0 } }), RangeError);
  });
});
