import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { monotonicMs, systemClock } from '../lib/clock.js';

const run = promisify(execFile);
const CLOCK_URL = pathToFileURL(resolve(dirname(fileURLToPath(import.meta.url)), '../lib/clock.js')).href;

describe('monotonicMs', () => {
  it('never goes backwards', () => {
    let previous = monotonicMs();
    for (let i = 0; i < 10_000; i++) {
      const now = monotonicMs();
      assert.ok(now >= previous, `${now} < ${previous}`);
      previous = now;
    }
  });

  it('measures elapsed time in milliseconds, as performance.now() does', async () => {
    // The first read of `performance` loads perf_hooks; let that happen outside the measurement.
    performance.now();
    const start = monotonicMs();
    const reference = performance.now();
    await sleep(50);
    const elapsed = monotonicMs() - start;
    const referenceElapsed = performance.now() - reference;
    assert.ok(elapsed >= 49, `measured ${elapsed} ms for a 50 ms sleep`);
    assert.ok(Math.abs(elapsed - referenceElapsed) < 5, `${elapsed} ms against performance.now()'s ${referenceElapsed} ms`);
  });

  it('does not load perf_hooks (a cold-start cost nothing else needs)', async () => {
    const script =
      `const { monotonicMs } = await import(${JSON.stringify(CLOCK_URL)});\n` +
      `monotonicMs();\n` +
      `process.stdout.write(String(process.moduleLoadList.includes('NativeModule perf_hooks')));\n`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', script]);
    assert.equal(stdout, 'false');
  });
});

describe('systemClock', () => {
  it('reads wall time from Date.now() and the monotonic clock from monotonicMs()', () => {
    assert.equal(systemClock.now, Date.now);
    assert.equal(systemClock.monotonic, monotonicMs);
    const before = Date.now();
    const now = systemClock.now();
    assert.ok(now >= before && now <= Date.now());
  });

  it('is frozen, so no test or agent can swap the clocks of everyone else', () => {
    assert.ok(Object.isFrozen(systemClock));
  });
});
