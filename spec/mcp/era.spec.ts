import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyEra } from '../../lib/mcp/era.js';

const modernMeta = { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' } };

describe('classifyEra: which era a POST speaks', () => {
  it('is modern when the body claims a version in params._meta, whatever the header', () => {
    assert.equal(classifyEra({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: modernMeta }, undefined), 'modern');
    assert.equal(classifyEra({ jsonrpc: '2.0', id: 1, method: 'initialize', params: modernMeta }, '2025-11-25'), 'modern');
    // A legacy version claimed in the envelope stays on the modern path (and is answered as unsupported there).
    assert.equal(classifyEra({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2025-11-25' } } }, undefined), 'modern');
  });

  it('is modern when the header names a modern version and the body claims none, even a version it does not know', () => {
    assert.equal(classifyEra({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, '2026-07-28'), 'modern');
    assert.equal(classifyEra({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }, '2027-01-01'), 'modern');
    assert.equal(classifyEra({ jsonrpc: '2.0', id: 1, method: 'server/discover', params: {} }, 'v999.0.0'), 'modern');
  });

  it('is modern for a batch that claims a modern version (to be refused there: 2026-07-28 has no batches)', () => {
    assert.equal(classifyEra([{ jsonrpc: '2.0', id: 1, method: 'ping', params: modernMeta }], undefined), 'modern');
    assert.equal(classifyEra([{ jsonrpc: '2.0', id: 1, method: 'ping' }], '2026-07-28'), 'modern');
  });

  it('is legacy otherwise: no header, a legacy header, legacy batches, responses, values that are no message', () => {
    assert.equal(classifyEra({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }, undefined), 'legacy');
    assert.equal(classifyEra({ jsonrpc: '2.0', id: 1, method: 'ping', params: { _meta: { progressToken: 1 } } }, '2025-11-25'), 'legacy');
    assert.equal(classifyEra([{ jsonrpc: '2.0', id: 1, method: 'ping' }, 'x'], '2025-03-26'), 'legacy');
    assert.equal(classifyEra({ jsonrpc: '2.0', id: 1, result: {} }, undefined), 'legacy');
    assert.equal(classifyEra({ jsonrpc: '2.0', id: 1, method: 'ping', params: { _meta: null } }, undefined), 'legacy');
    assert.equal(classifyEra('text', undefined), 'legacy');
    assert.equal(classifyEra(null, undefined), 'legacy');
  });
});
