import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkLimit } from '../lib/limits.js';

describe('checkLimit', () => {
  it('returns the default when the option is not given', () => {
    assert.equal(checkLimit('maxBodyBytes', undefined, 1024), 1024);
    assert.equal(checkLimit('graceMs', undefined, 0, true), 0);
  });

  it('returns a positive safe integer as given', () => {
    for (const value of [1, 65_000, Number.MAX_SAFE_INTEGER]) assert.equal(checkLimit('limit', value, 5), value);
  });

  it('accepts zero only where zero is allowed (it means "off" or "no wait")', () => {
    assert.equal(checkLimit('sseHeartbeatMs', 0, 10, true), 0);
    assert.throws(() => checkLimit('maxBodyBytes', 0, 10), { name: 'RangeError', message: 'maxBodyBytes must be a positive integer, got 0' });
  });

  it('throws a RangeError naming the option and the value for anything but a whole number in range', () => {
    for (const value of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1, '10' as never, null as never]) {
      assert.throws(() => checkLimit('headersTimeoutMs', value, 10), (error: Error) => {
        assert.ok(error instanceof RangeError);
        assert.equal(error.message, `headersTimeoutMs must be a positive integer, got ${String(value)}`);
        return true;
      });
    }
    assert.throws(() => checkLimit('graceMs', -5, 0, true), { message: 'graceMs must be a non-negative integer, got -5' });
  });
});
