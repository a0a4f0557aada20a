import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { app } from '../../examples/websocket.js';
import { buildFrame, OP, RawClient } from '../websocket/frames.js';

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

  it('stops streaming when the client goes away', async () => {
    const client = await RawClient.connect(port);
    client.send(buildFrame({ opcode: OP.TEXT, payload: JSON.stringify({ stream: 'a b c d e f g h' }) }));
    await client.frame(0);
    client.socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(app.getAsyncTaskInfo().activeCount, 0);
  });
});
