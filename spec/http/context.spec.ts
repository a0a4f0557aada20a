import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it, type TestContext } from 'node:test';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { createRequestContext, MAX_LOGGED_ID_CHARS, RequestLifetime, runWithContext, type RequestContext } from '../../lib/http/context.js';
import { REQUEST_ID_HEADER, SESSION_ID_HEADER } from '../../lib/http/headers.js';
import { getRequestContext } from '../../lib/index.js';
import { openSocket, rawExchange } from '../support/raw.js';
import { invoke, useApp, useHttpServer } from '../support/server.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Sends one request with `headers` to a plain server; resolves with the request as Node parsed it. */
async function receivedRequest(t: TestContext, headers: Record<string, string> = {}): Promise<IncomingMessage> {
  let arrived!: (request: IncomingMessage) => void;
  const request = new Promise<IncomingMessage>((resolve) => (arrived = resolve));
  const { url } = await useHttpServer(t, (incoming, response) => {
    arrived(incoming);
    response.end();
  });
  await (await fetch(url, { headers })).text();
  return request;
}

function contextOf(request: IncomingMessage, lifetime = new RequestLifetime()): RequestContext {
  return createRequestContext(request, lifetime);
}

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

describe('createRequestContext', () => {
  it('takes the request id from the platform header', async (t) => {
    const context = contextOf(await receivedRequest(t, { 'X-Amzn-Bedrock-AgentCore-Runtime-Request-Id': 'req-7' }));
    assert.equal(context.requestId, 'req-7');
  });

  it('generates a random v4 UUID when the header is absent or empty: one per request, the same on every read', async (t) => {
    const absent = contextOf(await receivedRequest(t));
    const empty = contextOf(await receivedRequest(t, { 'X-Amzn-Bedrock-AgentCore-Runtime-Request-Id': '' }));
    assert.match(absent.requestId, UUID_V4);
    assert.match(empty.requestId, UUID_V4);
    assert.equal(absent.requestId, absent.requestId);
    assert.notEqual(absent.requestId, empty.requestId);
  });

  it('reads the request id and the forwardable headers when first asked for, and keeps them', async (t) => {
    const request = await receivedRequest(t);
    const context = contextOf(request);
    request.headers[REQUEST_ID_HEADER] = 'set-after-the-context-was-made';
    request.headers['x-amzn-bedrock-agentcore-runtime-custom-late'] = 'yes';
    assert.equal(context.requestId, 'set-after-the-context-was-made');
    const headers = context.requestHeaders;
    assert.equal(headers['x-amzn-bedrock-agentcore-runtime-custom-late'], 'yes');
    request.headers[REQUEST_ID_HEADER] = 'changed again';
    request.headers['x-amzn-bedrock-agentcore-runtime-custom-later'] = 'too late';
    assert.equal(context.requestId, 'set-after-the-context-was-made');
    assert.equal(context.requestHeaders, headers);
    assert.equal('x-amzn-bedrock-agentcore-runtime-custom-later' in context.requestHeaders, false);
  });

  it('takes a request id only when it is 1 to 256 visible ASCII characters; any other gets a generated UUID', async (t) => {
    const longest = 'r'.repeat(MAX_LOGGED_ID_CHARS);
    assert.equal(contextOf(await receivedRequest(t, { 'X-Amzn-Bedrock-AgentCore-Runtime-Request-Id': longest })).requestId, longest);
    for (const id of ['r'.repeat(MAX_LOGGED_ID_CHARS + 1), 'has space', 'caf\u00e9']) {
      const request = await receivedRequest(t);
      request.headers[REQUEST_ID_HEADER] = id;
      assert.match(contextOf(request).requestId, UUID_V4, JSON.stringify(id));
    }
  });

  it('keeps the session id as sent, and writes it to log lines and toJSON() bounded: visible ASCII, 256 characters', async (t) => {
    const server = await useApp(t, {}, (app) =>
      app.entrypoint((_payload, context) => {
        app.logger.info('inside');
        return { length: context.sessionId!.length, serialized: JSON.stringify(context).length < 2 * MAX_LOGGED_ID_CHARS };
      }),
    );
    const sent = `s\t${'x'.repeat(5000)}\u00ff`;
    const raw = await rawExchange(
      server.port,
      Buffer.from(`POST /invocations HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 2\r\nX-Amzn-Bedrock-AgentCore-Runtime-Session-Id: ${sent}\r\nX-Amzn-Bedrock-AgentCore-Runtime-Request-Id: bad id\r\n\r\n{}`, 'latin1'),
    );
    assert.match(raw, /"length":5003/, 'the handler gets the id as sent');
    assert.match(raw, /"serialized":true/);
    const inside = server.logs.find((record) => record.message === 'inside')!;
    assert.equal(inside.sessionId, `s_${'x'.repeat(MAX_LOGGED_ID_CHARS - 2)}…`);
    assert.match(inside.requestId as string, UUID_V4);
    const completed = server.logs.find((record) => record.message === 'invocation completed')!;
    assert.deepEqual([completed.sessionId, completed.requestId], [inside.sessionId, inside.requestId]);
  });

  it('has no session id when the header is missing or empty', async (t) => {
    assert.equal(contextOf(await receivedRequest(t)).sessionId, undefined);
    assert.equal(contextOf(await receivedRequest(t, { 'X-Amzn-Bedrock-AgentCore-Runtime-Session-Id': '' })).sessionId, undefined);
    const request = await receivedRequest(t, { 'X-Amzn-Bedrock-AgentCore-Runtime-Session-Id': 'session-9' });
    assert.equal(contextOf(request).sessionId, 'session-9');
    assert.equal(request.headers[SESSION_ID_HEADER], 'session-9');
  });

  it('prefers the identity WAT header to WorkloadAccessToken, and has no token or callback URL without their headers', async (t) => {
    const both = contextOf(await receivedRequest(t, { 'X-Amz-Bedrock-AgentCore-Identity-WAT': 'wat', WorkloadAccessToken: 'legacy' }));
    assert.equal(both.workloadAccessToken, 'wat');
    const none = contextOf(await receivedRequest(t));
    assert.equal(none.workloadAccessToken, undefined);
    assert.equal(none.oauth2CallbackUrl, undefined);
  });

  it('serializes to its header-derived fields only, with the id it generated', async (t) => {
    const context = contextOf(await receivedRequest(t, { 'X-Amzn-Bedrock-AgentCore-Runtime-Session-Id': 's' }));
    const serialized = JSON.parse(JSON.stringify(context)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(serialized), ['requestId', 'sessionId', 'requestHeaders']);
    assert.equal(serialized.requestId, context.requestId);
    assert.equal(serialized.sessionId, 's');
  });

  it('hands out its lifetime\'s signal', async (t) => {
    const lifetime = new RequestLifetime();
    const context = contextOf(await receivedRequest(t), lifetime);
    assert.equal(context.signal, lifetime.signal);
    lifetime.abort(new Error('gone'));
    assert.equal(context.signal.aborted, true);
  });
});

