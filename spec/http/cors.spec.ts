import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AgentCoreApp, DEFAULT_CORS_MAX_AGE_SECONDS, HttpError, type CorsOptions } from '../../lib/index.js';
import { useApp } from '../support/server.js';

const PAGE = 'https://ui.example.com';

function preflight(url: string, origin: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/invocations`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-trace', ...headers },
  });
}

async function corsApp(t: Parameters<typeof useApp>[0], cors: CorsOptions) {
  return useApp(t, { cors }, (app) => app.entrypoint(() => ({ ok: true })));
}

describe('CORS for the invocation path', () => {
  it('answers an allowed preflight with 204 and the CORS headers', async (t) => {
    const server = await corsApp(t, { origin: PAGE });
    const response = await preflight(server.url, PAGE);
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), PAGE);
    assert.equal(response.headers.get('access-control-allow-methods'), 'POST');
    assert.equal(response.headers.get('access-control-allow-headers'), 'content-type, x-trace');
    assert.equal(response.headers.get('access-control-max-age'), String(DEFAULT_CORS_MAX_AGE_SECONDS));
    assert.equal(response.headers.get('vary'), 'Origin');
  });

  it('refuses a preflight from another origin with 403 and no CORS headers', async (t) => {
    const server = await corsApp(t, { origin: [PAGE, 'http://localhost:3000'] });
    const response = await preflight(server.url, 'https://evil.example');
    assert.equal(response.status, 403);
    assert.equal(response.headers.get('access-control-allow-origin'), null);
    assert.equal(((await response.json()) as { code: string }).code, 'CORS_ORIGIN_NOT_ALLOWED');
    assert.equal((await preflight(server.url, 'http://localhost:3000')).status, 204);
  });

  it('adds the headers to the answers of allowed origins only, errors included', async (t) => {
    const server = await corsApp(t, { origin: (origin) => origin.endsWith('.example.com'), exposeHeaders: ['x-request-id'], credentials: true });
    const allowed = await fetch(`${server.url}/invocations`, { method: 'POST', headers: { origin: PAGE, 'content-type': 'application/json' }, body: '{}' });
    assert.deepEqual(await allowed.json(), { ok: true });
    assert.equal(allowed.headers.get('access-control-allow-origin'), PAGE);
    assert.equal(allowed.headers.get('access-control-allow-credentials'), 'true');
    assert.equal(allowed.headers.get('access-control-expose-headers'), 'x-request-id');
    const badJson = await fetch(`${server.url}/invocations`, { method: 'POST', headers: { origin: PAGE, 'content-type': 'application/json' }, body: '{' });
    assert.equal(badJson.status, 400);
    assert.equal(badJson.headers.get('access-control-allow-origin'), PAGE);
    const denied = await fetch(`${server.url}/invocations`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, body: '{}' });
    assert.equal(denied.status, 200);
    assert.equal(denied.headers.get('access-control-allow-origin'), null);
  });

  it("answers '*' for any origin, and echoes the exact origin when credentials are allowed", async (t) => {
    const open = await corsApp(t, { origin: '*', allowHeaders: ['content-type'], maxAgeSeconds: 60 });
    const response = await preflight(open.url, 'https://anywhere.test');
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.equal(response.headers.get('access-control-allow-headers'), 'content-type');
    assert.equal(response.headers.get('access-control-max-age'), '60');
    const withCredentials = await corsApp(t, { origin: [PAGE], credentials: true });
    const answer = await preflight(withCredentials.url, PAGE);
    assert.equal(answer.headers.get('access-control-allow-origin'), PAGE);
    assert.equal(answer.headers.get('access-control-allow-credentials'), 'true');
  });

  it("refuses origin '*' with credentials at construction, as browsers refuse the pair", () => {
    // Reflecting every origin, `null` included, with cookies would let any page act as the user.
    assert.throws(() => new AgentCoreApp({ cors: { origin: '*', credentials: true } }), {
      name: 'TypeError',
      message: /cors: origin '\*' cannot be combined with credentials: true/,
    });
    assert.throws(() => new AgentCoreApp({ cors: { origin: [PAGE, '*'], credentials: true } }), TypeError);
    assert.doesNotThrow(() => new AgentCoreApp({ cors: { origin: '*', credentials: false } }));
  });

  it('treats a predicate that throws as "not allowed", logs it once, and keeps serving', async (t) => {
    // The common predicate throws on `Origin: null` (sandboxed frames, file: pages, redirects).
    const server = await corsApp(t, { origin: (origin) => new URL(origin).hostname.endsWith('.example.com') });
    for (let round = 0; round < 3; round++) {
      const refused = await preflight(server.url, 'null');
      assert.equal(refused.status, 403);
      assert.equal(refused.headers.get('access-control-allow-origin'), null);
      const answered = await fetch(`${server.url}/invocations`, { method: 'POST', headers: { origin: 'null', 'content-type': 'application/json' }, body: '{}' });
      assert.deepEqual([answered.status, await answered.json()], [200, { ok: true }]);
      assert.equal(answered.headers.get('access-control-allow-origin'), null);
    }
    assert.equal((await preflight(server.url, PAGE)).status, 204, 'allowed origins still pass');
    const logged = server.logs.filter((record) => record.message.startsWith('the cors.origin predicate threw'));
    assert.equal(logged.length, 1, 'six failures, one line');
    assert.equal(logged[0]!.level, 'warn');
    assert.equal(logged[0]!.errorType, 'TypeError');
  });

  it('merges Vary with what a Response, a hook or an HttpError sets, keeping Origin', async (t) => {
    const server = await useApp(t, { cors: { origin: PAGE } }, (app) => {
      app.use((call, next) => {
        if ((call.payload as { kind?: string }).kind === 'hook') call.setHeader('vary', 'Accept-Language');
        return next();
      });
      app.entrypoint((payload: { kind: string }) => {
        if (payload.kind === 'response') return new Response('hi', { headers: { vary: 'Accept-Encoding, origin' } });
        if (payload.kind === 'error') throw new HttpError(409, 'busy', { headers: { vary: 'Accept' } });
        return { ok: true };
      });
    });
    const expected: Record<string, string> = { response: 'Origin, Accept-Encoding', hook: 'Origin, Accept-Language', error: 'Origin, Accept' };
    for (const kind of Object.keys(expected)) {
      const answer = await fetch(`${server.url}/invocations`, { method: 'POST', headers: { origin: PAGE, 'content-type': 'application/json' }, body: JSON.stringify({ kind }) });
      await answer.arrayBuffer();
      assert.equal(answer.headers.get('access-control-allow-origin'), PAGE, kind);
      assert.equal(answer.headers.get('vary'), expected[kind], kind);
    }
  });

  it('leaves /ping untouched and answers a plain OPTIONS as before', async (t) => {
    const server = await corsApp(t, { origin: '*' });
    const ping = await fetch(`${server.url}/ping`, { headers: { origin: PAGE } });
    assert.equal(ping.headers.get('access-control-allow-origin'), null);
    assert.equal(ping.headers.get('vary'), null);
    assert.equal((await fetch(`${server.url}/ping`, { method: 'OPTIONS', headers: { origin: PAGE, 'access-control-request-method': 'GET' } })).status, 405);
    assert.equal((await fetch(`${server.url}/invocations`, { method: 'OPTIONS' })).status, 405);
  });

  it('is off by default: a preflight gets 405, as without CORS', async (t) => {
    const server = await useApp(t, {}, (app) => app.entrypoint(() => 1));
    const response = await preflight(server.url, PAGE);
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('access-control-allow-origin'), null);
  });

  it('refuses a malformed origin option at construction', () => {
    assert.throws(() => new AgentCoreApp({ cors: { origin: 42 as never } }), /cors.origin must be/);
    assert.throws(() => new AgentCoreApp({ cors: { origin: [PAGE, 1] as never } }), TypeError);
    assert.throws(() => new AgentCoreApp({ cors: { origin: PAGE, maxAgeSeconds: -1 } }), RangeError);
  });
});
