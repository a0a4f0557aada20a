import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { WebSocketHandshakeError } from '../../lib/websocket/errors.js';
import { bearerTokenOf, computeAcceptKey, negotiateProtocol, rejectHandshake, validateHandshake } from '../../lib/websocket/handshake.js';
import { RawClient, SAMPLE_ACCEPT, SAMPLE_KEY, TestServer, rawExchange, upgradeRequest } from './frames.js';

/** Splits a raw HTTP response into status line, lower-cased headers and body. */
function parseResponse(raw: string): { status: number; headers: Record<string, string>; body: string } {
  const [head = '', body = ''] = raw.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

describe('computeAcceptKey', { timeout: 20_000 }, () => {
  it('hashes the RFC 6455 sample key to the sample accept value', () => {
    assert.equal(computeAcceptKey(SAMPLE_KEY), SAMPLE_ACCEPT);
  });
});

describe('negotiateProtocol', { timeout: 20_000 }, () => {
  const token = 'eyJhbGciOiJIUzI1NiJ9.e30.sig';
  const encoded = Buffer.from(token).toString('base64url');

  it('selects nothing when nothing is offered', () => {
    assert.deepEqual(negotiateProtocol(undefined), { protocol: '', bearerToken: undefined });
  });

  it('selects base64UrlBearerAuthorization and decodes the token when both entries are offered', () => {
    const result = negotiateProtocol(`base64UrlBearerAuthorization.${encoded}, base64UrlBearerAuthorization`);
    assert.deepEqual(result, { protocol: 'base64UrlBearerAuthorization', bearerToken: token });
  });

  it('exposes the token but selects nothing when the bare protocol is not offered', () => {
    assert.deepEqual(negotiateProtocol(`base64UrlBearerAuthorization.${encoded}`), { protocol: '', bearerToken: token });
  });

  it('ignores a malformed token', () => {
    const result = negotiateProtocol('base64UrlBearerAuthorization.a+b/c, base64UrlBearerAuthorization');
    assert.deepEqual(result, { protocol: '', bearerToken: undefined });
  });

  it('lets selectProtocol choose, without ever showing it the token entry', () => {
    let seen: readonly string[] = [];
    const result = negotiateProtocol(`chat, base64UrlBearerAuthorization.${encoded}, base64UrlBearerAuthorization`, (offered) => {
      seen = offered;
      return 'chat';
    });
    assert.deepEqual(seen, ['chat', 'base64UrlBearerAuthorization']);
    assert.deepEqual(result, { protocol: 'chat', bearerToken: token });
  });

  it('falls back to the bearer rule when selectProtocol returns undefined', () => {
    const result = negotiateProtocol(`base64UrlBearerAuthorization.${encoded},base64UrlBearerAuthorization`, () => undefined);
    assert.equal(result.protocol, 'base64UrlBearerAuthorization');
  });

  it('fails with 500 when selectProtocol picks an unoffered protocol or throws', () => {
    assert.throws(() => negotiateProtocol('chat', () => 'other'), { status: 500, code: 'WS_ERR_PROTOCOL_SELECTION' });
    assert.throws(
      () =>
        negotiateProtocol('chat', () => {
          throw new Error('boom');
        }),
      { status: 500, code: 'WS_ERR_PROTOCOL_SELECTION' },
    );
  });
});

describe('bearerTokenOf', { timeout: 20_000 }, () => {
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln-_~+/=';

  it('reads Authorization: Bearer <token>, the scheme in any case', () => {
    assert.equal(bearerTokenOf(`Bearer ${jwt}`, undefined), jwt);
    assert.equal(bearerTokenOf(`bearer  ${jwt}`, undefined), jwt);
    assert.equal(bearerTokenOf(`BEARER ${jwt}`, undefined), jwt);
  });

  it('prefers the Authorization header to the subprotocol token', () => {
    assert.equal(bearerTokenOf('Bearer from-header', 'from-subprotocol'), 'from-header');
  });

  it('keeps the subprotocol token when the header carries another scheme or no well-formed token', () => {
    const sigv4 = 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-west-2/bedrock-agentcore/aws4_request, SignedHeaders=host, Signature=abc';
    for (const header of [sigv4, 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer ', 'Bearer two tokens', 'Bearer bad,token', 'Bearertoken']) {
      assert.equal(bearerTokenOf(header, 'from-subprotocol'), 'from-subprotocol', header);
      assert.equal(bearerTokenOf(header, undefined), undefined, header);
    }
    assert.equal(bearerTokenOf(undefined, undefined), undefined);
  });
});

describe('validateHandshake', { timeout: 20_000 }, () => {
  // Node's HTTP server only emits 'upgrade' for `Connection: upgrade`, so this case needs a bare request.
  it('rejects a Connection header without the upgrade token', () => {
    const req = {
      method: 'GET',
      httpVersionMajor: 1,
      httpVersionMinor: 1,
      headers: { upgrade: 'websocket', connection: 'keep-alive', 'sec-websocket-version': '13', 'sec-websocket-key': SAMPLE_KEY },
    } as unknown as IncomingMessage;
    assert.throws(() => validateHandshake(req), { status: 400, code: 'WS_ERR_INVALID_CONNECTION' });
  });

  it('rejects a request without an Upgrade header', () => {
    const req = { method: 'GET', httpVersionMajor: 1, httpVersionMinor: 1, headers: {} } as unknown as IncomingMessage;
    assert.throws(() => validateHandshake(req), { status: 400, code: 'WS_ERR_INVALID_UPGRADE' });
  });
});

describe('rejectHandshake', { timeout: 20_000 }, () => {
  it('writes a JSON response, ends the socket and tolerates a late socket error', async () => {
    const socket = new PassThrough();
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    rejectHandshake(socket, new WebSocketHandshakeError('nope', 400, 'WS_ERR_INVALID_KEY'));
    socket.emit('error', new Error('ECONNRESET'));
    await new Promise((resolve) => socket.on('end', resolve));
    const text = Buffer.concat(chunks).toString();
    assert.match(text, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.match(text, /\r\n\r\n\{"error":"nope","code":"WS_ERR_INVALID_KEY"\}$/);
  });
});

describe('the opening handshake over TCP', { timeout: 20_000 }, () => {
  const server = new TestServer();
  before(() => server.listen());
  after(() => server.close());

  it('answers 101 with the accept value for the RFC sample key', async () => {
    const client = await RawClient.connect(server.port);
    assert.match(client.responseHead, /^HTTP\/1\.1 101 Switching Protocols/);
    assert.equal(client.header('sec-websocket-accept'), SAMPLE_ACCEPT);
    assert.equal(client.header('upgrade'), 'websocket');
    assert.equal(client.header('sec-websocket-protocol'), undefined);
    client.socket.destroy();
  });

  it('accepts case-insensitive Upgrade and a Connection token list', async () => {
    const client = await RawClient.connect(server.port, { Upgrade: 'WebSocket', Connection: 'keep-alive, Upgrade' });
    assert.equal(client.header('sec-websocket-accept'), SAMPLE_ACCEPT);
    client.socket.destroy();
  });

  it('selects the bearer subprotocol and exposes the token on the socket', async () => {
    const token = 'secret-token';
    const encoded = Buffer.from(token).toString('base64url');
    const client = await RawClient.connect(server.port, {
      'Sec-WebSocket-Protocol': `base64UrlBearerAuthorization.${encoded}, base64UrlBearerAuthorization`,
    });
    assert.equal(client.header('sec-websocket-protocol'), 'base64UrlBearerAuthorization');
    const ws = server.sockets.at(-1)!;
    assert.equal(ws.protocol, 'base64UrlBearerAuthorization');
    assert.equal(ws.bearerToken, token);
    assert.doesNotMatch(JSON.stringify(Object.entries(ws)), /secret-token/);
    client.socket.destroy();
  });

  it('exposes an Authorization: Bearer token on the socket, never echoing it', async () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzZGsifQ.sdk-signature';
    const client = await RawClient.connect(server.port, { Authorization: `Bearer ${token}` });
    const ws = server.sockets.at(-1)!;
    assert.equal(ws.bearerToken, token);
    assert.equal(ws.protocol, '');
    assert.equal(client.header('sec-websocket-protocol'), undefined);
    assert.doesNotMatch(client.responseHead, /sdk-signature/);
    assert.doesNotMatch(JSON.stringify(Object.entries(ws)), /sdk-signature/);
    client.socket.destroy();
  });

  it('takes the header token when both forms are sent, and still completes the browser handshake', async () => {
    const client = await RawClient.connect(server.port, {
      Authorization: 'Bearer header-token',
      'Sec-WebSocket-Protocol': `base64UrlBearerAuthorization.${Buffer.from('subprotocol-token').toString('base64url')}, base64UrlBearerAuthorization`,
    });
    assert.equal(client.header('sec-websocket-protocol'), 'base64UrlBearerAuthorization');
    assert.equal(server.sockets.at(-1)!.bearerToken, 'header-token');
    client.socket.destroy();
  });

  it('keeps the subprotocol token when Authorization carries a SigV4 signature', async () => {
    const client = await RawClient.connect(server.port, {
      Authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-west-2/bedrock-agentcore/aws4_request, SignedHeaders=host, Signature=abc',
      'Sec-WebSocket-Protocol': `base64UrlBearerAuthorization.${Buffer.from('subprotocol-token').toString('base64url')}`,
    });
    assert.equal(server.sockets.at(-1)!.bearerToken, 'subprotocol-token');
    client.socket.destroy();
  });

  const rejections: Array<[string, string, number, string]> = [
    ['a missing key', upgradeRequest({ 'Sec-WebSocket-Key': '' }), 400, 'WS_ERR_INVALID_KEY'],
    ['a key that is not 16 bytes', upgradeRequest({ 'Sec-WebSocket-Key': Buffer.alloc(15).toString('base64') }), 400, 'WS_ERR_INVALID_KEY'],
    ['a wrong version', upgradeRequest({ 'Sec-WebSocket-Version': '8' }), 426, 'WS_ERR_UNSUPPORTED_VERSION'],
    ['a missing version', upgradeRequest({ 'Sec-WebSocket-Version': '' }), 426, 'WS_ERR_UNSUPPORTED_VERSION'],
    ['a POST', upgradeRequest({ 'Content-Length': '0' }, 'POST /ws HTTP/1.1'), 405, 'WS_ERR_METHOD_NOT_ALLOWED'],
    ['an Upgrade other than websocket', upgradeRequest({ Upgrade: 'h2c' }), 400, 'WS_ERR_INVALID_UPGRADE'],
    ['HTTP/1.0', upgradeRequest({}, 'GET /ws HTTP/1.0'), 400, 'WS_ERR_HTTP_VERSION'],
  ];
  for (const [what, request, status, code] of rejections) {
    it(`answers ${what} with ${status} and a JSON error, then closes the connection`, async () => {
      const response = parseResponse(await rawExchange(server.port, request));
      assert.equal(response.status, status);
      assert.equal(response.headers['connection'], 'close');
      assert.equal(response.headers['content-type'], 'application/json');
      assert.deepEqual(JSON.parse(response.body).code, code);
      if (status === 426) assert.equal(response.headers['sec-websocket-version'], '13');
      if (status === 405) assert.equal(response.headers['allow'], 'GET');
      assert.ok(server.errors.some((e) => (e as { code?: string }).code === code));
    });
  }

  it('still answers a bad handshake when the onError hook throws', async () => {
    const throwing = new TestServer({
      onError: () => {
        throw new Error('logger broke');
      },
    });
    await throwing.listen();
    try {
      const response = parseResponse(await rawExchange(throwing.port, upgradeRequest({ 'Sec-WebSocket-Key': 'short' })));
      assert.equal(response.status, 400);
    } finally {
      await throwing.close();
    }
  });
});
