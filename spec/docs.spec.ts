/**
 * The documentation cannot rot: what README.md and docs/*.md show is checked against the built
 * package on every `npm test`.
 *
 * Every ```ts / ```typescript block is type-checked as a module of a user's strict ES module
 * project (`"type": "module"`, `nodenext`, the options `tsc --init` writes, no unused code), in a
 * temporary project where `agentcore-lite` (and its
 * subpaths) resolve through `node_modules/agentcore-lite`, a symlink to this repository, as an
 * installed copy would. Each block stands alone. A marker on the line before a block says more:
 * - `<!-- not-compiled: <reason> -->`: skipped (the reason is required);
 * - `<!-- run -->`: a complete agent program. It is also compiled to JavaScript and run with
 *   `PORT=0` and `HOST=127.0.0.1`; it must log `Server listening on …`, answer `GET /ping` with
 *   200, log no error, and exit 0 on SIGTERM;
 * - `<!-- test -->`: a complete test file. It is also run with `node --test` and must pass;
 * - `<!-- transcript: <program> -->` before a ```sh block: the program (a path in this
 *   repository) is started and the block's commands run against it one by one; each command
 *   followed by a `# <JSON>` line must print that JSON (stamps and durations may differ).
 *
 * Beyond code blocks: relative links lead to files and headings that exist, the README stays
 * at most 300 lines, the reference tables name every option and method, and every example has
 * an `npm run` script that the README lists.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { spawnAgent, withoutCoverage, type AgentProcess } from './support/agent-process.js';

const run = promisify(execFile);

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The documents whose code blocks are checked: the README and every guide. */
const CODE_DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).sort().map((name) => `docs/${name}`)];
/** The documents whose links are checked: those, plus the changelog and the benchmark notes. */
const LINKED_DOCS = [...CODE_DOCS, 'CHANGELOG.md', 'bench/README.md', 'bench/RESULTS.md'];
const MAX_README_LINES = 300;
/** Guides that must keep at least this many TypeScript blocks (the AG-UI guide's own check, kept). */
const MIN_TS_BLOCKS: Readonly<Record<string, number>> = { 'docs/ag-ui.md': 4 };
const TS_LANGUAGES = new Set(['ts', 'typescript']);
const RUN_TIMEOUT_MS = 30_000;
const START_TIMEOUT_MS = 15_000;
const TEST_TIMEOUT_MS = 60_000;

/** What the line before a fenced block may say about it. */
type Marker =
  | { kind: 'not-compiled'; reason: string }
  | { kind: 'run' }
  | { kind: 'test' }
  | { kind: 'transcript'; program: string }
  | { kind: 'other'; text: string };

interface Block {
  /** The document, relative to the repository. */
  doc: string;
  /** 1-based line of the opening fence. */
  line: number;
  language: string;
  marker: Marker | undefined;
  source: string;
}

const MARKER = /^<!--\s*([\s\S]*?)\s*-->$/;

function parseMarker(line: string | undefined): Marker | undefined {
  const match = line === undefined ? null : MARKER.exec(line);
  if (match === null) return undefined;
  const text = match[1]!;
  const notCompiled = /^not-compiled\b:?\s*([\s\S]*)$/.exec(text);
  if (notCompiled !== null) return { kind: 'not-compiled', reason: notCompiled[1]!.trim() };
  if (text === 'run') return { kind: 'run' };
  if (text === 'test') return { kind: 'test' };
  const transcript = /^transcript:\s*(\S+)$/.exec(text);
  if (transcript !== null) return { kind: 'transcript', program: transcript[1]! };
  return { kind: 'other', text };
}

