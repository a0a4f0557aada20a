import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';
import { getRequestContext } from '../../lib/index.js';
import type { McpContext, McpServer } from '../../lib/mcp/index.js';
import { EventStreamReader, initialize, inSession, outcomeOf, post, postModern, request, useMcpServer } from '../support/mcp.js';

/** Opens a tools/call in a session as a stream the test can answer from. */
async function openCall(url: string, sessionId: string | undefined, id: number, name: string, args: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Promise<EventStreamReader> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...inSession(sessionId) },
    body: JSON.stringify(request(id, 'tools/call', { name, arguments: args, ...extra })),
  });
  return new EventStreamReader(response);
}

/** Tools that ask the client things. */
function asking(server: McpServer): void {
  server.registerTool('ask', { description: 'Asks the user' }, async (_args, ctx) => {
    const answer = await ctx.elicitInput({ message: 'Your name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } });
    return `action=${answer.action} name=${String(answer.content?.name)}`;
  });
  server.registerTool('sample', { description: 'Asks the model' }, async (_args, ctx) => {
    const reply = await ctx.createMessage({ messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }], maxTokens: 10 });
    return `model=${reply.model}`;
  });
  server.registerTool('roots', { description: 'Asks for roots' }, async (_args, ctx) => `roots=${(await ctx.listRoots()).roots.length}`);
  server.registerTool('url', { description: 'Asks for a URL visit' }, async (_args, ctx) => {
    await ctx.elicitInput({ mode: 'url', message: 'Log in', elicitationId: 'e1', url: 'https://example.com' });
    return 'visited';
  });
}

