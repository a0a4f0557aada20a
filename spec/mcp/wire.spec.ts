import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Method, Notification, RELATED_TASK_META } from '../../lib/mcp/wire.js';

describe('the wire names', () => {
  it("are the specification's method and notification names, frozen", () => {
    assert.equal(Method.ToolsCall, 'tools/call');
    assert.equal(Method.ResourcesTemplatesList, 'resources/templates/list');
    assert.equal(Method.ElicitationCreate, 'elicitation/create');
    assert.equal(Notification.TaskStatus, 'notifications/tasks/status');
    assert.equal(RELATED_TASK_META, 'io.modelcontextprotocol/related-task');
    assert.ok(Object.isFrozen(Method) && Object.isFrozen(Notification));
    for (const name of Object.values(Notification)) assert.match(name, /^notifications\//);
  });
});
