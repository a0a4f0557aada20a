import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { JsonRpcError, ResourceTemplate, type McpServer } from '../../lib/mcp/index.js';
import { initialize, inSession, outcomeOf, ping, post, postModern, request, TASKS_CAPABILITY, useMcpServer } from '../support/mcp.js';

const SERVER_INFO = { 'io.modelcontextprotocol/serverInfo': { name: 'agentcore-lite-mcp', version: '1.0.0' } };
const nameForm = { type: 'object' as const, properties: { name: { type: 'string' } }, required: ['name'] };

function registry(server: McpServer): void {
  server.registerTool('echo', { description: 'Echoes', inputSchema: { type: 'object', properties: { text: { type: 'string' } } } }, (args) => String(args.text ?? ''));
  server.registerTool('slow', { description: 'Works for a while', execution: { taskSupport: 'optional' } }, async (_args, ctx) => {
    await sleep(150, undefined, { signal: ctx.signal });
    return `done as ${String(ctx.taskId)}`;
  });
  server.registerResource('note', 'note://a', { mimeType: 'text/plain' }, (uri) => ({ contents: [{ uri: uri.href, text: 'a' }] }));
  server.registerResource('asked', new ResourceTemplate('note://asked/{id}'), {}, async (uri, _variables, ctx) => {
    const answer = await ctx.elicitInput({ message: 'Which?', requestedSchema: nameForm }, { key: 'which' });
    return { contents: [{ uri: uri.href, text: String(answer.content?.name) }], ttlMs: 60_000, cacheScope: 'public' };
  });
  server.registerPrompt('hello', { description: 'Says hello' }, () => ({ messages: [{ role: 'user', content: { type: 'text', text: 'hello' } }] }));
}

describe('2026-07-28 results', () => {
  it('server/discover names the modern versions, the capabilities (the tasks extension, no tasks slot), instructions and cache hints', async (t) => {
    const { url } = await useMcpServer(t, { instructions: 'Be brief.' }, registry);
    const result = outcomeOf(await postModern(url, 1, 'server/discover'));
    assert.deepEqual(result, {
      resultType: 'complete',
      supportedVersions: ['2026-07-28'],
      capabilities: {
        tools: { listChanged: true },
        logging: {},
        prompts: { listChanged: true },
        resources: { subscribe: true, listChanged: true },
        completions: {},
        extensions: { 'io.modelcontextprotocol/tasks': {} },
      },
      instructions: 'Be brief.',
      _meta: SERVER_INFO,
      ttlMs: 0,
      cacheScope: 'private',
    });
  });

  it('puts resultType and serverInfo on every result, cache hints on the cacheable ones only (the cache option, or a reader\'s own)', async (t) => {
    const { url } = await useMcpServer(t, { cache: { ttlMs: 300_000, scope: 'public' } }, registry);
    const listed = outcomeOf(await postModern(url, 1, 'tools/list'));
    assert.deepEqual([listed.resultType, listed.ttlMs, listed.cacheScope, listed._meta], ['complete', 300_000, 'public', SERVER_INFO]);
    const called = outcomeOf(await postModern(url, 2, 'tools/call', { name: 'echo', arguments: { text: 'x' } }));
    assert.deepEqual(called, { resultType: 'complete', content: [{ type: 'text', text: 'x' }], _meta: SERVER_INFO });
    for (const method of ['prompts/list', 'resources/list', 'resources/templates/list']) assert.equal(outcomeOf(await postModern(url, 3, method)).ttlMs, 300_000, method);
    assert.equal(outcomeOf(await postModern(url, 4, 'resources/read', { uri: 'note://a' })).cacheScope, 'public');
    const completed = outcomeOf(await postModern(url, 5, 'completion/complete', { ref: { type: 'ref/prompt', name: 'hello' }, argument: { name: 'x', value: '' } }));
    assert.deepEqual([completed.resultType, completed.ttlMs], ['complete', undefined]);
  });

  it('lists tools in the same order every time, without the 2025-11-25 execution field', async (t) => {
    const { url } = await useMcpServer(t, {}, registry);
    const first = outcomeOf(await postModern(url, 1, 'tools/list')).tools;
    assert.deepEqual(first.map((tool: { name: string }) => tool.name), ['echo', 'slow']);
    assert.equal(first[1].execution, undefined);
    assert.deepEqual(outcomeOf(await postModern(url, 2, 'tools/list')).tools, first);
    const legacy = (await post(url, request(3, 'tools/list'))).json().result.tools;
    assert.deepEqual(legacy[1].execution, { taskSupport: 'optional' }, 'the legacy era keeps it');
  });

  it('answers a resource nothing serves with -32602 and its URI (not the legacy -32002), and other errors as they are', async (t) => {
    const { url } = await useMcpServer(t, {}, registry);
    const error = outcomeOf(await postModern(url, 1, 'resources/read', { uri: 'note://missing' }));
    assert.deepEqual([error.code, error.data], [-32602, { uri: 'note://missing' }]);
    const notUri = outcomeOf(await postModern(url, 2, 'resources/read', { uri: 'not a uri' }));
    assert.deepEqual([notUri.code, notUri.message], [-32602, 'Invalid params: uri must be an absolute URI']);
  });
});