/** The fenced code blocks of a Markdown document, each with the marker on the line before it. */
function blocksOf(doc: string, markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  let previous: string | undefined;
  for (let index = 0; index < lines.length; index++) {
    const open = /^(\s*)(`{3,})([\w-]*)\s*$/.exec(lines[index]!);
    if (open === null) {
      if (lines[index]!.trim() !== '') previous = lines[index]!.trim();
      continue;
    }
    const [, indent, fence, language] = open;
    const body: string[] = [];
    let end = index + 1;
    while (end < lines.length && !new RegExp(`^\\s*${fence}\\s*$`).test(lines[end]!)) {
      body.push(lines[end]!.startsWith(indent!) ? lines[end]!.slice(indent!.length) : lines[end]!);
      end++;
    }
    blocks.push({ doc, line: index + 1, language: language!, marker: parseMarker(previous), source: body.join('\n') + '\n' });
    previous = undefined;
    index = end;
  }
  return blocks;
}

function read(doc: string): string {
  return readFileSync(join(ROOT, doc), 'utf8');
}

function isTypeScript(block: Block): boolean {
  return TS_LANGUAGES.has(block.language);
}

function label(block: Block): string {
  return `${block.doc}:${block.line}`;
}

/** The file a block is compiled as, e.g. `docs-streaming-L42.ts`. */
function fileNameOf(block: Block): string {
  return `${block.doc.replace(/\.md$/, '').replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}-L${block.line}.ts`;
}

const ALL_BLOCKS = CODE_DOCS.flatMap((doc) => blocksOf(doc, read(doc)));
const TS_BLOCKS = ALL_BLOCKS.filter(isTypeScript);
const COMPILED = TS_BLOCKS.filter((block) => block.marker?.kind !== 'not-compiled');

/**
 * A temporary project where every compiled block is a source file, with the options a user's
 * strict ESM project has (plus this repository's unused-code checks), and the reference probe.
 */
class DocsProject {
  readonly dir = mkdtempSync(join(tmpdir(), 'agentcore-lite-docs-'));
  readonly src = join(this.dir, 'src');
  readonly out = join(this.dir, 'out');
  readonly program: ts.Program;
  readonly probe: string;

  constructor(blocks: readonly Block[], probeSource: string) {
    writeFileSync(join(this.dir, 'package.json'), JSON.stringify({ name: 'docs-blocks', private: true, type: 'module' }));
    const modules = join(this.dir, 'node_modules');
    mkdirSync(modules);
    // As `npm install agentcore-lite` would place it; the repository's @types/node for `node:*`.
    symlinkSync(ROOT, join(modules, 'agentcore-lite'), 'dir');
    symlinkSync(join(ROOT, 'node_modules', '@types'), join(modules, '@types'), 'dir');
    mkdirSync(this.src);
    const files = blocks.map((block) => {
      const path = join(this.src, fileNameOf(block));
      writeFileSync(path, block.source);
      return path;
    });
    this.probe = join(this.src, 'reference-probe.ts');
    writeFileSync(this.probe, probeSource);
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      moduleDetection: ts.ModuleDetectionKind.Force,
      lib: ['lib.es2023.d.ts'],
      types: ['node'],
      typeRoots: [join(modules, '@types')],
      // What `tsc --init` (TypeScript 5.9) writes for a new project, so a block copied into one compiles…
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      verbatimModuleSyntax: true,
      isolatedModules: true,
      noUncheckedSideEffectImports: true,
      declaration: true,
      skipLibCheck: true,
      // …and this repository's own unused-code checks.
      noUnusedLocals: true,
      noUnusedParameters: true,
      rootDir: this.src,
      outDir: this.out,
    };
    this.program = ts.createProgram([...files, this.probe], options);
  }

  /** The block's compile errors, located in its Markdown document. */
  diagnostics(block: Block): string[] {
    const file = this.program.getSourceFile(join(this.src, fileNameOf(block)));
    assert.ok(file !== undefined, `${label(block)} was not compiled`);
    return ts.getPreEmitDiagnostics(this.program, file).map((diagnostic) => {
      const where =
        diagnostic.file !== undefined && diagnostic.start !== undefined
          ? `${diagnostic.file === file ? block.doc : diagnostic.file.fileName}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + (diagnostic.file === file ? block.line + 1 : 1)}`
          : 'global';
      return `${where}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
    });
  }

  /** Writes the JavaScript of every block into `out/`; returns the path of `block`'s. */
  emitted(block: Block): string {
    if (!existsSync(this.out)) this.program.emit();
    return join(this.out, fileNameOf(block).replace(/\.ts$/, '.js'));
  }

  /** The public property names of the type alias `name` in the probe. */
  propertiesOf(name: string): string[] {
    const checker = this.program.getTypeChecker();
    const probe = this.program.getSourceFile(this.probe)!;
    const alias = probe.statements.find((statement): statement is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(statement) && statement.name.text === name);
    assert.ok(alias !== undefined, `the probe has no type ${name}`);
    return checker
      .getTypeAtLocation(alias.name)
      .getProperties()
      .filter((property) => !(property.declarations ?? []).some((declaration) => (ts.getCombinedModifierFlags(declaration) & NOT_PUBLIC) !== 0))
      .map((property) => property.name)
      .filter((property) => !property.startsWith('#') && !property.startsWith('__'));
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Members a class keeps to itself and its subclasses (the core's API for protocols). */
const NOT_PUBLIC = ts.ModifierFlags.Protected | ts.ModifierFlags.Private;

/** The public shapes whose every member the reference tables must name. */
const PROBE = `import type { AgentCoreApp, AgentCoreAppOptions, AgentCoreServerOptions, AppWebSocketOptions, CorsOptions, RunOptions } from 'agentcore-lite';
import type { A2AServerOptions, AgentCardOptions, PushNotificationOptions, TaskContext } from 'agentcore-lite/a2a';
export type ServerOptions = AgentCoreServerOptions;
export type A2AOptions = A2AServerOptions;
export type A2ACard = AgentCardOptions;
export type A2APush = PushNotificationOptions;
export type A2AContext = TaskContext;
export type App = AgentCoreApp;
export type Options = AgentCoreAppOptions;
export type Run = RunOptions;
export type Cors = CorsOptions;
export type WebSocketLimits = AppWebSocketOptions;
import type { McpCacheOptions, McpContext, McpRequestStateOptions, McpServer, McpServerOptions, McpStatefulOptions, McpSubscriptionOptions, McpTaskOptions } from 'agentcore-lite/mcp';
export type McpOwnOptions = Omit<McpServerOptions, keyof AgentCoreServerOptions>;
export type McpStateful = McpStatefulOptions;
export type McpTasks = McpTaskOptions;
export type McpModern = McpRequestStateOptions & McpSubscriptionOptions & McpCacheOptions;
export type McpServerMembers = Omit<McpServer, keyof AgentCoreApp>;
export type McpHandlerContext = McpContext;
`;

describe('the documentation', () => {
  let project: DocsProject;

  before(() => {
    project = new DocsProject(COMPILED, PROBE);
  });

  after(() => project?.remove());

  describe('markers', () => {
    it('finds TypeScript blocks in the README and the guides, with agents to run among them', () => {
      assert.ok(TS_BLOCKS.some((block) => block.doc === 'README.md' && block.marker?.kind === 'run'), 'the README has no <!-- run --> agent');
      assert.ok(TS_BLOCKS.some((block) => block.doc.startsWith('docs/') && block.marker?.kind === 'run'), 'no guide has a <!-- run --> agent');
      for (const [doc, least] of Object.entries(MIN_TS_BLOCKS)) {
        const count = TS_BLOCKS.filter((block) => block.doc === doc).length;
        assert.ok(count >= least, `${doc} has ${count} TypeScript blocks, expected at least ${least}`);
      }
    });

    it('gives every not-compiled block a reason', () => {
      const unexplained = TS_BLOCKS.filter((block) => block.marker?.kind === 'not-compiled' && block.marker.reason === '').map(label);
      assert.deepEqual(unexplained, []);
    });

    it('puts run, test and not-compiled markers only before TypeScript blocks, and transcript markers only before sh blocks', () => {
      const misplaced = ALL_BLOCKS.filter((block) => {
        const kind = block.marker?.kind;
        if (kind === 'run' || kind === 'test' || kind === 'not-compiled') return !isTypeScript(block);
        if (kind === 'transcript') return block.language !== 'sh';
        return false;
      }).map(label);
      assert.deepEqual(misplaced, []);
      // A marker with no block under it at all is a block someone forgot to fence.
      for (const doc of CODE_DOCS) {
        const lines = read(doc).split('\n');
        lines.forEach((line, index) => {
          const marker = parseMarker(line.trim());
          if (marker === undefined || marker.kind === 'other') return;
          const next = lines.slice(index + 1).find((candidate) => candidate.trim() !== '');
          assert.match(next ?? '', /^\s*```/, `${doc}:${index + 1}: ${line.trim()} is not followed by a code block`);
        });
      }
    });
  });

  describe('TypeScript blocks compile against the package', () => {
    for (const block of COMPILED) {
      it(`${label(block)}${block.marker === undefined || block.marker.kind === 'other' ? '' : ` (${block.marker.kind})`}`, () => {
        assert.deepEqual(project.diagnostics(block), []);
      });
    }
  });

  describe('complete agents run: they listen, answer /ping and exit 0 on SIGTERM', () => {
    for (const block of COMPILED.filter((candidate) => candidate.marker?.kind === 'run')) {
      it(label(block), { timeout: RUN_TIMEOUT_MS }, async (t) => {
        const script = project.emitted(block);
        const agent = await startAgent(script, { cwd: project.dir, baseEnv: withoutCoverage() });
        t.after(() => agent.child.kill('SIGKILL'));
        const ping = await fetch(`http://127.0.0.1:${agent.port}/ping`);
        assert.equal(ping.status, 200);
        assert.match(((await ping.json()) as { status: string }).status, /^Healthy(Busy)?$/);
        agent.child.kill('SIGTERM');
        const [code] = (await once(agent.child, 'exit')) as [number | null];
        assert.equal(code, 0, agent.output());
        assert.doesNotMatch(agent.output(), /"level":"error"/);
      });
    }
  });

  describe('complete tests pass', () => {
    for (const block of COMPILED.filter((candidate) => candidate.marker?.kind === 'test')) {
      it(label(block), { timeout: TEST_TIMEOUT_MS }, async () => {
        const script = project.emitted(block);
        // A fresh runner, not a subtest of this one (which NODE_TEST_CONTEXT would make it).
        const env = withoutCoverage();
        delete env.NODE_TEST_CONTEXT;
        const result = spawnSync(process.execPath, ['--test', '--test-reporter=tap', script], { cwd: project.dir, env, encoding: 'utf8', timeout: TEST_TIMEOUT_MS });
        assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
        assert.match(result.stdout, /^# pass [1-9]/m);
      });
    }
  });

  describe('transcripts are what the commands print', { skip: hasCommand('curl') ? false : 'curl is not installed' }, () => {
    for (const block of ALL_BLOCKS.filter((candidate) => candidate.marker?.kind === 'transcript')) {
      it(label(block), { timeout: TEST_TIMEOUT_MS }, async (t) => {
        const program = (block.marker as { program: string }).program;
        const agent = await startAgent(join(ROOT, program));
        t.after(() => agent.child.kill('SIGKILL'));
        const steps = transcriptSteps(block.source);
        assert.ok(steps.some((step) => step.expected !== undefined), 'the transcript shows no output');
        for (const step of steps) {
          const command = step.command.replaceAll('http://localhost:8080', `http://127.0.0.1:${agent.port}`);
          const { stdout } = await run('bash', ['-c', command], { timeout: TEST_TIMEOUT_MS });
          if (step.expected === undefined) continue;
          assertSameAnswer(JSON.parse(stdout), JSON.parse(step.expected), step.command);
        }
      });
    }
  });

  describe('links', () => {
    for (const doc of LINKED_DOCS) {
      it(`${doc} links only to files and headings that exist`, () => {
        assert.deepEqual(brokenLinks(doc), []);
      });
    }
  });

  describe('the README', () => {
    it(`is at most ${MAX_README_LINES} lines`, () => {
      const lines = read('README.md').trimEnd().split('\n').length;
      assert.ok(lines <= MAX_README_LINES, `README.md has ${lines} lines`);
    });

    it('names every public member of the app', () => {
      const readme = read('README.md');
      const missing = project.propertiesOf('App').filter((name) => !readme.includes(`app.${name}`));
      assert.deepEqual(missing, []);
    });

    it('names every option of the app', () => {
      const readme = read('README.md');
      const missing = project.propertiesOf('Options').filter((name) => !readme.includes(`\`${name}\``));
      assert.deepEqual(missing, []);
    });

    it('lists an npm script for every example, and every example has one', async () => {
      const manifest = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
      const examples = readdirSync(join(ROOT, 'examples'))
        .filter((name) => name.endsWith('.ts'))
        .map((name) => basename(name, '.ts'))
        .sort();
      // A script is named after its example, or a shorter name for it (`example:a2a`).
      const scripts = Object.keys(manifest.scripts).filter((name) => name.startsWith('example:'));
      const run = scripts.map((name) => /node dist\/examples\/([\w-]+)\.js$/.exec(manifest.scripts[name]!)?.[1]);
      assert.deepEqual([...run].sort(), examples);
      const readme = read('README.md');
      for (const script of scripts) {
        assert.ok(readme.includes(`npm run ${script}`), `the README does not list npm run ${script}`);
      }
      assert.match(manifest.scripts.start!, /node dist\/examples\/async-processing\.js$/);
    });

    for (const example of readdirSync(join(ROOT, 'examples')).filter((name) => name.endsWith('.ts')).sort()) {
      it(`its example ${example} starts, answers /ping and exits 0 on SIGTERM`, { timeout: RUN_TIMEOUT_MS }, async (t) => {
        const agent = await startAgent(join(ROOT, 'dist', 'examples', example.replace(/\.ts$/, '.js')));
        t.after(() => agent.child.kill('SIGKILL'));
        assert.equal((await fetch(`http://127.0.0.1:${agent.port}/ping`)).status, 200);
        agent.child.kill('SIGTERM');
        const [code] = (await once(agent.child, 'exit')) as [number | null];
        assert.equal(code, 0, agent.output());
      });
    }
  });

  describe('the reference guides', () => {
    it('docs/operations.md names every option of the app, of run() and of cors', () => {
      const guide = read('docs/operations.md');
      const missing = ['Options', 'Run', 'Cors'].flatMap((type) => project.propertiesOf(type)).filter((name) => !guide.includes(`\`${name}\``));
      assert.deepEqual(missing, []);
    });

    it('docs/internals.md draws the lib/ tree as it is, every module and no other', () => {
      const drawn = libTreeOf(read('docs/internals.md'));
      const actual = filesUnder('lib').filter((path) => path.endsWith('.ts'));
      assert.deepEqual(drawn.filter((path) => path.endsWith('.ts')).sort(), actual.sort());
    });

    it("docs/mcp.md names every option of McpServer, of stateful mode, of tasks and of 2026-07-28, every member of a handler's ctx and of the server", () => {
      const guide = read('docs/mcp.md');
      const missing = ['McpOwnOptions', 'McpStateful', 'McpTasks', 'McpModern', 'McpHandlerContext', 'McpServerMembers']
        .flatMap((type) => project.propertiesOf(type))
        .filter((name) => !guide.includes(`\`${name}\``) && !guide.includes(`\`${name}(`) && !guide.includes(`.${name}(`));
      assert.deepEqual(missing, []);
    });

    it('docs/a2a.md names every A2A option, card field, push option and executor context member', () => {
      const guide = read('docs/a2a.md');
      const core = new Set(project.propertiesOf('ServerOptions'));
      const names = [
        ...project.propertiesOf('A2AOptions').filter((name) => !core.has(name)),
        ...['A2ACard', 'A2APush', 'A2AContext'].flatMap((type) => project.propertiesOf(type)),
      ];
      assert.ok(names.includes('maxOpenTasks') && names.includes('allowedDestinations') && names.includes('requireInput'));
      assert.deepEqual(names.filter((name) => !guide.includes(`\`${name}\``) && !guide.includes(`${name}(`)), []);
    });

    it('docs/websocket.md names every WebSocket limit', () => {
      const guide = read('docs/websocket.md');
      const missing = project.propertiesOf('WebSocketLimits').filter((name) => !guide.includes(`\`${name}\``));
      assert.deepEqual(missing, []);
    });
  });
});

/**
 * `spawnAgent` (PORT=0, HOST=127.0.0.1, info logs) bounded in time: a program that never logs
 * its listening line is killed, and the test fails with what it printed, instead of hanging.
 */
async function startAgent(script: string, options: Parameters<typeof spawnAgent>[1] = {}): Promise<AgentProcess> {
  const starting = spawnAgent(script, options);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${relative(ROOT, script)} did not log "Server listening on" within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
  });
  try {
    return await Promise.race([starting, timeout]);
  } catch (error) {
    // The child is only known once it listens; if it does later, stop it then.
    void starting.then((agent) => agent.child.kill('SIGKILL'), () => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Every file under `dir` (relative to the repository), sorted. */
function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(`${dir}/${entry.name}`) : [`${dir}/${entry.name}`]))
    .sort();
}

/** The paths of the `lib/` tree drawn in a ```text block (`├── name`, four columns a level). */
function libTreeOf(markdown: string): string[] {
  const block = blocksOf('', markdown).find((candidate) => candidate.language === 'text' && candidate.source.startsWith('lib/\n'));
  assert.ok(block !== undefined, 'no ```text block draws lib/');
  const trail: string[] = ['lib'];
  const paths: string[] = [];
  for (const line of block.source.split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+)/.exec(line);
    if (match === null) continue;
    const depth = match[1]!.length / 4 + 1;
    const name = match[2]!.replace(/\/$/, '');
    trail.length = depth;
    paths.push([...trail, name].join('/'));
    trail.push(name);
  }
  return paths;
}

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

interface TranscriptStep {
  command: string;
  /** The JSON the command prints, from the `# …` line after it. */
  expected: string | undefined;
}

/** A shell transcript's commands (continued lines joined), each with the output line after it. */
function transcriptSteps(source: string): TranscriptStep[] {
  const steps: TranscriptStep[] = [];
  const lines = source.split('\n');
  for (let index = 0; index < lines.length; index++) {
    let line = lines[index]!.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const text = line.replace(/^#\s?/, '');
      const last = steps.at(-1);
      if (last !== undefined && last.expected === undefined && /^[[{]/.test(text)) last.expected = text;
      continue;
    }
    let command = line;
    while (command.endsWith('\\') && index + 1 < lines.length) {
      line = lines[++index]!.trim();
      command = `${command.slice(0, -1).trimEnd()} ${line}`;
    }
    steps.push({ command, expected: undefined });
  }
  return steps;
}

/** Keys whose numbers depend on when the transcript ran: any number of the same kind will do. */
const TIMING_KEYS = new Set(['time_of_last_update', 'duration']);

function assertSameAnswer(actual: unknown, expected: unknown, command: string, path = '$'): void {
  if (typeof expected === 'object' && expected !== null) {
    assert.equal(typeof actual, 'object', `${command}: ${path} is not an object or array`);
    assert.equal(Array.isArray(actual), Array.isArray(expected), `${command}: ${path}`);
    assert.deepEqual(Object.keys(actual as object), Object.keys(expected), `${command}: the keys of ${path}`);
    for (const key of Object.keys(expected)) {
      const child = `${path}.${key}`;
      const want: unknown = (expected as Record<string, unknown>)[key];
      const got: unknown = (actual as Record<string, unknown>)[key];
      if (TIMING_KEYS.has(key) && typeof want === 'number') {
        assert.equal(typeof got, 'number', `${command}: ${child}`);
        assert.equal(Number.isInteger(got), Number.isInteger(want), `${command}: ${child} is ${String(got)}`);
      } else {
        assertSameAnswer(got, want, command, child);
      }
    }
    return;
  }
  assert.deepEqual(actual, expected, `${command}: ${path}`);
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, each space a hyphen. */
function slug(heading: string): string {
  const text = heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '')
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of withoutFencedBlocks(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = slug(match[1]!);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** The text without its fenced blocks, whose `#` lines are no headings. */
function withoutFencedBlocks(markdown: string): string {
  return markdown.replace(/^(\s*)(`{3,})[\s\S]*?^\s*\2\s*$/gm, '');
}

/** The text without fenced blocks and with inline code blanked out, so their brackets are not links. */
function withoutCode(markdown: string): string {
  return withoutFencedBlocks(markdown).replace(/`[^`\n]*`/g, '``');
}

/** `doc`'s relative links whose file, or heading in that file, does not exist. */
function brokenLinks(doc: string): string[] {
  const broken: string[] = [];
  const text = withoutCode(read(doc));
  for (const match of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = match[1]!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    const [path, anchor] = target.split('#') as [string, string | undefined];
    const file = path === '' ? join(ROOT, doc) : resolve(ROOT, dirname(doc), path);
    if (!existsSync(file)) {
      broken.push(`${target} (no ${relative(ROOT, file)})`);
      continue;
    }
    if (anchor !== undefined && file.endsWith('.md') && !anchorsOf(readFileSync(file, 'utf8')).has(anchor)) {
      broken.push(`${target} (no heading #${anchor} in ${relative(ROOT, file)})`);
    }
  }
  return broken;
}