describe('asking the client (stateful mode)', () => {
  it('sends elicitation/create on the request stream and resumes the tool with the answer the client POSTs', async (t) => {
    const { url } = await useMcpServer(t, { stateful: true }, asking);
    const { sessionId } = await initialize(url, '2025-11-25', { elicitation: {}, sampling: {}, roots: {} });
    const reader = await openCall(url, sessionId, 1, 'ask');
    const asked = await reader.next();
    assert.equal(asked.method, 'elicitation/create');
    assert.equal(asked.params.message, 'Your name?');
    const reply = await post(url, { jsonrpc: '2.0', id: asked.id, result: { action: 'accept', content: { name: 'Ada' } } }, inSession(sessionId));
    assert.equal(reply.status, 202);
    assert.deepEqual((await reader.next()).result.content, [{ type: 'text', text: 'action=accept name=Ada' }]);
  });

  it('sends sampling/createMessage and roots/list the same way', async (t) => {
    const { url } = await useMcpServer(t, { stateful: true }, asking);
    const { sessionId } = await initialize(url, '2025-11-25', { sampling: {}, roots: {} });
    const sampling = await openCall(url, sessionId, 1, 'sample');
    const sampleRequest = await sampling.next();
    assert.deepEqual([sampleRequest.method, sampleRequest.params.maxTokens], ['sampling/createMessage', 10]);
    await post(url, { jsonrpc: '2.0', id: sampleRequest.id, result: { role: 'assistant', content: { type: 'text', text: 'hey' }, model: 'm1' } }, inSession(sessionId));
    assert.equal((await sampling.next()).result.content[0].text, 'model=m1');
    const roots = await openCall(url, sessionId, 2, 'roots');
    const rootsRequest = await roots.next();
    assert.equal(rootsRequest.method, 'roots/list');
    await post(url, { jsonrpc: '2.0', id: rootsRequest.id, result: { roots: [{ uri: 'file:///a' }] } }, inSession(sessionId));
    assert.equal((await roots.next()).result.content[0].text, 'roots=1');
  });

  it("turns the client's error answer into the tool's error", async (t) => {
    const { url } = await useMcpServer(t, { stateful: true }, asking);
    const { sessionId } = await initialize(url, '2025-11-25', { sampling: {} });
    const reader = await openCall(url, sessionId, 1, 'sample');
    const asked = await reader.next();
    await post(url, { jsonrpc: '2.0', id: asked.id, error: { code: -1, message: 'User rejected sampling request' } }, inSession(sessionId));
    const result = (await reader.next()).result;
    assert.deepEqual([result.isError, result.content[0].text], [true, 'User rejected sampling request']);
  });

  it('refuses to ask what the client did not declare, or an older version has not', async (t) => {
    const { url } = await useMcpServer(t, { stateful: true }, asking);
    const { sessionId } = await initialize(url, '2025-11-25', {});
    const expected = { ask: /did not declare the elicitation capability/, sample: /did not declare the sampling capability/, roots: /did not declare the roots capability/ };
    for (const [name, reason] of Object.entries(expected)) {
      const [message] = (await post(url, request(1, 'tools/call', { name, arguments: {} }), inSession(sessionId))).messages();
      assert.equal(message.result.isError, true, name);
      assert.match(message.result.content[0].text, reason);
    }
    const formOnly = await initialize(url, '2025-11-25', { elicitation: {} });
    const [urlMode] = (await post(url, request(2, 'tools/call', { name: 'url', arguments: {} }), inSession(formOnly.sessionId))).messages();
    assert.match(urlMode.result.content[0].text, /URL elicitation/);
    const old = await initialize(url, '2025-03-26', { elicitation: {} });
    const [tooOld] = (await post(url, request(3, 'tools/call', { name: 'ask', arguments: {} }), inSession(old.sessionId, '2025-03-26'))).messages();
    assert.match(tooOld.result.content[0].text, /has no elicitation/);
  });

  it('cannot ask anything of a client of a stateless server', async (t) => {
    const { url } = await useMcpServer(t, {}, asking);
    const [message] = (await post(url, request(1, 'tools/call', { name: 'ask', arguments: {} }))).messages();
    assert.equal(message.result.isError, true);
    assert.match(message.result.content[0].text, /stateless/);
  });

  it('keeps a task in input_required while it waits for the client, with the related-task _meta on the request', async (t) => {
    const { url } = await useMcpServer(t, { stateful: true }, (server) => {
      server.registerTool('ask_later', { description: 'Asks as a task', execution: { taskSupport: 'required' } }, async (_args, ctx) => {
        const answer = await ctx.elicitInput({ message: 'Go on?', requestedSchema: { type: 'object', properties: {} } });
        return `task ${answer.action}`;
      });
    });
    const { sessionId } = await initialize(url, '2025-11-25', { elicitation: {} });
    const standalone = new EventStreamReader(await fetch(url, { headers: { accept: 'text/event-stream', ...inSession(sessionId) } }));
    const [created] = (await post(url, request(1, 'tools/call', { name: 'ask_later', arguments: {}, task: {} }), inSession(sessionId))).messages();
    const taskId = created.result.task.taskId;
    let asked = await standalone.next();
    while (asked.method !== 'elicitation/create') asked = await standalone.next();
    assert.deepEqual(asked.params._meta, { 'io.modelcontextprotocol/related-task': { taskId } });
    const [status] = (await post(url, request(2, 'tasks/get', { taskId }), inSession(sessionId))).messages();
    assert.equal(status.result.status, 'input_required');
    await post(url, { jsonrpc: '2.0', id: asked.id, result: { action: 'accept', content: {} } }, inSession(sessionId));
    const [result] = (await post(url, request(3, 'tasks/result', { taskId }), inSession(sessionId))).messages();
    assert.equal(result.result.content[0].text, 'task accept');
    await standalone.cancel();
  });
});

