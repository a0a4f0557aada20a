import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { defaultHost, defaultPort, hostFacts, isDeveloperMachine, isMainModule, type HostFacts } from '../lib/environment.js';

describe('the bind address', () => {
  const facts = (overrides: Partial<HostFacts>): HostFacts => ({ platform: 'linux', inContainer: false, atTerminal: false, ...overrides });

  it('honours HOST first', () => {
    assert.equal(defaultHost({ HOST: '::1' }, facts({ atTerminal: true })), '::1');
    assert.equal(defaultHost({ HOST: '127.0.0.1' }, facts({ inContainer: true })), '127.0.0.1');
  });

  it('binds every interface wherever nobody started it at a terminal: the runtime, a container, CI', () => {
    assert.equal(defaultHost({}, facts({})), '0.0.0.0');
    assert.equal(defaultHost({}, facts({ inContainer: true })), '0.0.0.0');
    assert.equal(defaultHost({}, facts({ inContainer: true, atTerminal: true })), '0.0.0.0', 'docker run -it publishes the port from outside');
    assert.equal(defaultHost({ HOST: '' }, facts({})), '0.0.0.0');
  });

  it('binds loopback on a developer machine: at a terminal outside a container, or not Linux at all', () => {
    assert.equal(defaultHost({}, facts({ atTerminal: true })), '127.0.0.1');
    for (const platform of ['darwin', 'win32'] as const) {
      assert.equal(isDeveloperMachine(facts({ platform })), true);
      assert.equal(defaultHost({}, facts({ platform, inContainer: true })), '127.0.0.1');
    }
  });

  it('reads the container markers and the terminal of this process', () => {
    const own = hostFacts({});
    assert.equal(own.platform, process.platform);
    assert.equal(own.inContainer, existsSync('/.dockerenv'));
    assert.equal(hostFacts({ DOCKER_CONTAINER: '1' }).inContainer, true);
    assert.equal(typeof own.atTerminal, 'boolean');
  });

  describe('in a real process', { skip: process.platform === 'linux' ? false : 'the rule for Linux' }, () => {
    const library = pathToFileURL(join(process.cwd(), 'dist', 'lib', 'environment.js')).href;
    const program = `import { defaultHost } from ${JSON.stringify(library)}; console.log(defaultHost());`;
    const env: NodeJS.ProcessEnv = { ...process.env, HOST: '' };
    delete env.DOCKER_CONTAINER;

    it('binds every interface when started without a terminal, as a platform starts it', () => {
      const result = spawnSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
      assert.equal(result.stdout.trim(), '0.0.0.0', result.stderr);
    });

    it('binds loopback when started at a terminal outside a container', { skip: hasCommand('script') ? false : 'script(1) is not installed' }, () => {
      const command = [process.execPath, '--input-type=module', '-e', program].map((word) => `'${word.replaceAll("'", "'\\''")}'`).join(' ');
      const result = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
      assert.equal(result.stdout.trim(), existsSync('/.dockerenv') ? '0.0.0.0' : '127.0.0.1', result.stderr);
    });
  });
});

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

describe('the port', () => {
  it('is 8080 unless PORT says otherwise', () => {
    assert.equal(defaultPort({}), 8080);
    assert.equal(defaultPort({ PORT: '' }), 8080);
    assert.equal(defaultPort({ PORT: '9000' }), 9000);
  });

  it('rejects a PORT that is not a port number', () => {
    assert.throws(() => defaultPort({ PORT: 'eighty' }), /PORT must be an integer/);
    assert.throws(() => defaultPort({ PORT: '70000' }), RangeError);
  });
});

describe('isMainModule', () => {
  it('is true only for the entry point, through spaces, symlinks and a missing extension', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'agentcore lite main '));
    t.after(() => rm(dir, { recursive: true, force: true }));
    await mkdir(join(dir, 'my agent'));
    const agent = join(dir, 'my agent', 'agent.mjs');
    const library = pathToFileURL(join(process.cwd(), 'dist', 'lib', 'environment.js')).href;
    await writeFile(agent, `import { isMainModule } from ${JSON.stringify(library)};\nconsole.log(isMainModule(import.meta.url));\n`);
    await symlink(join(dir, 'my agent'), join(dir, 'linked'));
    const run = (path: string): string => spawnSync(process.execPath, [path], { encoding: 'utf8' }).stdout.trim();
    assert.equal(run(agent), 'true');
    assert.equal(run(join(dir, 'linked', 'agent.mjs')), 'true');
    const importer = join(dir, 'importer.mjs');
    await writeFile(importer, `await import(${JSON.stringify(pathToFileURL(agent).href)});\n`);
    assert.equal(run(importer), 'false');
  });

  it('resolves an entry named without its extension, and is false without an entry or a file URL', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'agentcore-main-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'agent.js');
    await writeFile(file, '');
    assert.equal(isMainModule(pathToFileURL(file).href, join(dir, 'agent')), true);
    assert.equal(isMainModule(pathToFileURL(file).href, join(dir, 'other')), false);
    assert.equal(isMainModule(pathToFileURL(file).href, undefined), false);
    assert.equal(isMainModule('data:text/javascript,1', file), false);
    assert.equal(isMainModule(pathToFileURL(join(dir, 'missing.js')).href, file), false);
  });
});
