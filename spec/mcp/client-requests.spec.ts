import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClientRequests } from '../../lib/mcp/client-requests.js';

describe('ClientRequests: what the server asked its client', () => {
  it('sends a request with its own id and resolves with the answer to it', async () => {
    const requests = new ClientRequests(1000, 10);
    const sent: string[] = [];
    const pending = requests.send('roots/list', {}, (text) => sent.push(text));
    assert.deepEqual(JSON.parse(sent[0]!), { jsonrpc: '2.0', id: 1, method: 'roots/list', params: {} });
    assert.equal(requests.settle({ jsonrpc: '2.0', id: 2, result: {} }), false);
    assert.equal(requests.settle({ jsonrpc: '2.0', id: 1, result: { roots: [] } }), true);
    assert.deepEqual(await pending, { roots: [] });
    assert.equal(requests.size, 0);
  });

  it("rejects with the client's error", async () => {
    const requests = new ClientRequests(1000, 10);
    const pending = requests.send('sampling/createMessage', {}, () => undefined);
    requests.settle({ jsonrpc: '2.0', id: 1, error: { code: -1, message: 'User rejected sampling request' } });
    await assert.rejects(pending, { code: -1, message: 'User rejected sampling request' });
    assert.equal(requests.settle({ jsonrpc: '2.0', id: null, error: { code: -1, message: 'x' } }), false);
  });

  it('gives up on a timeout or an abort and tells the client', async (t) => {
    // The request's own timer does not keep a process alive (a server does): this test must.
    const alive = setInterval(() => undefined, 1000);
    t.after(() => clearInterval(alive));
    const requests = new ClientRequests(30, 10);
    const sent: string[] = [];
    await assert.rejects(requests.send('elicitation/create', {}, (text) => sent.push(text)), { code: -32001, message: /timed out/ });
    assert.deepEqual(JSON.parse(sent[1]!), { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1, reason: 'timeout' } });
    const controller = new AbortController();
    const aborted = requests.send('elicitation/create', {}, (text) => sent.push(text), { signal: controller.signal, timeoutMs: 10_000 });
    controller.abort(new Error('the tool gave up'));
    await assert.rejects(aborted, /the tool gave up/);
    await assert.rejects(requests.send('x', {}, () => undefined, { signal: controller.signal }), /the tool gave up/);
    assert.equal(requests.size, 0);
  });

  it('fails at once past the limit, when it cannot be delivered, and all together when the session ends', async () => {
    const requests = new ClientRequests(10_000, 2);
    const first = requests.send('a', {}, () => undefined);
    const second = requests.send('b', {}, () => undefined);
    await assert.rejects(requests.send('c', {}, () => undefined), { code: -32603, message: /Too many/ });
    await assert.rejects(
      requests.send('d', {}, () => {
        throw new Error('no stream');
      }),
      /Too many|no stream/,
    );
    requests.rejectAll(new Error('session closed'));
    await assert.rejects(first, /session closed/);
    await assert.rejects(second, /session closed/);
    await assert.rejects(
      requests.send('e', {}, () => {
        throw new Error('no stream');
      }),
      /no stream/,
    );
  });
});
