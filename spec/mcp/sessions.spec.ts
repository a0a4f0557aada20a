import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveMcpOptions } from '../../lib/mcp/options.js';
import { SessionStore } from '../../lib/mcp/sessions.js';

function makeStore(stateful: Record<string, unknown> = {}) {
  let time = 0;
  const ended: string[] = [];
  const store = new SessionStore(resolveMcpOptions({ stateful: { maxSessions: 2, sessionIdleTimeoutMs: 1000, ...stateful } }).stateful!, () => time, (session) => ended.push(session.id));
  return { store, ended, advance: (ms: number) => (time += ms) };
}

describe('SessionStore', () => {
  it('mints random session ids and finds sessions by them', () => {
    const { store } = makeStore();
    const session = store.create('2025-11-25', undefined, {});
    assert.match(session.id, /^[0-9a-f-]{36}$/);
    assert.equal(store.get(session.id), session);
    assert.equal(store.peek(session.id), session);
    assert.equal(store.get('nope'), undefined);
    assert.ok(store.events !== undefined);
    assert.equal(makeStore({ resumability: false }).store.events, undefined);
  });

  it('makes room by ending the least recently used idle session', () => {
    const { store, ended } = makeStore();
    const first = store.create('2025-11-25', undefined, {});
    const second = store.create('2025-11-25', undefined, {});
    store.get(first.id);
    store.create('2025-11-25', undefined, {});
    assert.deepEqual(ended, [second.id]);
    assert.equal(second.state, 'closed');
  });

  it('refuses a new session with 503 when every session is busy', () => {
    const { store } = makeStore();
    store.create('2025-11-25', undefined, {}).begin();
    store.create('2025-11-25', undefined, {}).begin();
    assert.throws(() => store.create('2025-11-25', undefined, {}), { status: 503 });
  });

  it('ends sessions idle past the timeout, never busy ones', () => {
    const { store, ended, advance } = makeStore();
    const idle = store.create('2025-11-25', undefined, {});
    const busy = store.create('2025-11-25', undefined, {});
    busy.begin();
    advance(500);
    assert.equal(store.sweep(), 0);
    advance(600);
    assert.equal(store.sweep(), 1);
    assert.deepEqual(ended, [idle.id]);
    assert.equal(store.size, 1);
  });

  it('deletes one session, or all at shutdown', () => {
    const { store } = makeStore();
    const session = store.create('2025-11-25', undefined, {});
    assert.equal(store.delete(session.id), true);
    assert.equal(store.delete(session.id), false);
    store.create('2025-11-25', undefined, {});
    store.create('2025-11-25', undefined, {});
    store.closeAll('shutdown');
    assert.equal(store.size, 0);
    assert.deepEqual([...store.values()], []);
  });
});