describe('multi round-trip requests', () => {
  it('answers input_required, then the result when the client retries with the answer; the same for prompts and resources', async (t) => {
    const { url } = await useMcpServer(t, {}, (server) => {
      registry(server);
      server.registerPrompt('ask', { description: 'Asks for a name' }, async (_args, ctx) => {
        const answer = await ctx.elicitInput({ message: 'Name?', requestedSchema: nameForm }, { key: 'user' });
        return { messages: [{ role: 'user', content: { type: 'text', text: `for ${String(answer.content?.name)}` } }] };
      });
    });
    const capabilities = { elicitation: {} };
    const first = outcomeOf(await postModern(url, 1, 'prompts/get', { name: 'ask' }, { capabilities }));
    assert.deepEqual(Object.keys(first).sort(), ['_meta', 'inputRequests', 'requestState', 'resultType']);
    assert.deepEqual(first.inputRequests.user.method, 'elicitation/create');
    const retry = { name: 'ask', inputResponses: { user: { action: 'accept', content: { name: 'Ada' } } }, requestState: first.requestState };
    assert.equal(outcomeOf(await postModern(url, 2, 'prompts/get', retry, { capabilities })).messages[0].content.text, 'for Ada');
    const read = outcomeOf(await postModern(url, 3, 'resources/read', { uri: 'note://asked/1' }, { capabilities }));
    assert.equal(read.resultType, 'input_required');
    assert.equal(read.ttlMs, undefined, 'no cache hints on input_required');
    const done = outcomeOf(await postModern(url, 4, 'resources/read', { uri: 'note://asked/1', inputResponses: { which: { action: 'accept', content: { name: 'B' } } } }, { capabilities }));
    assert.deepEqual([done.contents[0].text, done.ttlMs, done.cacheScope], ['B', 60_000, 'public']);
  });

  it('re-runs the handler on each round, aborting the run that needed input, and refuses a changed state', async (t) => {
    const runs: string[] = [];
    const { url } = await useMcpServer(t, {}, (server) => {
      server.registerTool('two_steps', { description: 'Asks twice' }, async (_args, ctx) => {
        runs.push('run');
        ctx.signal.addEventListener('abort', () => runs.push('aborted'));
        const one = await ctx.elicitInput({ message: '1?', requestedSchema: nameForm });
        const two = await ctx.elicitInput({ message: '2?', requestedSchema: nameForm });
        return `${String(one.content?.name)}+${String(two.content?.name)}`;
      });
    });
    const capabilities = { elicitation: {} };
    const call = (id: number, extra: Record<string, unknown>): Promise<any> => postModern(url, id, 'tools/call', { name: 'two_steps', arguments: {}, ...extra }, { capabilities }).then(outcomeOf);
    const r1 = await call(1, {});
    assert.deepEqual(Object.keys(r1.inputRequests), ['input_1']);
    const r2 = await call(2, { requestState: r1.requestState, inputResponses: { input_1: { action: 'accept', content: { name: 'a' } } } });
    assert.deepEqual(Object.keys(r2.inputRequests), ['input_2']);
    assert.notEqual(r2.requestState, r1.requestState);
    const tampered = await call(3, { requestState: `${r2.requestState}-TAMPERED`, inputResponses: { input_2: { action: 'accept', content: { name: 'b' } } } });
    assert.equal(tampered.code, -32602);
    const r3 = await call(4, { requestState: r2.requestState, inputResponses: { input_2: { action: 'accept', content: { name: 'b' } } } });
    assert.deepEqual(r3.content, [{ type: 'text', text: 'a+b' }]);
    assert.deepEqual(runs, ['run', 'aborted', 'run', 'aborted', 'run']);
  });

  it('answers a malformed answer with -32602 even when the handler catches it, and keeps a tool\'s own JsonRpcError', async (t) => {
    const { url } = await useMcpServer(t, {}, (server) => {
      server.registerTool('careless', { description: 'Catches everything' }, async (_args, ctx) => {
        try {
          await ctx.elicitInput({ message: '?', requestedSchema: nameForm }, { key: 'k' });
        } catch {
          // Goes on regardless.
        }
        return 'went on';
      });
      server.registerTool('own_error', { description: 'Throws a protocol error' }, () => {
        throw new JsonRpcError(-32099, 'my own');
      });
    });
    const capabilities = { elicitation: {} };
    assert.equal(outcomeOf(await postModern(url, 1, 'tools/call', { name: 'careless', arguments: {}, inputResponses: { k: 12345 } }, { capabilities })).code, -32602);
    assert.equal(outcomeOf(await postModern(url, 2, 'tools/call', { name: 'careless', arguments: {} }, { capabilities })).resultType, 'input_required');
    const own = await postModern(url, 3, 'tools/call', { name: 'own_error', arguments: {} });
    assert.deepEqual([own.status, outcomeOf(own).code], [200, -32099]);
  });
});

