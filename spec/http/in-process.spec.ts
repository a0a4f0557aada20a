import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AgentCoreApp, getRequestContext, HttpError } from '../../lib/index.js';

function agent(): AgentCoreApp {
  const app = new AgentCoreApp({ logLevel: 'silent', maxBodyBytes: 1024 });
  app.entrypoint((payload: { action?: string }, context) => {
    if (payload?.action === 'teapot') throw new HttpError(418, 'short and stout', { code: 'TEAPOT' });
    if (payload?.action === 'stream') {
      return (async function* () {
        yield { step: 1 };
        yield { step: 2 };
      })();
    }
    return { payload, sessionId: context.sessionId ?? null, same: getRequestContext() === context };
  });
  return app;
}

describe('app.request(): the full pipeline without a socket', () => {
  it('answers /ping, and reflects tracked tasks', async () => {
    const app = agent();
    const healthy = await app.request('/ping');
    assert.equal(healthy.status, 200);
    assert.equal(healthy.headers.get('content-type'), 'application/json');
    assert.equal(((await healthy.json()) as { status: string }).status, 'Healthy');
    const id = app.addAsyncTask('work');
    assert.equal(((await (await app.request('/ping')).json()) as { status: string }).status, 'HealthyBusy');
    app.completeAsyncTask(id);
    const head = await app.request('/ping', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.body, null);
  });

  it('runs an invocation with its body, headers and request context', async () => {
    const app = agent();
    const response = await app.request('/invocations', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-amzn-bedrock-agentcore-runtime-session-id': 'in-process' },
      body: JSON.stringify({ hello: 'world' }),
    });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { payload: { hello: 'world' }, sessionId: 'in-process', same: true });
  });

  it('takes a URL or a Request as well as a path', async () => {
    const app = agent();
    assert.equal((await app.request(new URL('http://agent.internal/ping?x=1'))).status, 200);
    const request = new Request('http://localhost/invocations', { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
    assert.deepEqual(((await (await app.request(request)).json()) as { payload: unknown }).payload, { a: 1 });
  });

  it('answers routing errors, body limits, bad JSON and handler errors as over the network', async () => {
    const app = agent();
    const notFound = await app.request('/nope');
    assert.deepEqual([notFound.status, await notFound.json()], [404, { error: 'Not found: /nope', code: 'NOT_FOUND' }]);
    const wrongMethod = await app.request('/invocations');
    assert.deepEqual([wrongMethod.status, wrongMethod.headers.get('allow')], [405, 'POST']);
    const tooLarge = await app.request('/invocations', { method: 'POST', body: 'x'.repeat(2048), headers: { 'content-type': 'application/json' } });
    assert.equal(tooLarge.status, 413);
    assert.equal(((await tooLarge.json()) as { code: string }).code, 'BODY_TOO_LARGE');
    const badJson = await app.request('/invocations', { method: 'POST', body: '{"oops', headers: { 'content-type': 'application/json' } });
    assert.equal(badJson.status, 400);
    assert.equal(((await badJson.json()) as { position: number }).position, 6);
    const teapot = await app.request('/invocations', { method: 'POST', body: '{"action":"teapot"}', headers: { 'content-type': 'application/json' } });
    assert.deepEqual([teapot.status, await teapot.json()], [418, { error: 'short and stout', code: 'TEAPOT' }]);
  });

  it('streams server-sent events as they are produced', async () => {
    const app = agent();
    const response = await app.request('/invocations', { method: 'POST', body: '{"action":"stream"}', headers: { 'content-type': 'application/json' } });
    assert.equal(response.headers.get('content-type'), 'text/event-stream');
    assert.equal(await response.text(), 'data: {"step":1}\n\ndata: {"step":2}\n\n');
  });

  it('keeps back-pressure: a reader that stops reading pauses the producer', async () => {
    const app = new AgentCoreApp({ logLevel: 'silent' });
    let pulled = 0;
    let stopped = false;
    app.entrypoint(() =>
      (function* () {
        try {
          for (;;) {
            pulled++;
            yield 'x'.repeat(64 * 1024);
          }
        } finally {
          stopped = true;
        }
      })(),
    );
    const response = await app.request('/invocations', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    const reader = response.body!.getReader();
    await reader.read();
    await sleep(200);
    const paused = pulled;
    await sleep(200);
    assert.equal(pulled, paused, 'no pulls while nobody reads');
    assert.ok(paused < 200, `${paused} items pulled`);
    await reader.cancel();
    await sleep(50);
    assert.equal(stopped, true, 'cancelling the body stops the producer');
  });

  it('rejects with the abort reason when the signal aborts before the answer', async () => {
    const app = new AgentCoreApp({ logLevel: 'silent' });
    let aborted = false;
    app.entrypoint((_payload, context) => {
      context.signal.addEventListener('abort', () => (aborted = true));
      return new Promise(() => undefined);
    });
    const controller = new AbortController();
    const pending = app.request('/invocations', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' }, signal: controller.signal });
    await sleep(50);
    controller.abort(new Error('gave up'));
    await assert.rejects(pending, /gave up/);
    await sleep(50);
    assert.equal(aborted, true, 'the handler sees its client go away');
  });
});
