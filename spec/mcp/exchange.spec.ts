import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { McpServer } from '../../lib/mcp/index.js';
import { EventStreamReader, initialize, inSession, notification, post, request, useMcpServer } from '../support/mcp.js';

/** A tool that reports progress twice before its result. */
function progressTool(server: McpServer): void {
  server.registerTool('steps', { description: 'Reports progress' }, async (_args, ctx) => {
    ctx.progress(1, 2, 'one');
    ctx.progress(2, 2, 'two');
    return 'done';
  });
}

const callSteps = (id: number): Record<string, unknown> => request(id, 'tools/call', { name: 'steps', arguments: {}, _meta: { progressToken: 'tok' } });

describe('one POST answered as JSON or SSE', () => {
  it('opens an SSE answer when something has to go before the result and the client accepts SSE', async (t) => {
    const { url } = await useMcpServer(t, {}, progressTool);
    const answer = await post(url, callSteps(1));
    assert.equal(answer.headers.get('content-type'), 'text/event-stream');
    const messages = answer.messages();
    assert.deepEqual(
      messages.map((message) => message.method ?? 'result'),
      ['notifications/progress', 'notifications/progress', 'result'],
    );
    assert.deepEqual(messages[0].params, { progressToken: 'tok', progress: 1, total: 2, message: 'one' });
    assert.equal(answer.sse().events[0]!.lastEventId, '', 'stateless events carry no id');
  });

  it('answers JSON, without the notifications, to a client that accepts only JSON', async (t) => {
    const { url } = await useMcpServer(t, {}, progressTool);
    const answer = await post(url, callSteps(1), { accept: 'application/json' });
    assert.match(answer.headers.get('content-type')!, /^application\/json/);
    assert.deepEqual(answer.json().result.content, [{ type: 'text', text: 'done' }]);
  });

  it('answers SSE to a client that accepts only SSE, even with nothing before the result', async (t) => {
    const { url } = await useMcpServer(t);
    const answer = await post(url, request(1, 'ping'), { accept: 'text/event-stream' });
    assert.equal(answer.headers.get('content-type'), 'text/event-stream');
    assert.deepEqual(answer.messages(), [{ jsonrpc: '2.0', id: 1, result: {} }]);
  });

  it('answers a batch on one SSE answer when a member streams', async (t) => {
    const { url } = await useMcpServer(t, {}, progressTool);
    const answer = await post(url, [callSteps(1), request(2, 'ping')]);
    const ids = answer.messages().filter((message) => message.id !== undefined).map((message) => message.id);
    assert.deepEqual(ids.sort(), [1, 2]);
  });
});

describe('stateful answers', () => {
  it('answer SSE at once with event ids, and a priming event for 2025-11-25', async (t) => {
    const { url } = await useMcpServer(t, { stateful: true });
    const { sessionId } = await initialize(url);
    const answer = await post(url, request(1, 'ping'), inSession(sessionId));
    assert.equal(answer.headers.get('content-type'), 'text/event-stream');
    assert.match(answer.text, /^id: \d+_1\nretry: \d+\ndata: \n\n/);
    const [priming, result] = answer.sse().events;
    assert.deepEqual([priming!.data, result!.lastEventId], ['', priming!.lastEventId.replace(/_1$/, '_2')]);
    const older = await post(url, request(2, 'ping'), inSession(sessionId, '2025-03-26'));
    assert.doesNotMatch(older.text, /data: \n/, 'no priming event for an older version');
    assert.match(older.text, /^event: message\nid: \d+_1\n/);
  });

  it('let a tool close its connection (polling); the client resumes and gets the result', async (t) => {
    const { url } = await useMcpServer(t, { stateful: true }, (server) => {
      server.registerTool('poll', { description: 'Closes its stream' }, async (_args, ctx) => {
        assert.equal(ctx.closeStream(), true);
        await sleep(50);
        return 'after the reconnection';
      });
    });
    const { sessionId } = await initialize(url);
    const answer = await post(url, request(4, 'tools/call', { name: 'poll', arguments: {} }), inSession(sessionId));
    assert.deepEqual(answer.messages(), [], 'the result is not on the closed connection');
    assert.match(answer.text, /retry: \d+\n\n$/);
    const lastEventId = /id: (\S+)/.exec(answer.text)![1]!;
    await sleep(100);
    const resumed = await fetch(url, { headers: { accept: 'text/event-stream', ...inSession(sessionId), 'last-event-id': lastEventId } });
    const reader = new EventStreamReader(resumed);
    assert.deepEqual((await reader.next()).result.content, [{ type: 'text', text: 'after the reconnection' }]);
  });

  it('cannot close the connection of an answer that cannot be resumed', async (t) => {
    let closed: boolean | undefined;
    const { url } = await useMcpServer(t, {}, (server) => {
      server.registerTool('poll', { description: 'Tries to close its stream' }, (_args, ctx) => {
        closed = ctx.closeStream();
        return 'ok';
      });
    });
    await post(url, request(1, 'tools/call', { name: 'poll', arguments: {} }));
    assert.equal(closed, false);
  });
});

