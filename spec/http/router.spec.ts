import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MethodNotAllowedError, NotFoundError } from '../../lib/errors.js';
import { checkPath, DEFAULT_INVOCATION_PATH, pathOf, Router } from '../../lib/http/router.js';

describe('the router', () => {
  it('strips query strings and fragments', () => {
    assert.equal(pathOf('/ping?x=1#y'), '/ping');
    assert.equal(pathOf('/ping#y?x'), '/ping');
    assert.equal(pathOf('/ping'), '/ping');
  });

  it('matches the three endpoints', () => {
    const router = new Router(DEFAULT_INVOCATION_PATH);
    assert.equal(router.match('GET', '/ping'), 'ping');
    assert.equal(router.match('HEAD', '/ping'), 'ping');
    assert.equal(router.match('POST', '/invocations?a'), 'invocations');
    assert.equal(router.match('GET', '/ws'), 'ws');
  });

  it('throws 404 for unknown paths, including near misses', () => {
    const router = new Router(DEFAULT_INVOCATION_PATH);
    for (const path of ['/', '/ping/', '/PING', '/invocations/x', '/warmup']) {
      assert.throws(() => router.match('GET', path), NotFoundError, path);
    }
  });

  it('throws 405 with the allowed methods', () => {
    const router = new Router(DEFAULT_INVOCATION_PATH);
    assert.throws(() => router.match('DELETE', '/ping'), (error: MethodNotAllowedError) => error.headers?.Allow === 'GET, HEAD');
  });

  it('serves invocations on the path it is given, and routes added later', () => {
    const router = new Router('/agents/v1/run');
    assert.equal(router.match('POST', '/agents/v1/run'), 'invocations');
    assert.throws(() => router.match('POST', '/invocations'), NotFoundError);
    router.add('warmup', '/warmup', ['POST']);
    assert.equal(router.match('POST', '/warmup'), 'warmup');
  });

  it('refuses a second route on a path that is taken', () => {
    assert.throws(() => new Router('/ping'), /\/ping is already the ping path/);
    const router = new Router(DEFAULT_INVOCATION_PATH);
    assert.throws(() => router.add('warmup', '/invocations', ['POST']), /already the invocations path/);
  });
});

describe('checkPath', () => {
  it('accepts absolute URL paths', () => {
    for (const path of ['/', '/invocations', '/a/b-c_d.e~f', '/v1/%20x', "/x:y@z!$&'()*+,;="]) assert.equal(checkPath('p', path), path);
  });

  it('rejects anything else, naming the option', () => {
    for (const path of ['', 'invocations', '/a b', '/a?b', '/a#b', '/é', '/a\n', 42, undefined, `/${'x'.repeat(1024)}`]) {
      assert.throws(() => checkPath('invocationPath', path), /^TypeError: invocationPath must be an absolute URL path/, String(path));
    }
  });
});
