/**
 * examples/Dockerfile, replayed without Docker (see spec/support/dockerfile.ts): each stage's
 * COPY and RUN steps on the file system, with `npm ci` replaced by this repository's installed
 * node_modules (same lock file), then the runtime stage's CMD started with its ENV. This proves
 * the build stage copies everything `npm run build` reads and the runtime stage everything the
 * agent loads; what it cannot prove (the base image, the ARM64 platform, the `node` user) is
 * checked as text.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { spawnAgent, withoutCoverage } from '../support/agent-process.js';
import { argsOf, hostPath, replayDockerfile, type ReplayedStage, type Stage } from '../support/dockerfile.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const DOCKERFILE = join(ROOT, 'examples', 'Dockerfile');
const DOCKERIGNORE = join(ROOT, 'examples', 'Dockerfile.dockerignore');

describe('examples/Dockerfile, replayed without Docker', () => {
  let stages: Stage[];
  let workDir: string;
  let runtime: ReplayedStage;

  before(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'agentcore-lite-docker-'));
    ({ stages, runtime } = await replayDockerfile(await readFile(DOCKERFILE, 'utf8'), {
      context: ROOT,
      dockerignore: await readFile(DOCKERIGNORE, 'utf8'),
      workDir,
      env: withoutCoverage(),
      run: async (command, cwd) => {
        if (!/^npm ci\b/.test(command)) return false;
        // Offline here: the repository's own install stands in for it (same lock file).
        await symlink(join(ROOT, 'node_modules'), join(cwd, 'node_modules'), 'dir');
        return true;
      },
    }));
  });

  after(async () => {
    if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
  });

  it('has a build stage and a runtime stage on ARM64 Node 22 (the AgentCore Node runtime), as a non-root user, on port 8080', () => {
    assert.equal(stages.length, 2);
    const final = stages.at(-1)!;
    assert.match(final.from, /--platform=linux\/arm64\b/);
    assert.match(final.from, /\bnode:22/);
    const user = argsOf(final, 'USER');
    assert.equal(user.length, 1);
    assert.notEqual(user[0], 'root');
    assert.notEqual(user[0], '0');
    assert.deepEqual(argsOf(final, 'EXPOSE'), ['8080']);
    assert.equal(runtime.env.PORT, '8080');
    assert.deepEqual(runtime.cmd, ['node', 'dist/examples/async-processing.js']);
  });

  it('ships no node_modules and no sources in the runtime stage', async () => {
    const app = hostPath(runtime.root, '/', runtime.workdir);
    for (const absent of ['node_modules', 'lib', 'spec', 'bench', 'package-lock.json']) {
      await assert.rejects(stat(join(app, absent)), { code: 'ENOENT' }, `${absent} should not be in the image`);
    }
  });

  it('starts the agent with the image command, serves the contract and exits 0 on SIGTERM', async () => {
    const [command, script, ...rest] = runtime.cmd!;
    assert.equal(command, 'node');
    assert.deepEqual(rest, []);
    // Loopback and an ephemeral port for the test; the image itself listens on 0.0.0.0:8080.
    const { child, port, output } = await spawnAgent(script!, { baseEnv: withoutCoverage(runtime.env), cwd: hostPath(runtime.root, '/', runtime.workdir) });
    try {
      const url = `http://127.0.0.1:${port}`;
      const ping = async (): Promise<string> => ((await (await fetch(`${url}/ping`)).json()) as { status: string }).status;
      assert.equal(await ping(), 'Healthy');
      const started = await fetch(`${url}/invocations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'process', data_id: 'image', seconds: 0.2 }),
      });
      assert.equal(started.status, 200);
      assert.equal(await ping(), 'HealthyBusy');
      await sleep(300);
      assert.equal(await ping(), 'Healthy');
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      assert.equal(code, 0, output());
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
