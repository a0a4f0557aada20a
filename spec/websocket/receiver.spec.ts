import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { WebSocketProtocolError } from '../../lib/websocket/errors.js';
import { Receiver } from '../../lib/websocket/receiver.js';
import { OP, RawClient, TestServer, buildFrame, closeCodeOf, closePayload, sleep } from './frames.js';

const LIMIT = 1024;

/** A receiver that records what it reports. */
function recordingReceiver(maxMessageBytes = LIMIT): { receiver: Receiver; events: unknown[][] } {
  const events: unknown[][] = [];
  const receiver = new Receiver(
    { maxMessageBytes },
    {
      onMessage: (data, isBinary) => events.push(['message', data, isBinary]),
      onPing: (payload) => events.push(['ping', payload.toString()]),
      onPong: (payload) => events.push(['pong', payload.toString()]),
      onClose: (code, reason) => events.push(['close', code, reason]),
      onError: (error: WebSocketProtocolError) => events.push(['error', error.code, error.closeCode]),
    },
  );
  return { receiver, events };
}

describe('Receiver (fed directly)', { timeout: 20_000 }, () => {
  it('parses frames with 7-, 16- and 64-bit lengths delivered one byte at a time', () => {
    const { receiver, events } = recordingReceiver(1 << 20);
    const medium = Buffer.alloc(300, 7);
    const large = Buffer.alloc(70_000, 9);
    const bytes = Buffer.concat([
      buildFrame({ opcode: OP.TEXT, payload: 'héllo, world' }),
      buildFrame({ opcode: OP.BINARY, payload: medium }),
      buildFrame({ opcode: OP.BINARY, payload: large }),
    ]);
    for (let i = 0; i < bytes.length; i++) receiver.push(bytes.subarray(i, i + 1));
    assert.deepEqual(events, [['message', 'héllo, world', false], ['message', medium, true], ['message', large, true]]);
  });

  it('parses 16-bit and 64-bit lengths split across chunks', () => {
    const { receiver, events } = recordingReceiver(1 << 20);
    const medium = Buffer.alloc(300, 7);
    const large = Buffer.alloc(70_000, 9);
    const bytes = Buffer.concat([buildFrame({ opcode: OP.BINARY, payload: medium }), buildFrame({ opcode: OP.BINARY, payload: large })]);
    for (let i = 0; i < bytes.length; i += 1000) receiver.push(bytes.subarray(i, i + 1000));
    assert.equal(events.length, 2);
    assert.deepEqual(events[0], ['message', medium, true]);
    assert.deepEqual(events[1], ['message', large, true]);
  });

  it('parses several frames from one chunk, including empty ones', () => {
    const { receiver, events } = recordingReceiver();
    receiver.push(
      Buffer.concat([
        buildFrame({ opcode: OP.TEXT, payload: '' }),
        buildFrame({ opcode: OP.BINARY, payload: 'ab', fin: false }),
        buildFrame({ opcode: OP.CONT, payload: '' , fin: false }),
        buildFrame({ opcode: OP.PING, payload: 'p' }),
        buildFrame({ opcode: OP.CONT, payload: 'c' }),
        buildFrame({ opcode: OP.PONG, payload: 'q' }),
        buildFrame({ opcode: OP.CLOSE }),
        buildFrame({ opcode: OP.TEXT, payload: 'ignored after close' }),
      ]),
    );
    assert.deepEqual(events, [
      ['message', '', false],
      ['ping', 'p'],
      ['message', Buffer.from('abc'), true],
      ['pong', 'q'],
      ['close', 1005, ''],
    ]);
    assert.equal(receiver.halted, true);
    receiver.push(buildFrame({ opcode: OP.TEXT, payload: 'still ignored' }));
    assert.equal(events.length, 5);
  });

  it('rejects a 64-bit length with the most significant bit set', () => {
    const { receiver, events } = recordingReceiver();
    receiver.push(buildFrame({ opcode: OP.BINARY, length64: Buffer.from([0x80, 0, 0, 0, 0, 0, 0, 1]) }));
    assert.deepEqual(events, [['error', 'WS_ERR_UNSUPPORTED_PAYLOAD_LENGTH', 1002]]);
  });

  it('rejects a length beyond 2^53 as too big without waiting for data', () => {
    const { receiver, events } = recordingReceiver(Number.MAX_SAFE_INTEGER);
    receiver.push(buildFrame({ opcode: OP.BINARY, length64: Buffer.from([0x00, 0x20, 0, 0, 0, 0, 0, 0]) }));
    assert.deepEqual(events, [['error', 'WS_ERR_MESSAGE_TOO_BIG', 1009]]);
  });

  it('rejects unknown control opcodes', () => {
    const { receiver, events } = recordingReceiver();
    receiver.push(buildFrame({ opcode: 0xb }));
    assert.deepEqual(events, [['error', 'WS_ERR_INVALID_OPCODE', 1002]]);
  });

  it('accepts registered application close codes and reasons', () => {
    const { receiver, events } = recordingReceiver();
    receiver.push(buildFrame({ opcode: OP.CLOSE, payload: closePayload(4000, 'bye ✓') }));
    assert.deepEqual(events, [['close', 4000, 'bye ✓']]);
  });

  it('accepts the IANA-registered 1012-1014 a restarting server or a gateway sends', () => {
    const { receiver, events } = recordingReceiver();
    receiver.push(buildFrame({ opcode: OP.CLOSE, payload: closePayload(1013, 'try again later') }));
    assert.deepEqual(events, [['close', 1013, 'try again later']]);
  });

  it('ignores empty chunks', () => {
    const { receiver, events } = recordingReceiver();
    receiver.push(Buffer.alloc(0));
    assert.deepEqual(events, []);
  });
});

