import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { randomSource, randomUUID } from '../lib/random.js';

const run = promisify(execFile);
const RANDOM_URL = new URL('../lib/random.js', import.meta.url).href;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SAMPLES = 10_000;
const ON_LINUX = process.platform === 'linux';

/** The 16 bytes an id spells. */
function bytesOf(id: string): Buffer {
  return Buffer.from(id.replaceAll('-', ''), 'hex');
}

describe('randomUUID', () => {
  it('has the shape of crypto.randomUUID(): 36 lower-case characters, version 4, RFC 9562 variant', () => {
    for (let i = 0; i < 1000; i++) assert.match(randomUUID(), UUID_V4);
  });

  it('fixes only the version and variant bits: every other bit is set in about half of many ids', () => {
    const setCounts = new Array<number>(128).fill(0);
    for (let i = 0; i < SAMPLES; i++) {
      const bytes = bytesOf(randomUUID());
      for (let bit = 0; bit < 128; bit++) if ((bytes[bit >> 3]! >> (7 - (bit & 7))) & 1) setCounts[bit]!++;
    }
    // Byte 6's high nibble is 0100 (version 4); byte 8's two high bits are 10 (the variant).
    const fixed = new Map([[48, 0], [49, SAMPLES], [50, 0], [51, 0], [64, SAMPLES], [65, 0]]);
    for (let bit = 0; bit < 128; bit++) {
      const count = setCounts[bit]!;
      if (fixed.has(bit)) assert.equal(count, fixed.get(bit), `bit ${bit} is fixed`);
      // 10,000 fair coin flips land within 40-60 % with overwhelming probability (20 standard deviations).
      else assert.ok(count > SAMPLES * 0.4 && count < SAMPLES * 0.6, `bit ${bit} set in ${count} of ${SAMPLES}`);
    }
  });

  it('never repeats over many calls', () => {
    const seen = new Set<string>();
    for (let i = 0; i < SAMPLES; i++) seen.add(randomUUID());
    assert.equal(seen.size, SAMPLES);
  });

  it('reads the kernel on Linux, not node:crypto (whose state a snapshot would copy)', { skip: !ON_LINUX && 'Linux only' }, (t) => {
    t.mock.method(globalThis.crypto, 'randomUUID', () => {
      throw new Error('node:crypto must not be used');
    });
    assert.match(randomUUID(), UUID_V4);
  });
});

describe('randomSource', () => {
  it('is urandom on Linux', { skip: !ON_LINUX && 'Linux only' }, () => {
    assert.equal(randomSource(), 'urandom');
  });

  it('is crypto, and ids come from node:crypto, where /dev/urandom cannot be opened', async () => {
    // A fresh process whose fs cannot open /dev/urandom, as on a system without it.
    const script = `
      import fs from 'node:fs';
      const open = fs.openSync;
      fs.openSync = (path, ...rest) => {
        if (path === '/dev/urandom') throw Object.assign(new Error('no such device'), { code: 'ENOENT' });
        return open(path, ...rest);
      };
      const { randomSource, randomUUID } = await import(${JSON.stringify(RANDOM_URL)});
      const ids = [randomUUID(), randomUUID()];
      globalThis.crypto.randomUUID = () => 'from-node-crypto';
      process.stdout.write(JSON.stringify({ source: randomSource(), ids, patched: randomUUID() }));
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', script]);
    const report = JSON.parse(stdout) as { source: string; ids: string[]; patched: string };
    assert.equal(report.source, 'crypto');
    assert.ok(report.ids.every((id) => UUID_V4.test(id)));
    assert.notEqual(report.ids[0], report.ids[1]);
    assert.equal(report.patched, 'from-node-crypto');
  });
});
