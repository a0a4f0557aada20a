import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isSecretName,
  MAX_REDACTION_DEPTH,
  MAX_REDACTION_NODES,
  REDACTED,
  redact,
  redactHeaders,
  redactRawHeaders,
  redactString,
  TRUNCATED_MARKER,
} from '../lib/redact.js';
import { TOO_DEEP_MARKER } from '../lib/serialize.js';

describe('secret names', () => {
  it('match every header and field name that carries a credential', () => {
    for (const name of [
      'x-amz-bedrock-agentcore-identity-wat',
      'X-Amz-Bedrock-AgentCore-Identity-WAT',
      'workloadAccessToken',
      'WorkloadAccessToken',
      'workloadaccesstoken',
      'authorization',
      'proxy-authorization',
      'cookie',
      'set-cookie',
      'x-api-key',
      'api_key',
      'apiKey',
      'token',
      'accessToken',
      'x-amz-security-token',
      'secret',
      'clientSecret',
      'password',
      'passwd',
      'credential',
      'credentials',
      'private_key',
      'auth',
    ]) {
      assert.equal(isSecretName(name), true, name);
    }
  });

  it('match credential-looking names by pattern: auth words, pass words, one-time codes, and any *-key', () => {
    for (const name of [
      'x-authentication',
      'X-Authentication-Info',
      'x-access-key',
      'Ocp-Apim-Subscription-Key',
      'x-openai-key',
      'x-session-key',
      'X-Passphrase',
      'x-otp',
      'x-bank-otp',
      'otp',
      'totp-code',
      'userOtp',
      'x-jwt',
      'idJwt',
      'openaiKey',
      'accessKeys',
      'x_signing_key',
      'master.key',
      'X-Amz-Signature',
      'X-Amz-Credential',
    ]) {
      assert.equal(isSecretName(name), true, name);
    }
  });

  it('leave ordinary names alone', () => {
    for (const name of ['status', 'kind', 'durationMs', 'requestId', 'sessionId', 'message', 'accept', 'x-amzn-bedrock-agentcore-runtime-custom-tenant', 'author', 'oauth2callbackurl']) {
      assert.equal(isSecretName(name), false, name);
    }
  });

  it('leave the key names that are not secrets, and words that only contain the letters', () => {
    for (const name of [
      'key',
      'keyId',
      'key-id',
      'idempotency-key',
      'Idempotency-Key',
      'cacheKey',
      'partition_key',
      'sortKey',
      'primaryKey',
      'publicKey',
      'public-key',
      'routing-key',
      'objectKey',
      'monkey',
      'hotpot',
      'otpauthEnabled',
      'compass',
      'authorName',
    ]) {
      assert.equal(isSecretName(name), false, name);
    }
  });
});

