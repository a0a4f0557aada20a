import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { defaultHost, defaultPort, isContainerEnvironment, isMainModule } from '../lib/environment.js';

describe('the bind address', () => {
  it('honours HOST first', () => {
    assert.equal(defaultHost({ HOST: '::1', DOCKER_CONTAINER: '1' }), '::1');
  });

  it('binds every interface in a container or on the runtime', () => {
    assert.equal(defaultHost({ DOCKER_CONTAINER: 'true' }), '0.0.0.0');
    assert.equal(defaultHost({ AWS_EXECUTION_ENV: 'AgentCore' }), '0.0.0.0');
    assert.equal(defaultHost({ AGENTCORE_RUNTIME_ARN: 'x' }), '0.0.0.0');
    assert.equal(isContainerEnvironment({ BEDROCK_AGENTCORE_RUNTIME_ID: 'x' }), true);
  });

  it('binds loopback on a developer machine (no /.dockerenv, no container variables)', () => {
    assert.equal(isContainerEnvironment({}), existsSync('/.dockerenv'));
    assert.equal(defaultHost({}), existsSync('/.dockerenv') ? '0.0.0.0' : '127.0.0.1');
  });
});

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
