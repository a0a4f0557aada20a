import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, beforeEach, describe, it } from 'node:test';
import { AgentCoreWebSocket } from '../../lib/websocket/socket.js';
import { OP, RawClient, TestServer, buildFrame, closeCodeOf, closePayload, echo, floodUntilPaused, sleep, waitUntil } from './frames.js';

const KiB = 1024;
const MiB = 1024 * KiB;

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

  describe('a peer that stops reading', () => {
    /** Resolves once the socket's send buffer stops shrinking: the peer's TCP buffers are full. */
    async function untilStuck(ws: AgentCoreWebSocket): Promise<void> {
      let last = -1;
      while (ws.bufferedAmount === 0 || ws.bufferedAmount !== last) {
        last = ws.bufferedAmount;
        await sleep(50);
      }
    }

    const echoFrame = buildFrame({ opcode: OP.BINARY, payload: Buffer.alloc(64 * KiB, 1) });

    it('answers only the latest of the pings that arrive while its socket is backed up', async () => {
      // A backlog this large never pauses reading here, so only the withheld pong can.
      server.options = { maxBufferedBytes: 256 * MiB };
      const [client, ws] = await connect();
      const raw = server.rawSockets.at(-1)!;
      client.socket.pause();
      const sent = ws.send(Buffer.alloc(32 * MiB));
      await untilStuck(ws);
      client.send(Buffer.concat(['1', '2', '3'].map((payload) => buildFrame({ opcode: OP.PING, payload }))));
      assert.ok(await waitUntil(() => raw.isPaused()), 'a pong that has to wait stops reading');
      client.socket.resume();
      await sent;
      await client.until((frames) => frames.some((f) => f.opcode === OP.PONG));
      assert.deepEqual(client.frames.filter((f) => f.opcode === OP.PONG).map((f) => f.payload.toString()), ['3']);
      client.send(buildFrame({ opcode: OP.TEXT, payload: 'still here' }));
      await client.until((frames) => frames.at(-1)?.opcode === OP.TEXT);
      assert.equal(client.frames.at(-1)!.payload.toString(), 'still here');
      assert.equal(raw.isPaused(), false, 'reading resumed once the pong was sent');
      client.socket.destroy();
    });

    it('stops reading while more than maxBufferedBytes wait to be sent, then resumes and loses nothing', async () => {
      const limit = 256 * KiB;
      server.options = { maxBufferedBytes: limit };
      const [client, ws] = await connect();
      const raw = server.rawSockets.at(-1)!;
      client.socket.pause();
      const written = await floodUntilPaused(client, raw, echoFrame);
      // At most the echoes of one read chunk land after the limit is crossed.
      assert.ok(ws.bufferedAmount <= limit + 4 * 64 * KiB, `bufferedAmount is ${ws.bufferedAmount}`);
      await sleep(50);
      assert.equal(raw.isPaused(), true, 'reading stays paused while the peer reads nothing');
      client.socket.resume();
      await client.until((frames) => frames.filter((f) => f.fin).length === written);
      assert.equal(raw.isPaused(), false);
      assert.equal(ws.bufferedAmount, 0);
      assert.equal(ws.readyState, AgentCoreWebSocket.OPEN);
      client.socket.destroy();
    });

    it('closes with 1008 a peer that takes none of our bytes for slowPeerTimeoutMs', async () => {
      server.options = { maxBufferedBytes: 256 * KiB, slowPeerTimeoutMs: 100 };
      const [client, ws] = await connect();
      const raw = server.rawSockets.at(-1)!;
      // Not events.once: its 'error' listener would receive the WS_ERR_SLOW_PEER report.
      const closed = new Promise((resolve) => ws.once('close', (...args) => resolve(args)));
      client.socket.pause();
      await floodUntilPaused(client, raw, echoFrame);
      assert.ok(await waitUntil(() => ws.readyState !== AgentCoreWebSocket.OPEN), 'the slow peer was closed');
      const error = server.errors.find((e) => (e as { code?: string }).code === 'WS_ERR_SLOW_PEER');
      assert.match(String(error?.message), /read nothing for 100 ms while \d+ bytes waited/);
      assert.equal((error as { closeCode?: number }).closeCode, 1008);
      // Once it reads again it finds the echoes, then the close frame.
      client.socket.resume();
      const close = await client.closeFrame();
      assert.equal(closeCodeOf(close), 1008);
      assert.equal(close.payload.subarray(2).toString(), 'Peer is not reading');
      assert.deepEqual(await closed, [1008, '']);
    });

    it('keeps a peer that reads slowly but steadily, however long the backlog lasts', async () => {
      // Every queued byte counts as a backlog, so the slow-peer clock runs for the whole transfer.
      // Linux wakes a blocked writer only once about half its send buffer is free, so this peer's
      // progress shows every ~30 ms on loopback: the timeout leaves a wide margin above that.
      server.options = { maxBufferedBytes: 1, slowPeerTimeoutMs: 250 };
      const size = 32 * MiB;
      let sent!: Promise<void>;
      server.onSocket = (ws) => {
        sent = ws.send(Buffer.alloc(size));
      };
      const errorsBefore = server.errors.length;
      const [client, ws] = await connect();
      // Read one chunk, then nothing for a millisecond, and so on: the transfer outlasts the timeout.
      client.socket.on('data', () => {
        client.socket.pause();
        setTimeout(() => client.socket.resume(), 1);
      });
      await sent;
      await client.until((frames) => frames.some((f) => f.fin));
      assert.equal(ws.readyState, AgentCoreWebSocket.OPEN);
      assert.equal(client.frames.reduce((total, f) => total + f.payload.length, 0), size);
      assert.deepEqual(server.errors.slice(errorsBefore), []);
      client.socket.destroy();
    });

    it('neither closes nor keepalive-drops a backed-up peer when slowPeerTimeoutMs is 0', async () => {
      server.options = { maxBufferedBytes: 256 * KiB, slowPeerTimeoutMs: 0, idlePingMs: 20 };
      const [client, ws] = await connect();
      const raw = server.rawSockets.at(-1)!;
      client.socket.pause();
      await floodUntilPaused(client, raw, echoFrame);
      // Silence is ours while we do not read: idle keepalive must not mistake it for a dead peer.
      await sleep(200);
      assert.equal(ws.readyState, AgentCoreWebSocket.OPEN);
      assert.equal(raw.isPaused(), true);
      client.socket.destroy();
    });

    it('rejects queued messages and lets go of the backlog when the peer disconnects', async () => {
      server.options = { maxBufferedBytes: 256 * KiB };
      const sends: Array<Promise<void>> = [];
      server.onSocket = (ws) => ws.on('message', (data) => sends.push(ws.send(data)));
      const [client, ws] = await connect();
      const raw = server.rawSockets.at(-1)!;
      client.socket.pause();
      await floodUntilPaused(client, raw, echoFrame);
      assert.ok(ws.bufferedAmount > 256 * KiB);
      client.socket.destroy();
      await once(ws, 'close');
      const outcomes = await Promise.allSettled(sends);
      assert.ok(outcomes.some((o) => o.status === 'rejected'), 'messages still queued were rejected');
      assert.equal(ws.bufferedAmount, 0);
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
