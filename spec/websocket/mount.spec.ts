import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { getRequestContext, type AgentCoreWebSocket } from '../../lib/index.js';
import { ping, useApp, useHttpServer } from '../support/server.js';
import { buildFrame, closeCodeOf, OP, rawExchange, RawClient, upgradeRequest } from './frames.js';

const run = promisify(execFile);

describe('/ws on the app', { timeout: 20_000 }, () => {
  it('refuses the upgrade with 404 when no handler is registered, instead of hanging', async (t) => {
    const server = await useApp(t);
    const answer = await rawExchange(server.port, upgradeRequest());
    assert.match(answer, /^HTTP\/1\.1 404 Not Found/);
    assert.match(answer, /"code":"WS_ERR_NO_HANDLER"/);
  });

  it('serves a WebSocket upgrade on another path as the ordinary request it also is', async (t) => {
    const server = await useApp(t, {}, (app) => app.websocket(() => undefined));
    const answer = await rawExchange(server.port, upgradeRequest({ Connection: 'Upgrade, close' }, 'GET /ping HTTP/1.1'));
    assert.match(answer, /^HTTP\/1\.1 200 OK/);
    assert.match(answer, /\{"status":"Healthy","time_of_last_update":\d+\}$/);
    assert.doesNotMatch(answer, /WS_ERR/);
  });

  it('gives the handler the request context, also inside its message callbacks', async (t) => {
    const seen: unknown[] = [];
    const server = await useApp(t, {}, (app) =>
      app.websocket((socket, context) => {
        seen.push(['handler', context.sessionId, context.requestHeaders['x-amzn-bedrock-agentcore-runtime-custom-user'], getRequestContext() === context]);
        socket.on('message', (data) => {
          const current = getRequestContext();
          seen.push(['message', String(data), current?.sessionId, current === context]);
          void socket.send(`echo:${String(data)}`);
        });
      }),
    );
    const client = await RawClient.connect(server.port, {
      'X-Amzn-Bedrock-AgentCore-Runtime-Session-Id': 'ws-session',
      'X-Amzn-Bedrock-AgentCore-Runtime-Custom-User': 'ada',
    });
    client.send(buildFrame({ opcode: OP.TEXT, payload: 'hi' }));
    const reply = await client.frame(0);
    assert.equal(reply.payload.toString(), 'echo:hi');
    assert.deepEqual(seen, [
      ['handler', 'ws-session', 'ada', true],
      ['message', 'hi', 'ws-session', true],
    ]);
    client.socket.destroy();
  });

  it('closes with 1011 when the handler throws or rejects', async (t) => {
    for (const handler of [
      () => {
        throw new Error('sync boom');
      },
      async () => {
        await sleep(1);
        throw new Error('async boom');
      },
    ]) {
      const server = await useApp(t, {}, (app) => app.websocket(handler));
      const client = await RawClient.connect(server.port);
      const close = await client.frame(0);
      assert.equal(closeCodeOf(close), 1011);
      client.socket.destroy();
      assert.ok(server.logs.some((record) => record.level === 'error' && /websocket handler failed/.test(record.message)));
    }
  });

  it('logs a failing message listener as an error, and a peer’s protocol error at debug only', async (t) => {
    const server = await useApp(t, {}, (app) =>
      app.websocket((socket) => {
        socket.on('message', () => {
          throw new Error('listener boom');
        });
      }),
    );
    const client = await RawClient.connect(server.port);
    client.send(buildFrame({ opcode: OP.TEXT, payload: 'hi' }));
    assert.equal(closeCodeOf(await client.frame(0)), 1011);
    client.socket.destroy();
    const failed = server.logs.find((record) => record.errorMessage === 'listener boom');
    assert.equal(failed?.level, 'error');
    assert.match(String(failed?.message), /websocket listener failed/);
    const peer = await RawClient.connect(server.port);
    peer.send(buildFrame({ opcode: OP.TEXT, payload: 'x', masked: false }));
    assert.equal(closeCodeOf(await peer.frame(0)), 1002);
    peer.socket.destroy();
    await sleep(20);
    const protocol = server.logs.find((record) => record.message === 'websocket error' && /mask/i.test(String(record.errorMessage)));
    assert.equal(protocol?.level, 'debug');
  });

  it('does not change the ping status by itself', async (t) => {
    const server = await useApp(t, {}, (app) => app.websocket(() => undefined));
    const client = await RawClient.connect(server.port);
    assert.equal((await ping(server)).status, 'Healthy');
    client.socket.destroy();
  });

  it('honours the websocket limits given to the app', async (t) => {
    const server = await useApp(t, { websocket: { maxMessageBytes: 10 } }, (app) => app.websocket(() => undefined));
    const client = await RawClient.connect(server.port);
    client.send(buildFrame({ opcode: OP.TEXT, payload: 'x'.repeat(11) }));
    assert.equal(closeCodeOf(await client.closeFrame()), 1009);
  });

  it('closes open sockets with 1001 on shutdown and refuses new upgrades meanwhile', async (t) => {
    const sockets: AgentCoreWebSocket[] = [];
    const server = await useApp(t, {}, (app) => app.websocket((socket) => void sockets.push(socket)));
    const client = await RawClient.connect(server.port);
    // The client answers the close frame only after a moment, keeping the shutdown in progress.
    const closing = server.close({ graceMs: 2000 });
    const close = await client.frame(0);
    assert.equal(close.opcode, OP.CLOSE);
    assert.equal(closeCodeOf(close), 1001);
    assert.equal(close.payload.subarray(2).toString(), 'Server shutting down');
    client.send(buildFrame({ opcode: OP.CLOSE, payload: Buffer.from([0x03, 0xe9]) }));
    await closing;
    await client.ended;
    assert.equal(sockets[0]!.readyState, 3);
  });

  it('terminates a socket whose peer never completes the close at the deadline', async (t) => {
    const server = await useApp(t, { websocket: { closeTimeoutMs: 10_000 } }, (app) => app.websocket(() => undefined));
    const client = await RawClient.connect(server.port);
    const started = Date.now();
    await server.close({ graceMs: 200 });
    await client.ended;
    assert.ok(Date.now() - started < 3000);
    assert.ok(server.logs.some((record) => record.openWebSockets === 1));
  });

  it('refuses an upgrade that arrives during shutdown with 503', async (t) => {
    const server = await useApp(t, {}, (app) => app.websocket(() => undefined));
    // Mount the app's listener on a second server that keeps listening while the app shuts down.
    const mounted = await useHttpServer(t, server.app.requestListener);
    mounted.server.on('upgrade', server.app.upgradeListener);
    server.app.addAsyncTask('keeps shutdown going');
    // Still closing when the test ends: useApp's close waits for this same shutdown.
    void server.close({ graceMs: 300 });
    const answer = await rawExchange(mounted.port, upgradeRequest());
    assert.match(answer, /^HTTP\/1\.1 503 /);
    assert.match(answer, /WS_ERR_SHUTTING_DOWN/);
  });

  it('serves Node\'s own WebSocket client end to end, with the bearer subprotocol', async (t) => {
    const server = await useApp(t, {}, (app) =>
      app.websocket((socket) => {
        socket.on('message', (data, isBinary) => {
          void socket.send(isBinary ? data : `token=${socket.bearerToken}; got ${String(data)}`);
        });
      }),
    );
    const token = 'secret-token';
    const script = `
      const [url, token] = process.argv.slice(1);
      const ws = new WebSocket(url, ['base64UrlBearerAuthorization.' + Buffer.from(token).toString('base64url'), 'base64UrlBearerAuthorization']);
      ws.onopen = () => ws.send('hello');
      ws.onmessage = (event) => { console.log(JSON.stringify({ protocol: ws.protocol, data: event.data })); ws.close(1000); };
      ws.onerror = () => process.exit(2);
    `;
    const { stdout } = await run(process.execPath, ['--experimental-websocket', '--no-warnings', '-e', script, `ws://127.0.0.1:${server.port}/ws`, token], { timeout: 10_000 });
    assert.deepEqual(JSON.parse(stdout), { protocol: 'base64UrlBearerAuthorization', data: 'token=secret-token; got hello' });
    assert.equal(server.logs.some((record) => JSON.stringify(record).includes(token)), false, 'the token is never logged');
  });

  it('rejects a handler that is not a function', async (t) => {
    const server = await useApp(t);
    assert.throws(() => server.app.websocket('nope' as never), TypeError);
  });
});

