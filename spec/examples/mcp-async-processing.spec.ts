import assert from 'node:assert/strict';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { server } from '../../examples/mcp-async-processing.js';
import { spawnAgent } from '../support/agent-process.js';
import { initialize, inSession, ping, post, request } from '../support/mcp.js';

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
