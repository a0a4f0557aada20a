import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AgentCoreApp, HttpError, type InvocationHook } from '../../lib/index.js';
import { runWithHooks } from '../../lib/invocation/hooks.js';

const JSON_POST = { method: 'POST', headers: { 'content-type': 'application/json' } };

function appWith(...hooks: InvocationHook[]): AgentCoreApp {
  const app = new AgentCoreApp({ logLevel: 'silent', debug: true });
  for (const hook of hooks) app.use(hook);
  app.entrypoint((payload: { name?: string; stream?: boolean }) =>
    payload.stream === true
      ? (async function* () {
          yield 'a';
        })()
      : { hello: payload.name ?? 'world' },
  );
  return app;
}

describe('request hooks (app.use)', () => {
  it('run around the handler in the order they were added, and can time it and add headers', async () => {
    const order: string[] = [];
    const app = appWith(
      async (call, next) => {
        order.push('outer in');
        const started = performance.now();
        const result = await next();
        call.setHeader('x-duration-ms', (performance.now() - started).toFixed(1));
        order.push('outer out');
        return result;
      },
      async (call, next) => {
        order.push(`inner in ${(call.payload as { name: string }).name} ${call.context.sessionId}`);
        const result = await next();
        order.push('inner out');
        return result;
      },
    );
    const response = await app.request('/invocations', {
      ...JSON_POST,
      headers: { ...JSON_POST.headers, 'x-amzn-bedrock-agentcore-runtime-session-id': 's-1' },
      body: '{"name":"ada"}',
    });
    assert.deepEqual(await response.json(), { hello: 'ada' });
    assert.match(response.headers.get('x-duration-ms')!, /^\d+\.\d$/);
    assert.deepEqual(order, ['outer in', 'inner in ada s-1', 'inner out', 'outer out']);
  });

  it('reject a request with a thrown HttpError, before the handler runs', async () => {
    let handled = false;
    const app = new AgentCoreApp({ logLevel: 'silent' });
    app.use((call) => {
      if (call.context.requestHeaders.authorization !== 'Bearer ok') throw new HttpError(401, 'Missing or bad token', { code: 'UNAUTHORIZED' });
      return undefined;
    });
    app.use((_call, next) => next());
    app.entrypoint(() => {
      handled = true;
      return 'secret';
    });
    const denied = await app.request('/invocations', { ...JSON_POST, body: '{}' });
    assert.deepEqual([denied.status, await denied.json()], [401, { error: 'Missing or bad token', code: 'UNAUTHORIZED' }]);
    assert.equal(handled, false);
  });

  it('may replace the result, and see a stream before it is written', async () => {
    const seen: string[] = [];
    const app = appWith(async (call, next) => {
      const result = await next();
      if (typeof (result as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
        seen.push('stream');
        call.setHeader('x-kind', 'stream');
        return result;
      }
      return { wrapped: result };
    });
    assert.deepEqual(await (await app.request('/invocations', { ...JSON_POST, body: '{}' })).json(), { wrapped: { hello: 'world' } });
    const streamed = await app.request('/invocations', { ...JSON_POST, body: '{"stream":true}' });
    assert.equal(streamed.headers.get('x-kind'), 'stream');
    assert.equal(await streamed.text(), 'data: "a"\n\n');
    assert.deepEqual(seen, ['stream']);
  });

  it('answer 500 when a hook calls next() twice, and do not run for debug actions or /ping', async () => {
    let calls = 0;
    const app = appWith(async (_call, next) => {
      calls++;
      await next();
      return next();
    });
    assert.equal((await app.request('/invocations', { ...JSON_POST, body: '{}' })).status, 500);
    const debug = await app.request('/invocations', { ...JSON_POST, body: '{"_agent_core_app_action":"ping_status"}' });
    assert.equal(debug.status, 200);
    await app.request('/ping');
    assert.equal(calls, 1);
  });

  it('are refused when not a function', () => {
    assert.throws(() => new AgentCoreApp({ logLevel: 'silent' }).use('nope' as never), /request hook must be a function/);
  });
});

describe('runWithHooks', () => {
  it('turns a synchronous throw anywhere into a rejection', async () => {
    await assert.rejects(runWithHooks([], { payload: 1, context: {} as never, setHeader: () => undefined }, () => {
      throw new Error('handler');
    }), /handler/);
    await assert.rejects(runWithHooks([() => { throw new Error('hook'); }], { payload: 1, context: {} as never, setHeader: () => undefined }, () => 1), /hook/);
  });
});
