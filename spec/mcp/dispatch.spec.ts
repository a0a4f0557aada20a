import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ResourceTemplate, type McpServer } from '../../lib/mcp/index.js';
import { initialize, inSession, post, request, useMcpServer } from '../support/mcp.js';

/** A little of everything. */
function everything(server: McpServer): void {
  for (let index = 0; index < 5; index++) server.registerTool(`tool_${index}`, { description: `Tool ${index}` }, () => `tool ${index}`);
  server.registerResource('readme', 'file:///readme.md', { mimeType: 'text/markdown' }, (uri) => ({ contents: [{ uri: uri.href, text: '# Hello' }] }));
  server.registerResource('logs', new ResourceTemplate('file:///logs/{day}', { complete: { day: (value) => ['monday', 'tuesday'].filter((day) => day.startsWith(value)) } }), {}, (uri, { day }) => ({
    contents: [{ uri: uri.href, text: `log of ${String(day)}` }],
  }));
  server.registerPrompt(
    'greet',
    {
      description: 'Greets someone',
      argsSchema: { type: 'object', properties: { name: { type: 'string', description: 'Who' } }, required: ['name'] },
      complete: { name: () => ['Ada', 'Alan', 'Grace'] },
    },
    (args) => ({ messages: [{ role: 'user', content: { type: 'text', text: `Hello ${String(args.name)}` } }] }),
  );
}

/** Calls `method` and returns the result, or the error. */
async function call(url: string, method: string, params?: unknown, headers: Record<string, string> = {}): Promise<any> {
  const [message] = (await post(url, request(1, method, params), headers)).messages();
  return message.error ?? message.result;
}