describe('a task asking its client (stateful mode)', () => {
  it('sends its request on the stream of a tasks/result waiting on it, when there is no GET stream', async (t) => {
    const { url } = await useMcpServer(t, { stateful: true }, (server) => {
      server.registerTool('confirm', { description: 'Asks before it goes on', execution: { taskSupport: 'optional' } }, async (_args, ctx) => {
        const answer = await ctx.elicitInput({ message: 'Delete?', requestedSchema: { type: 'object', properties: {} } });
        return `confirmed: ${answer.action}`;
      });
    });
    const { sessionId } = await initialize(url, '2025-11-25', { elicitation: {} });
    const [created] = (await post(url, request(1, 'tools/call', { name: 'confirm', arguments: {}, task: {} }), inSession(sessionId))).messages();
    const taskId = created.result.task.taskId;
    let status = '';
    while (status !== 'input_required') {
      [status] = (await post(url, request(2, 'tasks/get', { taskId }), inSession(sessionId))).messages().map((message) => message.result.status);
    }
    const waiting = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...inSession(sessionId) },
      body: JSON.stringify(request(3, 'tasks/result', { taskId })),
    });
    const reader = new EventStreamReader(waiting);
    const asked = await reader.next();
    assert.equal(asked.method, 'elicitation/create');
    await post(url, { jsonrpc: '2.0', id: asked.id, result: { action: 'decline' } }, inSession(sessionId));
    const result = await reader.next();
    assert.deepEqual([result.id, result.result.content[0].text], [3, 'confirmed: decline']);
  });

  it('gives up when no stream to the client comes in time', async (t) => {
    const { url } = await useMcpServer(t, { stateful: { clientRequestTimeoutMs: 100 } }, (server) => {
      server.registerTool('confirm', { description: 'Asks', execution: { taskSupport: 'required' } }, async (_args, ctx) => {
        await ctx.elicitInput({ message: 'Delete?', requestedSchema: { type: 'object', properties: {} } });
        return 'never';
      });
    });
    const { sessionId } = await initialize(url, '2025-11-25', { elicitation: {} });
    const [created] = (await post(url, request(1, 'tools/call', { name: 'confirm', arguments: {}, task: {} }), inSession(sessionId))).messages();
    await sleep(300);
    const [got] = (await post(url, request(2, 'tasks/get', { taskId: created.result.task.taskId }), inSession(sessionId))).messages();
    assert.deepEqual([got.result.status, got.result.statusMessage], ['failed', 'No stream to the client within 100 ms: open the GET stream, or wait in tasks/result']);
  });
});

describe('what a handler knows', () => {
  it('has the AgentCore request context, the MCP ids, the client and the _meta of the request', async (t) => {
    let seen: McpContext | undefined;
    let sameContext = false;
    const { url } = await useMcpServer(t, { stateful: true }, (server) => {
      server.registerTool('who', { description: 'Looks at its context' }, (_args, ctx) => {
        seen = ctx;
        sameContext = getRequestContext()?.requestId === ctx.requestId;
        return 'ok';
      });
    });
    const { sessionId } = await initialize(url);
    await post(url, request('abc', 'tools/call', { name: 'who', arguments: {}, _meta: { progressToken: 5 } }), {
      ...inSession(sessionId),
      'x-amzn-bedrock-agentcore-runtime-request-id': 'req-1',
      'x-amzn-bedrock-agentcore-runtime-session-id': 'runtime-1',
      'x-amz-bedrock-agentcore-identity-wat': 'secret-token',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01',
    });
    const ctx = seen!;
    assert.deepEqual([ctx.requestId, ctx.sessionId, ctx.jsonRpcId, ctx.mcpSessionId, ctx.protocolVersion], ['req-1', 'runtime-1', 'abc', sessionId, '2025-11-25']);
    assert.deepEqual([ctx.clientInfo?.name, ctx.meta, ctx.taskId, ctx.trace.traceId], ['spec', { progressToken: 5 }, undefined, '0af7651916cd43dd8448eb211c80319c']);
    assert.equal(ctx.workloadAccessToken, 'secret-token');
    assert.equal(ctx.headers['x-amz-bedrock-agentcore-identity-wat'], 'secret-token');
    assert.equal(ctx.requestHeaders, ctx.headers);
    assert.equal(ctx.oauth2CallbackUrl, undefined);
    assert.equal(ctx.request.method, 'POST');
    assert.deepEqual(ctx.clientCapabilities, {});
    assert.equal(sameContext, true);
    const shown = inspect(ctx);
    assert.doesNotMatch(shown, /secret-token/);
    assert.match(shown, /jsonRpcId: 'abc'/);
    assert.equal(JSON.parse(JSON.stringify(ctx)).workloadAccessToken, '[REDACTED]');
  });

  it('reports progress only with a token, and only when it grows', async (t) => {
    const results: boolean[] = [];
    const { url } = await useMcpServer(t, {}, (server) => {
      server.registerTool('progress', { description: 'Reports progress' }, (_args, ctx) => {
        results.push(ctx.progress(1), ctx.progress(1), ctx.progress(0.5), ctx.progress(2, 2), ctx.progress(Number.NaN));
        results.push(ctx.log('verbose' as never, 'x'));
        return 'ok';
      });
    });
    await post(url, request(1, 'tools/call', { name: 'progress', arguments: {} }));
    assert.deepEqual(results, [false, false, false, false, false, false]);
    results.length = 0;
    const messages = (await post(url, request(2, 'tools/call', { name: 'progress', arguments: {}, _meta: { progressToken: 't' } }))).messages();
    assert.deepEqual(results, [true, false, false, true, false, false]);
    assert.deepEqual(
      messages.filter((message) => message.method === 'notifications/progress').map((message) => message.params),
      [
        { progressToken: 't', progress: 1 },
        { progressToken: 't', progress: 2, total: 2 },
      ],
    );
  });
});