describe('Receiver protocol errors over TCP', { timeout: 20_000 }, () => {
  const server = new TestServer({ maxMessageBytes: LIMIT });
  before(() => server.listen());
  after(() => server.close());

  /** Sends frames, expects a close frame with `closeCode`, the TCP end, and a server error `code`. */
  async function expectFailure(frames: Buffer[], closeCode: number, code: string): Promise<RawClient> {
    const client = await RawClient.connect(server.port);
    const index = server.sockets.length - 1;
    const closed = new Promise<[number, string]>((resolve) => server.sockets[index]!.once('close', (c, r) => resolve([c, r])));
    client.send(...frames);
    const close = await client.closeFrame();
    assert.equal(closeCodeOf(close), closeCode);
    assert.deepEqual(await closed, [closeCode, '']);
    assert.ok(server.errors.some((e) => (e as WebSocketProtocolError).code === code), `expected ${code}`);
    return client;
  }

  it('fails an unmasked frame with 1002', async () => {
    await expectFailure([buildFrame({ opcode: OP.TEXT, payload: 'hi', masked: false })], 1002, 'WS_ERR_UNMASKED_FRAME');
  });

  it('fails an unknown data opcode with 1002', async () => {
    await expectFailure([buildFrame({ opcode: 0x3, payload: 'x' })], 1002, 'WS_ERR_INVALID_OPCODE');
  });

  for (const rsv of [0x40, 0x20, 0x10]) {
    it(`fails a frame with RSV bit 0x${rsv.toString(16)} set with 1002`, async () => {
      await expectFailure([buildFrame({ opcode: OP.TEXT, payload: 'x', rsv })], 1002, 'WS_ERR_UNEXPECTED_RSV');
    });
  }

  it('fails a control frame over 125 bytes with 1002', async () => {
    await expectFailure([buildFrame({ opcode: OP.PING, payload: Buffer.alloc(126) })], 1002, 'WS_ERR_CONTROL_FRAME_TOO_BIG');
  });

  it('fails a fragmented control frame with 1002', async () => {
    await expectFailure([buildFrame({ opcode: OP.PING, payload: 'x', fin: false })], 1002, 'WS_ERR_FRAGMENTED_CONTROL_FRAME');
  });

  it('fails a continuation frame without a started message with 1002', async () => {
    await expectFailure([buildFrame({ opcode: OP.CONT, payload: 'x' })], 1002, 'WS_ERR_UNEXPECTED_CONTINUATION');
  });

  it('fails a new data frame during a fragmented message with 1002', async () => {
    await expectFailure(
      [buildFrame({ opcode: OP.TEXT, payload: 'a', fin: false }), buildFrame({ opcode: OP.BINARY, payload: 'b' })],
      1002,
      'WS_ERR_EXPECTED_CONTINUATION',
    );
  });

  it('fails invalid UTF-8 text with 1007, also when the bad sequence spans fragments', async () => {
    await expectFailure([buildFrame({ opcode: OP.TEXT, payload: Buffer.from([0xc3, 0x28]) })], 1007, 'WS_ERR_INVALID_UTF8');
    await expectFailure(
      [
        buildFrame({ opcode: OP.TEXT, payload: Buffer.from([0xe2, 0x82]), fin: false }),
        buildFrame({ opcode: OP.CONT, payload: Buffer.from([0x28]) }),
      ],
      1007,
      'WS_ERR_INVALID_UTF8',
    );
  });

  it('fails a close reason that is not UTF-8 with 1007', async () => {
    await expectFailure([buildFrame({ opcode: OP.CLOSE, payload: closePayload(1000, Buffer.from([0xff])) })], 1007, 'WS_ERR_INVALID_UTF8');
  });

  for (const code of [999, 1004, 1005, 1006, 1015, 2999, 5000]) {
    it(`fails close code ${code} with 1002`, async () => {
      await expectFailure([buildFrame({ opcode: OP.CLOSE, payload: closePayload(code) })], 1002, 'WS_ERR_INVALID_CLOSE_CODE');
    });
  }

  it('fails a 1-byte close payload with 1002', async () => {
    await expectFailure([buildFrame({ opcode: OP.CLOSE, payload: Buffer.from([3]) })], 1002, 'WS_ERR_INVALID_CLOSE_PAYLOAD');
  });

  it('fails an oversized message with 1009 from its header alone, before any payload arrives', async () => {
    const full = buildFrame({ opcode: OP.BINARY, payload: Buffer.alloc(LIMIT + 1) });
    // Header (4 bytes) and mask (4 bytes) only: the server must not wait for the payload.
    await expectFailure([full.subarray(0, 8)], 1009, 'WS_ERR_MESSAGE_TOO_BIG');
  });

  it('fails a fragmented message whose running total exceeds the limit with 1009', async () => {
    const half = Buffer.alloc(LIMIT / 2 + 1);
    const client = await RawClient.connect(server.port);
    const ws = server.sockets.at(-1)!;
    let messages = 0;
    ws.on('message', () => messages++);
    const second = buildFrame({ opcode: OP.CONT, payload: half });
    client.send(buildFrame({ opcode: OP.BINARY, payload: half, fin: false }), second.subarray(0, 8));
    assert.equal(closeCodeOf(await client.closeFrame()), 1009);
    assert.equal(messages, 0);
  });

  it('accepts a message of exactly the limit', async () => {
    const client = await RawClient.connect(server.port);
    client.send(buildFrame({ opcode: OP.BINARY, payload: Buffer.alloc(LIMIT, 1) }));
    const echoed = await client.frame(0);
    assert.equal(echoed.payload.length, LIMIT);
    client.socket.destroy();
  });

  it('parses a frame written to the socket one byte at a time', async () => {
    const client = await RawClient.connect(server.port);
    client.socket.setNoDelay(true);
    const frame = buildFrame({ opcode: OP.TEXT, payload: 'byte by byte' });
    for (const byte of frame) {
      client.socket.write(Buffer.from([byte]));
      await sleep(1);
    }
    const echoed = await client.frame(0);
    assert.equal(echoed.payload.toString(), 'byte by byte');
    client.socket.destroy();
  });
});
