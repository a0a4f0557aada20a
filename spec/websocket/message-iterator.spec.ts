import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ITERATOR_HIGH_WATER_MARK } from '../../lib/websocket/constants.js';
import { MessageIterator } from '../../lib/websocket/message-iterator.js';

function probe(): { iterator: MessageIterator; calls: string[] } {
  const calls: string[] = [];
  const iterator = new MessageIterator({ pause: () => calls.push('pause'), resume: () => calls.push('resume'), cancel: () => calls.push('cancel') });
  return { iterator, calls };
}

describe('MessageIterator', () => {
  it('hands a message to a waiting reader at once, and queues the rest in order', async () => {
    const { iterator } = probe();
    const waiting = iterator.next();
    iterator.push('first');
    assert.deepEqual(await waiting, { value: 'first', done: false });
    iterator.push('second');
    iterator.push(Buffer.from('third'));
    assert.deepEqual(await iterator.next(), { value: 'second', done: false });
    assert.deepEqual((await iterator.next()).value, Buffer.from('third'));
  });

  it('pauses reading at the high-water mark and resumes once the reader catches up', async () => {
    const { iterator, calls } = probe();
    for (let i = 0; i < ITERATOR_HIGH_WATER_MARK; i++) iterator.push(`m${i}`);
    assert.deepEqual(calls, ['pause']);
    await iterator.next();
    assert.deepEqual(calls, ['pause', 'resume']);
  });

  it('delivers what is queued after the end, then ends; return() drops the rest and cancels once', async () => {
    const { iterator, calls } = probe();
    iterator.push('kept');
    iterator.end();
    iterator.push('ignored');
    assert.deepEqual(await iterator.next(), { value: 'kept', done: false });
    assert.deepEqual(await iterator.next(), { value: undefined, done: true });
    const other = probe();
    other.iterator.push('dropped');
    assert.deepEqual(await other.iterator.return(), { value: undefined, done: true });
    assert.deepEqual(await other.iterator.next(), { value: undefined, done: true });
    await other.iterator.return();
    assert.deepEqual(other.calls, ['cancel']);
    assert.deepEqual(calls, []);
  });

  it('ends a waiting reader when the connection closes', async () => {
    const { iterator } = probe();
    const waiting = iterator.next();
    iterator.end();
    assert.deepEqual(await waiting, { value: undefined, done: true });
    assert.equal(iterator[Symbol.asyncIterator](), iterator);
  });
});
