import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HttpError } from '../lib/errors.js';

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
