import assert from 'node:assert/strict';
import { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { MAX_DRAIN_BYTES } from '../../lib/http/body.js';
import { AgentCoreApp, getRequestContext, HttpError } from '../../lib/index.js';
import { waitFor } from '../support/stream-client.js';

const MIB = 1024 * 1024;

/** A body stream of `totalBytes` in 64 KiB chunks (or endless), counting what was pulled from it. */
function countedBody(totalBytes = Number.POSITIVE_INFINITY): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= totalBytes) {
        controller.close();
        return;
      }
      pulled += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled: () => pulled };
}

/** A body stream that sends `first` and then nothing, ever (until cancelled). */
function stalledBody(first = '{"a":'): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(first));
    },
  });
}

/** The server ends of the in-memory connections handed to servers that do not listen, while `t` runs. */
function serverEnds(t: TestContext): Duplex[] {
  const ends: Duplex[] = [];
  const emit = Server.prototype.emit;
  Server.prototype.emit = function (this: Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'connection' && !this.listening) ends.push(args[0] as Duplex);
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
  } as typeof emit;
  t.after(() => {
    Server.prototype.emit = emit;
  });
  return ends;
}

const post = (body: RequestInit['body'], headers: Record<string, string> = {}, signal?: AbortSignal): RequestInit =>
  ({ method: 'POST', body, headers: { 'content-type': 'application/json', ...headers }, duplex: 'half', signal }) as RequestInit;

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

  it('streams a body stream to the handler, whole', async () => {
    const app = new AgentCoreApp({ logLevel: 'silent', maxBodyBytes: 8 * MIB });
    app.entrypoint((payload: Buffer) => ({ length: payload.length, last: payload.at(-1) }));
    const { stream } = countedBody(5 * MIB);
    const response = await app.request('/invocations', post(stream, { 'content-type': 'application/octet-stream' }));
    assert.deepEqual(await response.json(), { length: 5 * MIB, last: 0x61 });
  });

  it('refuses a 300 MiB body stream over maxBodyBytes with 413 after reading a bounded part of it', { timeout: 60_000 }, async () => {
    const app = new AgentCoreApp({ logLevel: 'silent', maxBodyBytes: MIB });
    let calls = 0;
    app.entrypoint(() => void calls++);
    const body = countedBody(300 * MIB);
    const response = await app.request('/invocations', post(body.stream, { 'content-type': 'application/octet-stream' }));
    assert.equal(response.status, 413);
    assert.equal(((await response.json()) as { code: string }).code, 'BODY_TOO_LARGE');
    await sleep(50);
    // The limit, what the server drains to let the client read its answer, and the buffers between.
    assert.ok(body.pulled() < MIB + MAX_DRAIN_BYTES + 16 * MIB, `${body.pulled() / MIB} MiB pulled`);
    assert.equal(calls, 0);
  });

  it("applies the server's request timeout to a body that stalls: 408, as on a socket", { timeout: 10_000 }, async () => {
    const app = new AgentCoreApp({ logLevel: 'silent', headersTimeoutMs: 200, requestTimeoutMs: 400 });
    app.entrypoint(() => 'never');
    const started = performance.now();
    const response = await app.request('/invocations', post(stalledBody()));
    assert.equal(response.status, 408);
    assert.equal(((await response.json()) as { code: string }).code, 'REQUEST_TIMEOUT');
    assert.ok(performance.now() - started < 5000);
  });

  it('rejects a body shorter or longer than its Content-Length at once', { timeout: 10_000 }, async () => {
    const app = agent();
    await assert.rejects(app.request('/invocations', post('{}', { 'content-length': '10' })), { code: 'ERR_HTTP_CONTENT_LENGTH_MISMATCH' });
    await assert.rejects(app.request('/invocations', post(stalledBody('{}').pipeThrough(new TransformStream({ flush: () => undefined })), { 'content-length': '1' })), {
      code: 'ERR_HTTP_CONTENT_LENGTH_MISMATCH',
    });
    const short = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{}'));
        controller.close();
      },
    });
    await assert.rejects(app.request('/invocations', post(short, { 'content-length': '100' })), { code: 'ERR_HTTP_CONTENT_LENGTH_MISMATCH' });
  });

  it("rejects with an already-aborted signal's own reason, sending nothing", async (t) => {
    const ends = serverEnds(t);
    const app = agent();
    const reason = new Error('never mind');
    await assert.rejects(app.request('/ping', { signal: AbortSignal.abort(reason) }), (error) => error === reason);
    assert.equal(ends.length, 0);
  });

  it('rejects with the reason when the signal aborts while the body is sent, and drops the connection', { timeout: 10_000 }, async (t) => {
    const ends = serverEnds(t);
    const app = agent();
    const controller = new AbortController();
    const pending = app.request('/invocations', post(stalledBody(), {}, controller.signal));
    await sleep(50);
    const reason = new Error('user cancelled');
    controller.abort(reason);
    await assert.rejects(pending, (error) => error === reason);
    assert.ok(await waitFor(() => ends.length === 1 && ends[0]!.destroyed), 'the server side of the connection is gone');
  });

  it('leaks nothing when the body stream fails: every server side of a connection is destroyed', async (t) => {
    const ends = serverEnds(t);
    const app = new AgentCoreApp({ logLevel: 'silent' });
    let calls = 0;
    app.entrypoint(() => void calls++);
    const CALLS = 50;
    for (let index = 0; index < CALLS; index++) {
      let sent = false;
      const failing = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent) {
            controller.error(new Error(`body source failed ${index}`));
            return;
          }
          sent = true;
          controller.enqueue(new TextEncoder().encode('{"partial":'));
        },
      });
      await assert.rejects(app.request('/invocations', post(failing)), new RegExp(`body source failed ${index}`));
    }
    assert.equal(ends.length, CALLS);
    assert.ok(await waitFor(() => ends.every((end) => end.destroyed)), `${ends.filter((end) => !end.destroyed).length} server sides left open`);
    assert.equal(calls, 0);
  });
});
