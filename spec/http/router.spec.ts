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

  const noop = (): void => undefined;
  const httpRoutes = (invocationPath: string): Router => {
    const router = new Router();
    router.add('ping', '/ping', ['GET', 'HEAD'], noop);
    router.add('ws', '/ws', ['GET'], noop);
    router.add('invocations', invocationPath, ['POST'], noop, { cors: true });
    return router;
  };

  it('matches each path to its route', () => {
    const router = httpRoutes(DEFAULT_INVOCATION_PATH);
    assert.equal(router.match('GET', '/ping').name, 'ping');
    assert.equal(router.match('HEAD', '/ping').name, 'ping');
    assert.equal(router.match('POST', '/invocations?a').name, 'invocations');
    assert.equal(router.match('GET', '/ws').name, 'ws');
  });

  it('keeps what each route is: its handler, its methods, whether CORS applies', () => {
    const serve = (): void => undefined;
    const router = new Router();
    router.add('mcp', '/mcp', ['POST', 'GET', 'DELETE'], serve, { cors: true });
    router.add('ping', '/ping', ['GET'], noop);
    const mcp = router.find('/mcp?x');
    assert.equal(mcp.serve, serve);
    assert.deepEqual(mcp.methods, ['POST', 'GET', 'DELETE']);
    assert.equal(mcp.cors, true);
    assert.equal(router.find('/ping').cors, false);
  });

  it('throws 404 for unknown paths, including near misses', () => {
    const router = httpRoutes(DEFAULT_INVOCATION_PATH);
    for (const path of ['/', '/ping/', '/PING', '/invocations/x', '/warmup']) {
      assert.throws(() => router.match('GET', path), NotFoundError, path);
    }
  });

  it('throws 405 with the allowed methods', () => {
    const router = httpRoutes(DEFAULT_INVOCATION_PATH);
    assert.throws(() => router.match('DELETE', '/ping'), (error: MethodNotAllowedError) => error.headers?.Allow === 'GET, HEAD');
  });

  it('serves a route on the path it is given, and routes added later', () => {
    const router = httpRoutes('/agents/v1/run');
    assert.equal(router.match('POST', '/agents/v1/run').name, 'invocations');
    assert.throws(() => router.match('POST', '/invocations'), NotFoundError);
    router.add('warmup', '/warmup', ['POST'], noop);
    assert.equal(router.match('POST', '/warmup').name, 'warmup');
  });

  it('refuses a second route on a path that is taken', () => {
    assert.throws(() => httpRoutes('/ping'), /\/ping is already the ping path/);
    const router = httpRoutes(DEFAULT_INVOCATION_PATH);
    assert.throws(() => router.add('warmup', '/invocations', ['POST'], noop), /already the invocations path/);
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
