import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MetaKey, ModernMethod, ModernNotification, TASKS_EXTENSION } from '../../lib/mcp/wire-2026.js';

describe('the names 2026-07-28 puts on the wire', () => {
  it('spells the reserved _meta keys, methods, notifications and the tasks extension as the specification does', () => {
    assert.deepEqual(Object.values(MetaKey), [
      'io.modelcontextprotocol/protocolVersion',
      'io.modelcontextprotocol/clientCapabilities',
      'io.modelcontextprotocol/clientInfo',
      'io.modelcontextprotocol/logLevel',
      'io.modelcontextprotocol/serverInfo',
      'io.modelcontextprotocol/subscriptionId',
    ]);
    assert.deepEqual(Object.values(ModernMethod), ['server/discover', 'subscriptions/listen', 'tasks/update']);
    assert.deepEqual(Object.values(ModernNotification), ['notifications/subscriptions/acknowledged', 'notifications/tasks']);
    assert.equal(TASKS_EXTENSION, 'io.modelcontextprotocol/tasks');
    assert.ok(Object.isFrozen(MetaKey) && Object.isFrozen(ModernMethod) && Object.isFrozen(ModernNotification));
  });
});
