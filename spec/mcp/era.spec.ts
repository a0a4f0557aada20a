import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyEra, modernEraNotServed } from '../../lib/mcp/era.js';

const modernMeta = { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' } };

describe('classifyEra: which era a POST speaks', () => {
  it('is modern when the body claims a version in params._meta, whatever the header', () => {
    assert.equal(classifyEra({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: modernMeta }, undefined), 'modern');
    assert.equal(classifyEra({ jsonrpc: '2.0', id: 1, method: 'initialize', params: modernMeta }, '2025-11-25'), 'modern');
  });

  it('is modern when the header names a modern version and the body claims none', () => {
    assert.equal(classifyEra({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, '2026-07-28'), 'modern');
    assert.equal(classifyEra({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }, '2027-01-01'), 'modern');
  });

  it('is legacy otherwise: no header, a legacy header, batches, responses, values that are no message', () => {
    assert.equal(classifyEra({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }, undefined), 'legacy');
    assert.equal(classifyEra({ jsonrpc: '2.0', id: 1, method: 'ping', params: { _meta: { progressToken: 1 } } }, '2025-11-25'), 'legacy');
    assert.equal(classifyEra([{ jsonrpc: '2.0', id: 1, method: 'ping', params: modernMeta }], '2026-07-28'), 'legacy');
    assert.equal(classifyEra({ jsonrpc: '2.0', id: 1, result: {} }, undefined), 'legacy');
    assert.equal(classifyEra('text', undefined), 'legacy');
    assert.equal(classifyEra(null, undefined), 'legacy');
  });
});

describe('modernEraNotServed', () => {
  it('is the legacy unsupported-version refusal: 400, -32000, with the versions served', () => {
    const error = modernEraNotServed('2026-07-28');
    assert.deepEqual([error.status, error.code], [400, -32000]);
    assert.deepEqual(error.data, { supported: ['2025-11-25', '2025-06-18', '2025-03-26'], requested: '2026-07-28' });
    assert.equal((modernEraNotServed(undefined).data as { requested: string }).requested, '2026-07-28');
  });
});
