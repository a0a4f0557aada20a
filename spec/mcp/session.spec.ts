import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventStore } from '../../lib/mcp/event-store.js';
import { resolveMcpOptions } from '../../lib/mcp/options.js';
import { McpSession } from '../../lib/mcp/session.js';

function makeSession(events?: EventStore, overrides: Record<string, number> = {}): McpSession {
  const options = resolveMcpOptions({ stateful: { maxSubscriptions: 2, ...overrides } }).stateful!;
  let time = 1000;
  return new McpSession({ id: 's-1', version: '2025-11-25', clientInfo: { name: 'c', version: '1' }, clientCapabilities: { elicitation: {} }, options, events, now: () => time++ });
}

describe('McpSession', () => {
  it('is initializing until the client says initialized, then ready, then closed for good', () => {
    const session = makeSession();
    assert.equal(session.state, 'initializing');
    session.markInitialized();
    assert.equal(session.state, 'ready');
    session.close('test');
    session.markInitialized();
    session.close('again');
    assert.equal(session.state, 'closed');
  });

  it('is busy while a request is answered, and counts its activity', () => {
    const session = makeSession();
    const before = session.lastActive;
    const end = session.begin();
    assert.equal(session.busy, true);
    end();
    end();
    assert.equal(session.busy, false);
    assert.ok(session.lastActive > before);
  });

  it('holds at most maxSubscriptions distinct URIs', () => {
    const session = makeSession();
    session.subscribe('a://1');
    session.subscribe('a://2');
    session.subscribe('a://2');
    assert.throws(() => session.subscribe('a://3'), { code: -32603 });
    session.unsubscribe('a://1');
    session.subscribe('a://3');
    assert.deepEqual(['a://1', 'a://2', 'a://3'].map((uri) => session.isSubscribed(uri)), [false, true, true]);
  });

  it('cannot reach its client without a stream: notify is false, a request rejects', async () => {
    const session = makeSession();
    assert.equal(session.notify('notifications/tools/list_changed'), false);
    await assert.rejects(session.request('roots/list', {}, undefined), { code: -32601, message: /no stream is open/ });
  });

  it('keeps its streams for resumption while it lives, and lets them go when it ends', async () => {
    const events = new EventStore(1 << 20, 100);
    const session = makeSession(events);
    const stream = session.createStream(() => undefined);
    stream.send('{"x":1}');
    assert.equal(session.stream(stream.id), stream);
    assert.equal(events.size, 1);
    const aborted = new AbortController();
    session.calls.add(session.id, 1, aborted);
    const pending = session.clientRequests.send('roots/list', {}, () => undefined);
    session.close('deleted by the client');
    assert.equal(aborted.signal.aborted, true);
    assert.equal(events.size, 0);
    assert.equal(session.streamCount, 0);
    await assert.rejects(pending, { code: -32001, message: /Session closed: deleted by the client/ });
    await assert.rejects(session.request('roots/list', {}, undefined), { code: -32001 });
  });

  it('forgets a finished stream once the store dropped its last event', () => {
    const events = new EventStore(1 << 20, 1);
    const session = makeSession(events);
    const first = session.createStream(() => undefined);
    first.send('{"a":1}');
    first.finish();
    session.createStream(() => undefined).send('{"b":2}');
    assert.equal(session.stream(first.id), undefined);
    assert.equal(session.streamCount, 1);
  });
});
