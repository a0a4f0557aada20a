/**
 * Importing the library only defines things: no timers, sockets or other handles, and no work
 * that a cold start would pay for. Each measurement runs in a fresh child process.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

const LIBRARY_URL = pathToFileURL(resolve(dirname(fileURLToPath(import.meta.url)), '../lib/index.js')).href;
const SAMPLES = 3;
/**
 * How much longer than `node:http` alone importing the library may take. It loads a dozen small
 * modules from disk; this bound is generous for slow CI machines running under coverage.
 */
const MAX_EXTRA_IMPORT_MS = 150;

interface ImportProbe {
  ms: number;
  before: string[];
  after: string[];
}

/** Imports `specifier` in a fresh process; reports the time and the active resources around it. */
async function probeImport(specifier: string): Promise<ImportProbe> {
  const script = `
const before = process.getActiveResourcesInfo();
const start = performance.now();
await import(${JSON.stringify(specifier)});
const ms = performance.now() - start;
await new Promise((resolve) => setImmediate(resolve));
const after = process.getActiveResourcesInfo();
process.stdout.write(JSON.stringify({ ms, before, after }));
`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', script]);
  return JSON.parse(stdout) as ImportProbe;
}

async function medianImportMs(specifier: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) times.push((await probeImport(specifier)).ms);
  times.sort((a, b) => a - b);
  return times[Math.floor(SAMPLES / 2)]!;
}

describe('importing the library', () => {
  it('creates no timers, sockets or other handles', async () => {
    const probe = await probeImport(LIBRARY_URL);
    assert.deepEqual(probe.after, probe.before);
  });

  it('takes no notable time compared with importing node:http', async (t) => {
    const httpMs = await medianImportMs('node:http');
    const libraryMs = await medianImportMs(LIBRARY_URL);
    t.diagnostic(`node:http ${httpMs.toFixed(1)} ms, agentcore-lite ${libraryMs.toFixed(1)} ms (median of ${SAMPLES})`);
    assert.ok(libraryMs - httpMs < MAX_EXTRA_IMPORT_MS, `library import took ${libraryMs.toFixed(1)} ms`);
  });
});
