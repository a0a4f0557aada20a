import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeThrown, HttpError } from '../lib/errors.js';

describe('HttpError', () => {
  it('carries status, a default code, details and a cause', () => {
    const cause = new Error('root');
    const error = new HttpError(409, 'conflict', { cause });
    assert.equal(error.status, 409);
    assert.equal(error.code, 'HTTP_409');
    assert.equal(error.cause, cause);
    assert.equal(error.details, undefined);
  });

  it('turns a status outside 400-599 into 500', () => {
    assert.equal(new HttpError(200, 'not an error').status, 500);
    assert.equal(new HttpError(99.5, 'odd').status, 500);
  });
});

describe('describeThrown', () => {
  it('describes an Error by its name and message', () => {
    assert.deepEqual(describeThrown(new TypeError('bad')), { type: 'TypeError', message: 'bad' });
  });

  it('describes other thrown values by their kind and content', () => {
    assert.deepEqual(describeThrown('boom'), { type: 'thrown string', message: 'boom' });
    assert.deepEqual(describeThrown([1, 2]), { type: 'thrown array', message: '[1,2]' });
    assert.deepEqual(describeThrown(undefined), { type: 'thrown undefined', message: 'undefined' });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    assert.deepEqual(describeThrown(circular), { type: 'thrown object', message: '[object Object]' });
  });

  it('shortens a long rendering', () => {
    const { message } = describeThrown('x'.repeat(1000));
    assert.equal(message, `${'x'.repeat(200)}…`);
  });
});
