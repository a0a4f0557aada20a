import assert from 'node:assert/strict';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { server } from '../../examples/a2a-async-processing.js';
import { spawnAgent } from '../support/agent-process.js';
import { pingStatus, rpc, rpcStream, userMessage, userMessageV03 } from '../support/a2a.js';

const EXAMPLE_PATH = fileURLToPath(new URL('../../examples/a2a-async-processing.js', import.meta.url));

const textParts = (parts: { text?: string }[]): string[] => parts.filter((part) => part.text !== undefined).map((part) => part.text!);

describe('the A2A async-processing example agent', () => {
  let url: string;
  before(async () => {
    const address = await server.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${address.port}`;
  });
  after(() => server.close({ graceMs: 0 }));

  it('describes its skills on its card', async () => {
    const card = (await (await fetch(`${url}/.well-known/agent-card.json`)).json()) as { name: string; skills: { id: string }[] };
    assert.equal(card.name, 'async-processing');
    assert.deepEqual(card.skills.map((skill) => skill.id), ['process', 'cleanup', 'status']);
  });

  it('processes a data id for the seconds asked, busy meanwhile, then completes with an artifact naming it', async () => {
    const pending = rpc(url, 'SendMessage', { message: userMessage('process d42 0.3') });
    await sleep(100);
    assert.equal(await pingStatus(url), 'HealthyBusy');
    const task = (await pending).body.result.task;
    assert.equal(task.status.state, 'TASK_STATE_COMPLETED');
    assert.deepEqual(textParts(task.artifacts[0].parts), ['Processed d42']);
    assert.deepEqual(task.artifacts[0].parts[1].data, { data_id: 'd42', status: 'processed' });
    assert.equal(await pingStatus(url), 'Healthy');
  });

  it('streams a process: the task, working, the artifact, completed', async () => {
    const { events } = await rpcStream(url, 'message/stream', { message: userMessageV03('process d7 0.1') }, '0.3');
    assert.deepEqual(events.map((event) => event.result.kind), ['task', 'status-update', 'artifact-update', 'status-update']);
    assert.equal(events[1].result.status.message.parts[0].text, 'Processing d7');
    assert.equal(events[3].result.status.state, 'completed');
    assert.equal(events[3].result.final, true);
  });

  it('cleans up, by default for the seed’s ten seconds', async () => {
    const task = (await rpc(url, 'SendMessage', { message: userMessage('cleanup 0.05') })).body.result.task;
    assert.equal(task.status.message.parts[0].text, 'Cleanup done');
    const long = (await rpc(url, 'SendMessage', { message: userMessage('cleanup'), configuration: { returnImmediately: true } })).body.result.task;
    await sleep(200);
    assert.equal((await rpc(url, 'GetTask', { id: long.id })).body.result.status.state, 'TASK_STATE_WORKING');
    await rpc(url, 'CancelTask', { id: long.id });
  });

  it('answers status with the ping status, the active count and the running jobs, as the seed does', async () => {
    const running = (await rpc(url, 'SendMessage', { message: userMessage('process d9'), configuration: { returnImmediately: true } })).body.result.task;
    const answer = (await rpc(url, 'SendMessage', { message: userMessage('status') })).body.result.message;
    const status = answer.parts[0].data;
    assert.equal(status.ping_status, 'HealthyBusy');
    assert.equal(status.active_tasks, 1);
    assert.equal(status.running_jobs[0].name, 'a2a_task');
    assert.equal(status.running_jobs[0].metadata.task_id, running.id);
    assert.equal(typeof status.running_jobs[0].duration, 'number');
    // A working task can be canceled, and the session is idle again.
    assert.equal((await rpc(url, 'CancelTask', { id: running.id })).body.result.status.state, 'TASK_STATE_CANCELED');
    assert.equal(await pingStatus(url), 'Healthy');
  });

  it('answers anything else with the usage text', async () => {
    for (const text of ['hello', '']) {
      const message = (await rpc(url, 'SendMessage', { message: userMessage(text) })).body.result.message;
      assert.match(message.parts[0].text, /^Send "process <data_id> \[seconds\]"/);
    }
  });

  it('serves on port 9000 when run as a program without PORT, and exits 0 on SIGTERM', { timeout: 30_000 }, async () => {
    const agent = await spawnAgent(EXAMPLE_PATH, { env: { PORT: '' } }).catch((error: { output?: string }) => error);
    if ('output' in agent && !('child' in agent)) {
      // Port 9000 is taken on this shared machine: the error must name it.
      assert.match(String(agent.output), /9000/);
      return;
    }
    const running = agent as Awaited<ReturnType<typeof spawnAgent>>;
    assert.equal(running.port, 9000);
    assert.equal((await fetch('http://127.0.0.1:9000/ping')).status, 200);
    running.child.kill('SIGTERM');
    const [code] = (await once(running.child, 'exit')) as [number | null];
    assert.equal(code, 0);
  });
});
