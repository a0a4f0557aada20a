/**
 * Random ids that stay unique when one process image is restored many times (AgentCore platform
 * V2 snapshots every new session from one booted microVM). Every node:crypto source (randomUUID
 * with or without its entropy cache, randomBytes, getRandomValues) and Math.random draw from
 * generators whose state lives in the process heap, so restored copies repeat each other's
 * values. The kernel reseeds its generator on a restore, so bytes read from /dev/urandom at the
 * moment of use differ per copy: that is what this module reads, 16 bytes per id, never pooled
 * (a pool would be captured in the snapshot too).
 */

// Read without an `import` (see environment.ts): an ESM import of node:fs loads fs/promises.
const { openSync, readSync } = process.getBuiltinModule('node:fs');

const URANDOM = '/dev/urandom';
const UUID_BYTES = 16;
/** Byte 6 carries the version (4, random) in its high nibble; byte 8 the RFC 9562 variant (10xx). */
const VERSION_BYTE = 6;
const VARIANT_BYTE = 8;

/** `/dev/urandom`'s descriptor, opened on first use; `null` where there is none (not Linux). */
let urandom: number | null | undefined;
const bytes = Buffer.alloc(UUID_BYTES);
const HEX = Array.from({ length: 256 }, (_, value) => value.toString(16).padStart(2, '0'));

/** Where ids come from: the kernel now, or node:crypto where no restore can happen. */
export type RandomSource = 'urandom' | 'crypto';

function urandomDescriptor(): number | null {
  if (urandom === undefined) {
    try {
      urandom = openSync(URANDOM, 'r');
    } catch {
      urandom = null;
    }
  }
  return urandom;
}

/** Fills `target` with fresh kernel randomness; false when `/dev/urandom` cannot be read. */
function readUrandom(target: Buffer): boolean {
  const descriptor = urandomDescriptor();
  if (descriptor === null) return false;
  let filled = 0;
  while (filled < target.length) {
    const read = readSync(descriptor, target, filled, target.length - filled, null);
    if (read === 0) throw new Error(`${URANDOM} returned no bytes`);
    filled += read;
  }
  return true;
}

/** The source `randomUUID()` uses on this machine. */
export function randomSource(): RandomSource {
  return urandomDescriptor() === null ? 'crypto' : 'urandom';
}

/**
 * A random (version 4) UUID, the same shape as `crypto.randomUUID()`, that no other copy of this
 * process restored from the same snapshot can also return. Reads 16 bytes from `/dev/urandom`
 * (one system call, a microsecond or two); without it (not Linux), falls back to node:crypto,
 * bypassing its entropy cache. Use it for every id an agent makes per request or per session.
 */
export function randomUUID(): `${string}-${string}-${string}-${string}-${string}` {
  if (!readUrandom(bytes)) return globalThis.crypto.randomUUID();
  bytes[VERSION_BYTE] = (bytes[VERSION_BYTE]! & 0x0f) | 0x40;
  bytes[VARIANT_BYTE] = (bytes[VARIANT_BYTE]! & 0x3f) | 0x80;
  const h = (index: number): string => HEX[bytes[index]!]!;
  return `${h(0)}${h(1)}${h(2)}${h(3)}-${h(4)}${h(5)}-${h(6)}${h(7)}-${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`;
}
