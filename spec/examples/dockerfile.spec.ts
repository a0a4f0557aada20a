/**
 * examples/Dockerfile, replayed without Docker. CI has no container engine and no registry to
 * pull `node:22-alpine` from, so each stage is carried out on the file system instead: COPY
 * instructions copy (honouring Dockerfile.dockerignore), the build stage's RUN steps run (with
 * `npm ci` replaced by this repository's installed node_modules: installs are offline here), and
 * the runtime stage's CMD starts with its ENV. This proves the build stage copies everything
 * `npm run build` reads and the runtime stage everything the agent loads; what it cannot prove
 * (the base image, the ARM64 platform, the `node` user) is checked as text.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdir, mkdtemp, readFile, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { spawnAgent, withoutCoverage } from '../support/agent-process.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const DOCKERFILE = join(ROOT, 'examples', 'Dockerfile');
const DOCKERIGNORE = join(ROOT, 'examples', 'Dockerfile.dockerignore');
const RUN_TIMEOUT_MS = 120_000;

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** Splits a Dockerfile into stages of instructions (continuation lines joined, comments dropped). */
function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const [keyword, ...rest] = trimmed.split(/\s+/);
    const args = rest.join(' ');
    if (keyword!.toUpperCase() === 'FROM') {
      const name = /\bAS\s+(\S+)$/i.exec(args)?.[1];
      stages.push({ from: args, name, instructions: [] });
    } else {
      assert.ok(stages.length > 0, `${keyword} before any FROM`);
      stages.at(-1)!.instructions.push({ keyword: keyword!.toUpperCase(), args });
    }
  }
  return stages;
}

/** Dockerignore patterns as matchers on context-relative paths (`*` within one segment). */
function ignoreMatchers(text: string): RegExp[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((pattern) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`));
}

/** True when the path, or a folder on the way to it, matches an ignore pattern. */
function isIgnored(path: string, matchers: RegExp[]): boolean {
  const segments = path.split('/');
  for (let end = 1; end <= segments.length; end++) {
    const prefix = segments.slice(0, end).join('/');
    if (matchers.some((matcher) => matcher.test(prefix))) return true;
  }
  return false;
}

/** Where a container path lives in a stage's replayed file system. */
function hostPath(stageRoot: string, workdir: string, containerPath: string): string {
  const absolute = containerPath.startsWith('/') ? containerPath : `${workdir}/${containerPath}`;
  return join(stageRoot, absolute);
}

async function runShell(command: string, cwd: string): Promise<void> {
  const child = spawn('sh', ['-c', command], { cwd, env: withoutCoverage(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  assert.equal(code, 0, `RUN ${command} failed:\n${output}`);
}

interface ReplayedStage {
  root: string;
  workdir: string;
  env: Record<string, string>;
  cmd: string[] | undefined;
}

/** Carries out one stage's WORKDIR, COPY, RUN, ENV and CMD on the file system under `root`. */
async function replay(stage: Stage, root: string, built: Map<string, ReplayedStage>, ignored: RegExp[]): Promise<ReplayedStage> {
  const state: ReplayedStage = { root, workdir: '/', env: {}, cmd: undefined };
  for (const { keyword, args } of stage.instructions) {
    if (keyword === 'WORKDIR') {
      state.workdir = args;
      await mkdir(hostPath(root, '/', args), { recursive: true });
    } else if (keyword === 'COPY') {
      const words = args.split(/\s+/);
      const from = words.find((word) => word.startsWith('--from='))?.slice('--from='.length);
      const paths = words.filter((word) => !word.startsWith('--'));
      const destination = paths.pop()!;
      for (const source of paths) {
        let sourcePath: string;
        if (from === undefined) {
          assert.ok(!isIgnored(source, ignored), `COPY ${source}: excluded by Dockerfile.dockerignore`);
          sourcePath = join(ROOT, source);
        } else {
          const origin = built.get(from);
          assert.ok(origin !== undefined, `COPY --from=${from}: no such stage`);
          sourcePath = hostPath(origin.root, origin.workdir, source);
        }
        const target = hostPath(root, state.workdir, destination);
        const isDirectory = (await stat(sourcePath)).isDirectory();
        const into = !isDirectory && destination.endsWith('/') ? join(target, source.split('/').at(-1)!) : target;
        await mkdir(isDirectory ? into : dirname(into), { recursive: true });
        await cp(sourcePath, into, {
          recursive: true,
          filter: (path) => from !== undefined || !isIgnored(relative(ROOT, path).split('\\').join('/'), ignored),
        });
      }
    } else if (keyword === 'RUN') {
      const cwd = hostPath(root, '/', state.workdir);
      if (/^npm ci\b/.test(args)) {
        // Offline here: the repository's own install stands in for it (same lock file).
        await symlink(join(ROOT, 'node_modules'), join(cwd, 'node_modules'), 'dir');
      } else {
        await runShell(args, cwd);
      }
    } else if (keyword === 'ENV') {
      for (const pair of args.split(/\s+/)) {
        const [name, ...value] = pair.split('=');
        state.env[name!] = value.join('=');
      }
    } else if (keyword === 'CMD') {
      state.cmd = JSON.parse(args) as string[];
    }
  }
  return state;
}

function argsOf(stage: Stage, keyword: string): string[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword).map((instruction) => instruction.args);
}

describe('examples/Dockerfile, replayed without Docker', () => {
  let stages: Stage[];
  let workDir: string;
  let runtime: ReplayedStage;

  before(async () => {
    stages = parseDockerfile(await readFile(DOCKERFILE, 'utf8'));
    const ignored = ignoreMatchers(await readFile(DOCKERIGNORE, 'utf8'));
    workDir = await mkdtemp(join(tmpdir(), 'agentcore-lite-docker-'));
    const built = new Map<string, ReplayedStage>();
    for (const [index, stage] of stages.entries()) {
      const replayed = await replay(stage, join(workDir, `stage-${index}`), built, ignored);
      if (stage.name !== undefined) built.set(stage.name, replayed);
      runtime = replayed;
    }
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
