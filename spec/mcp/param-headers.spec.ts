import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { paramHeadersOf } from '../../lib/mcp/param-headers.js';

const schema = {
  type: 'object',
  properties: {
    region: { type: 'string', 'x-mcp-header': 'Region' },
    level: { type: 'integer', 'x-mcp-header': 'Level' },
    dry: { type: 'boolean', 'x-mcp-header': 'Dry-Run' },
    nested: { type: 'object', properties: { zone: { type: 'string', 'x-mcp-header': 'Zone' } } },
    plain: { type: 'string', enum: [{ 'x-mcp-header': 'NotAnAnnotation' }] },
  },
};

describe('paramHeadersOf: the x-mcp-header annotations of a tool', () => {
  it('finds every annotation reached through properties, nested objects included, with its header and type', () => {
    assert.deepEqual(paramHeadersOf(schema, 'tool'), [
      { path: ['region'], name: 'Region', header: 'mcp-param-region', type: 'string' },
      { path: ['level'], name: 'Level', header: 'mcp-param-level', type: 'integer' },
      { path: ['dry'], name: 'Dry-Run', header: 'mcp-param-dry-run', type: 'boolean' },
      { path: ['nested', 'zone'], name: 'Zone', header: 'mcp-param-zone', type: 'string' },
    ]);
    assert.deepEqual(paramHeadersOf({ type: 'object' }, 'tool'), []);
  });

  it('refuses what the specification makes invalid, naming the tool', () => {
    const refuse = (properties: Record<string, unknown>, pattern: RegExp): void => assert.throws(() => paramHeadersOf({ type: 'object', properties }, 'tool'), (error: Error) => error instanceof TypeError && pattern.test(error.message));
    refuse({ a: { type: 'string', 'x-mcp-header': '' } }, /tool tool: x-mcp-header "" must be a header name token/);
    refuse({ a: { type: 'string', 'x-mcp-header': 'Bad Name' } }, /token/);
    refuse({ a: { type: 'number', 'x-mcp-header': 'A' } }, /string, integer or boolean/);
    refuse({ a: { type: 'string', 'x-mcp-header': 'A' }, b: { type: 'string', 'x-mcp-header': 'a' } }, /used twice/);
    refuse({ a: { type: 'array', items: { type: 'string', 'x-mcp-header': 'A' } } }, /through properties alone/);
    assert.throws(() => paramHeadersOf({ type: 'object', anyOf: [{ properties: { a: { type: 'string', 'x-mcp-header': 'A' } } }] }, 't'), /through properties alone/);
    assert.throws(() => paramHeadersOf({ type: 'string', 'x-mcp-header': 'Root' }, 't'), /through properties alone/);
  });
});
