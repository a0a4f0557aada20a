import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { getRequestContext } from '../../lib/index.js';
import { invoke, useApp } from '../support/server.js';

describe('the request context', () => {
  it('carries ids, tokens and forwardable headers, and is reachable through getRequestContext()', async (t) => {
    const server = await useApp(t, {}, (app) =>
      app.entrypoint(async (_payload, context) => {
        await sleep(1);
        const fromStorage = getRequestContext();
        return {
          same: fromStorage === context,
          requestId: context.requestId,
          sessionId: context.sessionId,
          workloadAccessToken: context.workloadAccessToken,
          oauth2CallbackUrl: context.oauth2CallbackUrl,
          headers: context.requestHeaders,
          aliasSame: context.headers === context.requestHeaders,
          serialized: JSON.parse(JSON.stringify(context)),
          rawMethod: context.request.method,
        };
      }),
    );
    const response = await invoke(server, {}, {
      'content-type': 'application/json',
      'X-Amzn-Bedrock-AgentCore-Runtime-Session-Id': 'session-1',
      'X-Amzn-Bedrock-AgentCore-Runtime-Request-Id': 'request-1',
      'X-Amz-Bedrock-AgentCore-Identity-WAT': 'wat-token',
      OAuth2CallbackUrl: 'https://example.invalid/callback',
      Authorization: 'Bearer abc',
      'X-Amzn-Bedrock-AgentCore-Runtime-Custom-Tenant': 'acme',
      'X-Amzn-Trace-Id': 'hidden',
      'X-Amz-Date': 'hidden',
      'X-Forwarded-For': '10.0.0.1',
      traceparent: '00-abc-def-01',
    });
    const body = response.json() as Record<string, unknown>;
    assert.equal(body.same, true);
    assert.equal(body.requestId, 'request-1');
    assert.equal(body.sessionId, 'session-1');
    assert.equal(body.workloadAccessToken, 'wat-token');
    assert.equal(body.oauth2CallbackUrl, 'https://example.invalid/callback');
    assert.equal(body.rawMethod, 'POST');
    assert.equal(body.aliasSame, true);
    const serialized = body.serialized as Record<string, unknown>;
    assert.equal(serialized.requestId, 'request-1');
    assert.equal(serialized.sessionId, 'session-1');
    assert.equal('request' in serialized, false, 'the raw request is not serialized');
    const headers = body.headers as Record<string, string>;
    assert.equal(headers.authorization, 'Bearer abc');
    assert.equal(headers['x-amzn-bedrock-agentcore-runtime-custom-tenant'], 'acme');
    assert.equal(headers['x-amz-bedrock-agentcore-identity-wat'], 'wat-token');
    assert.equal(headers.traceparent, '00-abc-def-01');
    for (const hidden of ['x-amzn-trace-id', 'x-amz-date', 'x-forwarded-for', 'content-type', 'host', 'connection']) {
      assert.equal(hidden in headers, false, hidden);
    }
  });

  it('generates a request id when the header is absent and falls back to WorkloadAccessToken', async (t) => {
    const server = await useApp(t, {}, (app) => app.entrypoint((_payload, context) => [context.requestId, context.workloadAccessToken]));
    const response = await invoke(server, {}, { 'content-type': 'application/json', WorkloadAccessToken: 'legacy' });
    const [requestId, token] = response.json() as [string, string];
    assert.match(requestId, /^[0-9a-f-]{36}$/);
    assert.equal(token, 'legacy');
  });

  it('is undefined outside a request', () => {
    assert.equal(getRequestContext(), undefined);
  });
});
