import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, beforeEach, describe, it } from 'node:test';
import { AgentCoreWebSocket } from '../../lib/websocket/socket.js';
import { OP, RawClient, TestServer, buildFrame, closeCodeOf, closePayload, echo, sleep } from './frames.js';

describe('AgentCoreWebSocket', { timeout: 20_000 }, () => {
  const server = new TestServer();
  before(() => server.listen());
  after(() => server.close());
  beforeEach(() => {
    server.onSocket = echo;
    server.options = {};
  });

  /** Connects a raw client and returns it with the matching server-side socket. */
  async function connect(): Promise<[RawClient, AgentCoreWebSocket]> {
    const client = await RawClient.connect(server.port);
    return [client, server.sockets.at(-1)!];
  }

  describe('messages', () => {
    it('echoes text as text and binary as binary', async () => {
      const [client, ws] = await connect();
      const received: Array<[string | Buffer, boolean]> = [];
      ws.on('message', (data, isBinary) => received.push([data, isBinary]));
      client.send(buildFrame({ opcode: OP.TEXT, payload: 'hello ✓' }), buildFrame({ opcode: OP.BINARY, payload: Buffer.from([0, 255]) }));
      await client.frame(1);
      assert.deepEqual(received, [['hello ✓', false], [Buffer.from([0, 255]), true]]);
      assert.deepEqual(
        client.frames.map((f) => [f.opcode, f.fin, f.masked, f.payload]),
        [[OP.TEXT, true, false, Buffer.from('hello ✓')], [OP.BINARY, true, false, Buffer.from([0, 255])]],
      );
      assert.equal(ws.readyState, AgentCoreWebSocket.OPEN);
      client.socket.destroy();
    });

    it('sends Uint8Array views and ArrayBuffers as binary without copying the wrong bytes', async () => {
      server.onSocket = (ws) => {
        void ws.send(new Uint8Array([9, 1, 2, 3, 9]).subarray(1, 4));
        void ws.send(new Uint8Array([4, 5]).buffer);
      };
      const [client] = await connect();
      await client.frame(1);
      assert.deepEqual(client.frames.map((f) => [f.opcode, [...f.payload]]), [[OP.BINARY, [1, 2, 3]], [OP.BINARY, [4, 5]]]);
      client.socket.destroy();
    });

    it('parses frames that arrive together with the upgrade request', async () => {
      const client = await RawClient.connect(server.port, {}, [buildFrame({ opcode: OP.TEXT, payload: 'early' })]);
      assert.equal((await client.frame(0)).payload.toString(), 'early');
      client.socket.destroy();
    });

    it('rejects data of an unsupported type', async () => {
      const [client, ws] = await connect();
      assert.throws(() => ws.send(42 as unknown as string), TypeError);
      client.socket.destroy();
    });

    it('delivers a fragmented message with a ping interleaved, answering the ping first', async () => {
      const [client, ws] = await connect();
      const messages: unknown[] = [];
      ws.on('message', (data) => messages.push(data));
      client.send(
        buildFrame({ opcode: OP.TEXT, payload: 'frag', fin: false }),
        buildFrame({ opcode: OP.PING, payload: 'mid' }),
        buildFrame({ opcode: OP.CONT, payload: 'ment', fin: false }),
        buildFrame({ opcode: OP.CONT, payload: 'ed' }),
      );
      await client.frame(1);
      assert.deepEqual(client.frames.map((f) => [f.opcode, f.payload.toString()]), [[OP.PONG, 'mid'], [OP.TEXT, 'fragmented']]);
      assert.deepEqual(messages, ['fragmented']);
      client.socket.destroy();
    });

    it('rejects send() once the socket is closing and after it closed', async () => {
      const [client, ws] = await connect();
      void ws.close();
      await assert.rejects(ws.send('late'), { code: 'WS_ERR_NOT_OPEN' });
      await assert.rejects(ws.ping(), { code: 'WS_ERR_NOT_OPEN' });
      client.socket.destroy();
      await once(ws, 'close');
      await assert.rejects(ws.send('later'), { code: 'WS_ERR_NOT_OPEN' });
    });

    it('reports bufferedAmount while a large message is queued and zero once written', async () => {
      const [client, ws] = await connect();
      const sent = ws.send(Buffer.alloc(4 << 20));
      assert.ok(ws.bufferedAmount >= 4 << 20);
      await client.until((frames) => frames.some((f) => f.fin));
      await sent;
      assert.equal(ws.bufferedAmount, 0);
      client.socket.destroy();
    });
  });

  describe('ping and pong', () => {
    it('answers a ping with a pong carrying the same payload', async () => {
      const [client] = await connect();
      client.send(buildFrame({ opcode: OP.PING, payload: 'are you there' }));
      const pong = await client.frame(0);
      assert.deepEqual([pong.opcode, pong.payload.toString()], [OP.PONG, 'are you there']);
      client.socket.destroy();
    });

    it('sends pings and emits the pongs it gets back', async () => {
      const [client, ws] = await connect();
      await ws.ping('beat');
      const ping = await client.frame(0);
      assert.deepEqual([ping.opcode, ping.payload.toString()], [OP.PING, 'beat']);
      const pong = once(ws, 'pong');
      client.send(buildFrame({ opcode: OP.PONG, payload: 'beat' }));
      assert.equal(((await pong)[0] as Buffer).toString(), 'beat');
      assert.throws(() => ws.ping(Buffer.alloc(126)), RangeError);
      client.socket.destroy();
    });
  });

  describe('closing', () => {
    it('completes a client-initiated close: echoes code and reason, ends TCP, emits close once', async () => {
      const [client, ws] = await connect();
      const closes: unknown[] = [];
      ws.on('close', (code, reason) => closes.push([code, reason]));
      client.send(buildFrame({ opcode: OP.CLOSE, payload: closePayload(4001, 'done here') }));
      const close = await client.closeFrame();
      assert.equal(closeCodeOf(close), 4001);
      assert.equal(close.payload.subarray(2).toString(), 'done here');
      await sleep(5);
      assert.deepEqual(closes, [[4001, 'done here']]);
      assert.equal(ws.readyState, AgentCoreWebSocket.CLOSED);
    });

    it('answers an empty close frame with an empty close frame and reports 1005', async () => {
      const [client, ws] = await connect();
      const closed = once(ws, 'close');
      client.send(buildFrame({ opcode: OP.CLOSE }));
      const close = await client.closeFrame();
      assert.equal(close.payload.length, 0);
      assert.deepEqual(await closed, [1005, '']);
    });

    it('performs a server-initiated close (shutdown with 1001) after queued messages', async () => {
      const [client, ws] = await connect();
      void ws.send('last words');
      const closing = ws.close(1001, 'Server shutting down');
      assert.equal(ws.readyState, AgentCoreWebSocket.CLOSING);
      assert.equal(ws.close(), closing, 'a second close() returns the same promise');
      await client.frame(1);
      assert.deepEqual(client.frames.map((f) => f.opcode), [OP.TEXT, OP.CLOSE]);
      assert.equal(closeCodeOf(client.frames[1]!), 1001);
      assert.equal(client.frames[1]!.payload.subarray(2).toString(), 'Server shutting down');
      // The client echoes; the server then ends the TCP connection and emits 'close'.
      const closeEvent = once(ws, 'close');
      client.send(buildFrame({ opcode: OP.CLOSE, payload: closePayload(1001, 'Server shutting down') }));
      await closing;
      assert.deepEqual(await closeEvent, [1001, 'Server shutting down']);
      await client.ended;
    });

    it('destroys the connection when the peer never answers a close, reporting 1006', async () => {
      server.options = { closeTimeoutMs: 30 };
      const [client, ws] = await connect();
      const closeEvent = once(ws, 'close');
      const started = Date.now();
      await ws.close(1000, 'bye');
      assert.deepEqual(await closeEvent, [1006, '']);
      assert.ok(Date.now() - started >= 25);
      await client.ended;
      assert.equal(closeCodeOf(client.frames[0]!), 1000);
    });

    it('rejects invalid close codes and long reasons', async () => {
      const [client, ws] = await connect();
      assert.throws(() => ws.close(1005), RangeError);
      assert.throws(() => ws.close(1000, 'x'.repeat(124)), RangeError);
      const closing = ws.close(1000, 'x'.repeat(123));
      assert.equal((await client.frame(0)).payload.length, 125);
      client.socket.destroy();
      await closing;
    });

    it('emits close 1006 exactly once on an abrupt disconnect, and close() afterwards resolves', async () => {
      const [client, ws] = await connect();
      let closes = 0;
      let code = 0;
      ws.on('close', (c) => {
        closes++;
        code = c;
      });
      client.socket.destroy();
      await once(ws, 'close');
      await sleep(10);
      assert.equal(closes, 1);
      assert.equal(code, 1006);
      await ws.close();
      await ws.terminate();
      assert.equal(closes, 1);
    });

    it('ends its side when the client half-closes without a close frame', async () => {
      const [client, ws] = await connect();
      const closeEvent = once(ws, 'close');
      client.socket.end();
      assert.deepEqual(await closeEvent, [1006, '']);
    });
  });

  describe('handler errors', () => {
    it('closes with 1011 when a message listener throws, and reports the error', async () => {
      server.onSocket = (ws) => {
        ws.on('message', () => {
          throw new Error('handler broke');
        });
      };
      const [client, ws] = await connect();
      const errors: Error[] = [];
      ws.on('error', (e) => errors.push(e));
      client.send(buildFrame({ opcode: OP.TEXT, payload: 'x' }));
      assert.equal(closeCodeOf(await client.closeFrame()), 1011);
      assert.equal(errors[0]?.message, 'handler broke');
      assert.ok(server.errors.some((e) => e.message === 'handler broke'));
    });

    it('closes with 1011 when an async message listener rejects', async () => {
      server.onSocket = (ws) => {
        ws.on('message', async () => {
          throw new Error('async handler broke');
        });
      };
      const [client] = await connect();
      client.send(buildFrame({ opcode: OP.TEXT, payload: 'x' }));
      assert.equal(closeCodeOf(await client.closeFrame()), 1011);
      assert.ok(server.errors.some((e) => e.message === 'async handler broke'));
    });

    it('reports a non-Error thrown by a listener', async () => {
      server.onSocket = (ws) => {
        ws.on('message', () => {
          throw 'a string'; // eslint-disable-line no-throw-literal
        });
      };
      const [client] = await connect();
      client.send(buildFrame({ opcode: OP.TEXT, payload: 'x' }));
      assert.equal(closeCodeOf(await client.closeFrame()), 1011);
      assert.ok(server.errors.some((e) => e.message === 'a string'));
    });

    it('does not send a second close frame when a listener throws while closing', async () => {
      server.onSocket = (ws) => {
        ws.on('message', () => {
          throw new Error('late handler error');
        });
        void ws.close(4000, 'closing first');
      };
      const [client] = await connect();
      await client.frame(0);
      client.send(buildFrame({ opcode: OP.TEXT, payload: 'in flight' }), buildFrame({ opcode: OP.CLOSE, payload: closePayload(4000) }));
      await client.ended;
      assert.deepEqual(client.frames.map((f) => [f.opcode, closeCodeOf(f)]), [[OP.CLOSE, 4000]]);
      assert.ok(server.errors.some((e) => e.message === 'late handler error'));
    });

    it('survives an onError hook that throws', async () => {
      server.options = {
        onError: () => {
          throw new Error('logger broke');
        },
      };
      const [client] = await connect();
      client.send(buildFrame({ opcode: 0x3 }));
      assert.equal(closeCodeOf(await client.closeFrame()), 1002);
    });
  });

  describe('async iteration', () => {
    it('yields messages in order and ends when the connection closes', async () => {
      const seen: Array<string | Buffer> = [];
      let finished!: () => void;
      const done = new Promise<void>((resolve) => (finished = resolve));
      server.onSocket = (ws) => {
        void (async () => {
          for await (const message of ws) seen.push(message);
          finished();
        })();
      };
      const [client] = await connect();
      client.send(
        buildFrame({ opcode: OP.TEXT, payload: 'one' }),
        buildFrame({ opcode: OP.BINARY, payload: 'two' }),
        buildFrame({ opcode: OP.CLOSE, payload: closePayload(1000) }),
      );
      await done;
      assert.deepEqual(seen, ['one', Buffer.from('two')]);
    });

    it('pauses reading beyond the high-water mark and loses nothing', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const seen: Array<string | Buffer> = [];
      let iterating!: Promise<void>;
      server.onSocket = (ws) => {
        iterating = (async () => {
          await gate;
          for await (const message of ws) {
            seen.push(message);
            if (seen.length === 40) break;
          }
        })();
      };
      const [client, ws] = await connect();
      // The iterator is created only after the gate opens, so start one now that buffers.
      const iterator = ws[Symbol.asyncIterator]();
      assert.equal(iterator[Symbol.asyncIterator](), iterator);
      assert.throws(() => ws[Symbol.asyncIterator](), /already being iterated/);
      client.send(Buffer.concat(Array.from({ length: 40 }, (_, i) => buildFrame({ opcode: OP.TEXT, payload: String(i) }))));
      await sleep(30);
      const raw = server.rawSockets.at(-1)!;
      assert.equal(raw.isPaused(), true, 'reading stops while 16 messages wait');
      const first = await iterator.next();
      assert.equal(first.value, '0');
      const rest: unknown[] = [];
      for (let i = 1; i < 40; i++) rest.push((await iterator.next()).value);
      assert.deepEqual(rest, Array.from({ length: 39 }, (_, i) => String(i + 1)));
      assert.equal(raw.isPaused(), false, 'reading resumes once the queue drains');
      await iterator.return!();
      assert.equal(closeCodeOf(await client.closeFrame()), 1000, 'leaving the loop closes with 1000');
      release();
      await iterating;
      assert.deepEqual(seen, []);
    });

    it('ends immediately when the socket is already closed', async () => {
      const [client, ws] = await connect();
      client.socket.destroy();
      await once(ws, 'close');
      const result = await ws[Symbol.asyncIterator]().next();
      assert.equal(result.done, true);
    });
  });

  describe('idle keepalive', () => {
    it('pings after idlePingMs of silence and destroys the connection when no pong follows', async () => {
      server.options = { idlePingMs: 30 };
      const [client, ws] = await connect();
      const closed = once(ws, 'close');
      const ping = await client.frame(0);
      assert.equal(ping.opcode, OP.PING);
      assert.deepEqual(await closed, [1006, '']);
    });

    it('keeps a connection that answers pings open', async () => {
      server.options = { idlePingMs: 20 };
      const [client, ws] = await connect();
      client.socket.on('data', () => {
        if (client.frames.at(-1)?.opcode === OP.PING) client.send(buildFrame({ opcode: OP.PONG }));
      });
      await sleep(120);
      assert.ok(client.frames.filter((f) => f.opcode === OP.PING).length >= 2);
      assert.equal(ws.readyState, AgentCoreWebSocket.OPEN);
      client.socket.destroy();
    });
  });
});
