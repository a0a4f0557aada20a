/**
 * Behaviours from issue #12 (hardening) that belong to modules whose spec files are being
 * reorganized; each block moves into the spec of its module.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { invoke, startApp } from './support/server.js';
import { spawnAgent } from './support/agent-process.js';

describe('answers to values a handler throws that are not Errors', () => {
  it('says what was thrown: the string itself, an object as JSON, and its kind', async (t) => {
    const thrown: unknown[] = ['boom', { code: 42 }, 7, null];
    let next = 0;
    const server = await startApp({}, (app) =>
      app.entrypoint(() => {
        throw thrown[next++];
      }),
    );
    t.after(() => server.close());
    const answers = [];
    for (let i = 0; i < thrown.length; i++) answers.push((await invoke(server, {})).json());
    assert.deepEqual(answers, [
      { error: 'boom', code: 'HANDLER_ERROR', error_type: 'thrown string' },
      { error: '{"code":42}', code: 'HANDLER_ERROR', error_type: 'thrown object' },
      { error: '7', code: 'HANDLER_ERROR', error_type: 'thrown number' },
      { error: 'null', code: 'HANDLER_ERROR', error_type: 'thrown null' },
    ]);
    const logged = server.logs.filter((record) => record.message === 'invocation handler failed');
    assert.deepEqual(logged.map((record) => [record.errorType, record.errorMessage]), [
      ['thrown string', 'boom'],
      ['thrown object', '{"code":42}'],
      ['thrown number', '7'],
      ['thrown null', 'null'],
    ]);
  });
});

describe('listen()', () => {
  it('logs one JSON line containing "Server listening" (what the AgentCore CLI waits for)', async (t) => {
    const server = await startApp({}, (app) => app.entrypoint(() => 1));
    t.after(() => server.close());
    const line = server.logs.find((record) => String(record.message).includes('Server listening'));
    assert.ok(line, 'no listening line');
    assert.equal(line.message, `Server listening on http://127.0.0.1:${server.port}`);
    assert.equal(line.port, server.port);
  });

  it('warns when no entrypoint is registered', async (t) => {
    const server = await startApp();
    t.after(() => server.close());
    assert.ok(server.logs.some((record) => record.level === 'warn' && /no entrypoint registered/.test(String(record.message))));
  });
});

describe('run() called twice', () => {
  it('refuses the second call and keeps serving', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'agentcore-run-twice-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const script = join(dir, 'agent.mjs');
    const library = pathToFileURL(join(process.cwd(), 'dist', 'lib', 'index.js')).href;
    await writeFile(
      script,
      `import { AgentCoreApp } from ${JSON.stringify(library)};\n` +
        `const app = new AgentCoreApp();\napp.entrypoint(() => ({ ok: true }));\n` +
        `await app.run();\n` +
        `await app.run().then(() => console.log('second run resolved'), (error) => console.log(JSON.stringify({ refused: error.message })));\n`,
    );
    const { child, port, output } = await spawnAgent(script);
    const answer = await fetch(`http://127.0.0.1:${port}/invocations`, { method: 'POST', body: '{}' });
    assert.deepEqual(await answer.json(), { ok: true });
    assert.match(output(), /"refused":"AgentCoreApp is already running"/);
    assert.match(output(), /run\(\) called on an app that is already serving; ignored/);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0);
  });
});
