import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { systemClock } from '../lib/clock.js';
import {
  AgentCoreApp,
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_HEADER_BYTES,
  DEFAULT_PING_HANDLER_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_SHUTDOWN_GRACE_MS,
  DEFAULT_STREAM_STALL_TIMEOUT_MS,
  DEFAULT_SSE_HEARTBEAT_MS,
  DEFAULT_STALL_WARNING_MS,
} from '../lib/index.js';
import { resolveServerOptions } from '../lib/options.js';
import { manualClock } from './support/clock.js';

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

describe('path options', () => {
  it('reject an invocation path that is not an absolute URL path, with a TypeError', () => {
    for (const invocationPath of ['invocations', '/a b', '/x?y', '']) {
      assert.throws(() => new AgentCoreApp({ invocationPath }), /^TypeError: invocationPath must be an absolute URL path/);
    }
  });
});

describe('resolveServerOptions', () => {
  it('fills in every documented default', () => {
    assert.deepEqual(resolveServerOptions({}), {
      cors: undefined,
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
      pingHandlerTimeoutMs: DEFAULT_PING_HANDLER_TIMEOUT_MS,
      server: {
        headersTimeoutMs: DEFAULT_HEADERS_TIMEOUT_MS,
        requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
        keepAliveTimeoutMs: DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
        maxHeaderBytes: DEFAULT_MAX_HEADER_BYTES,
        maxConnections: undefined,
      },
      shutdownGraceMs: DEFAULT_SHUTDOWN_GRACE_MS,
      stallWarningMs: DEFAULT_STALL_WARNING_MS,
      maxTaskAgeMs: undefined,
      sseHeartbeatMs: DEFAULT_SSE_HEARTBEAT_MS,
      streamStallTimeoutMs: DEFAULT_STREAM_STALL_TIMEOUT_MS,
      clock: systemClock,
    });
  });

  it('uses the defaults the README documents', () => {
    assert.equal(DEFAULT_MAX_BODY_BYTES, 100 * 1024 * 1024);
    assert.equal(DEFAULT_PING_HANDLER_TIMEOUT_MS, 1000);
    assert.equal(DEFAULT_HEADERS_TIMEOUT_MS, 10_000);
    assert.equal(DEFAULT_REQUEST_TIMEOUT_MS, 300_000);
    assert.equal(DEFAULT_KEEP_ALIVE_TIMEOUT_MS, 65_000);
    assert.equal(DEFAULT_MAX_HEADER_BYTES, 16_384);
    assert.equal(DEFAULT_SHUTDOWN_GRACE_MS, 10_000);
    assert.equal(DEFAULT_STALL_WARNING_MS, 500);
    assert.equal(DEFAULT_SSE_HEARTBEAT_MS, 0);
    assert.equal(DEFAULT_STREAM_STALL_TIMEOUT_MS, 60_000);
  });

  it('keeps every option it is given, the clock included', () => {
    const clock = manualClock();
    const resolved = resolveServerOptions({
      maxBodyBytes: 10,
      pingHandlerTimeoutMs: 20,
      headersTimeoutMs: 30,
      requestTimeoutMs: 0,
      keepAliveTimeoutMs: 40,
      maxHeaderBytes: 50,
      maxConnections: 60,
      shutdownGraceMs: 0,
      stallWarningMs: 0,
      maxTaskAgeMs: 70,
      sseHeartbeatMs: 80,
      streamStallTimeoutMs: 90,
      clock,
    });
    assert.deepEqual(resolved, {
      cors: undefined,
      maxBodyBytes: 10,
      pingHandlerTimeoutMs: 20,
      server: { headersTimeoutMs: 30, requestTimeoutMs: 0, keepAliveTimeoutMs: 40, maxHeaderBytes: 50, maxConnections: 60 },
      shutdownGraceMs: 0,
      stallWarningMs: 0,
      maxTaskAgeMs: 70,
      sseHeartbeatMs: 80,
      streamStallTimeoutMs: 90,
      clock,
    });
  });

  it('turns debug on only for true itself', async () => {
    for (const debug of ['yes', 1, {}, true]) {
      const app = new AgentCoreApp({ logLevel: 'silent', debug: debug as never, handler: () => 'the handler' });
      const response = await app.request('/invocations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ _agent_core_app_action: 'ping_status' }) });
      const answer: unknown = await response.json();
      if (debug === true) assert.deepEqual(Object.keys(answer as object), ['status', 'time_of_last_update'], String(debug));
      else assert.equal(answer, 'the handler', String(debug));
    }
  });

  it('lets zero mean "off" only for requestTimeoutMs, shutdownGraceMs, stallWarningMs, sseHeartbeatMs and streamStallTimeoutMs', () => {
    for (const name of ['requestTimeoutMs', 'shutdownGraceMs', 'stallWarningMs', 'sseHeartbeatMs', 'streamStallTimeoutMs'] as const) {
      assert.doesNotThrow(() => resolveServerOptions({ [name]: 0 }), name);
    }
    for (const name of ['maxBodyBytes', 'pingHandlerTimeoutMs', 'headersTimeoutMs', 'keepAliveTimeoutMs', 'maxHeaderBytes', 'maxConnections', 'maxTaskAgeMs'] as const) {
      assert.throws(() => resolveServerOptions({ [name]: 0 }), RangeError, name);
    }
  });

  it('allows a header timeout equal to the request timeout', () => {
    assert.equal(resolveServerOptions({ headersTimeoutMs: 1000, requestTimeoutMs: 1000 }).server.headersTimeoutMs, 1000);
  });
});
