import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { spawnAgent, type AgentExit, type AgentProcess } from '../support/agent-process.js';

const EXAMPLE_PATH = fileURLToPath(new URL('../../examples/async-processing.js', import.meta.url));

describe('run() in a real process', () => {
  const startExample = (env: Record<string, string>): Promise<AgentProcess> => spawnAgent(EXAMPLE_PATH, { env });

  it('exits 0 on SIGTERM after the running task completes within the grace', async () => {
    const { child, port } = await startExample({});
    const start = await fetch(`http://127.0.0.1:${port}/invocations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"action":"process","seconds":0.5}' });
    assert.equal(start.status, 200);
    const started = Date.now();
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 0);
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 300 && elapsed < 5000, `exited after ${elapsed} ms`);
  });

  it('exits at once with code 1 on a second signal', async () => {
    const { child, port } = await startExample({});
    await fetch(`http://127.0.0.1:${port}/invocations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"action":"process","seconds":60}' });
    const started = Date.now();
    child.kill('SIGTERM');
    await sleep(100);
    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 1);
    assert.ok(Date.now() - started < 3000);
  });

  it('prints a clear error and exits non-zero when the port is in use', async (t) => {
    const first = await startExample({});
    t.after(() => first.child.kill('SIGKILL'));
    await assert.rejects(startExample({ PORT: String(first.port) }), (error: AgentExit) => {
      assert.equal(error.code, 1);
      assert.match(error.output, /already in use \(EADDRINUSE\)/);
      return true;
    });
  });
});