describe('credential-looking strings', () => {
  it('lose the credential and keep the scheme', () => {
    assert.equal(redactString('Bearer abc'), 'Bearer [REDACTED]');
    assert.equal(redactString('upstream said: Bearer eyJhbGciOiJIUzI1NiJ9.e30.x is expired'), 'upstream said: Bearer [REDACTED] is expired');
    assert.equal(redactString('Basic dXNlcjpwYXNz'), 'Basic [REDACTED]');
    assert.equal(redactString('Digest username="a", response="b"'), 'Digest [REDACTED]');
    assert.equal(redactString('AWS4-HMAC-SHA256 Credential=AKIA/20240101/us-east-1/s3/aws4_request, Signature=abc'), 'AWS4-HMAC-SHA256 [REDACTED]');
  });

  it('leave prose that only mentions the words', () => {
    for (const text of ['the bearer of bad news', 'Basic setup complete', 'plain text', '']) assert.equal(redactString(text), text);
  });

  it('lose a JWT wherever it stands', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
    assert.equal(redactString(jwt), REDACTED);
    assert.equal(redactString(`id_token was ${jwt}; expired`), `id_token was ${REDACTED}; expired`);
    assert.equal(redactString('eyJhbGciOiJub25lIn0.e30.'), REDACTED, 'an unsigned one too');
  });

  it("lose a URL's user information, and keep the rest of the URL", () => {
    assert.equal(redactString('postgres://admin:hunter2@db.internal:5432/app'), `postgres://${REDACTED}@db.internal:5432/app`);
    assert.equal(redactString('cloning https://ghp_abcdef123456@github.com/o/r.git now'), `cloning https://${REDACTED}@github.com/o/r.git now`);
    assert.equal(redactString('https://example.com/path@v2?x=1'), 'https://example.com/path@v2?x=1', 'an @ after the host is not user information');
    assert.equal(redactString('mail me at someone@example.com'), 'mail me at someone@example.com');
  });

  it('lose the values of secret query parameters, and keep the others', () => {
    assert.equal(
      redactString('https://cb.example/oauth2/callback?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz'),
      `https://cb.example/oauth2/callback?code=${REDACTED}&state=xyz`,
    );
    assert.equal(
      redactString('/invocations?api_key=k-123&X-Amz-Signature=abc123&X-Amz-Credential=AKIA%2F2026&page=2'),
      `/invocations?api_key=${REDACTED}&X-Amz-Signature=${REDACTED}&X-Amz-Credential=${REDACTED}&page=2`,
    );
    assert.equal(redactString('GET /maps?key=AIzaSy123&token=t&access_token=a&sig=s&password=p'), `GET /maps?key=${REDACTED}&token=${REDACTED}&access_token=${REDACTED}&sig=${REDACTED}&password=${REDACTED}`);
    for (const text of ['a=b, c=d', 'x?y=1&z=2', '/items?page=2&sort=name', 'if a == b && c']) assert.equal(redactString(text), text);
  });
});

