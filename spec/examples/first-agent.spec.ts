/**
 * The README's first agent, as a new user builds, tests and deploys it, every step taken from the
 * documents themselves: the README's setup commands (with the packed package in place of a
 * clone's `npm pack`) and its `src/agent.ts`; docs/testing.md's test file and command; and
 * docs/deployment.md's zip script (then the zip unpacked into an empty folder and started with
 * plain `node`, as the `NODE_22` runtime starts it) and its Dockerfile, replayed without Docker.
 * npm installs prefer this machine's cache (`npm ci` filled it) and fall back to the registry.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { spawnAgent, withoutCoverage } from '../support/agent-process.js';
import { argsOf, hostPath, replayDockerfile, type ReplayedStage, type Stage } from '../support/dockerfile.js';

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const STEP_TIMEOUT_MS = 240_000;
const SESSION_HEADER = 'x-amzn-bedrock-agentcore-runtime-session-id';

function document(path: string): Promise<string> {
  return readFile(join(ROOT, path), 'utf8');
}

/** The fenced block right after `<!-- first-agent: name -->` in `markdown`. */
function markedBlock(markdown: string, name: string): string {
  const marker = `<!-- first-agent: ${name} -->`;
  const at = markdown.indexOf(marker);
  assert.ok(at !== -1, `no ${marker}`);
  const match = /^\s*```[\w-]*\n([\s\S]*?)```/.exec(markdown.slice(at + marker.length));
  assert.ok(match !== null, `${marker} is not followed by a code block`);
  return match[1]!;
}

/** The first ```ts block after `heading` (a line of text) in `markdown`. */
function typeScriptAfter(markdown: string, heading: string): string {
  const at = markdown.indexOf(heading);
  assert.ok(at !== -1, `no "${heading}"`);
  return /```ts\n([\s\S]*?)```/.exec(markdown.slice(at))![1]!;
}

/** The environment of every step: no coverage, the npm cache first, no audit, fund or update notices. */
function stepEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return withoutCoverage({
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    ...extra,
  });
}

/** Runs `script` with bash (`set -euo pipefail`) in `cwd`; fails with its output when it fails. */
async function bash(script: string, cwd: string, env: NodeJS.ProcessEnv = stepEnv()): Promise<string> {
  try {
    const { stdout, stderr } = await run('bash', ['-euo', 'pipefail', '-c', script], { cwd, env, timeout: STEP_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 });
    return stdout + stderr;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    assert.fail(`${script}\nfailed:\n${stdout}\n${stderr}`);
  }
}

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

/** `zip -qr OUT PATH…` for machines without zip(1): file modes kept, as zip keeps them. */
const ZIP_STAND_IN = `#!/usr/bin/env python3
import os, sys, zipfile
args = [a for a in sys.argv[1:] if not a.startswith('-')]
with zipfile.ZipFile(args[0], 'w', zipfile.ZIP_DEFLATED) as archive:
    for top in args[1:]:
        for root, dirs, files in os.walk(top):
            dirs.sort()
            for name in dirs + sorted(files):
                path = os.path.join(root, name)
                archive.write(path, os.path.normpath(path))
`;

/** `unzip -q ZIP -d DEST` for machines without unzip(1): file modes restored, as unzip restores them. */
const UNZIP_STAND_IN = `#!/usr/bin/env python3
import os, sys, zipfile
args = sys.argv[1:]
dest = args[args.index('-d') + 1]
source = [a for a in args if not a.startswith('-') and a != dest][0]
with zipfile.ZipFile(source) as archive:
    for info in archive.infolist():
        target = archive.extract(info, dest)
        mode = (info.external_attr >> 16) & 0o7777
        if mode:
            os.chmod(target, mode)
`;

const canZip = (hasCommand('zip') && hasCommand('unzip')) || hasCommand('python3');

