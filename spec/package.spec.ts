/**
 * The published package, as a user gets it: `npm pack` the repository, install the tarball into
 * an empty project, and use it from ESM (`import`), CommonJS (`require`) and TypeScript. The
 * files it ships are the very files the rest of the suite tests (`dist/lib`).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, posix, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { withoutCoverage } from './support/agent-process.js';

const run = promisify(execFile);

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PACKAGE_NAME = 'agentcore-lite';
/**
 * The packed tarball must stay small. It holds tsc's per-file JavaScript (comments stripped),
 * its source maps with the TypeScript sources inline (so they resolve), the TSDoc'd
 * declarations users read in their editor, and the README. This guard holds the measured size
 * against regressions (see bench/RESULTS.md, "Package size"). The MCP subpath (lib/mcp: the
 * server for both eras, about 40 modules, and its JSON Schema validator) is the largest part.
 */
const MAX_PACKED_BYTES = 720_000;
const CHILD_TIMEOUT_MS = 60_000;
/** A git install clones, installs the dev dependencies, runs `prepare` (the build) and packs. */
const GIT_INSTALL_TIMEOUT_MS = 240_000;
/** What may be shipped: the built library (code, maps, declarations), README, LICENSE, package.json. */
const SHIPPABLE = /^(?:dist\/lib\/(?:[\w-]+\/)*[\w.-]+\.(?:js|js\.map|d\.ts)|package\.json|README\.md|LICENSE)$/;
/** The package's entry points, as `exports` names them. */
const ENTRIES = ['dist/lib/index.js', 'dist/lib/websocket/index.js', 'dist/lib/ag-ui/index.js', 'dist/lib/mcp/index.js', 'dist/lib/a2a/index.js'];

interface PackResult {
  filename: string;
  size: number;
  files: { path: string }[];
}

/** Installs the tarball with npm (offline: there are no dependencies), else unpacks it with tar. */
async function installTarball(tarball: string, project: string): Promise<void> {
  try {
    await run('npm', ['install', '--no-audit', '--no-fund', '--offline', '--ignore-scripts', '--no-package-lock', tarball], {
      cwd: project,
      env: withoutCoverage(),
      timeout: CHILD_TIMEOUT_MS,
    });
  } catch {
    const modules = join(project, 'node_modules');
    await rm(modules, { recursive: true, force: true });
    await mkdir(modules, { recursive: true });
    await run('tar', ['-xzf', tarball, '-C', modules], { timeout: CHILD_TIMEOUT_MS });
    await rename(join(modules, 'package'), join(modules, PACKAGE_NAME));
  }
}

/** A consumer script: loads the package, serves /ping on an ephemeral port, prints what it saw. */
function consumerSource(load: string): string {
  return `${load}
const app = new AgentCoreApp({ logLevel: 'silent' });
app.listen({ port: 0, host: '127.0.0.1' }).then(async (address) => {
  const response = await fetch('http://127.0.0.1:' + address.port + '/ping');
  const body = await response.json();
  await app.close();
  console.log(JSON.stringify({
    appType: typeof AgentCoreApp,
    healthy: PingStatus.Healthy,
    httpStatus: response.status,
    pingStatus: body.status,
    stampIsInteger: Number.isInteger(body.time_of_last_update),
  }));
});
`;
}

const EXPECTED_CONSUMER_OUTPUT = {
  appType: 'function',
  healthy: 'Healthy',
  httpStatus: 200,
  pingStatus: 'Healthy',
  stampIsInteger: true,
};

/**
 * A module-loading hook (`module.register`) that appends every file URL Node loads to the file
 * named by AGENTCORE_LOADED_LOG, so a test can see which of the package's files ran, and when.
 */
const LOAD_RECORDER = `import { appendFileSync } from 'node:fs';
export async function load(url, context, nextLoad) {
  if (url.startsWith('file:')) appendFileSync(process.env.AGENTCORE_LOADED_LOG, url + '\\n');
  return nextLoad(url, context);
}
`;

