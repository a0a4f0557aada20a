import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AgentCoreApp } from '../lib/index.js';

describe('limit options', () => {
  it('reject nonsense with a RangeError naming the option', () => {
    for (const [name, value] of [
      ['headersTimeoutMs', 0],
      ['requestTimeoutMs', -1],
      ['keepAliveTimeoutMs', 1.5],
      ['maxHeaderBytes', Number.NaN],
      ['maxConnections', 0],
      ['shutdownGraceMs', -5],
      ['stallWarningMs', 0.5],
      ['maxTaskAgeMs', 0],
    ] as const) {
      assert.throws(() => new AgentCoreApp({ [name]: value }), (error: Error) => error instanceof RangeError && error.message.startsWith(name), name);
    }
  });

  it('reject a header timeout longer than the request timeout', () => {
    assert.throws(() => new AgentCoreApp({ headersTimeoutMs: 5000, requestTimeoutMs: 1000 }), /must not exceed requestTimeoutMs/);
    assert.doesNotThrow(() => new AgentCoreApp({ headersTimeoutMs: 5000, requestTimeoutMs: 0, logLevel: 'silent' }));
  });

  it('reject a zero or fractional maxBodyBytes and a negative pingHandlerTimeoutMs', () => {
    assert.throws(() => new AgentCoreApp({ maxBodyBytes: 0 }), RangeError);
    assert.throws(() => new AgentCoreApp({ maxBodyBytes: 1.5 }), RangeError);
    assert.throws(() => new AgentCoreApp({ pingHandlerTimeoutMs: -1 }), RangeError);
  });

  it('reject an invalid sseHeartbeatMs with a RangeError', () => {
    for (const sseHeartbeatMs of [-1, 1.5, Number.NaN]) {
      assert.throws(() => new AgentCoreApp({ logLevel: 'silent', sseHeartbeatMs }), RangeError);
    }
    assert.doesNotThrow(() => new AgentCoreApp({ logLevel: 'silent', sseHeartbeatMs: 0 }));
  });
});
