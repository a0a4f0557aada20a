import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { McpServer } from '../../lib/mcp/index.js';
import { modernMeta, notification, post, postModern, request, useMcpServer } from '../support/mcp.js';

function tools(server: McpServer): void {
  server.registerTool('echo', { description: 'Echoes', inputSchema: { type: 'object', properties: { text: { type: 'string' } } } }, (args) => String(args.text ?? ''));
  server.registerTool('needs_sampling', { description: 'Asks the model' }, async (_args, ctx) => {
    await ctx.createMessage({ messages: [], maxTokens: 1 });
    return 'asked';
  });
  server.registerTool('as_task', { description: 'May run as a task', execution: { taskSupport: 'optional' } }, () => 'done');
}

const HEADERS = { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'server/discover' };

describe('2026-07-28 on POST /mcp: the checks before dispatch, in order', () => {
  it('answers a well-formed request, echoing the id, with no session header', async (t) => {
    const { url } = await useMcpServer(t, { stateful: true }, tools);
    const answer = await postModern(url, 0, 'tools/call', { name: 'echo', arguments: { text: 'hi' } }, { headers: { 'mcp-session-id': 'forwarded-by-the-platform' } });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('mcp-session-id'), null);
    assert.deepEqual(answer.json().id, 0);
    assert.deepEqual(answer.json().result.content, [{ type: 'text', text: 'hi' }]);
  });

  it('refuses a missing or malformed envelope with 400 -32602, before looking at the headers', async (t) => {
    const { url } = await useMcpServer(t, {}, tools);
    const missing = await post(url, request(101, 'server/discover', {}), HEADERS);
    assert.deepEqual([missing.status, missing.json().id, missing.json().error.code], [400, 101, -32602]);
    const noParams = await post(url, request(102, 'server/discover'), { ...HEADERS, 'mcp-protocol-version': '2027-01-01' });
    assert.deepEqual([noParams.status, noParams.json().error.code], [400, -32602]);
    const badLevel = await post(url, request(103, 'server/discover', { _meta: modernMeta({}, { 'io.modelcontextprotocol/logLevel': 'loud' }) }), HEADERS);
    assert.equal(badLevel.json().error.code, -32602);
  });

  it('refuses headers disagreeing with the body (-32020) before an unsupported version (-32022)', async (t) => {
    const { url } = await useMcpServer(t, {}, tools);
    const meta = modernMeta({}, { 'io.modelcontextprotocol/protocolVersion': 'v999.0.0' });
    const mismatch = await post(url, request(302, 'server/discover', { _meta: meta }), HEADERS);
    assert.deepEqual([mismatch.status, mismatch.json().id, mismatch.json().error.code], [400, 302, -32020]);
    const unsupported = await post(url, request(301, 'server/discover', { _meta: meta }), { ...HEADERS, 'mcp-protocol-version': 'v999.0.0' });
    assert.deepEqual([unsupported.status, unsupported.json().error.code], [400, -32022]);
    assert.deepEqual(unsupported.json().error.data, { supported: ['2026-07-28'], requested: 'v999.0.0' });
    const legacyInEnvelope = await post(url, request(303, 'tools/list', { _meta: modernMeta({}, { 'io.modelcontextprotocol/protocolVersion': '2025-11-25' }) }), { 'mcp-method': 'tools/list' });
    assert.deepEqual([legacyInEnvelope.status, legacyInEnvelope.json().error.code], [400, -32022], 'a legacy version inside the envelope is no way into the legacy era');
  });

  it('requires the standard headers: 400 -32020 without MCP-Protocol-Version, Mcp-Method or a matching Mcp-Name', async (t) => {
    const { url } = await useMcpServer(t, {}, tools);
    const call = { name: 'echo', arguments: {} };
    assert.equal((await postModern(url, 1, 'tools/call', call, { headers: { 'mcp-protocol-version': null } })).json().error.code, -32020);
    assert.equal((await postModern(url, 2, 'tools/list', {}, { headers: { 'mcp-method': null } })).json().error.code, -32020);
    assert.equal((await postModern(url, 3, 'tools/call', call, { headers: { 'mcp-name': null } })).status, 400);
    assert.equal((await postModern(url, 4, 'tools/call', call, { headers: { 'mcp-name': 'wrong_tool_name' } })).json().error.code, -32020);
    assert.equal((await postModern(url, 5, 'tools/call', call, { headers: { 'mcp-name': '  echo  ' } })).status, 200, 'spaces around a value are not part of it');
    assert.equal((await postModern(url, 6, 'tools/list', {}, { headers: { 'mcp-method': 'TOOLS/LIST' } })).json().error.code, -32020);
  });

  it('answers methods 2026-07-28 does not have with 404 -32601, the removed ones included', async (t) => {
    const { url } = await useMcpServer(t, {}, tools);
    for (const method of ['initialize', 'ping', 'logging/setLevel', 'resources/subscribe', 'tasks/result', 'tasks/list', 'unknown/method', 'prompts/list', 'resources/read']) {
      const answer = await postModern(url, 500, method, method === 'resources/read' ? { uri: 'file:///x' } : {});
      assert.deepEqual([answer.status, answer.json().id, answer.json().error.code], [404, 500, -32601], method);
    }
  });

  it('answers the tasks extension\'s methods with 404 -32601 when no tool may run as a task (nothing declares the extension)', async (t) => {
    const { url } = await useMcpServer(t, {}, (server) => server.registerTool('plain', { description: 'Never a task' }, () => 'x'));
    const answer = await postModern(url, 1, 'tasks/get', { taskId: 'x' }, { capabilities: { extensions: { 'io.modelcontextprotocol/tasks': {} } } });
    assert.deepEqual([answer.status, answer.json().error.code], [404, -32601]);
  });

  it('answers -32021 with HTTP 400 for a capability the request did not declare, naming it', async (t) => {
    const { url } = await useMcpServer(t, {}, tools);
    const answer = await postModern(url, 401, 'tools/call', { name: 'needs_sampling', arguments: {} });
    assert.deepEqual([answer.status, answer.json().error.code], [400, -32021]);
    assert.deepEqual(answer.json().error.data, { requiredCapabilities: { sampling: {} } });
    const gated = await postModern(url, 402, 'tasks/get', { taskId: 'gate-test' });
    assert.deepEqual([gated.status, gated.json().error.code], [400, -32021]);
    assert.deepEqual(gated.json().error.data, { requiredCapabilities: { extensions: { 'io.modelcontextprotocol/tasks': {} } } });
  });

  it('refuses batches and posted responses with 400 -32600, accepts notifications with 202, and answers an invalid message 400', async (t) => {
    const { url } = await useMcpServer(t, {}, tools);
    const batch = await post(url, [request(1, 'tools/list', { _meta: modernMeta() })], HEADERS);
    assert.deepEqual([batch.status, batch.json().error.code], [400, -32600]);
    const response = await post(url, { jsonrpc: '2.0', id: 9, result: {} }, HEADERS);
    assert.deepEqual([response.status, response.json().id, response.json().error.code], [400, 9, -32600]);
    const cancelled = await post(url, notification('notifications/cancelled', { requestId: 'listen:1', _meta: modernMeta() }), { ...HEADERS, 'mcp-method': 'notifications/cancelled' });
    assert.deepEqual([cancelled.status, cancelled.text], [202, '']);
    const invalid = await post(url, { jsonrpc: '2.0', id: 4, method: 7 }, HEADERS);
    assert.deepEqual([invalid.status, invalid.json().id, invalid.json().error.code], [400, 4, -32600]);
  });

  it('answers GET and DELETE with 405 (no GET stream, no sessions)', async (t) => {
    const { url } = await useMcpServer(t, {}, tools);
    for (const method of ['GET', 'DELETE']) {
      const answer = await fetch(url, { method, headers: { 'mcp-protocol-version': '2026-07-28', accept: 'text/event-stream' } });
      assert.deepEqual([answer.status, answer.headers.get('allow')], [405, 'POST'], method);
    }
  });

  it('logs one line per request with the trace its _meta names', async (t) => {
    const { url, logs } = await useMcpServer(t, { logLevel: 'info' }, tools);
    await postModern(url, 7, 'tools/list', {}, { meta: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01' } });
    const line = logs.find((record) => record.message === 'MCP request completed');
    assert.equal(line?.method, 'tools/list');
    assert.equal(line?.traceId, '0af7651916cd43dd8448eb211c80319c');
  });

  it('answers malformed 2026-07-28 input with a JSON-RPC error, never a crash or a hung socket', async (t) => {
    const { url, base } = await useMcpServer(t, {}, tools);
    const meta = modernMeta();
    const bodies: unknown[] = [
      request(1, 'tools/call', []),
      request(2, 'tools/call', { _meta: { ...meta, 'io.modelcontextprotocol/clientCapabilities': null } }),
      request(3, 'tools/call', { name: 42, arguments: {}, _meta: meta }),
      request(4, 'tools/call', { name: 'echo', arguments: [1], _meta: meta }),
      request(5, 'tools/call', { name: 'echo', arguments: {}, inputResponses: 'x', _meta: meta }),
      request(6, 'tools/call', { name: 'echo', arguments: {}, requestState: 17, _meta: meta }),
      request(7, 'tools/call', { name: 'echo', arguments: {}, requestState: 'a.b.c', _meta: meta }),
      request(8, 'subscriptions/listen', { notifications: null, _meta: meta }),
      request(9, 'server/discover', { _meta: { ...meta, 'io.modelcontextprotocol/clientInfo': 'me' } }),
      request(10, 'completion/complete', { ref: null, _meta: meta }),
      request(11, 'tools/list', { cursor: 'not-ours', _meta: meta }),
    ];
    for (const body of bodies) {
      const { method, params } = body as { method: string; params: { name?: unknown } };
      const headers: Record<string, string> = { 'mcp-protocol-version': '2026-07-28', 'mcp-method': method };
      if (typeof params.name === 'string') headers['mcp-name'] = params.name;
      const answer = await post(url, body, headers);
      assert.ok(answer.status === 200 || answer.status === 400 || answer.status === 404, `${answer.status} for ${JSON.stringify(body)}`);
      const message = answer.messages().at(-1);
      assert.equal(message.id, (body as { id: number }).id);
      assert.equal(typeof message.error?.code, 'number', JSON.stringify(message));
    }
    assert.equal((await fetch(`${base}/ping`)).status, 200);
  });
});
