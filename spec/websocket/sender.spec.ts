import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DEFAULT_MAX_FRAME_BYTES } from '../../lib/websocket/constants.js';
import { OP, RawClient, TestServer, buildFrame, closeCodeOf, closePayload, echo, sleep, type ParsedFrame } from './frames.js';

const TEN_MB = 10 * 1024 * 1024;

/** Checks that `frames` form one fragmented message and returns its payload. */
function reassemble(frames: ParsedFrame[], opcode: number, maxFrameBytes: number): Buffer {
  assert.equal(frames[0]!.opcode, opcode);
  frames.forEach((frame, i) => {
    assert.equal(frame.masked, false, 'server frames are never masked');
    assert.equal(frame.rsv, 0);
    assert.ok(frame.payload.length <= maxFrameBytes, `frame ${i} carries ${frame.payload.length} bytes`);
    if (i > 0) assert.equal(frame.opcode, OP.CONT);
    assert.equal(frame.fin, i === frames.length - 1);
  });
  return Buffer.concat(frames.map((f) => f.payload));
}

describe('Sender', { timeout: 20_000 }, () => {
  const server = new TestServer();
  before(() => server.listen());
  after(() => server.close());
  beforeEach(() => {
    server.onSocket = echo;
    server.options = {};
  });

  describe('fragmentation', () => {
    it('echoes a 10 MB unfragmented message as frames no larger than maxFrameBytes', async () => {
      const data = randomBytes(TEN_MB);
      const client = await RawClient.connect(server.port);
      client.send(buildFrame({ opcode: OP.BINARY, payload: data }));
      await client.until((frames) => frames.some((f) => f.fin));
      assert.equal(client.frames.length, Math.ceil(TEN_MB / DEFAULT_MAX_FRAME_BYTES));
      assert.ok(reassemble(client.frames, OP.BINARY, DEFAULT_MAX_FRAME_BYTES).equals(data));
      client.socket.destroy();
    });

    it('receives a 10 MB message sent in 1 MB fragments and echoes it fragmented', async () => {
      const data = randomBytes(TEN_MB);
      const client = await RawClient.connect(server.port);
      const fragment = 1024 * 1024;
      for (let offset = 0; offset < TEN_MB; offset += fragment) {
        const last = offset + fragment >= TEN_MB;
        client.send(buildFrame({ opcode: offset === 0 ? OP.BINARY : OP.CONT, payload: data.subarray(offset, offset + fragment), fin: last }));
      }
      await client.until((frames) => frames.some((f) => f.fin));
      assert.ok(reassemble(client.frames, OP.BINARY, DEFAULT_MAX_FRAME_BYTES).equals(data));
      client.socket.destroy();
    });

    it('splits text at maxFrameBytes and keeps concurrent messages whole and in order', async () => {
      server.options = { maxFrameBytes: 10 };
      server.onSocket = (ws) => {
        void ws.send('a'.repeat(25));
        void ws.send('b'.repeat(10));
        void ws.send('');
      };
      const client = await RawClient.connect(server.port);
      await client.frame(4);
      assert.deepEqual(
        client.frames.map((f) => [f.opcode, f.fin, f.payload.toString()]),
        [
          [OP.TEXT, false, 'a'.repeat(10)],
          [OP.CONT, false, 'a'.repeat(10)],
          [OP.CONT, true, 'a'.repeat(5)],
          [OP.TEXT, true, 'b'.repeat(10)],
          [OP.TEXT, true, ''],
        ],
      );
      client.socket.destroy();
    });

    it('uses a 64-bit length for frames over 64 KiB when maxFrameBytes allows them', async () => {
      server.options = { maxFrameBytes: 1 << 20 };
      server.onSocket = (ws) => void ws.send(Buffer.alloc(100_000, 3));
      const client = await RawClient.connect(server.port);
      const frame = await client.frame(0);
      assert.deepEqual([frame.fin, frame.payload.length], [true, 100_000]);
      client.socket.destroy();
    });
  });

  describe('backpressure', () => {
    it('waits for drain instead of queueing a large message in the socket', async () => {
      let sent!: Promise<void>;
      server.onSocket = (ws) => {
        sent = ws.send(Buffer.alloc(20 * 1024 * 1024));
      };
      const client = await RawClient.connect(server.port);
      client.socket.pause();
      await sleep(50);
      const ws = server.sockets.at(-1)!;
      const raw = server.rawSockets.at(-1)!;
      assert.ok(raw.writableLength < 256 * 1024, `socket buffer holds ${raw.writableLength} bytes`);
      assert.ok(ws.bufferedAmount > 10 * 1024 * 1024, `bufferedAmount is ${ws.bufferedAmount}`);
      let settled = false;
      void sent.then(() => (settled = true));
      await sleep(10);
      assert.equal(settled, false, 'send() stays pending while the client does not read');
      client.socket.resume();
      await sent;
      assert.equal(ws.bufferedAmount, 0);
      client.socket.destroy();
    });

    it('rejects a pending send when the connection drops while waiting for drain', async () => {
      let sent!: Promise<void>;
      server.onSocket = (ws) => {
        sent = ws.send(Buffer.alloc(20 * 1024 * 1024));
      };
      const client = await RawClient.connect(server.port);
      client.socket.pause();
      await sleep(30);
      client.socket.destroy();
      await assert.rejects(sent, { code: 'WS_ERR_NOT_OPEN' });
      assert.equal(server.sockets.at(-1)!.bufferedAmount, 0);
    });
  });

  describe('pacing', () => {
    it('sends at most maxFramesPerSecond frames in any second', async () => {
      server.options = { maxFrameBytes: 1, maxFramesPerSecond: 10 };
      server.onSocket = (ws) => void ws.send('abcdefghijklmno');
      const client = await RawClient.connect(server.port);
      const connected = performance.now();
      await sleep(500);
      assert.equal(client.frames.length, 10, 'the first 10 frames go out at once, then sending waits');
      await client.frame(10);
      const waited = performance.now() - connected;
      assert.ok(waited >= 900, `frame 11 arrived after ${waited} ms`);
      await client.frame(14);
      assert.equal(Buffer.concat(client.frames.map((f) => f.payload)).toString(), 'abcdefghijklmno');
      client.socket.destroy();
    });

    it('fails the rest of a paced message when the client closes mid-message', async () => {
      server.options = { maxFrameBytes: 1, maxFramesPerSecond: 5 };
      let sent!: Promise<void>;
      server.onSocket = (ws) => {
        sent = ws.send('0123456789');
        void ws.close(4000, 'queued behind the message');
      };
      const client = await RawClient.connect(server.port);
      await client.frame(4);
      client.send(buildFrame({ opcode: OP.CLOSE, payload: closePayload(1000) }));
      await assert.rejects(sent, { code: 'WS_ERR_NOT_OPEN' });
      const close = await client.closeFrame();
      assert.equal(closeCodeOf(close), 1000, 'the echo goes out at once; the queued close is dropped');
      assert.equal(client.frames.filter((f) => f.opcode === OP.CLOSE).length, 1);
      assert.equal(client.frames.filter((f) => f.opcode === OP.TEXT || f.opcode === OP.CONT).length, 5);
    });
  });
});