describe('the published package', () => {
  let workDir: string;
  let project: string;
  let installed: string;
  let packed: PackResult;

  before(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'agentcore-lite-pack-'));
    // --ignore-scripts: `prepack` would rebuild dist/ underneath the running tests.
    const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', workDir], {
      cwd: ROOT,
      env: withoutCoverage(),
      timeout: CHILD_TIMEOUT_MS,
    });
    packed = (JSON.parse(stdout) as PackResult[])[0]!;
    project = join(workDir, 'consumer');
    await mkdir(project);
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    await installTarball(join(workDir, packed.filename), project);
    installed = join(project, 'node_modules', PACKAGE_NAME);
  });

  after(async () => {
    if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
  });

  /** Runs `source` as `file` in the consumer project and parses the JSON it prints. */
  async function runConsumer(file: string, source: string, nodeArgs: string[] = [], env: Record<string, string> = {}): Promise<unknown> {
    const path = join(project, file);
    await writeFile(path, source);
    const { stdout } = await run(process.execPath, [...nodeArgs, path], { cwd: project, env: withoutCoverage(env), timeout: CHILD_TIMEOUT_MS });
    return JSON.parse(stdout);
  }

  describe('contents', () => {
    it('ships only the built library (code, source maps, declarations), README, LICENSE and package.json', () => {
      const unexpected = packed.files.map((file) => file.path).filter((path) => !SHIPPABLE.test(path));
      assert.deepEqual(unexpected, []);
    });

    it('ships exactly the files the test suite runs: every module of dist/lib with its map and types', async () => {
      const shipped = new Set(packed.files.map((file) => file.path));
      const { stdout } = await run('find', ['dist/lib', '-type', 'f'], { cwd: ROOT });
      const built = stdout.trim().split('\n').sort();
      assert.deepEqual([...shipped].filter((path) => path.startsWith('dist/')).sort(), built);
      for (const path of built.filter((file) => file.endsWith('.js'))) {
        assert.ok(shipped.has(`${path}.map`), `${path} ships without its source map`);
        assert.ok(shipped.has(path.replace(/\.js$/, '.d.ts')), `${path} ships without its declarations`);
      }
    });

    it(`stays under ${MAX_PACKED_BYTES / 1000} kB packed`, () => {
      assert.ok(packed.size < MAX_PACKED_BYTES, `packed size ${packed.size} B`);
    });

    it('ships source maps that resolve: every source is inline, the very TypeScript of lib/', async () => {
      const maps = packed.files.map((file) => file.path).filter((path) => path.endsWith('.js.map'));
      assert.ok(maps.length > 0);
      const problems: string[] = [];
      for (const path of maps) {
        const map = JSON.parse(await readFile(join(installed, path), 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[]; sourceRoot?: string };
        const code = await readFile(join(installed, path.replace(/\.map$/, '')), 'utf8');
        if (!code.trimEnd().endsWith(`//# sourceMappingURL=${posix.basename(path)}`)) problems.push(`${path}: its .js does not point to it`);
        map.sources.forEach((source, index) => {
          const content = map.sourcesContent?.[index];
          const resolved = posix.join(posix.dirname(path), map.sourceRoot ?? '', source);
          if (typeof content === 'string') {
            // Resolved in the repository (the package's root), the source it names is the one it holds.
            if (!resolved.startsWith('lib/') || content !== readFileSync(join(ROOT, resolved), 'utf8')) problems.push(`${path}: ${source} is not lib/'s source`);
          } else if (!packed.files.some((file) => file.path === resolved)) {
            problems.push(`${path}: ${source} is neither inline nor shipped`);
          }
        });
      }
      assert.deepEqual(problems, []);
    });

    it('has zero dependencies of any kind', async () => {
      const manifest = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8')) as Record<string, unknown>;
      for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'bundleDependencies', 'bundledDependencies']) {
        const value = manifest[field];
        assert.ok(value === undefined || Object.keys(value as object).length === 0, `${field} is not empty`);
      }
    });

    it('reaches every shipped module from its entry points through static imports and literal import() only', async () => {
      const reached = new Set<string>();
      const pending = [...ENTRIES];
      const problems: string[] = [];
      while (pending.length > 0) {
        const path = pending.pop()!;
        if (reached.has(path)) continue;
        reached.add(path);
        const source = await readFile(join(installed, path), 'utf8');
        if (/\bcreateRequire\b|\brequire\s*\(/.test(source)) problems.push(`${path} uses require`);
        // TypeScript's own scanner lists static imports, re-exports and import('literal') calls.
        const { importedFiles } = ts.preProcessFile(source, true, true);
        for (const { fileName } of importedFiles) {
          if (fileName.startsWith('node:')) continue;
          if (!fileName.startsWith('./') && !fileName.startsWith('../')) {
            problems.push(`${path} imports the package ${fileName}`);
            continue;
          }
          pending.push(posix.join(posix.dirname(path), fileName));
        }
      }
      const modules = packed.files.map((file) => file.path).filter((path) => path.endsWith('.js'));
      assert.deepEqual(problems, []);
      assert.deepEqual(modules.filter((path) => !reached.has(path)), [], 'shipped but unreachable');
      assert.deepEqual([...reached].filter((path) => !modules.includes(path)), [], 'imported but not shipped');
    });
    it('has no import cycle among the shipped modules (static imports; on-demand ones are import())', async () => {
      const modules = packed.files.map((file) => file.path).filter((path) => path.endsWith('.js'));
      const graph = new Map<string, string[]>();
      for (const path of modules) {
        const source = await readFile(join(installed, path), 'utf8');
        // Only static imports and re-exports: tsc keeps `import(...)` calls, which break no load order.
        const specifiers = [...source.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)';$/gm)].map((match) => match[1]!);
        graph.set(path, specifiers.map((specifier) => posix.join(posix.dirname(path), specifier)));
      }
      const cycles: string[] = [];
      const state = new Map<string, 'open' | 'done'>();
      const visit = (path: string, trail: string[]): void => {
        state.set(path, 'open');
        for (const next of graph.get(path) ?? []) {
          if (state.get(next) === 'open') cycles.push([...trail.slice(trail.indexOf(next)), path, next].join(' -> '));
          else if (state.get(next) === undefined) visit(next, [...trail, path]);
        }
        state.set(path, 'done');
      };
      for (const path of modules) if (state.get(path) === undefined) visit(path, []);
      assert.deepEqual(cycles, []);
    });
  });

  describe('when installed', () => {
    it('works through import (ESM) and answers /ping', async () => {
      const output = await runConsumer('consumer.mjs', consumerSource(`import { AgentCoreApp, PingStatus } from '${PACKAGE_NAME}';`));
      assert.deepEqual(output, EXPECTED_CONSUMER_OUTPUT);
    });

    it('works through require (CommonJS) and answers /ping', async () => {
      const output = await runConsumer('consumer.cjs', consumerSource(`const { AgentCoreApp, PingStatus } = require('${PACKAGE_NAME}');`));
      assert.deepEqual(output, EXPECTED_CONSUMER_OUTPUT);
    });

    it('gives import and require one copy of every class and of the request context', async () => {
      const output = await runConsumer(
        'both.mjs',
        `import { createRequire } from 'node:module';\n` +
          `import * as esm from '${PACKAGE_NAME}';\n` +
          `import * as esmSocket from '${PACKAGE_NAME}/websocket';\n` +
          `const require = createRequire(import.meta.url);\n` +
          `const cjs = require('${PACKAGE_NAME}');\n` +
          `const cjsSocket = require('${PACKAGE_NAME}/websocket');\n` +
          `console.log(JSON.stringify({\n` +
          `  sameClass: esm.AgentCoreApp === cjs.AgentCoreApp,\n` +
          `  httpError: new esm.HttpError(400, 'x') instanceof cjs.HttpError,\n` +
          `  sameContext: esm.getRequestContext === cjs.getRequestContext,\n` +
          `  sameSocket: esmSocket.AgentCoreWebSocket === cjsSocket.AgentCoreWebSocket,\n` +
          `  names: Object.keys(cjs).filter((name) => !(name in esm)),\n` +
          `}));\n`,
      );
      assert.deepEqual(output, { sameClass: true, httpError: true, sameContext: true, sameSocket: true, names: [] });
    });

    it('loads the streaming code only when a reply streams, and the WebSocket code only on an upgrade', async () => {
      const log = join(project, 'loaded.log');
      await writeFile(join(project, 'record-loads.mjs'), LOAD_RECORDER);
      await writeFile(join(project, 'register.mjs'), `import { register } from 'node:module';\nregister('./record-loads.mjs', import.meta.url);\n`);
      const output = (await runConsumer(
        'lazy.mjs',
        `import { readFileSync, writeFileSync } from 'node:fs';\n` +
          `import { AgentCoreApp } from '${PACKAGE_NAME}';\n` +
          `const root = new URL('./node_modules/${PACKAGE_NAME}/', import.meta.url).href;\n` +
          `// Loader hooks run on their own thread: give them a moment to write.\n` +
          `const settle = () => new Promise((resolve) => setTimeout(resolve, 50));\n` +
          `const loaded = async () => { await settle(); return readFileSync(process.env.AGENTCORE_LOADED_LOG, 'utf8').split('\\n').filter((url) => url.startsWith(root)).map((url) => url.slice(root.length)); };\n` +
          `const app = new AgentCoreApp({ logLevel: 'silent' });\n` +
          `app.entrypoint(async function* () { yield 'one'; });\n` +
          `const address = await app.listen({ port: 0, host: '127.0.0.1' });\n` +
          `const atStartup = await loaded();\n` +
          `const response = await fetch('http://127.0.0.1:' + address.port + '/invocations', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });\n` +
          `const text = await response.text();\n` +
          `const afterStream = await loaded();\n` +
          `await app.close();\n` +
          `console.log(JSON.stringify({ atStartup, text, afterStream }));\n`,
        ['--import', './register.mjs'],
        { AGENTCORE_LOADED_LOG: log },
      )) as { atStartup: string[]; text: string; afterStream: string[] };
      assert.equal(output.text, 'data: "one"\n\n');
      assert.ok(output.atStartup.includes('dist/lib/index.js'), 'the entry point was not seen loading');
      const streaming = ['dist/lib/streaming/stream-writer.js', 'dist/lib/streaming/pipe.js', 'dist/lib/streaming/streams.js'];
      const websocket = ['index', 'socket', 'receiver', 'sender', 'server', 'handshake'].map((name) => `dist/lib/websocket/${name}.js`);
      assert.deepEqual(output.atStartup.filter((path) => streaming.includes(path) || websocket.includes(path)), []);
      assert.deepEqual(streaming.filter((path) => !output.afterStream.includes(path)), [], 'the streaming code did not load for a stream');
      assert.deepEqual(output.afterStream.filter((path) => websocket.includes(path)), [], 'WebSocket code loaded without an upgrade');
    });

    it('maps stack traces to the TypeScript sources with --enable-source-maps', async () => {
      const output = (await runConsumer(
        'trace.mjs',
        `import { AgentCoreApp } from '${PACKAGE_NAME}';\n` +
          `try { new AgentCoreApp({ maxBodyBytes: -1 }); } catch (error) { console.log(JSON.stringify({ stack: error.stack })); }\n`,
        ['--enable-source-maps'],
      )) as { stack: string };
      assert.match(output.stack, /lib\/limits\.ts:\d+:\d+/);
      assert.match(output.stack, /lib\/options\.ts:\d+:\d+/);
    });

    it('gives TypeScript its types for both import and require', async () => {
      await writeFile(
        join(project, 'typed.mts'),
        `import { AgentCoreApp, PingStatus } from '${PACKAGE_NAME}';\n` +
          `import type { AgentCoreWebSocket } from '${PACKAGE_NAME}/websocket';\n` +
          `import { agUiHandler, type RunAgentInput } from '${PACKAGE_NAME}/ag-ui';\n` +
          `import { A2AServer, TaskState, type TaskContext } from '${PACKAGE_NAME}/a2a';\n` +
          `export const agent = new A2AServer({ executor: (context: TaskContext) => context.setStatus(TaskState.Completed) });\n` +
          `const status: 'Healthy' = PingStatus.Healthy;\nexport const app: AgentCoreApp = new AgentCoreApp();\n` +
          `app.entrypoint(agUiHandler(async function* (input: RunAgentInput) { yield input.threadId; }));\n` +
          `export type Socket = AgentCoreWebSocket;\nexport { status };\n`,
      );
      await writeFile(
        join(project, 'typed.cts'),
        `import lite = require('${PACKAGE_NAME}');\n` +
          `const status: 'HealthyBusy' = lite.PingStatus.HealthyBusy;\nexport const app: lite.AgentCoreApp = new lite.AgentCoreApp();\nexport { status };\n`,
      );
      const tsc = join(ROOT, 'node_modules', 'typescript', 'lib', 'tsc.js');
      const { stdout } = await run(
        process.execPath,
        [
          tsc,
          '--noEmit',
          '--strict',
          '--module',
          'nodenext',
          '--moduleResolution',
          'nodenext',
          '--typeRoots',
          join(ROOT, 'node_modules', '@types'),
          '--types',
          'node',
          '--listFiles',
          'typed.mts',
          'typed.cts',
        ],
        { cwd: project, env: withoutCoverage(), timeout: CHILD_TIMEOUT_MS },
      );
      assert.ok(stdout.includes(join(installed, 'dist/lib/index.d.ts')), 'the package types were not used');
      assert.ok(stdout.includes(join(installed, 'dist/lib/websocket/index.d.ts')), 'the websocket types were not used');
      assert.ok(stdout.includes(join(installed, 'dist/lib/ag-ui/index.d.ts')), 'the ag-ui types were not used');
      assert.ok(stdout.includes(join(installed, 'dist/lib/a2a/index.d.ts')), 'the a2a types were not used');
    });

    it('serves an A2A call through agentcore-lite/a2a, by import and by require', async () => {
      const script = (load: string): string =>
        `${load}\n` +
        `const server = new A2AServer({ logLevel: 'silent', executor: (context) => context.reply('pong') });\n` +
        `server.listen({ port: 0, host: '127.0.0.1' }).then(async (address) => {\n` +
        `  const response = await fetch('http://127.0.0.1:' + address.port + '/', { method: 'POST', headers: { 'content-type': 'application/json', 'a2a-version': '1.0' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'SendMessage', params: { message: { messageId: 'm', role: 'ROLE_USER', parts: [{ text: 'ping' }] } } }) });\n` +
        `  const body = await response.json();\n` +
        `  await server.close();\n` +
        `  console.log(JSON.stringify({ text: body.result.message.parts[0].text }));\n` +
        `});\n`;
      assert.deepEqual(await runConsumer('a2a.mjs', script(`import { A2AServer } from '${PACKAGE_NAME}/a2a';`)), { text: 'pong' });
      assert.deepEqual(await runConsumer('a2a.cjs', script(`const { A2AServer } = require('${PACKAGE_NAME}/a2a');`)), { text: 'pong' });
    });

    it('serves an AG-UI run through agentcore-lite/ag-ui', async () => {
      const output = await runConsumer(
        'ag-ui.mjs',
        `import { AgentCoreApp } from '${PACKAGE_NAME}';\n` +
          `import { agUiHandler } from '${PACKAGE_NAME}/ag-ui';\n` +
          `const app = new AgentCoreApp({ logLevel: 'silent' });\n` +
          `app.entrypoint(agUiHandler(async function* () { yield 'hi'; throw new Error('late'); }));\n` +
          `const address = await app.listen({ port: 0, host: '127.0.0.1' });\n` +
          `const response = await fetch('http://127.0.0.1:' + address.port + '/invocations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ threadId: 't', runId: 'r', messages: [] }) });\n` +
          `const types = (await response.text()).split('\\n\\n').filter(Boolean).map((block) => JSON.parse(block.slice('data: '.length)).type);\n` +
          `await app.close();\n` +
          `console.log(JSON.stringify({ types }));\n`,
      );
      assert.deepEqual(output, { types: ['RUN_STARTED', 'TEXT_MESSAGE_START', 'TEXT_MESSAGE_CONTENT', 'RUN_ERROR'] });
    });
  });
});

