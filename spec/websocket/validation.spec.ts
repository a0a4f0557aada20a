import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isValidCloseCode, isValidUtf8 } from '../../lib/websocket/validation.js';

describe('isValidUtf8', { timeout: 20_000 }, () => {
  it('accepts well-formed text, including 4-byte sequences and the empty string', () => {
    assert.equal(isValidUtf8(Buffer.from('plain ascii')), true);
    assert.equal(isValidUtf8(Buffer.from('κόσμε 𝄞 ✓')), true);
    assert.equal(isValidUtf8(Buffer.alloc(0)), true);
  });

  const invalid: Array<[string, number[]]> = [
    ['a lone continuation byte', [0x80]],
    ['a truncated sequence', [0xe2, 0x82]],
    ['an overlong encoding', [0xc0, 0xaf]],
    ['a UTF-16 surrogate', [0xed, 0xa0, 0x80]],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['an invalid byte', [0xff]],
  ];
  for (const [what, bytes] of invalid) {
    it(`rejects ${what}`, () => {
      assert.equal(isValidUtf8(Buffer.from(bytes)), false);
    });
  }
});

describe('isValidCloseCode', { timeout: 20_000 }, () => {
  it('accepts 1000-1003, 1007-1014 (the IANA registry) and 3000-4999', () => {
    for (const code of [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4000, 4999]) {
      assert.equal(isValidCloseCode(code), true, String(code));
    }
  });

  it('rejects reserved, unassigned and out-of-range codes', () => {
    for (const code of [0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535, 3000.5]) {
      assert.equal(isValidCloseCode(code), false, String(code));
    }
  });
});