describe('the log', () => {
  it('writes one info line per request answered (ping aside), with its outcome and duration', async (t) => {
    const { url, logs } = await useMcpServer(t, {}, progressTool);
    await post(url, request(1, 'ping'));
    await post(url, callSteps(2));
    await post(url, request(3, 'tools/call', { name: 'nope', arguments: {} }));
    const lines = logs.filter((record) => record.message === 'MCP request completed');
    assert.deepEqual(
      lines.map((record) => [record.level, record.method, record.name, record.outcome, record.errorCode]),
      [
        ['info', 'tools/call', 'steps', 'result', undefined],
        ['info', 'tools/call', 'nope', 'error', -32602],
      ],
    );
    assert.ok(lines.every((record) => typeof record.durationMs === 'number' && typeof record.requestId === 'string'));
  });
});

describe('cancellation and disconnects', () => {
  it('aborts the handler on notifications/cancelled and sends no answer for it', async (t) => {
    let aborted: unknown;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const { url } = await useMcpServer(t, {}, (server) => {
      server.registerTool('wait', { description: 'Waits to be cancelled' }, async (_args, ctx) => {
        started();
        await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
        aborted = ctx.signal.reason;
        return 'too late';
      });
    });
    const headers = { 'x-amzn-bedrock-agentcore-runtime-session-id': 'runtime-1' };
    const pending = post(url, request(42, 'tools/call', { name: 'wait', arguments: {} }), { ...headers, accept: 'application/json' });
    await running;
    const other = await post(url, notification('notifications/cancelled', { requestId: 42 }), { 'x-amzn-bedrock-agentcore-runtime-session-id': 'someone-else' });
    assert.equal(other.status, 202);
    assert.equal(aborted, undefined, 'another requestor cannot cancel it');
    await post(url, notification('notifications/cancelled', { requestId: 42, reason: 'changed my mind' }), headers);
    const answer = await pending;
    assert.equal(answer.status, 202);
    assert.equal(answer.text, '');
    assert.match(String(aborted), /changed my mind/);
  });

  it('aborts the handler when the client goes away and the answer cannot be resumed', async (t) => {
    let aborted = false;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const { url } = await useMcpServer(t, {}, (server) => {
      server.registerTool('wait', { description: 'Waits' }, async (_args, ctx) => {
        started();
        await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
        aborted = true;
        return 'gone';
      });
    });
    const controller = new AbortController();
    const pending = post(url, request(1, 'tools/call', { name: 'wait', arguments: {} }), {}, controller.signal).catch(() => undefined);
    await running;
    controller.abort();
    await pending;
    for (let waited = 0; !aborted && waited < 2000; waited += 20) await sleep(20);
    assert.equal(aborted, true);
  });

  it('keeps the handler running when a resumable stream loses its connection', async (t) => {
    let finished = false;
    let aborted = false;
    const { url } = await useMcpServer(t, { stateful: true }, (server) => {
      server.registerTool('work', { description: 'Works a while' }, async (_args, ctx) => {
        await sleep(150);
        aborted = ctx.signal.aborted;
        finished = true;
        return 'done';
      });
    });
    const { sessionId } = await initialize(url);
    const controller = new AbortController();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...inSession(sessionId) },
      body: JSON.stringify(request(1, 'tools/call', { name: 'work', arguments: {} })),
      signal: controller.signal,
    });
    assert.equal(response.headers.get('content-type'), 'text/event-stream');
    controller.abort();
    for (let waited = 0; !finished && waited < 2000; waited += 20) await sleep(20);
    assert.deepEqual({ finished, aborted }, { finished: true, aborted: false });
  });
});
