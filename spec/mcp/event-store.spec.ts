import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventStore } from '../../lib/mcp/event-store.js';

describe('EventStore: events kept for resumption', () => {
  it('numbers each log from 1 and replays what came after an event', () => {
    const store = new EventStore(1024, 100);
    const log = store.createLog();
    const texts = [1, 2, 3].map(() => log.append((seq) => `event ${seq}\n\n`));
    assert.deepEqual(texts, ['event 1\n\n', 'event 2\n\n', 'event 3\n\n']);
    assert.deepEqual(log.after(1), ['event 2\n\n', 'event 3\n\n']);
    assert.deepEqual(log.after(3), []);
    assert.deepEqual([store.size, log.size, log.nextSeq], [3, 3, 4]);
  });

  it('drops the oldest events, whichever log holds them, to stay within its bytes and events', () => {
    const store = new EventStore(30, 100);
    let emptied = 0;
    const first = store.createLog(() => emptied++);
    const second = store.createLog();
    first.append(() => 'a'.repeat(10));
    second.append(() => 'b'.repeat(10));
    first.append(() => 'c'.repeat(10));
    second.append(() => 'd'.repeat(10));
    assert.deepEqual([store.bytes, first.after(0), second.after(0)], [30, ['cccccccccc'], ['bbbbbbbbbb', 'dddddddddd']]);
    second.append(() => 'e'.repeat(10));
    assert.deepEqual(first.after(0), ['cccccccccc']);
    second.append(() => 'f'.repeat(10));
    assert.deepEqual(first.after(0), []);
    assert.equal(emptied, 1);
    const counted = new EventStore(1 << 20, 2);
    const log = counted.createLog();
    for (let index = 0; index < 5; index++) log.append((seq) => String(seq));
    assert.deepEqual([counted.size, log.after(0)], [2, ['4', '5']]);
  });

  it('keeps one event larger than the budget out, rather than everything else', () => {
    const store = new EventStore(10, 100);
    const log = store.createLog();
    log.append(() => 'small');
    log.append(() => 'x'.repeat(50));
    assert.deepEqual([store.size, store.bytes, log.after(0)], [0, 0, []]);
  });

  it('forgets a released log at once and keeps nothing more for it, numbering on', () => {
    const store = new EventStore(1024, 100);
    const log = store.createLog();
    log.append(() => 'one');
    log.release();
    log.release();
    assert.equal(log.append((seq) => `n${seq}`), 'n2');
    assert.deepEqual([store.size, store.bytes, log.after(0)], [0, 0, []]);
  });

  it('stays bounded over many thousands of events from many logs', () => {
    const store = new EventStore(4096, 50);
    const logs = Array.from({ length: 20 }, () => store.createLog());
    for (let index = 0; index < 20_000; index++) {
      logs[index % 20]!.append(() => 'x'.repeat(index % 300));
      if (index % 1000 === 999) logs[Math.floor(index / 1000) % 20]!.release();
    }
    assert.ok(store.size <= 50 && store.bytes <= 4096, `${store.size} events, ${store.bytes} bytes`);
  });
});