describe('RequestLifetime', () => {
  it('aborts its signal with the reason given', () => {
    const lifetime = new RequestLifetime();
    const signal = lifetime.signal;
    assert.equal(signal.aborted, false);
    const reason = new Error('client went away');
    lifetime.abort(reason);
    assert.equal(signal.aborted, true);
    assert.equal(signal.reason, reason);
  });

  it('hands out a signal that is already aborted, with that reason, when the abort came first', () => {
    const lifetime = new RequestLifetime();
    const reason = new Error('shutdown');
    lifetime.abort(reason);
    assert.equal(lifetime.signal.aborted, true);
    assert.equal(lifetime.signal.reason, reason);
  });

  it('keeps the first abort: later ones neither fire again nor change the reason', () => {
    const lifetime = new RequestLifetime();
    let events = 0;
    lifetime.signal.addEventListener('abort', () => events++);
    const first = new Error('first');
    lifetime.abort(first);
    lifetime.abort(new Error('second'));
    assert.equal(events, 1);
    assert.equal(lifetime.signal.reason, first);
    // The same before anyone asked for the signal.
    const early = new RequestLifetime();
    early.abort(first);
    early.abort(new Error('second'));
    assert.equal(early.signal.reason, first);
  });

  it('hands out the same signal every time', () => {
    const lifetime = new RequestLifetime();
    assert.equal(lifetime.signal, lifetime.signal);
  });
});