describe('the package installed from git', () => {
  let workDir: string;

  before(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'agentcore-lite-git-'));
  });

  after(async () => {
    if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
  });

  it('builds itself with prepare, so a clean project installs it from a git URL and imports it', { timeout: GIT_INSTALL_TIMEOUT_MS }, async () => {
    // A repository holding this working tree as it is now (committed or not), as a clone would.
    const repository = join(workDir, 'agentcore-lite');
    const { stdout: listed } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    for (const path of listed.split('\0').filter((entry) => entry !== '' && existsSync(join(ROOT, entry)))) {
      await cp(join(ROOT, path), join(repository, path), { recursive: true });
    }
    const git = (args: string[], cwd: string): Promise<unknown> => run('git', ['-c', 'user.name=spec', '-c', 'user.email=spec@localhost', ...args], { cwd, timeout: CHILD_TIMEOUT_MS });
    await git(['init', '-q'], repository);
    await git(['add', '-A'], repository);
    await git(['commit', '-q', '--no-gpg-sign', '-m', 'snapshot'], repository);
    assert.equal(existsSync(join(repository, 'dist')), false, 'the clone has no build');

    const project = join(workDir, 'my-agent');
    await mkdir(project);
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'my-agent', private: true, type: 'module' }));
    // The cache of this machine's `npm ci` serves the dev dependencies the build needs.
    await run('npm', ['install', '--no-audit', '--no-fund', `git+file://${repository}`], {
      cwd: project,
      env: withoutCoverage({ npm_config_prefer_offline: 'true' }),
      timeout: GIT_INSTALL_TIMEOUT_MS,
    });

    const installed = join(project, 'node_modules', PACKAGE_NAME);
    assert.deepEqual((await readdir(join(project, 'node_modules'))).filter((name) => !name.startsWith('.')), [PACKAGE_NAME], 'only the package, none of its dev dependencies');
    assert.deepEqual((await readdir(installed)).sort(), ['LICENSE', 'README.md', 'dist', 'package.json']);
    await writeFile(join(project, 'agent.js'), consumerSource(`import { AgentCoreApp, PingStatus } from '${PACKAGE_NAME}';`));
    const { stdout } = await run(process.execPath, ['agent.js'], { cwd: project, env: withoutCoverage(), timeout: CHILD_TIMEOUT_MS });
    assert.deepEqual(JSON.parse(stdout), EXPECTED_CONSUMER_OUTPUT);
  });
});