describe('redact', () => {
  it('copies plain data as it is, with secret-named fields redacted at any depth', () => {
    const value = { a: [1, 'two', null, true], b: { c: 1.5, password: 'p', nested: [{ token: 't' }] } };
    assert.deepEqual(redact(value), { a: [1, 'two', null, true], b: { c: 1.5, password: REDACTED, nested: [{ token: REDACTED }] } });
    assert.equal(redact('Bearer abcdefgh'), 'Bearer [REDACTED]');
    assert.equal(redact(7), 7);
  });

  it('walks class instances, through toJSON when they have one', () => {
    class Credentials {
      user = 'u';
      password = 'p';
    }
    class Wrapper {
      constructor(readonly inner: unknown) {}
      toJSON(): unknown {
        return { wrapped: this.inner, apiKey: 'k' };
      }
    }
    assert.deepEqual(redact({ credentials: new Credentials(), holder: { c: new Credentials() } }), {
      credentials: REDACTED,
      holder: { c: { user: 'u', password: REDACTED } },
    });
    assert.deepEqual(redact(new Wrapper(new Credentials())), { wrapped: { user: 'u', password: REDACTED }, apiKey: REDACTED });
    assert.equal(redact(new URL('https://example.invalid/a')), 'https://example.invalid/a');
    assert.equal(redact(new Date(0)), '1970-01-01T00:00:00.000Z');
  });

  it('walks Maps, Sets and Errors', () => {
    const map = new Map<unknown, unknown>([['authorization', 'Bearer x'], ['inner', new Map([['cookie', 'c']])]]);
    assert.deepEqual(redact({ map, set: new Set([{ secret: 's' }]) }), { map: { authorization: REDACTED, inner: { cookie: REDACTED } }, set: [{ secret: REDACTED }] });
    assert.deepEqual(redact(new Map<unknown, unknown>([[{ id: 1 }, { token: 't' }]])), [[{ id: 1 }, { token: REDACTED }]]);
    assert.deepEqual(redact(new TypeError('sent Bearer abcdefghijk')), { name: 'TypeError', message: 'sent Bearer [REDACTED]' });
  });

  it(`stops at ${MAX_REDACTION_DEPTH} levels with "[Too deep]", so a secret below is never written`, () => {
    let value: unknown = { token: 'deep-secret' };
    for (let i = 0; i < 3000; i++) value = [value];
    const copy = redact({ value }) as { value: unknown };
    assert.equal(JSON.stringify(copy).includes('deep-secret'), false);
    let levels = 1;
    let inner: unknown = copy.value;
    for (; Array.isArray(inner); levels++) inner = inner[0];
    assert.equal(inner, TOO_DEEP_MARKER);
    assert.equal(levels, MAX_REDACTION_DEPTH, 'the enclosing object and the arrays copied');
  });

  it('marks cycles, keeps shared objects, and survives throwing toJSON, getters and Proxies', () => {
    const shared = { v: 1 };
    const root: Record<string, unknown> = { a: shared, b: shared, get broken(): never { throw new Error('getter'); } };
    root.self = root;
    root.bad = { toJSON: () => { throw new Error('toJSON'); } };
    assert.deepEqual(redact(root), { a: { v: 1 }, b: { v: 1 }, broken: '[Unserializable: getter]', self: '[Circular]', bad: '[Unserializable: toJSON]' });
    const proxy = new Proxy({}, { ownKeys: () => { throw new Error('no keys'); } });
    assert.equal(redact({ proxy }), '[Unserializable: no keys]');
  });

  it(`copies at most ${MAX_REDACTION_NODES} containers of one value`, () => {
    const many = Array.from({ length: MAX_REDACTION_NODES + 10 }, (_, i) => ({ i }));
    const copy = redact(many) as unknown[];
    assert.equal(copy.length, many.length);
    assert.equal(copy.at(-1), TRUNCATED_MARKER);
    assert.deepEqual(copy[0], { i: 0 });
    // A diamond-shaped graph revisits shared nodes exponentially; the budget ends the walk early.
    let diamond: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 60; i++) diamond = { left: diamond, right: diamond };
    const startedAt = performance.now();
    redact(diamond);
    assert.ok(performance.now() - startedAt < 1000);
  });

  it('writes a raw request as its method, URL and redacted headers, and redacts name/value lists', () => {
    const request = {
      method: 'POST',
      url: '/invocations',
      headers: { authorization: 'Bearer abc', accept: '*/*', 'x-amz-bedrock-agentcore-identity-wat': 'w' },
      rawHeaders: ['Authorization', 'Bearer abc', 'Accept', '*/*', 'X-Amz-Bedrock-AgentCore-Identity-WAT', 'w'],
      socket: { server: { connections: [] } },
    };
    assert.deepEqual(redact({ request }), {
      request: {
        method: 'POST',
        url: '/invocations',
        headers: { authorization: REDACTED, accept: '*/*', 'x-amz-bedrock-agentcore-identity-wat': REDACTED },
        rawHeaders: ['Authorization', REDACTED, 'Accept', '*/*', 'X-Amz-Bedrock-AgentCore-Identity-WAT', REDACTED],
      },
    });
    assert.deepEqual(redact({ request: { ...request, url: '/invocations?api_key=k&x=1', rawHeaders: [] } }), {
      request: { method: 'POST', url: `/invocations?api_key=${REDACTED}&x=1`, headers: (redact({ request }) as { request: { headers: unknown } }).request.headers, rawHeaders: [] },
    });
    assert.deepEqual(redact({ list: ['Cookie', 'sid=1', 'Accept', 'json'] }), { list: ['Cookie', REDACTED, 'Accept', 'json'] });
    assert.deepEqual(redact(['a', 'b', 'c']), ['a', 'b', 'c']);
    assert.deepEqual(redactRawHeaders(['Authorization']), ['Authorization']);
  });

  it('copies a WHATWG Headers object, redacted', () => {
    const headers = new Headers({ authorization: 'Bearer abc', accept: 'json' });
    assert.deepEqual(redact({ headers }), { headers: { accept: 'json', authorization: REDACTED } });
    assert.deepEqual(redactHeaders({ cookie: ['a', 'b'], via: ['Bearer abcdefghij'] }), { cookie: REDACTED, via: ['Bearer [REDACTED]'] });
  });

  it('turns BigInts into strings, drops functions and symbols, and keeps __proto__ keys as data', () => {
    const parsed = JSON.parse('{"__proto__":{"token":"t"},"n":1}') as unknown;
    const copy = redact({ big: 10n, fn: () => 1, sym: Symbol('s'), parsed }) as Record<string, unknown>;
    assert.equal(JSON.stringify(copy), '{"big":"10","parsed":{"__proto__":{"token":"[REDACTED]"},"n":1}}');
    assert.equal(Object.getPrototypeOf(copy.parsed), Object.prototype);
  });
});
