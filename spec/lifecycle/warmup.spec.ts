import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AgentCoreApp, PLATFORM_WARMUP_LIMIT_MS } from '../../lib/index.js';
import { manualClock } from '../support/clock.js';
import { ping, useApp } from '../support/server.js';

const WARMUP_TYPE_HEADER = 'x-amzn-bedrock-agentcore-runtime-warmup-type';

async function warm(url: string, path = '/warmup', type?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = type === undefined ? {} : { [WARMUP_TYPE_HEADER]: type };
  const response = await fetch(`${url}${path}`, { method: 'POST', headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('the warmup hook', () => {
  it('runs the handler once for concurrent and repeated calls, and answers 200 with its result and duration', async (t) => {
    let calls = 0;
    let release!: () => void;
    const server = await useApp(t, {}, (app) =>
      app.warmup(async () => {
        calls++;
        await new Promise<void>((resolve) => (release = resolve));
        return { model: 'loaded' };
      }),
    );
    const concurrent = [warm(server.url), warm(server.url), warm(server.url)];
    await sleep(50);
    assert.equal((await ping(server)).status, 'Healthy', '/ping answers while warmup runs');
    release();
    const answers = await Promise.all(concurrent);
    const again = await warm(server.url);
    assert.equal(calls, 1);
    for (const answer of [...answers, again]) {
      assert.equal(answer.status, 200);
      assert.equal(answer.body.status, 'warm');
      assert.deepEqual(answer.body.result, { model: 'loaded' });
      assert.equal(typeof answer.body.durationMs, 'number');
    }
    const logged = server.logs.filter((record) => record.message === 'warmup completed');
    assert.equal(logged.length, 1);
    assert.equal(typeof logged[0]!.durationMs, 'number');
  });

  it('answers 500 with the error when the handler fails, to every call, running it once', async (t) => {
    let calls = 0;
    const server = await useApp(t, {}, (app) =>
      app.warmup(() => {
        calls++;
        throw new Error('model download failed');
      }),
    );
    const first = await warm(server.url);
    const second = await warm(server.url);
    assert.equal(calls, 1);
    for (const answer of [first, second]) {
      assert.equal(answer.status, 500);
      assert.equal(answer.body.error, 'model download failed');
      assert.equal(answer.body.code, 'WARMUP_FAILED');
      assert.equal(answer.body.error_type, 'Error');
    }
    const failed = server.logs.find((record) => record.message === 'warmup failed');
    assert.equal(failed?.level, 'error');
    assert.equal(failed?.errorMessage, 'model download failed');
  });

  it('answers a synchronous handler without a result with status warm only', async (t) => {
    const server = await useApp(t, {}, (app) => app.warmup(() => undefined));
    const answer = await warm(server.url);
    assert.equal(answer.status, 200);
    assert.deepEqual(Object.keys(answer.body).sort(), ['durationMs', 'status']);
  });

  it('warns when the handler outlasts the platform limit, or leaves tracked tasks running', async (t) => {
    const clock = manualClock();
    const server = await useApp(t, { clock }, (app) =>
      app.warmup(() => {
        clock.advance(PLATFORM_WARMUP_LIMIT_MS + 1000);
        app.addAsyncTask('left running');
      }),
    );
    assert.equal((await warm(server.url)).body.durationMs, PLATFORM_WARMUP_LIMIT_MS + 1000);
    const warnings = server.logs.filter((record) => record.level === 'warn').map((record) => record.message);
    assert.ok(warnings.some((message) => /longer than the platform waits/.test(String(message))), String(warnings));
    assert.ok(warnings.some((message) => /tracked tasks are still running after warmup/.test(String(message))), String(warnings));
  });

  it('answers 413 to a body over maxBodyBytes without running the handler, declared or not', async (t) => {
    let calls = 0;
    const server = await useApp(t, { maxBodyBytes: 1024 }, (app) => app.warmup(() => void calls++));
    const declared = await fetch(`${server.url}/warmup`, { method: 'POST', body: 'x'.repeat(2048) });
    assert.deepEqual([declared.status, ((await declared.json()) as { code: string }).code], [413, 'BODY_TOO_LARGE']);
    // Chunked, with no Content-Length: refused as soon as the count passes the limit.
    const chunked = await fetch(`${server.url}/warmup`, {
      method: 'POST',
      body: new ReadableStream({
        pull(controller) {
          controller.enqueue(new Uint8Array(512));
        },
      }),
      duplex: 'half',
    } as RequestInit);
    assert.equal(chunked.status, 413);
    await chunked.arrayBuffer();
    assert.equal(calls, 0);
    assert.equal((await fetch(`${server.url}/warmup`, { method: 'POST', body: 'small' })).status, 200);
    assert.equal(calls, 1);
  });

  it('is in flight for the shutdown: a close() while the handler runs lets it answer within the grace', async (t) => {
    let release!: () => void;
    const server = await useApp(t, {}, (app) =>
      app.warmup(async () => {
        await new Promise<void>((resolve) => (release = resolve));
        return 'loaded';
      }),
    );
    const answer = warm(server.url);
    await sleep(50);
    const closed = server.close({ graceMs: 5000 });
    await sleep(100);
    release();
    const { status, body } = await answer;
    assert.deepEqual([status, body.result], [200, 'loaded']);
    await closed;
    assert.equal(server.logs.some((record) => /grace period ended/.test(record.message)), false);
  });

  it('serves another path when asked, POST only', async (t) => {
    const server = await useApp(t, {}, (app) => app.warmup(() => 'ok', { path: '/hooks/warm' }));
    assert.equal((await warm(server.url, '/hooks/warm')).body.result, 'ok');
    const get = await fetch(`${server.url}/hooks/warm`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    assert.equal((await fetch(`${server.url}/warmup`, { method: 'POST' })).status, 404);
  });

  it('is an ordinary 404 without a warmup handler', async (t) => {
    const server = await useApp(t);
    const response = await fetch(`${server.url}/warmup`, { method: 'POST' });
    assert.equal(response.status, 404);
    assert.deepEqual(await response.json(), { error: 'Not found: /warmup', code: 'NOT_FOUND' });
  });

  it('refuses a bad handler, a bad or taken path, and a second hook', () => {
    const app = new AgentCoreApp({ logLevel: 'silent' });
    assert.throws(() => app.warmup('nope' as never), TypeError);
    assert.throws(() => app.warmup(null as never), TypeError);
    assert.throws(() => app.warmup({}), /give a memory or a disk function/);
    assert.throws(() => app.warmup({ memory: 'load' as never }), /memory must be a function/);
    assert.throws(() => app.warmup({ gpu: () => 1 } as never), /unknown type "gpu"/);
    assert.throws(() => app.warmup(() => 1, { path: 'warmup' }), /warmup path must be an absolute URL path/);
    assert.throws(() => app.warmup(() => 1, { path: '/ping' }), /\/ping is already the ping path/);
    app.warmup(() => 1);
    assert.throws(() => app.warmup(() => 1, { path: '/other' }), /already set/);
  });
});

describe('the warmup hook as the platform calls it: memory and disk', () => {
  it('runs the handler once per type, told which, however often and concurrently each call arrives', async (t) => {
    const seen: Array<string | undefined> = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const server = await useApp(t, {}, (app) =>
      app.warmup(async ({ type }) => {
        seen.push(type);
        await gate;
        return `${type} ready`;
      }),
    );
    const calls = [warm(server.url, '/warmup', 'memory'), warm(server.url, '/warmup', 'disk'), warm(server.url, '/warmup', 'memory')];
    await sleep(50);
    release();
    const answers = await Promise.all(calls);
    const again = [await warm(server.url, '/warmup', 'disk'), await warm(server.url, '/warmup', 'memory')];
    assert.deepEqual(seen, ['memory', 'disk']);
    assert.deepEqual(
      [...answers, ...again].map((answer) => [answer.status, answer.body.type, answer.body.result]),
      [
        [200, 'memory', 'memory ready'],
        [200, 'disk', 'disk ready'],
        [200, 'memory', 'memory ready'],
        [200, 'disk', 'disk ready'],
        [200, 'memory', 'memory ready'],
      ],
    );
    const completed = server.logs.filter((record) => record.message === 'warmup completed').map((record) => record.warmupType);
    assert.deepEqual(completed, ['memory', 'disk']);
  });

  it('serves { memory, disk } handlers, each once for its own call', async (t) => {
    const ran: string[] = [];
    const server = await useApp(t, {}, (app) =>
      app.warmup({
        memory: () => {
          ran.push('memory');
        },
        disk: async () => {
          ran.push('disk');
          return { files: 3 };
        },
      }),
    );
    assert.deepEqual((await warm(server.url, '/warmup', 'disk')).body.result, { files: 3 });
    assert.equal((await warm(server.url, '/warmup', 'memory')).status, 200);
    assert.equal((await warm(server.url, '/warmup', 'disk')).status, 200);
    assert.deepEqual(ran, ['disk', 'memory']);
  });

  it('answers 200 with nothing run for a type that has no handler of its own', async (t) => {
    let runs = 0;
    const server = await useApp(t, {}, (app) => app.warmup({ memory: () => void runs++ }));
    const answer = await warm(server.url, '/warmup', 'disk');
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { status: 'warm', type: 'disk', durationMs: 0, skipped: true });
    assert.equal(runs, 0);
  });

  it('refuses an unknown type with 400 without running anything, and a call without a type when the handlers are per type', async (t) => {
    let runs = 0;
    const single = await useApp(t, {}, (app) => app.warmup(() => void runs++));
    const unknown = await warm(single.url, '/warmup', 'gpu');
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.code, 'INVALID_WARMUP_TYPE');
    assert.match(String(unknown.body.error), /Unknown warmup type "gpu"/);
    const long = await warm(single.url, '/warmup', 'x'.repeat(500));
    assert.ok(String(long.body.error).length < 200, 'the error quotes a bounded part of the header');
    assert.equal(runs, 0);
    assert.equal((await warm(single.url, '/warmup', ' Memory ')).body.type, 'memory', 'the value is read leniently');
    const perType = await useApp(t, {}, (app) => app.warmup({ disk: () => undefined }));
    const untyped = await warm(perType.url);
    assert.equal(untyped.status, 400);
    assert.equal(untyped.body.code, 'WARMUP_TYPE_REQUIRED');
  });

  it('fails one type without failing the other', async (t) => {
    const server = await useApp(t, {}, (app) =>
      app.warmup(({ type }) => {
        if (type === 'disk') throw new Error('disk full');
        return 'ok';
      }),
    );
    const disk = await warm(server.url, '/warmup', 'disk');
    assert.equal(disk.status, 500);
    assert.deepEqual([disk.body.type, disk.body.code, disk.body.error], ['disk', 'WARMUP_FAILED', 'disk full']);
    assert.equal((await warm(server.url, '/warmup', 'memory')).status, 200);
    const failed = server.logs.find((record) => record.message === 'warmup failed');
    assert.equal(failed?.warmupType, 'disk');
  });
});
