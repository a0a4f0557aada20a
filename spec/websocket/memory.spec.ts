import assert from 'node:assert/strict';
import { after, describe, it, type TestContext } from 'node:test';
import { OP, RawClient, buildFrame } from './frames.js';
import { MemoryProbe, floodWithoutReading, mb, MiB, type Flood } from './memory-client.js';
import type { ProbeReport } from './memory-probe.js';

/** Growth bounds, far above what the fixed server uses and far below what the unfixed one did. */
const RSS_GROWTH_BOUND = 96 * MiB;
const HEAP_GROWTH_BOUND = 48 * MiB;

/** Logs and checks the memory a flood cost the server, from before to `during`. */
function assertBounded(t: TestContext, before: ProbeReport, during: ProbeReport, flood: Flood): void {
  const rssGrowth = during.rss - before.rss;
  const heapGrowth = during.heapUsed + during.arrayBuffers - (before.heapUsed + before.arrayBuffers);
  t.diagnostic(`sent ${mb(flood.bytes)}; server rss ${mb(before.rss)} → ${mb(during.rss)}, heap + buffers +${mb(heapGrowth)}`);
  assert.equal(flood.stalled, true, `the server read all ${mb(flood.bytes)} the client sent`);
  assert.ok(rssGrowth < RSS_GROWTH_BOUND, `server rss grew by ${mb(rssGrowth)}`);
  assert.ok(heapGrowth < HEAP_GROWTH_BOUND, `server heap and buffers grew by ${mb(heapGrowth)}`);
}

describe('server memory while a peer does not read', { timeout: 120_000 }, () => {
  const probes: MemoryProbe[] = [];
  after(() => probes.forEach((probe) => probe.stop()));

  it('stays flat when a client floods pings and never reads the pongs, and after it leaves', async (t) => {
    const probe = await MemoryProbe.start({ agent: 'echo' });
    probes.push(probe);
    const before = await probe.measure();
    const client = await RawClient.connect(probe.port);
    const flood = await floodWithoutReading(client, buildFrame({ opcode: OP.PING, payload: Buffer.alloc(125, 0x70) }));
    const during = await probe.measure();
    assertBounded(t, before, during, flood);
    // At most one pong waits in memory: the answer to the latest ping.
    assert.ok(during.bufferedAmount < 256 * 1024, `${mb(during.bufferedAmount)} of pongs wait to be sent`);

    client.socket.destroy();
    const left = await probe.measureUntil((report) => report.open === 0 && report.connections === 0);
    t.diagnostic(`after the client left: rss ${mb(left.rss)}, heap ${mb(left.heapUsed)}`);
    assert.deepEqual([left.open, left.connections, left.closes], [0, 0, [1006]]);
    assert.ok(left.rss - before.rss < RSS_GROWTH_BOUND, `server rss grew by ${mb(left.rss - before.rss)} after the client left`);
    assert.ok(left.heapUsed + left.arrayBuffers - (before.heapUsed + before.arrayBuffers) < 8 * MiB, 'the backlog was let go');
  });

  it('stops reading from a client that sends to an echo handler ignoring send()\'s promise, and closes it with 1008', async (t) => {
    // The default maxBufferedBytes protects the handler; the timeouts are short for the test, the
    // slow-peer one still longer than the flood's stall detection so that memory is measured first.
    const probe = await MemoryProbe.start({ agent: 'echo', options: { slowPeerTimeoutMs: 3000, closeTimeoutMs: 500 } });
    probes.push(probe);
    const before = await probe.measure();
    const client = await RawClient.connect(probe.port);
    const flood = await floodWithoutReading(client, buildFrame({ opcode: OP.BINARY, payload: Buffer.alloc(1000, 0x65) }));
    const during = await probe.measure();
    assertBounded(t, before, during, flood);

    // The client is still connected, reading nothing: the server gives up on it and lets go.
    const closed = await probe.measureUntil((report) => report.open === 0 && report.connections === 0);
    t.diagnostic(`after the 1008 close: rss ${mb(closed.rss)}, heap ${mb(closed.heapUsed)}`);
    assert.deepEqual(closed.closes, [1008]);
    assert.deepEqual(closed.errors, ['WS_ERR_SLOW_PEER']);
    assert.ok(closed.heapUsed + closed.arrayBuffers - (before.heapUsed + before.arrayBuffers) < 8 * MiB, 'the backlog was let go');
    client.socket.destroy();
  });
});