describe('runWithContext and getRequestContext', () => {
  it('reach the context across awaits, timers and promise callbacks started inside the run', async (t) => {
    const context = contextOf(await receivedRequest(t));
    const seen = await runWithContext(context, async () => {
      const found: unknown[] = [getRequestContext()];
      await sleep(1);
      found.push(getRequestContext());
      await new Promise<void>((resolve) => setTimeout(() => {
        found.push(getRequestContext());
        resolve();
      }, 1));
      await Promise.resolve().then(() => found.push(getRequestContext()));
      return found;
    });
    assert.deepEqual(seen.map((found) => found === context), [true, true, true, true]);
    assert.equal(getRequestContext(), undefined);
  });

  it('return what the function returns, and restore the outer context after a nested run', async (t) => {
    const outer = contextOf(await receivedRequest(t));
    const inner = contextOf(await receivedRequest(t));
    const result = runWithContext(outer, () => {
      const nested = runWithContext(inner, () => getRequestContext());
      return [nested === inner, getRequestContext() === outer];
    });
    assert.deepEqual(result, [true, true]);
  });

  it('keep concurrent requests apart', async (t) => {
    const first = contextOf(await receivedRequest(t));
    const second = contextOf(await receivedRequest(t));
    const read = (context: RequestContext): Promise<boolean> =>
      runWithContext(context, async () => {
        await nextTurn();
        return getRequestContext() === context;
      });
    assert.deepEqual(await Promise.all([read(first), read(second), read(first)]), [true, true, true]);
  });
});

describe('context.signal on the app', () => {
  it('aborts when the client goes away before the answer', async (t) => {
    let started!: () => void;
    const handlerStarted = new Promise<void>((resolve) => (started = resolve));
    let aborted!: (reason: unknown) => void;
    const abortSeen = new Promise<unknown>((resolve) => (aborted = resolve));
    const server = await useApp(t, {}, (app) =>
      app.entrypoint((_payload, context) => {
        started();
        return new Promise((resolve) =>
          context.signal.addEventListener('abort', () => {
            aborted(context.signal.aborted);
            resolve('too late');
          }),
        );
      }),
    );
    const socket = await openSocket(server.port);
    socket.write('POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}');
    await handlerStarted;
    socket.destroy();
    assert.equal(await abortSeen, true);
  });
});

describe('the trace context of a request', () => {
  const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

  it('reaches the handler parsed, and every log line inside the request carries the trace id', async (t) => {
    const server = await useApp(t, {}, (app) =>
      app.entrypoint((_payload, context) => {
        app.logger.info('working');
        return { traceId: context.trace.traceId, sampled: context.trace.sampled, baggage: context.trace.baggage, xray: context.trace.xray?.root ?? null };
      }),
    );
    const response = await fetch(`${server.url}/invocations`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        traceparent: TRACEPARENT,
        baggage: 'tenant=acme',
        'x-amzn-trace-id': 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1',
        'x-amzn-bedrock-agentcore-runtime-request-id': 'traced-1',
      },
      body: '{}',
    });
    assert.deepEqual(await response.json(), {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      sampled: true,
      baggage: { tenant: 'acme' },
      xray: '1-5759e988-bd862e3fe1be46a994272793',
    });
    const lines = server.logs.filter((record) => record.requestId === 'traced-1');
    assert.ok(lines.some((record) => record.message === 'working'));
    assert.ok(lines.length >= 2);
    assert.ok(lines.every((record) => record.traceId === '4bf92f3577b34da6a3ce929d0e0e4736'), JSON.stringify(lines));
  });

  it('ignores invalid trace headers: no error answer, no trace id in the logs', async (t) => {
    const server = await useApp(t, {}, (app) => app.entrypoint((_payload, context) => ({ traceId: context.trace.traceId ?? null })));
    const response = await fetch(`${server.url}/invocations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: 'not-a-trace', 'x-amzn-trace-id': 'Root=junk', 'x-amzn-bedrock-agentcore-runtime-request-id': 'untraced' },
      body: '{}',
    });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { traceId: null });
    assert.ok(server.logs.filter((record) => record.requestId === 'untraced').every((record) => !('traceId' in record)));
  });
});