describe("the README's first agent, as a user builds, tests and deploys it", () => {
  let workDir: string;
  let project: string;
  let readme: string;

  before(async () => {
    readme = await document('README.md');
    workDir = await mkdtemp(join(tmpdir(), 'agentcore-lite-first-agent-'));
    // What the README's clone and `npm pack` produce: the package's tarball in agentcore-lite/.
    const setup = markedBlock(readme, 'setup').split('\n');
    const cloned = setup.filter((line) => /^git clone |^\(cd agentcore-lite && npm ci --ignore-scripts && npm pack\)/.test(line));
    assert.equal(cloned.length, 2, 'the README no longer builds the tarball from a clone');
    const clone = join(workDir, 'agentcore-lite');
    await mkdir(clone);
    const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', clone], { cwd: ROOT, env: stepEnv(), timeout: STEP_TIMEOUT_MS });
    const tarball = (JSON.parse(stdout) as { filename: string }[])[0]!.filename;
    assert.ok(setup.some((line) => line.includes(tarball)), `the README does not name ${tarball}`);
    // Every other line as written, from the folder the clone was made in.
    await bash(setup.filter((line) => !cloned.includes(line)).join('\n'), workDir);
    project = join(workDir, 'my-agent');
    await mkdir(join(project, 'src'), { recursive: true });
    await writeFile(join(project, 'src', 'agent.ts'), typeScriptAfter(readme, 'Save this as `src/agent.ts`'));
  });

  after(async () => {
    if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
  });

  describe('set up as the README says', () => {
    it('is a module project with the vendored tarball, TypeScript 5.9 and @types/node 22, as the deployment guide expects', async () => {
      const manifest = JSON.parse(await readFile(join(project, 'package.json'), 'utf8')) as Record<string, Record<string, string> | string>;
      assert.equal(manifest.type, 'module');
      const dependencies = manifest.dependencies as Record<string, string>;
      assert.deepEqual(Object.keys(dependencies), ['agentcore-lite']);
      assert.match(dependencies['agentcore-lite']!, /^file:vendor\/agentcore-lite-\d+\.\d+\.\d+\.tgz$/);
      assert.ok((await document('docs/deployment.md')).includes(`"agentcore-lite": "${dependencies['agentcore-lite']}"`), 'the guide names another dependency');
      const devDependencies = manifest.devDependencies as Record<string, string>;
      assert.match(devDependencies.typescript!, /^\^?5\.9\b/);
      assert.match(devDependencies['@types/node']!, /^\^?22\b/);
      assert.equal((manifest.scripts as Record<string, string> | undefined)?.build, undefined, 'the guide says the project has no build script');
    });

    it("compiles with the README's `npx tsc` into dist/agent.js, writing nothing beside the sources", async () => {
      const command = /^(npx tsc) && node dist\/agent\.js$/m.exec(readme);
      assert.ok(command !== null, 'the README no longer compiles with npx tsc');
      await bash(command[1]!, project);
      await stat(join(project, 'dist', 'agent.js'));
      assert.deepEqual(await readdir(join(project, 'src')), ['agent.ts']);
    });
  });

  describe('docs/testing.md, in this project', () => {
    it('compiles and passes its test file with its command, nothing emitted beside the sources', async () => {
      const guide = await document('docs/testing.md');
      await writeFile(join(project, 'src', 'agent.test.ts'), typeScriptAfter(guide, '## A complete test file'));
      const command = markedBlock(guide, 'test').trim();
      assert.equal(command, 'npx tsc && node --test dist/agent.test.js');
      // A runner of its own, not a subtest of this one (which NODE_TEST_CONTEXT would make it).
      const env = stepEnv();
      delete env.NODE_TEST_CONTEXT;
      const output = await bash(command, project, env);
      assert.match(output, /\bpass 5\b/, output);
      assert.match(output, /\bfail 0\b/, output);
      assert.deepEqual((await readdir(join(project, 'src'))).sort(), ['agent.test.ts', 'agent.ts']);
      await stat(join(project, 'dist', 'agent.test.js'));
    });
  });

  describe('docs/deployment.md: the zip for direct code deployment', { skip: canZip ? false : 'neither zip and unzip nor python3 is installed' }, () => {
    let unpacked: string;

    before(async () => {
      const guide = await document('docs/deployment.md');
      await writeFile(join(project, 'build-zip.sh'), markedBlock(guide, 'build-zip.sh'));
      // zip and unzip as the guide uses them; stand-ins where the machine has none.
      const tools = join(workDir, 'tools');
      await mkdir(tools);
      for (const [name, source] of [['zip', ZIP_STAND_IN], ['unzip', UNZIP_STAND_IN]] as const) {
        if (hasCommand(name)) continue;
        await writeFile(join(tools, name), source);
        await chmod(join(tools, name), 0o755);
      }
      const env = stepEnv({ PATH: `${tools}${delimiter}${process.env.PATH ?? ''}` });
      await bash('bash build-zip.sh', project, env);
      unpacked = join(workDir, 'runtime');
      await mkdir(unpacked);
      await bash(`unzip -q ${JSON.stringify(join(project, 'agent.zip'))} -d ${JSON.stringify(unpacked)}`, workDir, env);
    });

    it('holds package.json, the lock file, the compiled agent without its tests, and only agentcore-lite in node_modules', async () => {
      assert.deepEqual((await readdir(unpacked)).sort(), ['dist', 'node_modules', 'package-lock.json', 'package.json']);
      assert.deepEqual(await readdir(join(unpacked, 'dist')), ['agent.js']);
      assert.deepEqual((await readdir(join(unpacked, 'node_modules'))).filter((name) => !name.startsWith('.')), ['agentcore-lite']);
      const library = join(unpacked, 'node_modules', 'agentcore-lite');
      assert.deepEqual((await readdir(library)).sort(), ['LICENSE', 'README.md', 'dist', 'package.json']);
      await stat(join(library, 'dist', 'lib', 'index.js'));
    });

    it('is readable by every user, as the runtime needs', async () => {
      for (const path of ['package.json', 'dist/agent.js', 'node_modules/agentcore-lite/dist/lib/index.js']) {
        const { mode } = await stat(join(unpacked, path));
        assert.equal(mode & 0o004, 0o004, `${path} is not world-readable`);
      }
    });

    it('starts with plain node from an empty folder: /ping, /invocations, a tracked task, exit 0 on SIGTERM', async (t) => {
      const { child, port, output } = await spawnAgent(join(unpacked, 'dist', 'agent.js'), { cwd: unpacked, baseEnv: withoutCoverage() });
      t.after(() => child.kill('SIGKILL'));
      await servesTheFirstAgent(`http://127.0.0.1:${port}`);
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      assert.equal(code, 0, output());
    });
  });

  describe('docs/deployment.md: the Dockerfile, replayed without Docker', () => {
    let stages: Stage[];
    let runtime: ReplayedStage;

    before(async () => {
      const guide = await document('docs/deployment.md');
      ({ stages, runtime } = await replayDockerfile(markedBlock(guide, 'Dockerfile'), {
        context: project,
        dockerignore: markedBlock(guide, '.dockerignore'),
        workDir: join(workDir, 'docker'),
        env: stepEnv(),
      }));
    });

    it('builds in stages, and runs on ARM64 Node 22 as a non-root user on 0.0.0.0:8080', () => {
      assert.ok(stages.length >= 2, 'a multi-stage build');
      const final = stages.at(-1)!;
      assert.match(final.from, /--platform=linux\/arm64\b/);
      assert.match(final.from, /\bnode:22/);
      const user = argsOf(final, 'USER');
      assert.equal(user.length, 1);
      assert.ok(!['root', '0'].includes(user[0]!), `USER ${user[0]}`);
      assert.deepEqual(argsOf(final, 'EXPOSE'), ['8080']);
      assert.deepEqual([runtime.env.HOST, runtime.env.PORT], ['0.0.0.0', '8080']);
      assert.deepEqual(runtime.cmd, ['node', 'dist/agent.js']);
    });

    it('ships only the production dependencies and the compiled agent: no sources, tests or compiler', async () => {
      const app = hostPath(runtime.root, '/', runtime.workdir);
      assert.deepEqual((await readdir(app)).sort(), ['dist', 'node_modules', 'package.json']);
      assert.deepEqual((await readdir(join(app, 'node_modules'))).filter((name) => !name.startsWith('.')), ['agentcore-lite']);
      assert.deepEqual(
        (await readdir(join(app, 'dist'))).filter((name) => name.includes('.test.')),
        [],
        'the tests stay in the build stage',
      );
    });

    it("starts with the image's command and environment, serves the contract and exits 0 on SIGTERM", async (t) => {
      const [command, script, ...rest] = runtime.cmd!;
      assert.equal(command, 'node');
      assert.deepEqual(rest, []);
      // Loopback and an ephemeral port for the test; the image itself listens on 0.0.0.0:8080.
      const { child, port, output } = await spawnAgent(script!, { baseEnv: withoutCoverage(runtime.env), cwd: hostPath(runtime.root, '/', runtime.workdir) });
      t.after(() => child.kill('SIGKILL'));
      await servesTheFirstAgent(`http://127.0.0.1:${port}`);
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      assert.equal(code, 0, output());
    });
  });
});

/** The first agent's contract as its README shows it: /ping, an answer, its follow-up task. */
async function servesTheFirstAgent(url: string): Promise<void> {
  const ping = async (): Promise<{ status: string; time_of_last_update: number }> => (await (await fetch(`${url}/ping`)).json()) as { status: string; time_of_last_update: number };
  assert.equal((await ping()).status, 'Healthy');
  const answer = await fetch(`${url}/invocations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [SESSION_HEADER]: 'first-agent-session' },
    body: JSON.stringify({ prompt: 'hello agent' }),
  });
  assert.equal(answer.status, 200);
  assert.deepEqual(await answer.json(), { reply: 'You said 2 words', session: 'first-agent-session', task_id: 1 });
  const busy = await ping();
  assert.equal(busy.status, 'HealthyBusy', 'the follow-up task is tracked');
  assert.ok(Number.isInteger(busy.time_of_last_update));
  const refused = await fetch(`${url}/invocations`, { method: 'POST', body: '{"prompt": 42}' });
  assert.equal(refused.status, 400);
  assert.deepEqual(await refused.json(), { error: 'prompt must be a string', code: 'BAD_PROMPT' });
}
