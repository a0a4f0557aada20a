import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InflightCalls } from '../../lib/mcp/calls.js';

describe('InflightCalls', () => {
  it('cancels a request by its owner and id, keeping the id type apart', () => {
    const calls = new InflightCalls();
    const numeric = new AbortController();
    const text = new AbortController();
    calls.add('me', 1, numeric);
    calls.add('me', '1', text);
    assert.equal(calls.cancel('you', 1, 'x'), false);
    assert.equal(calls.cancel('me', 1, 'stop'), true);
    assert.equal(numeric.signal.reason, 'stop');
    assert.equal(text.signal.aborted, false);
    assert.equal(calls.cancel('me', 1, 'again'), false);
    assert.equal(calls.size, 1);
  });

  it('forgets an answered request, but not a newer one reusing its id', () => {
    const calls = new InflightCalls();
    const first = new AbortController();
    const done = calls.add('', 7, first);
    const second = new AbortController();
    calls.add('', 7, second);
    done();
    assert.equal(calls.size, 1);
    assert.equal(calls.cancel('', 7, 'x'), true);
    assert.equal(second.signal.aborted, true);
  });

  it('cancels everything at once', () => {
    const calls = new InflightCalls();
    const controllers = [new AbortController(), new AbortController()];
    controllers.forEach((controller, index) => calls.add('s', index, controller));
    calls.cancelAll('closed');
    assert.deepEqual(controllers.map((controller) => controller.signal.reason), ['closed', 'closed']);
    assert.equal(calls.size, 0);
  });
});