describe('the tasks extension', () => {
  it('makes a task of a call that declares the extension and works past its first turn; /ping is busy until it completes', async (t) => {
    const { url, base } = await useMcpServer(t, {}, registry);
    const created = outcomeOf(await postModern(url, 1, 'tools/call', { name: 'slow', arguments: {} }, { capabilities: TASKS_CAPABILITY }));
    assert.deepEqual([created.resultType, created.status, created.ttlMs, created.pollIntervalMs], ['task', 'working', 3_600_000, 500]);
    assert.equal(created.task, undefined);
    assert.equal((await ping(base)).status, 'HealthyBusy');
    const working = outcomeOf(await postModern(url, 2, 'tasks/get', { taskId: created.taskId }, { capabilities: TASKS_CAPABILITY }));
    assert.deepEqual([working.resultType, working.taskId, working.status], ['complete', created.taskId, 'working']);
    await sleep(250);
    const completed = outcomeOf(await postModern(url, 3, 'tasks/get', { taskId: created.taskId }, { capabilities: TASKS_CAPABILITY }));
    assert.deepEqual(completed.result, { content: [{ type: 'text', text: `done as ${created.taskId}` }] });
    assert.equal((await ping(base)).status, 'Healthy');
    const plain = outcomeOf(await postModern(url, 4, 'tools/call', { name: 'slow', arguments: {}, task: { ttl: 1000 } }));
    assert.deepEqual(plain.content, [{ type: 'text', text: 'done as undefined' }], 'without the extension it runs in the call; params.task is ignored');
  });

  it('answers a call finished within its first turn directly (optional), inside a finished task (required), and refuses a required tool without the extension', async (t) => {
    const { url } = await useMcpServer(t, {}, (server) => {
      server.registerTool('quick', { description: 'Quick', execution: { taskSupport: 'optional' } }, () => 'quick');
      server.registerTool('only_task', { description: 'Only as a task', execution: { taskSupport: 'required' } }, () => 'at once');
    });
    assert.equal(outcomeOf(await postModern(url, 1, 'tools/call', { name: 'quick', arguments: {} }, { capabilities: TASKS_CAPABILITY })).resultType, 'complete');
    const task = outcomeOf(await postModern(url, 2, 'tools/call', { name: 'only_task', arguments: {} }, { capabilities: TASKS_CAPABILITY }));
    assert.equal(task.resultType, 'task');
    const got = outcomeOf(await postModern(url, 3, 'tasks/get', { taskId: task.taskId }, { capabilities: TASKS_CAPABILITY }));
    assert.deepEqual([got.status, got.result.content[0].text], ['completed', 'at once']);
    const refused = await postModern(url, 4, 'tools/call', { name: 'only_task', arguments: {} });
    assert.deepEqual([refused.status, outcomeOf(refused).code, outcomeOf(refused).data], [400, -32021, { requiredCapabilities: { extensions: { 'io.modelcontextprotocol/tasks': {} } } }]);
  });

  it('asks before the task on the call, and during it through tasks/update; a protocol error fails a task', async (t) => {
    const { url } = await useMcpServer(t, {}, (server) => {
      server.registerTool('staged', { description: 'Asks, works, asks', execution: { taskSupport: 'required' } }, async (_args, ctx) => {
        const who = await ctx.elicitInput({ message: 'Who?', requestedSchema: nameForm }, { key: 'who' });
        await sleep(20, undefined, { signal: ctx.signal });
        const sure = await ctx.elicitInput({ message: 'Sure?', requestedSchema: nameForm }, { key: 'sure' });
        return `${String(who.content?.name)} ${String(sure.content?.name)}`;
      });
      server.registerTool('breaks', { description: 'Fails', execution: { taskSupport: 'required' } }, async () => {
        await sleep(10);
        throw new JsonRpcError(-32603, 'broke');
      });
    });
    const capabilities = { elicitation: {}, ...TASKS_CAPABILITY };
    const get = (id: number, taskId: string): Promise<any> => postModern(url, id, 'tasks/get', { taskId }, { capabilities }).then(outcomeOf);
    const asked = outcomeOf(await postModern(url, 1, 'tools/call', { name: 'staged', arguments: {} }, { capabilities }));
    assert.deepEqual([asked.resultType, asked.taskId, Object.keys(asked.inputRequests)], ['input_required', undefined, ['who']]);
    const task = outcomeOf(await postModern(url, 2, 'tools/call', { name: 'staged', arguments: {}, requestState: asked.requestState, inputResponses: { who: { action: 'accept', content: { name: 'Ada' } } } }, { capabilities }));
    assert.deepEqual([task.resultType, task.requestState, task.inputRequests], ['task', undefined, undefined]);
    let state = await get(3, task.taskId);
    for (let tries = 0; state.status !== 'input_required' && tries < 50; tries++) state = await get(3, task.taskId);
    assert.deepEqual(Object.keys(state.inputRequests), ['sure']);
    const ack = outcomeOf(await postModern(url, 4, 'tasks/update', { taskId: task.taskId, inputResponses: { sure: { action: 'accept', content: { name: 'yes' } } } }, { capabilities }));
    assert.deepEqual(ack, { resultType: 'complete', _meta: SERVER_INFO });
    await sleep(10);
    assert.equal((await get(5, task.taskId)).result.content[0].text, 'Ada yes');
    const broken = outcomeOf(await postModern(url, 6, 'tools/call', { name: 'breaks', arguments: {} }, { capabilities }));
    await sleep(50);
    const failed = await get(7, broken.taskId);
    assert.deepEqual([failed.status, failed.error, failed.result], ['failed', { code: -32603, message: 'broke' }, undefined]);
  });

  it('refuses a task past tasks.maxTasks while every kept task works (-32603), stopping the handler it had started', async (t) => {
    const stopped: string[] = [];
    const { url } = await useMcpServer(t, { tasks: { maxTasks: 1 } }, (server) => {
      server.registerTool('long', { description: 'Waits', execution: { taskSupport: 'optional' } }, async (_args, ctx) => {
        ctx.signal.addEventListener('abort', () => stopped.push(String(ctx.taskId)));
        await sleep(500, undefined, { signal: ctx.signal }).catch(() => undefined);
        return 'done';
      });
    });
    const first = outcomeOf(await postModern(url, 1, 'tools/call', { name: 'long', arguments: {} }, { capabilities: TASKS_CAPABILITY }));
    const refused = outcomeOf(await postModern(url, 2, 'tools/call', { name: 'long', arguments: {} }, { capabilities: TASKS_CAPABILITY }));
    assert.deepEqual([first.resultType, refused.code], ['task', -32603]);
    assert.equal(stopped.length, 1);
    assert.notEqual(stopped[0], first.taskId);
  });

  it('cancels a task (the work aborts), acknowledges a cancel of a finished one, and knows only its own era\'s tasks', async (t) => {
    const { url, base } = await useMcpServer(t, {}, (server) => {
      registry(server);
      server.registerTool('forever', { description: 'Waits', execution: { taskSupport: 'optional' } }, async (_args, ctx) => {
        await sleep(60_000, undefined, { signal: ctx.signal });
        return 'never';
      });
    });
    const capabilities = TASKS_CAPABILITY;
    const task = outcomeOf(await postModern(url, 1, 'tools/call', { name: 'forever', arguments: {} }, { capabilities }));
    assert.deepEqual(outcomeOf(await postModern(url, 2, 'tasks/cancel', { taskId: task.taskId }, { capabilities })), { resultType: 'complete', _meta: SERVER_INFO });
    assert.equal(outcomeOf(await postModern(url, 3, 'tasks/get', { taskId: task.taskId }, { capabilities })).status, 'cancelled');
    assert.equal(outcomeOf(await postModern(url, 4, 'tasks/cancel', { taskId: task.taskId }, { capabilities })).resultType, 'complete');
    assert.equal(outcomeOf(await postModern(url, 5, 'tasks/update', { taskId: task.taskId, inputResponses: { late: {} } }, { capabilities })).resultType, 'complete');
    assert.equal(outcomeOf(await postModern(url, 6, 'tasks/update', { taskId: task.taskId, inputResponses: null }, { capabilities })).code, -32602);
    assert.equal((await ping(base)).status, 'Healthy');
    assert.equal(outcomeOf(await postModern(url, 7, 'tasks/get', { taskId: 'tasks-conformance-nonexistent-12345' }, { capabilities })).code, -32602);
    const { sessionId } = await initialize(url);
    const legacy = (await post(url, request(8, 'tools/call', { name: 'slow', arguments: {}, task: {} }), inSession(sessionId))).json().result.task;
    assert.equal(outcomeOf(await postModern(url, 9, 'tasks/get', { taskId: legacy.taskId }, { capabilities })).code, -32602);
  });
});
