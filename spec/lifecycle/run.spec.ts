import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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
    assert.match(output(), /"refused":"The server is already running"/);
    assert.match(output(), /run\(\) called on an app that is already serving; ignored/);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0);
  });
});

/** Writes an agent script importing the built library and returns its path. */
async function agentScript(t: { after(fn: () => Promise<void>): void }, body: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'agentcore-process-errors-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const script = join(dir, 'agent.mjs');
  const library = pathToFileURL(join(process.cwd(), 'dist', 'lib', 'index.js')).href;
  await writeFile(script, `import { AgentCoreApp } from ${JSON.stringify(library)};\n${body}`);
  return script;
}

const REQUEST_HEADERS = {
  'content-type': 'application/json',
  'x-amzn-bedrock-agentcore-runtime-request-id': 'req-7',
  'x-amzn-bedrock-agentcore-runtime-session-id': 'session-7',
};

/** The JSON log lines a process printed. */
function logLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('run() with nothing to serve', () => {
  it('refuses an app with neither an entrypoint nor a WebSocket handler: a clear error, exit 1, no port bound', async (t) => {
    const script = await agentScript(t, `const app = new AgentCoreApp();\nawait app.run();\nconsole.log('run() returned');\n`);
    const failed = await spawnAgent(script).then(
      (agent) => {
        agent.child.kill('SIGKILL');
        return undefined;
      },
      (error: AgentExit) => error,
    );
    assert.ok(failed !== undefined, 'the agent listened with nothing to serve');
    assert.equal(failed.code, 1);
    const logged = logLines(failed.output).find((line) => line.level === 'error');
    assert.match(String(logged?.message), /run\(\) needs something to serve: call app\.entrypoint\(handler\)/);
    assert.doesNotMatch(failed.output, /Server listening|run\(\) returned/);
  });

  it('runs an app that only serves /ws', async (t) => {
    const script = await agentScript(t, `const app = new AgentCoreApp();\napp.websocket((socket) => socket.close());\nawait app.run();\n`);
    const { child, port } = await spawnAgent(script);
    t.after(() => child.kill('SIGKILL'));
    assert.equal((await fetch(`http://127.0.0.1:${port}/ping`)).status, 200);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0);
  });
});

describe('run() owns the process: errors nothing handled', () => {
  it('logs a stray rejected promise with the request and session ids, and keeps serving', async (t) => {
    const script = await agentScript(
      t,
      `const app = new AgentCoreApp();\napp.entrypoint(() => { Promise.reject(new Error('stray')); return 1; });\nawait app.run();\n`,
    );
    const { child, port, output } = await spawnAgent(script);
    t.after(() => child.kill('SIGKILL'));
    const url = `http://127.0.0.1:${port}`;
    const answer = await fetch(`${url}/invocations`, { method: 'POST', headers: REQUEST_HEADERS, body: '{}' });
    assert.equal(await answer.text(), '1');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal((await fetch(`${url}/ping`)).status, 200, 'the server is still serving');
    assert.equal(child.exitCode, null);
    const logged = logLines(output()).find((line) => line.message === 'unhandled promise rejection');
    assert.ok(logged, output());
    assert.equal(logged.level, 'error');
    assert.equal(logged.errorMessage, 'stray');
    assert.equal(logged.requestId, 'req-7');
    assert.equal(logged.sessionId, 'session-7');
  });

  it('logs an uncaught exception, delivers the answers in flight, then exits 1', async (t) => {
    const script = await agentScript(
      t,
      `import { setTimeout as sleep } from 'node:timers/promises';\n` +
        `const app = new AgentCoreApp();\n` +
        `app.entrypoint(async (payload) => {\n` +
        `  if (payload.crash) { setTimeout(() => { throw new Error('timer blew up'); }, 10); return 'crashing'; }\n` +
        `  await sleep(400);\n  return 'slow answer';\n});\n` +
        `await app.run();\n`,
    );
    const { child, port, output } = await spawnAgent(script);
    t.after(() => child.kill('SIGKILL'));
    const url = `http://127.0.0.1:${port}/invocations`;
    const exited = once(child, 'exit');
    const slow = fetch(url, { method: 'POST', headers: REQUEST_HEADERS, body: '{}' }).then((response) => response.text());
    await new Promise((resolve) => setTimeout(resolve, 50));
    const crash = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"crash":true}' });
    assert.equal(await crash.text(), '"crashing"');
    assert.equal(await slow, '"slow answer"');
    const [code] = (await exited) as [number | null];
    assert.equal(code, 1);
    const logged = logLines(output()).find((line) => line.message === 'uncaught exception; shutting down');
    assert.ok(logged, output());
    assert.equal(logged.errorMessage, 'timer blew up');
  });

  it("exits 1 after a graceful shutdown on a stray rejection with onUnhandledRejection: 'exit'", async (t) => {
    const script = await agentScript(
      t,
      `const app = new AgentCoreApp();\napp.entrypoint(() => { Promise.reject(new Error('stray')); return 1; });\nawait app.run({ onUnhandledRejection: 'exit' });\n`,
    );
    const { child, port } = await spawnAgent(script);
    t.after(() => child.kill('SIGKILL'));
    const exited = once(child, 'exit');
    await fetch(`http://127.0.0.1:${port}/invocations`, { method: 'POST', body: '{}' });
    const [code] = (await exited) as [number | null];
    assert.equal(code, 1);
  });

  it("leaves Node's own behaviour with 'node': the process dies at once", async (t) => {
    const script = await agentScript(
      t,
      `const app = new AgentCoreApp();\napp.entrypoint(() => { Promise.reject(new Error('stray')); return 1; });\nawait app.run({ onUnhandledRejection: 'node' });\n`,
    );
    const { child, port, output } = await spawnAgent(script);
    t.after(() => child.kill('SIGKILL'));
    const exited = once(child, 'exit');
    await fetch(`http://127.0.0.1:${port}/invocations`, { method: 'POST', body: '{}' }).catch(() => undefined);
    const [code] = (await exited) as [number | null];
    assert.equal(code, 1);
    assert.doesNotMatch(output(), /unhandled promise rejection/);
  });

  it('rejects an unknown mode before listening', async () => {
    const { AgentCoreApp } = await import('../../lib/index.js');
    const app = new AgentCoreApp({ logLevel: 'silent' });
    await assert.rejects(app.run({ onUncaughtException: 'ignore' as never }), /onUncaughtException must be one of 'exit', 'node'/);
    assert.equal(app.server, undefined);
  });
});
