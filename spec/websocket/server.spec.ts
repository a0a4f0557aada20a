import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { acceptWebSocket } from '../../lib/websocket/server.js';
import { TestServer, echo } from './frames.js';

const run = promisify(execFile);

/**
 * Runs Node's own WebSocket client (undici, behind --experimental-websocket on Node 20) in a
 * child process: an implementation independent of ours. It sends `messages`, collects as many
 * replies, closes with 1000, and prints what it saw as JSON.
 */
async function independentClient(url: string, protocols: string[], messages: Array<string | number>): Promise<{
  protocol: string;
  replies: Array<string | number>;
  close: { code: number; reason: string };
}> {
  const script = `
    const [url, protocols, messages] = JSON.parse(process.argv[1]);
    const ws = new WebSocket(url, protocols);
    ws.binaryType = 'arraybuffer';
    const replies = [];
    ws.onopen = () => {
      for (const m of messages) ws.send(typeof m === 'number' ? new Uint8Array(m).fill(7) : m);
      if (messages.length === 0) ws.send('close-me');
    };
    ws.onmessage = (event) => {
      replies.push(typeof event.data === 'string' ? event.data : event.data.byteLength);
      if (replies.length === messages.length) ws.close(1000, 'client done');
    };
    ws.onclose = (event) => {
      console.log(JSON.stringify({ protocol: ws.protocol, replies, close: { code: event.code, reason: event.reason } }));
    };
    ws.onerror = () => { console.log(JSON.stringify({ error: true })); process.exit(1); };
  `;
  const { stdout } = await run(process.execPath, ['--experimental-websocket', '--no-warnings', '-e', script, JSON.stringify([url, protocols, messages])], {
    timeout: 10_000,
  });
  return JSON.parse(stdout);
}

describe('acceptWebSocket with an independent client', { timeout: 20_000 }, () => {
  const server = new TestServer();
  before(() => server.listen());
  after(() => server.close());

  it('echoes text, binary and a fragmented 1 MB message, then completes the client close', async () => {
    server.onSocket = echo;
    const result = await independentClient(`ws://127.0.0.1:${server.port}/ws`, [], ['hello', 'héllo ✓', 3, 1024 * 1024]);
    assert.deepEqual(result, { protocol: '', replies: ['hello', 'héllo ✓', 3, 1024 * 1024], close: { code: 1000, reason: 'client done' } });
    assert.deepEqual(server.closes.at(-1), [1000, 'client done']);
  });

  it('authenticates a browser-style bearer subprotocol', async () => {
    server.onSocket = echo;
    const token = 'eyJhbGciOiJSUzI1NiJ9.payload.signature';
    const result = await independentClient(
      `ws://127.0.0.1:${server.port}/ws`,
      [`base64UrlBearerAuthorization.${Buffer.from(token).toString('base64url')}`, 'base64UrlBearerAuthorization'],
      ['hi'],
    );
    assert.equal(result.protocol, 'base64UrlBearerAuthorization');
    assert.equal(server.sockets.at(-1)!.bearerToken, token);
  });

  it('selects the application subprotocol and delivers a server-initiated close code and reason', async () => {
    server.options = { selectProtocol: (offered) => offered.find((p) => p === 'chat') };
    server.onSocket = (ws) => ws.once('message', () => void ws.close(1001, 'Server shutting down'));
    const result = await independentClient(`ws://127.0.0.1:${server.port}/ws`, ['chat'], []);
    assert.equal(result.protocol, 'chat');
    assert.deepEqual(result.close, { code: 1001, reason: 'Server shutting down' });
    assert.equal(server.closes.at(-1)![0], 1001, 'the client echoed 1001 (undici echoes the code without the reason)');
  });
});

describe('acceptWebSocket arguments', { timeout: 20_000 }, () => {
  const request = { method: 'GET', httpVersionMajor: 1, httpVersionMinor: 1, headers: {} } as IncomingMessage;

  for (const [name, value] of [
    ['maxMessageBytes', 0],
    ['maxFrameBytes', 1.5],
    ['maxFramesPerSecond', -1],
    ['idlePingMs', Number.NaN],
    ['closeTimeoutMs', 0],
    ['maxBufferedBytes', 0],
    ['slowPeerTimeoutMs', -1],
  ] as const) {
    it(`throws a RangeError for ${name} = ${value}`, () => {
      assert.throws(() => acceptWebSocket(request, new PassThrough(), Buffer.alloc(0), { [name]: value }), RangeError);
    });
  }

  it('returns undefined and destroys a socket that is no longer usable', () => {
    const socket = new PassThrough();
    socket.end();
    socket.destroy();
    assert.equal(acceptWebSocket(request, socket, Buffer.alloc(0)), undefined);
    assert.equal(socket.destroyed, true);
  });

  it('rethrows unexpected errors instead of answering them as handshake failures', () => {
    const broken = { method: 'GET', httpVersionMajor: 1, httpVersionMinor: 1 } as IncomingMessage;
    assert.throws(() => acceptWebSocket(broken, new PassThrough(), Buffer.alloc(0)), TypeError);
  });
});