describe('the context of a 2026-07-28 request', () => {
  function tools(server: McpServer): void {
    server.registerTool('logs', { description: 'Logs at two levels' }, (_args, ctx) => {
      ctx.log('info', 'detail');
      ctx.log('error', 'problem', 'checker');
      return JSON.stringify({ era: ctx.era, version: ctx.protocolVersion, client: ctx.clientInfo?.name, context: JSON.parse(JSON.stringify(ctx)).era });
    });
    server.registerTool('url', { description: 'Asks for a URL visit' }, async (_args, ctx) => {
      await ctx.elicitInput({ mode: 'url', message: 'Log in', elicitationId: 'e1', url: 'https://example.com' });
      return 'visited';
    });
    server.registerTool('roots', { description: 'Asks for roots' }, async (_args, ctx) => `roots=${(await ctx.listRoots()).roots.length}`);
  }

  it('sends log messages at or above the level the request names, on its own answer, and none without a level', async (t) => {
    const { url } = await useMcpServer(t, {}, tools);
    const quiet = await postModern(url, 1, 'tools/call', { name: 'logs', arguments: {} });
    assert.deepEqual(quiet.messages().map((message) => message.method ?? 'result'), ['result']);
    assert.deepEqual(JSON.parse(outcomeOf(quiet).content[0].text), { era: 'modern', version: '2026-07-28', client: 'spec', context: 'modern' });
    const loud = await postModern(url, 2, 'tools/call', { name: 'logs', arguments: {} }, { meta: { 'io.modelcontextprotocol/logLevel': 'warning' } });
    assert.deepEqual(
      loud.messages().filter((message) => message.method === 'notifications/message').map((message) => message.params),
      [{ level: 'error', data: 'problem', logger: 'checker' }],
    );
  });

  it('refuses an ask the request declared no capability for with -32021 naming the capability', async (t) => {
    const { url } = await useMcpServer(t, {}, tools);
    const url1 = await postModern(url, 1, 'tools/call', { name: 'url', arguments: {} }, { capabilities: { elicitation: {} } });
    assert.deepEqual([url1.status, outcomeOf(url1).data], [400, { requiredCapabilities: { elicitation: { url: {} } } }]);
    assert.deepEqual(outcomeOf(await postModern(url, 2, 'tools/call', { name: 'roots', arguments: {} })).data, { requiredCapabilities: { roots: {} } });
    const answered = await postModern(url, 3, 'tools/call', { name: 'roots', arguments: {}, inputResponses: { input_1: { roots: [{ uri: 'file:///a' }] } } }, { capabilities: { roots: {} } });
    assert.equal(outcomeOf(answered).content[0].text, 'roots=1');
  });
});
