import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { McpServer } from '../../lib/mcp/index.js';
import { EventStreamReader, modernMeta, outcomeOf, postModern, TASKS_CAPABILITY, useMcpServer } from '../support/mcp.js';

const SUBSCRIPTION = 'io.modelcontextprotocol/subscriptionId';

function registry(server: McpServer): void {
  server.registerTool('slow', { description: 'Works a moment', execution: { taskSupport: 'optional' } }, async () => {
    await sleep(30);
    return 'done';
  });
  server.registerPrompt('p', { description: 'A prompt' }, () => ({ messages: [] }));
  server.registerResource('r', 'note://r', {}, (uri) => ({ contents: [{ uri: uri.href, text: 'r' }] }));
}

/** Opens a listen stream with `notifications`; resolves with its reader once the headers came. */
async function listen(url: string, id: number | string, notifications: unknown, capabilities: Record<string, unknown> = {}): Promise<{ response: Response; reader: EventStreamReader }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'subscriptions/listen' },
    body: JSON.stringify({ jsonrpc: '2.0', id, method: 'subscriptions/listen', params: { notifications, _meta: modernMeta(capabilities) } }),
  });
  return { response, reader: new EventStreamReader(response) };
}

describe('subscriptions/listen', () => {
  it('acknowledges first with the kinds it will deliver, then tags every notification with the listen id', async (t) => {
    const { url, server } = await useMcpServer(t, {}, registry);
    const { response, reader } = await listen(url, 'listen:1', { toolsListChanged: true, resourceSubscriptions: ['note://r'], unknownKind: true });
    assert.equal(response.headers.get('content-type'), 'text/event-stream');
    assert.deepEqual(await reader.next(), {
      jsonrpc: '2.0',
      method: 'notifications/subscriptions/acknowledged',
      params: { _meta: { [SUBSCRIPTION]: 'listen:1' }, notifications: { toolsListChanged: true, resourceSubscriptions: ['note://r'] } },
    });
    server.notifyListChanged('prompts');
    server.notifyListChanged('tools');
    server.notifyListChanged('tools');
    assert.deepEqual(await reader.next(), { jsonrpc: '2.0', method: 'notifications/tools/list_changed', params: { _meta: { [SUBSCRIPTION]: 'listen:1' } } });
    assert.equal(server.notifyResourceUpdated('note://other'), 0);
    assert.equal(server.notifyResourceUpdated('note://r'), 1);
    assert.deepEqual(await reader.next(), { jsonrpc: '2.0', method: 'notifications/resources/updated', params: { uri: 'note://r', _meta: { [SUBSCRIPTION]: 'listen:1' } } });
    server.registerTool('added', { description: 'Added' }, () => 'x');
    assert.equal((await reader.next()).method, 'notifications/tools/list_changed', 'registering is a change too');
    assert.throws(() => server.notifyListChanged('roots' as 'tools'), TypeError);
    await reader.cancel();
  });

  it('drops kinds the server cannot deliver (no prompts, no resources) and ends the stream when the client goes away', async (t) => {
    const { url } = await useMcpServer(t, {}, (server) => server.registerTool('only', { description: 'Only a tool' }, () => 'x'));
    const { reader } = await listen(url, 7, { promptsListChanged: true, resourcesListChanged: true, resourceSubscriptions: ['x://y'] });
    assert.deepEqual((await reader.next()).params.notifications, {});
    await reader.cancel();
  });

  it('delivers task states to a stream that names the task (tasks extension), and refuses task ids without the extension', async (t) => {
    const { url } = await useMcpServer(t, {}, registry);
    const task = outcomeOf(await postModern(url, 1, 'tools/call', { name: 'slow', arguments: {} }, { capabilities: TASKS_CAPABILITY }));
    const { reader } = await listen(url, 2, { taskIds: [task.taskId] }, TASKS_CAPABILITY);
    assert.deepEqual((await reader.next()).params.notifications, { taskIds: [task.taskId] });
    const update = await reader.next();
    assert.deepEqual([update.method, update.params.taskId, update.params.status, update.params._meta[SUBSCRIPTION]], ['notifications/tasks', task.taskId, 'completed', 2]);
    assert.deepEqual(update.params.result.content, [{ type: 'text', text: 'done' }]);
    await reader.cancel();
    const refused = await postModern(url, 3, 'subscriptions/listen', { notifications: { taskIds: ['x'] } });
    assert.deepEqual([refused.status, refused.json().error.code], [400, -32021]);
  });

  it('refuses a missing or malformed filter with -32602, and a stream past maxStreams with -32603', async (t) => {
    const { url, server } = await useMcpServer(t, { subscriptions: { maxStreams: 1, maxEntries: 2 } }, registry);
    assert.equal((await postModern(url, 1, 'subscriptions/listen', {})).json().error.code, -32602);
    assert.equal((await postModern(url, 2, 'subscriptions/listen', { notifications: { resourceSubscriptions: 'note://r' } })).json().error.code, -32602);
    assert.equal((await postModern(url, 3, 'subscriptions/listen', { notifications: { resourceSubscriptions: ['a', 'b', 'c'] } })).json().error.code, -32602);
    const { reader } = await listen(url, 4, { toolsListChanged: true });
    await reader.next();
    const second = await postModern(url, 5, 'subscriptions/listen', { notifications: {} });
    assert.deepEqual([second.json().id, second.json().error.code], [5, -32603]);
    await reader.cancel();
    for (let waited = 0; waited < 1000; waited += 10) {
      server.notifyListChanged('tools');
      const again = await listen(url, 6, {});
      const first = await again.reader.next();
      await again.reader.cancel();
      if (first.method === 'notifications/subscriptions/acknowledged') return;
      await sleep(10);
    }
    assert.fail('the closed stream never made room');
  });

  it('gives each stream its final result when the server shuts down, then ends it', async (t) => {
    const { url, close } = await useMcpServer(t, {}, registry);
    const { reader } = await listen(url, 'listen:9', { toolsListChanged: true });
    await reader.next();
    const closing = close({ graceMs: 5000 });
    assert.deepEqual(await reader.next(), {
      jsonrpc: '2.0',
      id: 'listen:9',
      result: { resultType: 'complete', _meta: { [SUBSCRIPTION]: 'listen:9', 'io.modelcontextprotocol/serverInfo': { name: 'agentcore-lite-mcp', version: '1.0.0' } } },
    });
    assert.equal(await reader.next(), undefined);
    await closing;
  });
});
