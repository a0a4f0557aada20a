import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CUSTOM_HEADER_PREFIX,
  forwardableHeaders,
  headerValue,
  IDENTITY_WAT_HEADER,
  isForwardableHeader,
  REQUEST_ID_HEADER,
  SESSION_ID_HEADER,
} from '../../lib/http/headers.js';
import { rawExchange } from '../support/raw.js';
import { useHttpServer } from '../support/server.js';

describe('which headers reach agent code (the AgentCore allowlist)', () => {
  it('withholds the restricted headers of every group, in any letter case', () => {
    for (const name of [
      'Proxy-Authorization', 'WWW-Authenticate',
      'Accept', 'accept-encoding', 'Content-Type', 'Content-Length',
      'Cache-Control', 'If-None-Match', 'ETag',
      'Connection', 'Keep-Alive', 'Transfer-Encoding', 'Upgrade', 'TE', 'Expect',
      'Host', 'User-Agent', 'Referer', 'Range',
      'Date', 'Set-Cookie', 'Location',
      'Cookie',
      'Strict-Transport-Security', 'Content-Security-Policy', 'X-Frame-Options',
      'Origin', 'Access-Control-Request-Method',
      'Save-Data', 'Viewport-Width',
      'Via', 'Forwarded', 'X-Forwarded-For', 'X-REAL-IP', 'True-Client-IP', 'CF-Connecting-IP',
      'Sec-WebSocket-Key', 'Sec-WebSocket-Protocol',
    ]) {
      assert.equal(isForwardableHeader(name), false, name);
    }
  });

  it('always forwards Authorization, and forwards headers the allowlist does not name', () => {
    for (const name of ['Authorization', 'AUTHORIZATION', 'traceparent', 'baggage', 'X-Tenant', 'WorkloadAccessToken', 'OAuth2CallbackUrl']) {
      assert.equal(isForwardableHeader(name), true, name);
    }
  });

  it('judges the whole name, not a part of it', () => {
    for (const name of ['X-Accept', 'Hostname', 'Cookie-Consent', 'X-Host']) assert.equal(isForwardableHeader(name), true, name);
  });

  it('forwards no x-amz-* header but the identity workload access token', () => {
    assert.equal(isForwardableHeader('X-Amz-Bedrock-AgentCore-Identity-WAT'), true);
    assert.equal(isForwardableHeader(IDENTITY_WAT_HEADER), true);
    for (const name of ['X-Amz-Date', 'x-amz-security-token', 'X-Amz-Content-Sha256', 'X-Amz-Bedrock-AgentCore-Identity-WAT-Extra']) {
      assert.equal(isForwardableHeader(name), false, name);
    }
  });

  it('forwards no x-amzn-* header but those with the Runtime-Custom- prefix', () => {
    assert.equal(CUSTOM_HEADER_PREFIX, 'x-amzn-bedrock-agentcore-runtime-custom-');
    for (const name of ['X-Amzn-Bedrock-AgentCore-Runtime-Custom-Tenant', 'x-amzn-bedrock-agentcore-runtime-custom-a-b-c']) {
      assert.equal(isForwardableHeader(name), true, name);
    }
    // The session and request ids reach handlers as context fields, not as headers.
    for (const name of ['X-Amzn-Trace-Id', SESSION_ID_HEADER, REQUEST_ID_HEADER, 'X-Amzn-Bedrock-AgentCore-Runtime-Customer', 'X-Amzn-Bedrock-AgentCore-Runtime-Custom']) {
      assert.equal(isForwardableHeader(name), false, name);
    }
  });
});

describe('headerValue', () => {
  it('joins a repeated header into one comma-separated value', () => {
    assert.equal(headerValue(['a', 'b', 'c']), 'a, b, c');
  });

  it('passes a single value through and leaves an absent one undefined', () => {
    assert.equal(headerValue('only'), 'only');
    assert.equal(headerValue(''), '');
    assert.equal(headerValue(undefined), undefined);
  });
});

describe('forwardableHeaders', () => {
  it('keeps only the forwardable headers, keyed by lower-case name, in an object with no prototype', () => {
    const headers = forwardableHeaders({
      authorization: 'Bearer abc',
      'content-type': 'application/json',
      'x-amz-date': '20300101T000000Z',
      'x-amzn-bedrock-agentcore-runtime-custom-tags': ['a', 'b'],
      'x-absent': undefined,
      traceparent: '00-abc-def-01',
    });
    assert.deepEqual({ ...headers }, {
      authorization: 'Bearer abc',
      'x-amzn-bedrock-agentcore-runtime-custom-tags': 'a, b',
      traceparent: '00-abc-def-01',
    });
    assert.equal(Object.getPrototypeOf(headers), null);
  });

  it('reads a real request: repeated custom headers arrive joined, restricted ones never', async (t) => {
    const { port } = await useHttpServer(t, (request, response) => {
      response.setHeader('connection', 'close');
      response.end(JSON.stringify(forwardableHeaders(request.headers)));
    });
    const answer = await rawExchange(
      port,
      'GET / HTTP/1.1\r\nHost: x\r\nUser-Agent: probe\r\nCookie: a=1\r\n' +
        'X-Amzn-Bedrock-AgentCore-Runtime-Custom-Tag: first\r\nx-amzn-bedrock-agentcore-runtime-custom-tag: second\r\n' +
        'Authorization: Bearer t\r\nX-Amzn-Trace-Id: Root=1-2-3\r\nConnection: close\r\n\r\n',
    );
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as Record<string, string>;
    assert.deepEqual(body, { 'x-amzn-bedrock-agentcore-runtime-custom-tag': 'first, second', authorization: 'Bearer t' });
  });
});
