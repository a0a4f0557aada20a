import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { app } from '../../examples/websocket.js';
import { buildFrame, OP, RawClient } from '../websocket/frames.js';
import { floodWithoutReading, mb, MemoryProbe, MiB } from '../websocket/memory-client.js';

describe('the websocket example agent', { timeout: 20_000 }, () => {
  let port: number;
  before(async () => {
    port = (await app.listen({ port: 0, host: '127.0.0.1' })).port;
  });
  after(() => app.close({ graceMs: 0 }));

  it('echoes text and binary messages', async () => {
    const client = await RawClient.connect(port);
    client.send(buildFrame({ opcode: OP.TEXT, payload: 'plain text' }), buildFrame({ opcode: OP.BINARY, payload: Buffer.from([1, 2, 3]) }));
    assert.equal((await client.frame(0)).payload.toString(), 'plain text');
    const binary = await client.frame(1);
    assert.equal(binary.opcode, OP.BINARY);
    assert.deepEqual([...binary.payload], [1, 2, 3]);
    client.socket.destroy();
  });

  it('streams a reply word by word as a tracked task', async () => {
    const client = await RawClient.connect(port);
    client.send(buildFrame({ opcode: OP.TEXT, payload: JSON.stringify({ stream: 'one two three' }) }));
    await client.frame(0);
    assert.equal(app.getCurrentPingStatus(), 'HealthyBusy');
    await client.until((frames) => frames.length >= 4);
    assert.deepEqual(client.frames.slice(0, 4).map((frame) => JSON.parse(frame.payload.toString())), [
      { token: 'one' },
      { token: 'two' },
      { token: 'three' },
      { done: true },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(app.getCurrentPingStatus(), 'Healthy');
    client.socket.destroy();
  });

  it('applies back-pressure: a client that never reads its echoes stops being read, and memory stays flat', async (t) => {
    // In a child process, so that only the agent's memory is measured.
    const probe = await MemoryProbe.start({ agent: 'example' });
    try {
      const before = await probe.measure();
      const client = await RawClient.connect(probe.port);
      const flood = await floodWithoutReading(client, buildFrame({ opcode: OP.TEXT, payload: 'e'.repeat(1000) }));
      const during = await probe.measure();
      const growth = during.heapUsed + during.arrayBuffers - (before.heapUsed + before.arrayBuffers);
      t.diagnostic(`sent ${mb(flood.bytes)}; agent rss ${mb(before.rss)} → ${mb(during.rss)}, heap + buffers +${mb(growth)}`);
      assert.equal(flood.stalled, true, `the agent read all ${mb(flood.bytes)} the client sent`);
      // Awaiting each echo holds a few messages, far under the library's 16 MiB send limit.
      assert.ok(growth < 8 * MiB, `heap and buffers grew by ${mb(growth)}`);
      client.socket.destroy();
    } finally {
      probe.stop();
    }
  });

  it('stops streaming when the client goes away', async () => {
    const client = await RawClient.connect(port);
    client.send(buildFrame({ opcode: OP.TEXT, payload: JSON.stringify({ stream: 'a b c d e f g h' }) }));
    await client.frame(0);
    client.socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(app.getAsyncTaskInfo().activeCount, 0);
  });
});
