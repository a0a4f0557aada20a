/**
 * A Dockerfile replayed without Docker. CI has no container engine and no registry to pull base
 * images from, so each stage is carried out on the file system instead: COPY copies from the
 * build context (honouring its .dockerignore) or from an earlier stage, RUN runs in the stage's
 * WORKDIR, ENV and CMD are recorded for the caller to start the image's program with. What a
 * replay cannot prove (the base image, the platform, the user) the specs check as text.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdir, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';

const RUN_TIMEOUT_MS = 180_000;

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** A stage carried out under `root`: its file system, WORKDIR, ENV and CMD. */
export interface ReplayedStage {
  root: string;
  workdir: string;
  env: Record<string, string>;
  cmd: string[] | undefined;
}

/** Splits a Dockerfile into stages of instructions (continuation lines joined, comments dropped). */
export function parseDockerfile(text: string): Stage[] {
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

/** The arguments of every `keyword` instruction of `stage`. */
export function argsOf(stage: Stage, keyword: string): string[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword).map((instruction) => instruction.args);
}

/** Dockerignore patterns as matchers on context-relative paths (`*` within one segment). */
function ignoreMatchers(text: string): RegExp[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((pattern) => new RegExp(`^${pattern.replace(/^\/+|\/+$/g, '').replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`));
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
export function hostPath(stageRoot: string, workdir: string, containerPath: string): string {
  const absolute = containerPath.startsWith('/') ? containerPath : `${workdir}/${containerPath}`;
  return join(stageRoot, absolute);
}

/** Runs `command` with `sh -c` in `cwd`; fails the test with its output when it fails. */
export async function runShell(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn('sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  assert.equal(code, 0, `RUN ${command} failed:\n${output}`);
}

/** How to replay a Dockerfile. */
export interface ReplayOptions {
  /** The build context: the folder `docker build` is given. */
  context: string;
  /** The context's .dockerignore text. */
  dockerignore: string;
  /** Where the stages' file systems are made, one folder each. */
  workDir: string;
  /** The environment RUN steps run with. */
  env: NodeJS.ProcessEnv;
  /** Carries out a RUN step itself and returns true, or returns false to have it run as is. */
  run?: (command: string, cwd: string) => Promise<boolean>;
}

/** Replays every stage of `dockerfile`, in order; resolves with the stages and the last one replayed. */
export async function replayDockerfile(dockerfile: string, options: ReplayOptions): Promise<{ stages: Stage[]; runtime: ReplayedStage }> {
  const stages = parseDockerfile(dockerfile);
  const ignored = ignoreMatchers(options.dockerignore);
  const built = new Map<string, ReplayedStage>();
  let runtime: ReplayedStage | undefined;
  for (const [index, stage] of stages.entries()) {
    const replayed = await replayStage(stage, join(options.workDir, `stage-${index}`), built, ignored, options);
    if (stage.name !== undefined) built.set(stage.name, replayed);
    runtime = replayed;
  }
  return { stages, runtime: runtime! };
}

/** Carries out one stage's WORKDIR, COPY, RUN, ENV and CMD on the file system under `root`. */
async function replayStage(stage: Stage, root: string, built: Map<string, ReplayedStage>, ignored: RegExp[], options: ReplayOptions): Promise<ReplayedStage> {
  const state: ReplayedStage = { root, workdir: '/', env: {}, cmd: undefined };
  await mkdir(root, { recursive: true });
  for (const { keyword, args } of stage.instructions) {
    if (keyword === 'WORKDIR') {
      state.workdir = args;
      await mkdir(hostPath(root, '/', args), { recursive: true });
    } else if (keyword === 'COPY') {
      await copy(args, state, built, ignored, options.context);
    } else if (keyword === 'RUN') {
      const cwd = hostPath(root, '/', state.workdir);
      if (!(await options.run?.(args, cwd))) await runShell(args, cwd, options.env);
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

async function copy(args: string, state: ReplayedStage, built: Map<string, ReplayedStage>, ignored: RegExp[], context: string): Promise<void> {
  const words = args.split(/\s+/);
  const from = words.find((word) => word.startsWith('--from='))?.slice('--from='.length);
  const paths = words.filter((word) => !word.startsWith('--'));
  const destination = paths.pop()!;
  for (const source of paths) {
    let sourcePath: string;
    if (from === undefined) {
      assert.ok(!isIgnored(source, ignored), `COPY ${source}: excluded by .dockerignore`);
      sourcePath = join(context, source);
    } else {
      const origin = built.get(from);
      assert.ok(origin !== undefined, `COPY --from=${from}: no such stage`);
      sourcePath = hostPath(origin.root, origin.workdir, source);
    }
    const target = hostPath(state.root, state.workdir, destination);
    const isDirectory = (await stat(sourcePath)).isDirectory();
    const into = !isDirectory && destination.endsWith('/') ? join(target, source.split('/').at(-1)!) : target;
    await mkdir(isDirectory ? into : dirname(into), { recursive: true });
    await cp(sourcePath, into, {
      recursive: true,
      filter: (path) => from !== undefined || !isIgnored(relative(context, path).split('\\').join('/'), ignored),
    });
  }
}
