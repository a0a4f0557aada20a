/**
 * docs/deployment.md, carried out: the guide's agent, package.json and zip recipe for direct code
 * deployment, run in an empty folder against the packed package, then the zip unpacked elsewhere
 * and started with plain `node`, as AgentCore's NODE_22 runtime starts it.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { spawnAgent, withoutCoverage } from '../support/agent-process.js';

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const GUIDE = join(ROOT, 'docs', 'deployment.md');
const CHILD_TIMEOUT_MS = 120_000;
const ZIP_RECIPE_MARKER = '<!-- spec: builds the zip layout -->';

/** The fenced blocks of `markdown` in the given language, in order. */
function blocks(markdown: string, language: string): string[] {
  return [...markdown.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((match) => match[1]!);
}

/** The first fenced block after `marker`. */
function blockAfter(markdown: string, marker: string): string {
  const at = markdown.indexOf(marker);
  assert.ok(at !== -1, `the guide has no ${marker}`);
  return /```\w*\n([\s\S]*?)```/.exec(markdown.slice(at))![1]!;
}

const hasZip = ['zip', 'unzip'].every((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0);

describe('the direct code deployment recipe in docs/deployment.md', { skip: hasZip ? false : 'zip and unzip are not installed' }, () => {
  let workDir: string;
  let project: string;
  let unpacked: string;

  before(async () => {
    const guide = await readFile(GUIDE, 'utf8');
    workDir = await mkdtemp(join(tmpdir(), 'agentcore-lite-zip-'));
    const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', workDir], {
      cwd: ROOT,
      env: withoutCoverage(),
      timeout: CHILD_TIMEOUT_MS,
    });
    const tarball = join(workDir, (JSON.parse(stdout) as { filename: string }[])[0]!.filename);

    project = join(workDir, 'my agent');
    await mkdir(join(project, 'dist'), { recursive: true });
    // The guide's package.json, depending on the packed package instead of the registry's (these
    // machines install offline); the dev dependencies compile, they are not part of the zip.
    const manifest = JSON.parse(blocks(guide, 'json')[0]!) as Record<string, unknown>;
    assert.equal(manifest.type, 'module');
    manifest.dependencies = { 'agentcore-lite': `file:${tarball}` };
    delete manifest.devDependencies;
    await writeFile(join(project, 'package.json'), JSON.stringify(manifest, null, 2));
    // The guide's src/agent.ts, compiled as its `tsc` build would.
    const agent = blocks(guide, 'ts')[0]!;
    const compiled = ts.transpileModule(agent, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
    await writeFile(join(project, 'dist', 'agent.js'), compiled.outputText);

    await run('bash', ['-euo', 'pipefail', '-c', blockAfter(guide, ZIP_RECIPE_MARKER)], {
      cwd: project,
      env: withoutCoverage({ npm_config_offline: 'true' }),
      timeout: CHILD_TIMEOUT_MS,
    });
    unpacked = join(workDir, 'runtime');
    await run('unzip', ['-q', join(project, 'agent.zip'), '-d', unpacked], { timeout: CHILD_TIMEOUT_MS });
  });

  after(async () => {
    if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
  });

  it('holds package.json, the entry point and the library, with nothing else in node_modules', async () => {
    assert.deepEqual((await readdir(unpacked)).sort(), ['dist', 'node_modules', 'package.json']);
    assert.deepEqual((await readdir(join(unpacked, 'dist'))).sort(), ['agent.js']);
    assert.deepEqual((await readdir(join(unpacked, 'node_modules'))).filter((name) => !name.startsWith('.')), ['agentcore-lite']);
    const library = join(unpacked, 'node_modules', 'agentcore-lite');
    assert.deepEqual((await readdir(library)).filter((name) => !['README.md', 'LICENSE'].includes(name)).sort(), ['dist', 'package.json']);
    await stat(join(library, 'dist', 'lib', 'index.js'));
  });

  it('is readable by every user, as the runtime needs', async () => {
    for (const path of ['package.json', 'dist/agent.js', 'node_modules/agentcore-lite/dist/lib/index.js']) {
      const { mode } = await stat(join(unpacked, path));
      assert.equal(mode & 0o004, 0o004, `${path} is not world-readable`);
    }
  });

  it('starts with plain node from the unpacked zip and serves the warmup hook, invocations and /ping', async (t) => {
    const { child, port } = await spawnAgent(join(unpacked, 'dist', 'agent.js'), { cwd: unpacked, baseEnv: withoutCoverage() });
    t.after(() => child.kill('SIGKILL'));
    const url = `http://127.0.0.1:${port}`;
    const warm = await fetch(`${url}/warmup`, { method: 'POST' });
    assert.equal(warm.status, 200);
    assert.equal(((await warm.json()) as { status: string }).status, 'warm');
    const answer = await fetch(`${url}/invocations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-amzn-bedrock-agentcore-runtime-session-id': 'zip-session' },
      body: JSON.stringify({ prompt: 'hi' }),
    });
    const body = (await answer.json()) as { answerId: string; sessionId: string; answer: string };
    assert.match(body.answerId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(body.sessionId, 'zip-session');
    assert.equal(body.answer, 'Hello from a warm agent: you said "hi"');
    assert.deepEqual(Object.keys((await (await fetch(`${url}/ping`)).json()) as object), ['status', 'time_of_last_update']);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0);
  });
});
