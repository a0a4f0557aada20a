import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MethodNotAllowedError, NotFoundError } from '../../lib/errors.js';
import { matchRoute, pathOf } from '../../lib/http/router.js';

describe('the router', () => {
  it('strips query strings and fragments', () => {
    assert.equal(pathOf('/ping?x=1#y'), '/ping');
    assert.equal(pathOf('/ping#y?x'), '/ping');
    assert.equal(pathOf('/ping'), '/ping');
  });

  it('matches the three endpoints', () => {
    assert.equal(matchRoute('GET', '/ping'), 'ping');
    assert.equal(matchRoute('HEAD', '/ping'), 'ping');
    assert.equal(matchRoute('POST', '/invocations?a'), 'invocations');
    assert.equal(matchRoute('GET', '/ws'), 'ws');
  });

  it('throws 404 for unknown paths, including near misses', () => {
    for (const path of ['/', '/ping/', '/PING', '/invocations/x']) {
      assert.throws(() => matchRoute('GET', path), NotFoundError, path);
    }
  });

  it('throws 405 with the allowed methods', () => {
    assert.throws(() => matchRoute('DELETE', '/ping'), (error: MethodNotAllowedError) => error.headers?.Allow === 'GET, HEAD');
  });
});