describe('the method table', () => {
  it('answers ping with an empty result', async (t) => {
    const { url } = await useMcpServer(t);
    assert.deepEqual(await call(url, 'ping'), {});
  });

  it('pages tools/list by pageSize with an opaque cursor, and refuses a cursor it did not make', async (t) => {
    const { url } = await useMcpServer(t, { pageSize: 2 }, everything);
    const first = await call(url, 'tools/list');
    assert.deepEqual(first.tools.map((tool: { name: string }) => tool.name), ['tool_0', 'tool_1']);
    const second = await call(url, 'tools/list', { cursor: first.nextCursor });
    const third = await call(url, 'tools/list', { cursor: second.nextCursor });
    assert.deepEqual(third.tools.map((tool: { name: string }) => tool.name), ['tool_4']);
    assert.equal(third.nextCursor, undefined);
    assert.equal((await call(url, 'tools/list', { cursor: 'bogus' })).code, -32602);
  });

  it('lists and reads resources and templates; an unknown URI is -32002', async (t) => {
    const { url } = await useMcpServer(t, {}, everything);
    assert.deepEqual((await call(url, 'resources/list')).resources, [{ uri: 'file:///readme.md', name: 'readme', mimeType: 'text/markdown' }]);
    assert.deepEqual((await call(url, 'resources/templates/list')).resourceTemplates, [{ uriTemplate: 'file:///logs/{day}', name: 'logs' }]);
    assert.equal((await call(url, 'resources/read', { uri: 'file:///logs/monday' })).contents[0].text, 'log of monday');
    const missing = await call(url, 'resources/read', { uri: 'file:///nothing' });
    assert.deepEqual([missing.code, missing.data], [-32002, { uri: 'file:///nothing' }]);
    assert.equal((await call(url, 'resources/read', {})).code, -32602);
  });

  it('lists and gets prompts', async (t) => {
    const { url } = await useMcpServer(t, {}, everything);
    assert.deepEqual((await call(url, 'prompts/list')).prompts, [
      { name: 'greet', description: 'Greets someone', arguments: [{ name: 'name', description: 'Who', required: true }] },
    ]);
    assert.equal((await call(url, 'prompts/get', { name: 'greet', arguments: { name: 'Ada' } })).messages[0].content.text, 'Hello Ada');
    assert.equal((await call(url, 'prompts/get', { name: 'greet' })).code, -32602);
  });

  it('completes prompt arguments and template variables, at most 100 values', async (t) => {
    const { url } = await useMcpServer(t, {}, (server) => {
      everything(server);
      server.registerPrompt('many', { description: 'Many', complete: { x: () => Array.from({ length: 150 }, (_, index) => `v${index}`) } }, () => ({ messages: [] }));
    });
    assert.deepEqual(await call(url, 'completion/complete', { ref: { type: 'ref/prompt', name: 'greet' }, argument: { name: 'name', value: 'A' } }), {
      completion: { values: ['Ada', 'Alan', 'Grace'], total: 3, hasMore: false },
    });
    const days = await call(url, 'completion/complete', { ref: { type: 'ref/resource', uri: 'file:///logs/{day}' }, argument: { name: 'day', value: 'tu' } });
    assert.deepEqual(days.completion.values, ['tuesday']);
    const many = await call(url, 'completion/complete', { ref: { type: 'ref/prompt', name: 'many' }, argument: { name: 'x', value: '' } });
    assert.deepEqual([many.completion.values.length, many.completion.total, many.completion.hasMore], [100, 150, true]);
    const none = await call(url, 'completion/complete', { ref: { type: 'ref/prompt', name: 'greet' }, argument: { name: 'other', value: '' } });
    assert.deepEqual(none.completion.values, []);
    for (const params of [{ ref: { type: 'ref/prompt', name: 'nope' }, argument: { name: 'x', value: '' } }, { ref: { type: 'ref/other' }, argument: { name: 'x', value: '' } }, { ref: {}, argument: {} }, {}]) {
      assert.equal((await call(url, 'completion/complete', params)).code, -32602, JSON.stringify(params));
    }
  });

  it('sets the log level of a session, and refuses a level that is not one', async (t) => {
    const { url } = await useMcpServer(t, { stateful: true }, (server) => {
      server.registerTool('talk', { description: 'Logs at two levels' }, (_args, ctx) => {
        ctx.log('debug', 'quiet');
        ctx.log('error', 'loud', 'spec');
        return 'ok';
      });
    });
    const { sessionId } = await initialize(url);
    assert.deepEqual(await call(url, 'logging/setLevel', { level: 'warning' }, inSession(sessionId)), {});
    const messages = (await post(url, request(2, 'tools/call', { name: 'talk', arguments: {} }), inSession(sessionId))).messages();
    assert.deepEqual(
      messages.filter((message) => message.method === 'notifications/message').map((message) => message.params),
      [{ level: 'error', data: 'loud', logger: 'spec' }],
    );
    assert.equal((await call(url, 'logging/setLevel', { level: 'loud' }, inSession(sessionId))).code, -32602);
  });

  it('declares what it serves: tools and logging always, resources, prompts and completions when it has them, tasks from 2025-11-25', async (t) => {
    const bare = await useMcpServer(t);
    assert.deepEqual((await initialize(bare.url)).result.capabilities, { tools: {}, logging: {} });
    const full = await useMcpServer(t, { stateful: true }, (server) => {
      everything(server);
      server.registerTool('task', { description: 'May be a task', execution: { taskSupport: 'optional' } }, () => 'ok');
    });
    assert.deepEqual((await initialize(full.url)).result.capabilities, {
      tools: { listChanged: true },
      logging: {},
      resources: { subscribe: true, listChanged: true },
      prompts: { listChanged: true },
      completions: {},
      tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } },
    });
    assert.equal((await initialize(full.url, '2025-06-18')).result.capabilities.tasks, undefined);
  });

  it('answers a capability not negotiated with -32601: subscriptions without a session, tasks before 2025-11-25', async (t) => {
    const { url } = await useMcpServer(t, {}, everything);
    assert.equal((await call(url, 'resources/subscribe', { uri: 'file:///readme.md' })).code, -32601);
    assert.equal((await call(url, 'tasks/list', {}, { 'mcp-protocol-version': '2025-06-18' })).code, -32601);
    assert.deepEqual(await call(url, 'tasks/list', {}, { 'mcp-protocol-version': '2025-11-25' }), { tasks: [] });
  });

  it('subscribes a session to a resource, and tells it when the resource changes', async (t) => {
    const { url, server } = await useMcpServer(t, { stateful: true }, everything);
    const { sessionId } = await initialize(url);
    assert.deepEqual(await call(url, 'resources/subscribe', { uri: 'file:///readme.md' }, inSession(sessionId)), {});
    const stream = await fetch(url, { headers: { accept: 'text/event-stream', ...inSession(sessionId) } });
    const reader = stream.body!.getReader();
    await reader.read();
    assert.equal(server.notifyResourceUpdated('file:///readme.md'), 1);
    assert.equal(server.notifyResourceUpdated('file:///other'), 0);
    let text = '';
    while (!text.includes('resources/updated')) text += new TextDecoder().decode((await reader.read()).value);
    assert.match(text, /"params":\{"uri":"file:\/\/\/readme\.md"\}/);
    assert.deepEqual(await call(url, 'resources/unsubscribe', { uri: 'file:///readme.md' }, inSession(sessionId)), {});
    assert.equal(server.notifyResourceUpdated('file:///readme.md'), 0);
    await reader.cancel();
  });
});

