import assert from 'node:assert/strict';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { server } from '../../examples/mcp-async-processing.js';
import { spawnAgent } from '../support/agent-process.js';
import { initialize, inSession, outcomeOf, ping, post, postModern, request, TASKS_CAPABILITY } from '../support/mcp.js';

const EXAMPLE_PATH = fileURLToPath(new URL('../../examples/mcp-async-processing.js', import.meta.url));
const V = { 'mcp-protocol-version': '2025-11-25' };

async function callTool(url: string, name: string, args: Record<string, unknown>, extra: Record<string, unknown> = {}, headers: Record<string, string> = V): Promise<any> {
  const [message] = (await post(url, request(1, 'tools/call', { name, arguments: args, ...extra }), headers)).messages();
  return message.result ?? message.error;
}

describe('the MCP async-processing example (the seed as an MCP server)', () => {
  let base: string;
  let url: string;
  before(async () => {
    const address = await server.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${address.port}`;
    url = `${base}/mcp`;
  });
  after(() => server.close({ graceMs: 0 }));

  it('lists process, status and cleanup, process able to run as a task', async () => {
    const [message] = (await post(url, request(1, 'tools/list'), V)).messages();
    const tools = message.result.tools as { name: string; execution?: { taskSupport: string } }[];
    assert.deepEqual(tools.map((tool) => tool.name), ['process', 'status', 'cleanup', 'delete_data']);
    assert.equal(tools[0]!.execution?.taskSupport, 'optional');
  });

  it("starts process as the seed does when no task is asked for: a tracked job whose id comes back at once", async () => {
    const started = await callTool(url, 'process', { data_id: 'd-1', seconds: 0.3 });
    assert.deepEqual(started.structuredContent, { message: 'Started processing d-1', task_id: started.structuredContent.task_id, status: 'processing' });
    const status = (await callTool(url, 'status', {})).structuredContent;
    assert.equal(status.ping_status, 'HealthyBusy');
    assert.deepEqual(status.running_jobs.map((job: { name: string; metadata?: unknown }) => [job.name, job.metadata]), [['data_processing', { data_id: 'd-1' }]]);
    const cleanup = (await callTool(url, 'cleanup', { seconds: 0.1 })).structuredContent;
    assert.deepEqual(cleanup, { message: 'Started cleanup', task_id: started.structuredContent.task_id + 1 });
    await sleep(450);
    assert.equal((await ping(base)).status, 'Healthy');
  });

  it('runs process as an MCP task when asked: busy until it completes, its result from tasks/result', async () => {
    const created = await callTool(url, 'process', { data_id: 'd-2', seconds: 0.3 }, { task: { ttl: 60_000 } });
    assert.equal(created.task.status, 'working');
    assert.equal((await ping(base)).status, 'HealthyBusy');
    const [result] = (await post(url, request(2, 'tasks/result', { taskId: created.task.taskId }), V)).messages();
    assert.deepEqual(result.result.content, [{ type: 'text', text: 'Processed d-2' }]);
    assert.equal((await ping(base)).status, 'Healthy');
  });

  it('runs process as a task of the 2026-07-28 extension for a client that declares it, busy until tasks/get says completed', async () => {
    const created = outcomeOf(await postModern(url, 1, 'tools/call', { name: 'process', arguments: { data_id: 'd-3', seconds: 0.3 } }, { capabilities: TASKS_CAPABILITY }));
    assert.deepEqual([created.resultType, created.status], ['task', 'working']);
    assert.equal((await ping(base)).status, 'HealthyBusy');
    let task = created;
    while (task.status === 'working') {
      await sleep(50);
      task = outcomeOf(await postModern(url, 2, 'tasks/get', { taskId: created.taskId }, { capabilities: TASKS_CAPABILITY }));
    }
    assert.deepEqual(task.result.structuredContent, { data_id: 'd-3', status: 'completed' });
    assert.equal((await ping(base)).status, 'Healthy');
    const seedWay = outcomeOf(await postModern(url, 3, 'tools/call', { name: 'process', arguments: { data_id: 'd-4', seconds: 0 } }));
    assert.equal(seedWay.structuredContent.status, 'processing', 'without the extension: the seed way');
  });

  it('asks before delete_data: input_required then a retry under 2026-07-28; a stateless legacy server cannot ask and keeps the data', async () => {
    const capabilities = { elicitation: {} };
    const asked = outcomeOf(await postModern(url, 1, 'tools/call', { name: 'delete_data', arguments: { data_id: 'old' } }, { capabilities }));
    assert.equal(asked.inputRequests.confirm.method, 'elicitation/create');
    const confirmed = { name: 'delete_data', arguments: { data_id: 'old' }, requestState: asked.requestState, inputResponses: { confirm: { action: 'accept', content: { confirm: true } } } };
    assert.equal(outcomeOf(await postModern(url, 2, 'tools/call', confirmed, { capabilities })).content[0].text, 'Deleted old');
    const declined = { ...confirmed, inputResponses: { confirm: { action: 'decline' } } };
    assert.equal(outcomeOf(await postModern(url, 3, 'tools/call', declined, { capabilities })).content[0].text, 'Kept old');
    const legacy = await callTool(url, 'delete_data', { data_id: 'old' });
    assert.equal(legacy.isError, true);
    assert.match(legacy.content[0].text, /stateless/);
  });

  it('refuses arguments that break the schema with a tool error', async () => {
    const refused = await callTool(url, 'process', { seconds: -1 });
    assert.equal(refused.isError, true);
  });

  it('serves sessions with MCP_STATEFUL=1 and exits 0 on SIGTERM', async (t) => {
    const agent = await spawnAgent(EXAMPLE_PATH, { env: { MCP_STATEFUL: '1' } });
    t.after(() => agent.child.kill('SIGKILL'));
    const childUrl = `http://127.0.0.1:${agent.port}/mcp`;
    const { sessionId } = await initialize(childUrl);
    assert.ok(sessionId);
    const [message] = (await post(childUrl, request(1, 'tools/call', { name: 'status', arguments: {} }), inSession(sessionId))).messages();
    assert.equal(message.result.structuredContent.ping_status, 'Healthy');
    agent.child.kill('SIGTERM');
    const [code] = (await once(agent.child, 'exit')) as [number | null];
    assert.equal(code, 0, agent.output());
  });
});
