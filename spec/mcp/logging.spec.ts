import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLoggingLevel, LOGGING_LEVELS, shouldSendLog } from '../../lib/mcp/logging.js';

describe('MCP log levels', () => {
  it('are the eight RFC 5424 levels, least severe first', () => {
    assert.deepEqual([...LOGGING_LEVELS], ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency']);
    assert.equal(isLoggingLevel('warning'), true);
    assert.equal(isLoggingLevel('warn'), false);
    assert.equal(isLoggingLevel(undefined), false);
  });

  it('send a message at or above the level the client set, and every message when it set none', () => {
    assert.equal(shouldSendLog('error', 'warning'), true);
    assert.equal(shouldSendLog('warning', 'warning'), true);
    assert.equal(shouldSendLog('info', 'warning'), false);
    assert.equal(shouldSendLog('debug', undefined), true);
  });
});