describe('tools/call as an MCP task (2025-11-25)', () => {
  const headers = { 'mcp-protocol-version': '2025-11-25' };

  function taskTools(server: McpServer): void {
    server.registerTool('slow', { description: 'Takes a while', execution: { taskSupport: 'optional' } }, async (_args, ctx) => {
      await sleep(100, undefined, { signal: ctx.signal });
      return { content: [{ type: 'text', text: 'slow done' }] };
    });
    server.registerTool('only_task', { description: 'Only as a task', execution: { taskSupport: 'required' } }, () => 'ok');
    server.registerTool('never_task', { description: 'Never as a task' }, () => 'ok');
    server.registerTool('broken', { description: 'Fails', execution: { taskSupport: 'optional' } }, () => ({ content: [{ type: 'text', text: 'it broke' }], isError: true }));
  }

  it('creates a working task at once, tracked until it completes; tasks/result returns the result with the related-task _meta', async (t) => {
    const { url, server } = await useMcpServer(t, {}, taskTools);
    const created = await call(url, 'tools/call', { name: 'slow', arguments: {}, task: { ttl: 60_000 } }, headers);
    assert.equal(created.task.status, 'working');
    assert.equal(created.task.ttl, 60_000);
    assert.match(created.task.taskId, /^[0-9a-f-]{36}$/);
    assert.equal(server.getAsyncTaskInfo().activeCount, 1);
    const result = await call(url, 'tasks/result', { taskId: created.task.taskId }, headers);
    assert.deepEqual(result, { content: [{ type: 'text', text: 'slow done' }], _meta: { 'io.modelcontextprotocol/related-task': { taskId: created.task.taskId } } });
    assert.equal(server.getAsyncTaskInfo().activeCount, 0);
    const got = await call(url, 'tasks/get', { taskId: created.task.taskId }, headers);
    assert.equal(got.status, 'completed');
    assert.deepEqual((await call(url, 'tasks/list', {}, headers)).tasks.map((task: { taskId: string }) => task.taskId), [created.task.taskId]);
  });

  it('marks a task whose tool returned an error failed, with the message', async (t) => {
    const { url } = await useMcpServer(t, {}, taskTools);
    const created = await call(url, 'tools/call', { name: 'broken', arguments: {}, task: {} }, headers);
    const result = await call(url, 'tasks/result', { taskId: created.task.taskId }, headers);
    assert.equal(result.isError, true);
    const got = await call(url, 'tasks/get', { taskId: created.task.taskId }, headers);
    assert.deepEqual([got.status, got.statusMessage], ['failed', 'it broke']);
  });

  it('cancels a working task (its work is aborted), and refuses to cancel a finished one', async (t) => {
    const { url, server } = await useMcpServer(t, {}, taskTools);
    const created = await call(url, 'tools/call', { name: 'slow', arguments: {}, task: {} }, headers);
    const cancelled = await call(url, 'tasks/cancel', { taskId: created.task.taskId }, headers);
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(server.getAsyncTaskInfo().activeCount, 0);
    assert.equal((await call(url, 'tasks/cancel', { taskId: created.task.taskId }, headers)).code, -32602);
    assert.equal((await call(url, 'tasks/result', { taskId: created.task.taskId }, headers)).code, -32603);
  });

  it('refuses a task for a tool that forbids one, and a plain call of a tool that requires one (-32601)', async (t) => {
    const { url } = await useMcpServer(t, {}, taskTools);
    assert.equal((await call(url, 'tools/call', { name: 'never_task', arguments: {}, task: {} }, headers)).code, -32601);
    assert.equal((await call(url, 'tools/call', { name: 'only_task', arguments: {} }, headers)).code, -32601);
    assert.equal((await call(url, 'tools/call', { name: 'slow', arguments: {}, task: 'soon' }, headers)).code, -32602);
  });

  it('ignores params.task below 2025-11-25 and runs the call as usual', async (t) => {
    const { url } = await useMcpServer(t, {}, taskTools);
    const result = await call(url, 'tools/call', { name: 'slow', arguments: {}, task: {} }, { 'mcp-protocol-version': '2025-06-18' });
    assert.deepEqual(result.content, [{ type: 'text', text: 'slow done' }]);
  });

  it('answers an unknown task id -32602', async (t) => {
    const { url } = await useMcpServer(t, {}, taskTools);
    for (const method of ['tasks/get', 'tasks/result', 'tasks/cancel']) {
      assert.equal((await call(url, method, { taskId: 'nope' }, headers)).code, -32602, method);
    }
  });

  it('shows each requestor only its own tasks in tasks/list', async (t) => {
    const { url } = await useMcpServer(t, {}, taskTools);
    const mine = { ...headers, 'x-amzn-bedrock-agentcore-runtime-session-id': 'mine' };
    await call(url, 'tools/call', { name: 'slow', arguments: {}, task: {} }, mine);
    assert.equal((await call(url, 'tasks/list', {}, mine)).tasks.length, 1);
    assert.equal((await call(url, 'tasks/list', {}, { ...headers, 'x-amzn-bedrock-agentcore-runtime-session-id': 'theirs' })).tasks.length, 0);
  });

  it('stops waiting in tasks/result when its client goes away', async (t) => {
    const { url } = await useMcpServer(t, {}, (server) => {
      server.registerTool('long', { description: 'Long', execution: { taskSupport: 'optional' } }, async (_args, ctx) => {
        await sleep(5000, undefined, { signal: ctx.signal });
        return 'late';
      });
    });
    const created = await call(url, 'tools/call', { name: 'long', arguments: {}, task: {} }, headers);
    const controller = new AbortController();
    const waiting = post(url, request(2, 'tasks/result', { taskId: created.task.taskId }), headers, controller.signal).catch((error: Error) => error.name);
    await sleep(50);
    controller.abort();
    assert.equal(await waiting, 'AbortError');
    assert.equal((await call(url, 'tasks/get', { taskId: created.task.taskId }, headers)).status, 'working');
    await call(url, 'tasks/cancel', { taskId: created.task.taskId }, headers);
  });
});
