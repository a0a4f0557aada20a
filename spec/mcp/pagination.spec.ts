import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { paginate } from '../../lib/mcp/pagination.js';

describe('paginate', () => {
  const items = ['a', 'b', 'c', 'd', 'e'];

  it('pages a list by size, each page naming the next, the last none', () => {
    const first = paginate(items, undefined, 2);
    const second = paginate(items, first.nextCursor, 2);
    const third = paginate(items, second.nextCursor, 2);
    assert.deepEqual([first.items, second.items, third.items], [['a', 'b'], ['c', 'd'], ['e']]);
    assert.equal(third.nextCursor, undefined);
    assert.deepEqual(paginate(items, undefined, 10), { items, nextCursor: undefined });
  });

  it('refuses cursors it did not make, and ones past the end of the list, with -32602', () => {
    const far = paginate(Array.from({ length: 20 }), undefined, 15).nextCursor;
    for (const cursor of ['', 'garbage', 42, Buffer.from('o-1').toString('base64url'), far]) {
      assert.throws(() => paginate(items, cursor, 2), { code: -32602 }, String(cursor));
    }
  });
});
