import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { rawExchange } from '../support/raw.js';
import { EventStreamReader, initialize, inSession, notification, post, request, useMcpServer } from '../support/mcp.js';

const echo = (server: import('../../lib/mcp/index.js').McpServer): void => {
  server.registerTool('echo', { description: 'Echoes', inputSchema: { type: 'object', properties: { text: { type: 'string' } } } }, (args) => String(args.text ?? ''));
};

describe('POST /mcp: what HTTP carries', () => {
  it('answers a request with JSON when nothing has to be said before the result, echoing the id with its type', async (t) => {
    const { url } = await useMcpServer(t, {}, echo);
    const answer = await post(url, request('7', 'ping'));
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('content-type')!, /^application\/json/);
    assert.deepEqual(answer.json(), { jsonrpc: '2.0', id: '7', result: {} });
    assert.deepEqual((await post(url, request(7, 'ping'))).json(), { jsonrpc: '2.0', id: 7, result: {} });
  });

  it('answers notifications and responses with 202 and no body', async (t) => {
    const { url } = await useMcpServer(t);
    for (const body of [notification('notifications/initialized'), { jsonrpc: '2.0', id: 5, result: {} }]) {
      const answer = await post(url, body);
      assert.equal(answer.status, 202);
      assert.equal(answer.text, '');
    }
  });

  it('refuses invalid JSON with -32700 and a message that is no JSON-RPC message with -32600, both 400', async (t) => {
    const { url } = await useMcpServer(t);
    const broken = await post(url, '{"jsonrpc":');
    assert.equal(broken.status, 400);
    assert.equal(broken.json().error.code, -32700);
    assert.equal(broken.json().id, null);
    const invalid = await post(url, { jsonrpc: '2.0', id: 3, method: 42 });
    assert.equal(invalid.status, 400);
    assert.deepEqual([invalid.json().id, invalid.json().error.code], [3, -32600]);
    assert.equal((await post(url, '"text"')).json().error.code, -32600);
  });

  it('answers an unknown method -32601 and bad params -32602, in a 200 answer', async (t) => {
    const { url } = await useMcpServer(t, {}, echo);
    const unknown = await post(url, request(1, 'no/such'));
    assert.equal(unknown.status, 200);
    assert.equal(unknown.json().error.code, -32601);
    assert.equal((await post(url, request(2, 'tools/call', { name: 5 }))).json().error.code, -32602);
  });

  it('refuses a body over maxBodyBytes with 413 and a JSON-RPC error', async (t) => {
    const { url } = await useMcpServer(t, { maxBodyBytes: 1024 });
    const answer = await post(url, request(1, 'ping', { pad: 'x'.repeat(4096) }));
    assert.equal(answer.status, 413);
    assert.equal(answer.json().error.code, -32000);
    assert.equal(answer.json().error.data.limit, 1024);
  });

  it('survives a 10,000-deep JSON body and answers it', async (t) => {
    const { url } = await useMcpServer(t, {}, echo);
    const deep = `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"x","deep":${'['.repeat(10_000)}${']'.repeat(10_000)}}}}`;
    const answer = await post(url, deep);
    assert.equal(answer.status, 200);
    assert.equal(answer.json().id, 1);
    assert.equal((await post(url, request(2, 'ping'))).status, 200);
  });

  it('refuses a Content-Type that is no JSON with 415, and reads none, or the defaults of fetch and curl, as JSON', async (t) => {
    const { url } = await useMcpServer(t);
    assert.equal((await post(url, request(1, 'ping'), { 'content-type': 'application/octet-stream' })).status, 415);
    assert.equal((await post(url, request(1, 'ping'), { 'content-type': 'multipart/form-data; boundary=x' })).status, 415);
    for (const type of ['application/json; charset=utf-8', 'application/vnd.example+json', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded']) {
      assert.equal((await post(url, request(1, 'ping'), { 'content-type': type })).status, 200, type);
    }
    const answer = await rawExchange(
      Number(new URL(url).port),
      `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: 40\r\n\r\n{"jsonrpc":"2.0","id":1,"method":"ping"}`,
    );
    assert.match(answer, /^HTTP\/1\.1 200/);
    assert.match(answer, /"result":\{\}/);
  });

  it('answers JSON to a request whose Accept the platform dropped, and 406 to one that accepts neither JSON nor SSE', async (t) => {
    const { url } = await useMcpServer(t);
    assert.equal((await post(url, request(1, 'ping'), { accept: null })).json().id, 1);
    assert.equal((await post(url, request(1, 'ping'), { accept: '*/*' })).status, 200);
    const refused = await post(url, request(1, 'ping'), { accept: 'text/html' });
    assert.equal(refused.status, 406);
    assert.equal(refused.json().error.code, -32000);
  });

  it('refuses an MCP-Protocol-Version it does not speak with 400, and leaves a 2026-07-28 request to the modern era', async (t) => {
    const { url } = await useMcpServer(t);
    const old = await post(url, request(1, 'ping'), { 'mcp-protocol-version': '2024-01-01' });
    assert.equal(old.status, 400);
    assert.match(old.json().error.message, /Unsupported protocol version: 2024-01-01/);
    const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
    const modern = await post(url, request('probe', 'server/discover', { _meta: meta }), { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'server/discover' });
    assert.equal(modern.status, 200);
    assert.deepEqual(modern.json().result.supportedVersions, ['2026-07-28']);
  });

  it('negotiates initialize in the body, whatever legacy version the header names', async (t) => {
    const { url } = await useMcpServer(t);
    const answer = await post(url, request(0, 'initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'c', version: '1' } }), { 'mcp-protocol-version': '2025-03-26' });
    assert.equal(answer.json().result.protocolVersion, '2025-06-18');
    const unknown = await post(url, request(1, 'initialize', { protocolVersion: '1999-01-01', capabilities: {}, clientInfo: { name: 'c', version: '1' } }));
    assert.equal(unknown.json().result.protocolVersion, '2025-11-25');
    assert.equal((await post(url, request(2, 'initialize', { capabilities: {} }))).json().error.code, -32602);
  });
});

describe('POST /mcp: batches (2025-03-26 only)', () => {
  it('answers a batch with an array when the request speaks 2025-03-26 (no header, or the header)', async (t) => {
    const { url } = await useMcpServer(t, {}, echo);
    const batch = [request(1, 'ping'), notification('notifications/initialized'), request(2, 'tools/call', { name: 'echo', arguments: { text: 'hi' } }), { jsonrpc: '2.0', id: 3 }];
    for (const headers of [{}, { 'mcp-protocol-version': '2025-03-26' }] as Record<string, string>[]) {
      const answer = await post(url, batch, headers);
      assert.equal(answer.status, 200);
      const messages = answer.json() as { id: number; result?: unknown; error?: { code: number } }[];
      assert.deepEqual(messages.map((message) => message.id).sort(), [1, 2, 3]);
      assert.equal(messages.find((message) => message.id === 3)!.error!.code, -32600);
    }
  });

  it('answers a batch of notifications only with 202', async (t) => {
    const { url } = await useMcpServer(t);
    assert.equal((await post(url, [notification('notifications/initialized')])).status, 202);
  });

  it('refuses batches with -32600 from 2025-06-18 on, empty batches and batches over maxBatchSize', async (t) => {
    const { url } = await useMcpServer(t, { maxBatchSize: 2 });
    for (const version of ['2025-06-18', '2025-11-25']) {
      const answer = await post(url, [request(1, 'ping')], { 'mcp-protocol-version': version });
      assert.equal(answer.status, 400);
      assert.equal(answer.json().error.code, -32600);
    }
    assert.equal((await post(url, [])).json().error.code, -32600);
    assert.equal((await post(url, [request(1, 'ping'), request(2, 'ping'), request(3, 'ping')])).status, 400);
  });

  it('refuses initialize inside a batch', async (t) => {
    const { url } = await useMcpServer(t);
    const answer = await post(url, [request(1, 'initialize', { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'c', version: '1' } })]);
    assert.equal(answer.json()[0].error.code, -32600);
  });
});

describe('stateless mode (the default)', () => {
  it('answers any request without initialize, and never mints or checks a session', async (t) => {
    const { url } = await useMcpServer(t, {}, echo);
    const headers = { 'mcp-session-id': 'platform-made-id', 'x-amzn-bedrock-agentcore-runtime-session-id': 'runtime-session' };
    const answer = await post(url, request(1, 'tools/list'), headers);
    assert.equal(answer.status, 200);
    assert.equal(answer.json().result.tools[0].name, 'echo');
    assert.equal(answer.headers.get('mcp-session-id'), null);
    const { sessionId, result } = await initialize(url);
    assert.equal(sessionId, undefined);
    assert.equal(result.protocolVersion, '2025-11-25');
  });

  it('answers GET and DELETE with 405 and Allow: POST', async (t) => {
    const { url } = await useMcpServer(t);
    for (const method of ['GET', 'DELETE']) {
      const response = await fetch(url, { method, headers: { accept: 'text/event-stream' } });
      assert.equal(response.status, 405);
      assert.equal(response.headers.get('allow'), 'POST');
      assert.equal(((await response.json()) as { error: { code: number } }).error.code, -32000);
    }
    assert.equal((await fetch(url, { method: 'PUT' })).status, 405);
  });
});

describe('stateful mode: sessions', () => {
  it('mints a session id on initialize and requires it on later requests: 400 without, 404 for an unknown one', async (t) => {
    const { url } = await useMcpServer(t, { stateful: true }, echo);
    const { sessionId } = await initialize(url);
    assert.match(sessionId!, /^[0-9a-f-]{36}$/);
    assert.equal((await post(url, request(1, 'tools/list'), inSession(sessionId))).status, 200);
    const missing = await post(url, request(2, 'tools/list'));
    assert.equal(missing.status, 400);
    assert.match(missing.json().error.message, /Mcp-Session-Id/);
    const unknown = await post(url, request(3, 'tools/list'), inSession('no-such-session'));
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json().error.code, -32001);
  });

  it('answers ping without a session, or with an unknown one (health probes)', async (t) => {
    const { url } = await useMcpServer(t, { stateful: true });
    assert.deepEqual((await post(url, request(1, 'ping'), { accept: null, 'content-type': null })).json().result, {});
    assert.deepEqual((await post(url, request(2, 'ping'), { 'mcp-session-id': 'injected-by-the-platform' })).messages()[0].result, {});
  });

  it('starts a new session for an initialize that carries an unknown session id', async (t) => {
    const { url } = await useMcpServer(t, { stateful: true });
    const answer = await post(url, request(0, 'initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c', version: '1' } }), {
      'mcp-session-id': 'platform-made',
    });
    assert.equal(answer.status, 200);
    assert.notEqual(answer.headers.get('mcp-session-id'), 'platform-made');
  });

  it('ends a session on DELETE; the id is then unknown (404)', async (t) => {
    const { url, server } = await useMcpServer(t, { stateful: true });
    const { sessionId } = await initialize(url);
    assert.equal(server.sessionCount, 1);
    const deleted = await fetch(url, { method: 'DELETE', headers: inSession(sessionId) });
    assert.equal(deleted.status, 200);
    assert.equal(server.sessionCount, 0);
    assert.equal((await post(url, request(1, 'ping'), inSession(sessionId))).status, 200, 'ping is still answered');
    assert.equal((await post(url, request(1, 'tools/list'), inSession(sessionId))).status, 404);
    assert.equal((await fetch(url, { method: 'DELETE', headers: inSession(sessionId) })).status, 404);
    const unnamed = await fetch(url, { method: 'DELETE' });
    assert.deepEqual([unnamed.status, unnamed.headers.get('allow')], [405, 'POST'], 'no session named: 405, as for 2026-07-28 clients');
  });

  it('opens the standalone GET stream, where notifications that belong to no request go', async (t) => {
    const { url, server } = await useMcpServer(t, { stateful: true }, echo);
    const { sessionId } = await initialize(url);
    const response = await fetch(url, { headers: { accept: 'text/event-stream', ...inSession(sessionId) } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/event-stream');
    const reader = new EventStreamReader(response);
    server.registerTool('added', { description: 'Added later' }, () => 'ok');
    assert.deepEqual(await reader.next(), { jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
    assert.match(reader.lastEventId!, /^\d+_\d+$/);
    await reader.cancel();
  });

  it('refuses a GET without a session or from 2026-07-28 (405), for an unknown session (404), and one that does not accept SSE (406)', async (t) => {
    const { url } = await useMcpServer(t, { stateful: true });
    const { sessionId } = await initialize(url);
    assert.equal((await fetch(url, { headers: { accept: 'text/event-stream' } })).status, 405);
    assert.equal((await fetch(url, { headers: { accept: 'text/event-stream', 'mcp-session-id': sessionId!, 'mcp-protocol-version': '2026-07-28' } })).status, 405);
    assert.equal((await fetch(url, { headers: { accept: 'text/event-stream', 'mcp-session-id': 'nope' } })).status, 404);
    assert.equal((await fetch(url, { headers: { accept: 'application/json', ...inSession(sessionId) } })).status, 406);
    assert.equal((await fetch(url, { headers: { accept: 'text/event-stream', ...inSession(sessionId), 'last-event-id': 'bogus' } })).status, 400);
  });

  it('resumes a stream whose connection was lost with Last-Event-ID, replaying what came after', async (t) => {
    let release!: () => void;
    const { url } = await useMcpServer(t, { stateful: true }, (server) => {
      server.registerTool('slow', { description: 'Reports progress, then waits' }, async (_args, ctx) => {
        ctx.progress(1, 2, 'half');
        await new Promise<void>((resolve) => (release = resolve));
        ctx.progress(2, 2, 'done');
        return 'finished';
      });
    });
    const { sessionId } = await initialize(url);
    const controller = new AbortController();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...inSession(sessionId) },
      body: JSON.stringify(request(9, 'tools/call', { name: 'slow', arguments: {}, _meta: { progressToken: 'p' } })),
      signal: controller.signal,
    });
    const first = new EventStreamReader(response);
    assert.equal((await first.next()).params.progress, 1);
    const lastEventId = first.lastEventId!;
    controller.abort();
    await sleep(50);
    release();
    await sleep(50);
    const resumed = await fetch(url, { headers: { accept: 'text/event-stream', ...inSession(sessionId), 'last-event-id': lastEventId } });
    const reader = new EventStreamReader(resumed);
    assert.equal((await reader.next()).params.progress, 2);
    assert.deepEqual((await reader.next()).result.content, [{ type: 'text', text: 'finished' }]);
    assert.equal(await reader.next(), undefined);
  });
});

