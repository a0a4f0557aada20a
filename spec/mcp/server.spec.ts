import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { McpServer, ResourceTemplate } from '../../lib/mcp/index.js';
import { EventStreamReader, initialize, inSession, ping, post, request, useMcpServer } from '../support/mcp.js';

describe('McpServer on the core', () => {
  it("listens on MCP's contract port, 8000, when neither PORT nor listen() names one", async (t) => {
    const previous = process.env.PORT;
    t.after(() => {
      if (previous === undefined) delete process.env.PORT;
      else process.env.PORT = previous;
    });
    delete process.env.PORT;
    const server = new McpServer({ logLevel: 'silent' });
    t.after(() => server.close({ graceMs: 0 }));
    try {
      assert.equal((await server.listen({ host: '127.0.0.1' })).port, 8000);
    } catch (error) {
      assert.match((error as Error).message, /127\.0\.0\.1:8000/);
    }
  });

  it('serves GET /ping beside /mcp: HealthyBusy while an MCP task works, the stamp moving once each way', async (t) => {
    const { url, base, server } = await useMcpServer(t, {}, (mcp) => {
      mcp.registerTool('work', { description: 'Works 1.2 s', execution: { taskSupport: 'optional' } }, async () => {
        await sleep(1200);
        return 'worked';
      });
    });
    const before = await ping(base);
    assert.equal(before.status, 'Healthy');
    const [created] = (await post(url, request(1, 'tools/call', { name: 'work', arguments: {}, task: {} }), { 'mcp-protocol-version': '2025-11-25' })).messages();
    const busy = await ping(base);
    assert.equal(busy.status, 'HealthyBusy');
    assert.equal(server.getCurrentPingStatus(), 'HealthyBusy');
    const polls: { status: string; time_of_last_update: number }[] = [];
    for (;;) {
      polls.push(await ping(base));
      const [status] = (await post(url, request(2, 'tasks/get', { taskId: created.result.task.taskId }), { 'mcp-protocol-version': '2025-11-25' })).messages();
      if (status.result.status === 'completed') break;
      await sleep(100);
    }
    const after = await ping(base);
    assert.equal(after.status, 'Healthy');
    // The last poll may already see the end (the task completed between it and tasks/get).
    const whileWorking = polls.slice(0, -1);
    assert.ok(whileWorking.length >= 5);
    assert.ok(whileWorking.every((poll) => poll.status === 'HealthyBusy' && poll.time_of_last_update === busy.time_of_last_update), 'the stamp moved while busy');
    assert.ok(after.time_of_last_update >= busy.time_of_last_update);
  });

  it('warns at listen when there is nothing to serve', async (t) => {
    const { logs } = await useMcpServer(t);
    assert.ok(logs.some((record) => record.level === 'warn' && /no MCP tools, resources or prompts/.test(record.message)));
    const served = await useMcpServer(t, {}, (server) => server.registerPrompt('p', { description: 'p' }, () => ({ messages: [] })));
    assert.equal(served.logs.some((record) => /no MCP tools/.test(record.message)), false);
  });

  it('serves its path where the option says', async (t) => {
    const { base } = await useMcpServer(t, { path: '/rpc' });
    assert.equal((await post(`${base}/rpc`, request(1, 'ping'))).status, 200);
    assert.equal((await post(`${base}/mcp`, request(1, 'ping'))).status, 404);
  });

  it('answers in process with request(), as over the network', async () => {
    const server = new McpServer({ logLevel: 'silent' });
    server.registerTool('hi', { description: 'Says hi' }, () => 'hi');
    const response = await server.request('/mcp', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request(1, 'tools/call', { name: 'hi' })) });
    assert.deepEqual(((await response.json()) as { result: unknown }).result, { content: [{ type: 'text', text: 'hi' }] });
  });

  it('lets browser pages in with the cors option: GET and DELETE preflights, Mcp-Session-Id readable', async (t) => {
    const { url } = await useMcpServer(t, { stateful: true, cors: { origin: '*' } });
    const preflight = await fetch(url, { method: 'OPTIONS', headers: { origin: 'https://ui.example', 'access-control-request-method': 'DELETE' } });
    assert.equal(preflight.headers.get('access-control-allow-methods'), 'POST, GET, DELETE');
    const answer = await post(url, request(0, 'initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c', version: '1' } }), { origin: 'https://ui.example' });
    assert.equal(answer.headers.get('access-control-expose-headers'), 'Mcp-Session-Id');
    const own = await useMcpServer(t, { cors: { origin: '*', exposeHeaders: ['X-Mine'] } });
    assert.equal((await post(own.url, request(1, 'ping'), { origin: 'https://ui.example' })).headers.get('access-control-expose-headers'), 'X-Mine');
  });
});

describe('telling sessions about changes', () => {
  it('sends one list_changed per kind and tick to every session, on its GET stream', async (t) => {
    const { url, server } = await useMcpServer(t, { stateful: true });
    const { sessionId } = await initialize(url);
    const reader = new EventStreamReader(await fetch(url, { headers: { accept: 'text/event-stream', ...inSession(sessionId) } }));
    server.registerTool('a', { description: 'a' }, () => 'a');
    server.registerTool('b', { description: 'b' }, () => 'b').remove();
    server.registerPrompt('p', { description: 'p' }, () => ({ messages: [] }));
    server.registerResource('r', new ResourceTemplate('r://{x}'), {}, () => ({ contents: [] }));
    const methods = [(await reader.next()).method, (await reader.next()).method, (await reader.next()).method];
    assert.deepEqual(methods.sort(), ['notifications/prompts/list_changed', 'notifications/resources/list_changed', 'notifications/tools/list_changed']);
    await reader.cancel();
  });

  it('sends task status changes to the session that owns the task', async (t) => {
    const { url } = await useMcpServer(t, { stateful: true }, (server) => {
      server.registerTool('quick', { description: 'Quick', execution: { taskSupport: 'optional' } }, () => 'quick');
    });
    const { sessionId } = await initialize(url);
    const reader = new EventStreamReader(await fetch(url, { headers: { accept: 'text/event-stream', ...inSession(sessionId) } }));
    await post(url, request(1, 'tools/call', { name: 'quick', arguments: {}, task: {} }), inSession(sessionId));
    const status = await reader.next();
    assert.deepEqual([status.method, status.params.status], ['notifications/tasks/status', 'completed']);
    await reader.cancel();
  });
});

describe('shutdown', () => {
  it('ends GET streams at once, then sessions and the tasks the grace period left', async (t) => {
    const { url, server, close } = await useMcpServer(t, { stateful: true }, (mcp) => {
      mcp.registerTool('forever', { description: 'Never ends by itself', execution: { taskSupport: 'optional' } }, async (_args, ctx) => {
        await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
        return 'stopped';
      });
    });
    const { sessionId } = await initialize(url);
    const stream = await fetch(url, { headers: { accept: 'text/event-stream', ...inSession(sessionId) } });
    await post(url, request(1, 'tools/call', { name: 'forever', arguments: {}, task: {} }), inSession(sessionId));
    assert.equal(server.getAsyncTaskInfo().activeCount, 1);
    const started = Date.now();
    await close({ graceMs: 300 });
    await stream.text();
    assert.ok(Date.now() - started < 3000);
    assert.equal(server.sessionCount, 0);
    assert.equal(server.getAsyncTaskInfo().activeCount, 0);
  });
});
