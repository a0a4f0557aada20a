import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as limits from '../../lib/mcp/limits.js';

describe("MCP's limits", () => {
  it('are positive integers, every one (the cache ttl may be 0: stale at once)', () => {
    for (const [name, value] of Object.entries(limits)) {
      if (name === 'DEFAULT_MCP_PATH') continue;
      assert.ok(Number.isSafeInteger(value) && ((value as number) > 0 || name === 'DEFAULT_CACHE_TTL_MS'), name);
    }
    assert.equal(limits.DEFAULT_CACHE_TTL_MS, 0);
  });

  it("put MCP where AgentCore's contract does: port 8000, path /mcp", () => {
    assert.equal(limits.MCP_PORT, 8000);
    assert.equal(limits.DEFAULT_MCP_PATH, '/mcp');
  });

  it('grant no task ttl beyond the runtime session lifetime (8 hours) and default below it', () => {
    assert.equal(limits.MAX_TASK_TTL_MS, 8 * 60 * 60 * 1000);
    assert.ok(limits.DEFAULT_TASK_TTL_MS <= limits.MAX_TASK_TTL_MS);
  });
});
