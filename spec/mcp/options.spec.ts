import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_MAX_SESSIONS,
  DEFAULT_MCP_SSE_HEARTBEAT_MS,
  DEFAULT_PAGE_SIZE,
  DEFAULT_SESSION_IDLE_TIMEOUT_MS,
  DEFAULT_TASK_TTL_MS,
  MAX_TASK_TTL_MS,
} from '../../lib/mcp/limits.js';
import { resolveMcpOptions } from '../../lib/mcp/options.js';

describe('resolveMcpOptions', () => {
  it('fills in a stateless server with the defaults', () => {
    const resolved = resolveMcpOptions({});
    assert.deepEqual(resolved.serverInfo, { name: 'agentcore-lite-mcp', version: '1.0.0' });
    assert.equal(resolved.path, '/mcp');
    assert.equal(resolved.stateful, undefined);
    assert.equal(resolved.dnsRebinding.mode, 'auto');
    assert.equal(resolved.pageSize, DEFAULT_PAGE_SIZE);
    assert.equal(resolved.sseHeartbeatMs, DEFAULT_MCP_SSE_HEARTBEAT_MS);
    assert.equal(resolved.tasks.defaultTtlMs, DEFAULT_TASK_TTL_MS);
    assert.equal(resolved.tasks.maxTtlMs, MAX_TASK_TTL_MS);
  });

  it('fills in stateful mode from true or an object', () => {
    assert.equal(resolveMcpOptions({ stateful: true }).stateful!.maxSessions, DEFAULT_MAX_SESSIONS);
    const custom = resolveMcpOptions({ stateful: { maxSessions: 3, resumability: false } }).stateful!;
    assert.deepEqual([custom.maxSessions, custom.resumability, custom.sessionIdleTimeoutMs], [3, false, DEFAULT_SESSION_IDLE_TIMEOUT_MS]);
    assert.equal(resolveMcpOptions({ stateful: false }).stateful, undefined);
  });

  it('keeps the server info given, and the heartbeat of the core option', () => {
    const resolved = resolveMcpOptions({ name: 'n', version: '2', title: 'T', description: 'D', websiteUrl: 'https://x', icons: [{ src: 'data:,' }], instructions: 'use it', sseHeartbeatMs: 0 });
    assert.deepEqual(resolved.serverInfo, { name: 'n', version: '2', title: 'T', description: 'D', websiteUrl: 'https://x', icons: [{ src: 'data:,' }] });
    assert.equal(resolved.instructions, 'use it');
    assert.equal(resolved.sseHeartbeatMs, 0);
  });

  it('fills in the 2026-07-28 options: requestState, subscriptions, cache hints', () => {
    const resolved = resolveMcpOptions({});
    assert.deepEqual(resolved.requestState, { secret: undefined, ttlMs: 900_000, maxBytes: 256 * 1024 });
    assert.deepEqual(resolved.subscriptions, { maxStreams: 1000, maxEntries: 1000 });
    assert.deepEqual(resolved.cache, { ttlMs: 0, cacheScope: 'private' });
    const custom = resolveMcpOptions({ requestState: { secret: 'k'.repeat(32), ttlMs: 1000 }, cache: { ttlMs: 5, scope: 'public' } });
    assert.deepEqual([Buffer.from(custom.requestState.secret!).toString(), custom.requestState.ttlMs], ['k'.repeat(32), 1000]);
    assert.deepEqual(custom.cache, { ttlMs: 5, cacheScope: 'public' });
    const bytes = new Uint8Array(40);
    assert.equal(resolveMcpOptions({ requestState: { secret: bytes } }).requestState.secret, bytes);
  });

  it('refuses a short or mistyped secret, a bad cache scope and limits out of range', () => {
    assert.throws(() => resolveMcpOptions({ requestState: { secret: 'short' } }), /at least 32 bytes/);
    assert.throws(() => resolveMcpOptions({ requestState: { secret: 42 as never } }), /string or a Uint8Array/);
    assert.throws(() => resolveMcpOptions({ requestState: { maxBytes: 0 } }), /requestState\.maxBytes/);
    assert.throws(() => resolveMcpOptions({ cache: { scope: 'shared' as never } }), /cache\.scope/);
    assert.throws(() => resolveMcpOptions({ cache: { ttlMs: -1 } }), /cache\.ttlMs/);
    assert.throws(() => resolveMcpOptions({ subscriptions: { maxStreams: 0 } }), /subscriptions\.maxStreams/);
  });

  it('caps the default task ttl at the maximum', () => {
    assert.equal(resolveMcpOptions({ tasks: { maxTtlMs: 1000 } }).tasks.defaultTtlMs, 1000);
  });

  it('refuses limits out of range and options of the wrong type, naming them', () => {
    assert.throws(() => resolveMcpOptions({ pageSize: 0 }), /pageSize/);
    assert.throws(() => resolveMcpOptions({ stateful: { maxSessions: -1 } }), /stateful\.maxSessions/);
    assert.throws(() => resolveMcpOptions({ tasks: { maxTasks: 1.5 } }), /tasks\.maxTasks/);
    assert.throws(() => resolveMcpOptions({ name: 5 as never }), /name must be a string/);
    assert.throws(() => resolveMcpOptions({ path: 'mcp' }), /path/);
    assert.throws(() => resolveMcpOptions({ stateful: 'yes' as never }), /stateful/);
    assert.throws(() => resolveMcpOptions({ dnsRebindingProtection: 'sometimes' as never }), /dnsRebindingProtection/);
    assert.throws(() => resolveMcpOptions({ dnsRebindingProtection: { allowedHosts: 'x' as never } }), /allowedHosts/);
  });
});