describe('the endpoint under abuse', () => {
  it('keeps answering while 1,000 SSE answers nobody reads are open, and lets every one go when its client does', async (t) => {
    let active = 0;
    let peak = 0;
    const { url, base } = await useMcpServer(t, { logLevel: 'warn' }, (server) => {
      server.registerTool('wait', { description: 'Says one thing, then waits to be stopped' }, async (_args, ctx) => {
        active++;
        peak = Math.max(peak, active);
        try {
          ctx.log('info', 'x'.repeat(1024));
          await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
          return 'stopped';
        } finally {
          active--;
        }
      });
    });
    const port = Number(new URL(base).port);
    const body = JSON.stringify(request(1, 'tools/call', { name: 'wait', arguments: {} }));
    const clients = Array.from({ length: 1000 }, () => {
      const client = httpRequest({ port, host: '127.0.0.1', path: '/mcp', method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' } });
      client.on('response', (response) => response.pause());
      client.on('error', () => undefined);
      client.end(body);
      return client;
    });
    for (let waited = 0; peak < 1000 && waited < 20_000; waited += 50) await sleep(50);
    assert.equal(peak, 1000);
    assert.equal((await post(url, request(2, 'ping'))).status, 200);
    for (const client of clients) client.destroy();
    for (let waited = 0; active > 0 && waited < 10_000; waited += 50) await sleep(50);
    assert.equal(active, 0, 'a handler outlived its client');
    assert.equal((await post(url, request(3, 'ping'))).status, 200);
  });
});
