import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  agUiEventStream,
  parseRunAgentInput,
  runErrorEvent,
  type AgUiEvent,
  type AgUiSource,
  type AgUiStreamItem,
  type RunAgentInput,
} from '../../lib/ag-ui/index.js';
import { HttpError, STREAM_ERROR_EVENT, type RequestContext } from '../../lib/index.js';
import { invoke, startApp, type TestServer } from '../support/server.js';
import { jsonData, parseSse } from '../support/sse-reader.js';
import { openStream, waitFor } from '../support/stream-client.js';
import { quantile, readFastWhilePinging } from '../support/fast-reader.js';
import { useApp } from '../support/server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

type Event = Record<string, unknown> & { type: string };

/** What each source did: how far it got, and whether its `finally` ran. */
const trace: Record<string, { pulled: number; closed: boolean }> = {};

/** An async generator over `items` that records its progress under `name`. */
async function* traced(name: string, items: AgUiStreamItem[], fail?: unknown): AsyncGenerator<AgUiStreamItem> {
  trace[name] = { pulled: 0, closed: false };
  try {
    for (const item of items) {
      trace[name].pulled++;
      yield item;
    }
    if (fail !== undefined) throw fail;
  } finally {
    trace[name].closed = true;
  }
}

const sources: Record<string, (input: RunAgentInput, context: RequestContext) => AgUiSource> = {
  hello: () => traced('hello', ['Hello', ',', ' world']),
  empty: () => traced('empty', []),
  'empty-strings': () => traced('empty-strings', ['', 'a', '', 'b', '']),
  'only-empty': () => traced('only-empty', ['', '']),
  interleaved: () =>
    traced('interleaved', [
      'Let me look.',
      { type: 'TOOL_CALL_START', toolCallId: 'c1', toolCallName: 'lookup' },
      { type: 'TOOL_CALL_ARGS', toolCallId: 'c1', delta: '{"q":"x"}' },
      { type: 'TOOL_CALL_END', toolCallId: 'c1' },
      { type: 'STATE_SNAPSHOT', snapshot: { found: 1 }, metadata: { note: 'kept' } },
      'Found ',
      'it.',
      { type: 'CUSTOM', name: 'done', value: true },
    ]),
  'own-message': () =>
    traced('own-message', [
      { type: 'TEXT_MESSAGE_START', messageId: 'mine', role: 'assistant' },
      { type: 'TEXT_MESSAGE_CONTENT', messageId: 'mine', delta: 'by hand' },
      { type: 'TEXT_MESSAGE_END', messageId: 'mine' },
    ]),
  'finished-early': () => traced('finished-early', ['partial', { type: 'RUN_FINISHED', result: { answer: 42 } }, 'never sent']),
  'finished-named': () => traced('finished-named', [{ type: 'RUN_FINISHED', threadId: 'other-thread', runId: 'other-run' }]),
  'run-error': () => traced('run-error', ['partial', { type: 'RUN_ERROR', message: 'gave up', code: 'GAVE_UP' }, 'never sent']),
  'throws-mid-message': () => traced('throws-mid-message', ['half a '], new RangeError('model stream broke')),
  'throws-at-once': () => traced('throws-at-once', [], new Error('no model')),
  'throws-http-error': () => traced('throws-http-error', ['x'], new HttpError(503, 'model busy', { code: 'MODEL_BUSY' })),
  'throws-string': () => traced('throws-string', [], 'a plain string'),
  'yields-number': () => traced('yields-number', ['ok', 5 as unknown as string, 'never']),
  'yields-null': () => traced('yields-null', [null as unknown as string]),
  'yields-unknown-type': () => traced('yields-unknown-type', [{ type: 'THINKING_START' } as unknown as AgUiStreamItem, 'never']),
  'yields-run-started': () => traced('yields-run-started', [{ type: 'RUN_STARTED', threadId: 't', runId: 'r' } as unknown as AgUiStreamItem, 'never']),
  'yields-bad-content': () => traced('yields-bad-content', [{ type: 'TEXT_MESSAGE_CONTENT', messageId: 'm' } as unknown as AgUiStreamItem, 'never']),
  array: () => ['from ', 'an array', { type: 'STEP_STARTED', stepName: 'tail' }, { type: 'STEP_FINISHED', stepName: 'tail' }],
  endless: (_input, context) =>
    (async function* () {
      trace.endless = { pulled: 0, closed: false };
      try {
        for (;;) {
          trace.endless.pulled++;
          yield 'tick ';
          await sleep(5, undefined, { signal: context.signal });
        }
      } finally {
        trace.endless.closed = true;
      }
    })(),
};

describe('agUiEventStream()', () => {
  let server: TestServer;
  before(async () => {
    server = await startApp({}, (app) =>
      app.entrypoint((payload, context) => {
        const input = parseRunAgentInput(payload);
        return agUiEventStream(input, sources[(input.forwardedProps as { source: string }).source]!(input, context));
      }),
    );
  });
  after(() => server.close());

  /** Runs source `name` through the app; `fields` go into the RunAgentInput. */
  async function run(name: string, fields: Record<string, unknown> = {}, requestId?: string): Promise<{ events: Event[]; text: string; status: number; type: string | null }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (requestId !== undefined) headers['X-Amzn-Bedrock-AgentCore-Runtime-Request-Id'] = requestId;
    const body = { threadId: 'thread-1', runId: 'run-1', messages: [], forwardedProps: { source: name }, ...fields };
    const response = await invoke(server, body, headers);
    return { events: jsonData(parseSse(response.text)) as Event[], text: response.text, status: response.status, type: response.headers.get('content-type') };
  }

  const types = (events: Event[]): string[] => events.map((event) => event.type);

  describe('the run lifecycle', () => {
    it('opens with RUN_STARTED naming the thread and run, and closes with RUN_FINISHED', async () => {
      const { events, status, type } = await run('hello');
      assert.equal(status, 200);
      assert.equal(type, 'text/event-stream');
      assert.deepEqual(events[0], { type: 'RUN_STARTED', threadId: 'thread-1', runId: 'run-1', protocolVersion: '1.0' });
      assert.deepEqual(events.at(-1), { type: 'RUN_FINISHED', threadId: 'thread-1', runId: 'run-1' });
      assert.equal(types(events).filter((name) => name.startsWith('RUN_')).length, 2);
    });

    it('frames every event as one `data: <json>` line and a blank line, as AG-UI clients parse it', async () => {
      const { text, events } = await run('hello');
      assert.equal(text, events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join(''));
    });

    it('generates a run id when the request has none, and names the same run at both ends', async () => {
      const first = (await run('empty', { runId: undefined })).events;
      const second = (await run('empty', { runId: undefined })).events;
      assert.match(String(first[0]!.runId), UUID);
      assert.equal(first[1]!.runId, first[0]!.runId);
      assert.notEqual(first[0]!.runId, second[0]!.runId);
    });

    it('names the parent run when the request has one', async () => {
      const { events } = await run('empty', { parentRunId: 'run-0' });
      assert.deepEqual(events[0], { type: 'RUN_STARTED', threadId: 'thread-1', runId: 'run-1', protocolVersion: '1.0', parentRunId: 'run-0' });
    });

    it('makes a run of an empty source: RUN_STARTED then RUN_FINISHED', async () => {
      assert.deepEqual(types((await run('empty')).events), ['RUN_STARTED', 'RUN_FINISHED']);
    });
  });

  describe('text deltas', () => {
    it('wrap a run of strings in one assistant message: START, one CONTENT per string, END', async () => {
      const { events } = await run('hello');
      assert.deepEqual(types(events), [
        'RUN_STARTED',
        'TEXT_MESSAGE_START',
        'TEXT_MESSAGE_CONTENT',
        'TEXT_MESSAGE_CONTENT',
        'TEXT_MESSAGE_CONTENT',
        'TEXT_MESSAGE_END',
        'RUN_FINISHED',
      ]);
      const messageId = events[1]!.messageId;
      assert.match(String(messageId), UUID);
      assert.deepEqual(events[1], { type: 'TEXT_MESSAGE_START', messageId, role: 'assistant' });
      assert.deepEqual(events.slice(2, 5), ['Hello', ',', ' world'].map((delta) => ({ type: 'TEXT_MESSAGE_CONTENT', messageId, delta })));
      assert.deepEqual(events[5], { type: 'TEXT_MESSAGE_END', messageId });
    });

    it('skip empty strings, which open no message', async () => {
      assert.deepEqual(
        (await run('empty-strings')).events.filter((event) => event.type === 'TEXT_MESSAGE_CONTENT').map((event) => event.delta),
        ['a', 'b'],
      );
      assert.deepEqual(types((await run('only-empty')).events), ['RUN_STARTED', 'RUN_FINISHED']);
    });

    it('end their message at the next event object; later strings open a new message with a new id', async () => {
      const { events } = await run('interleaved');
      assert.deepEqual(types(events), [
        'RUN_STARTED',
        'TEXT_MESSAGE_START',
        'TEXT_MESSAGE_CONTENT',
        'TEXT_MESSAGE_END',
        'TOOL_CALL_START',
        'TOOL_CALL_ARGS',
        'TOOL_CALL_END',
        'STATE_SNAPSHOT',
        'TEXT_MESSAGE_START',
        'TEXT_MESSAGE_CONTENT',
        'TEXT_MESSAGE_CONTENT',
        'TEXT_MESSAGE_END',
        'CUSTOM',
        'RUN_FINISHED',
      ]);
      const first = events[1]!.messageId;
      const second = events[8]!.messageId;
      assert.match(String(second), UUID);
      assert.notEqual(first, second);
      assert.equal(events[3]!.messageId, first);
      assert.ok(events.slice(9, 12).every((event) => event.messageId === second));
    });

    it('come from sync iterables too', async () => {
      const { events } = await run('array');
      assert.deepEqual(types(events), ['RUN_STARTED', 'TEXT_MESSAGE_START', 'TEXT_MESSAGE_CONTENT', 'TEXT_MESSAGE_CONTENT', 'TEXT_MESSAGE_END', 'STEP_STARTED', 'STEP_FINISHED', 'RUN_FINISHED']);
    });
  });

  describe('the source\'s own events', () => {
    it('pass through as they are, unknown fields and metadata included', async () => {
      const { events } = await run('interleaved');
      assert.deepEqual(events[4], { type: 'TOOL_CALL_START', toolCallId: 'c1', toolCallName: 'lookup' });
      assert.deepEqual(events[5], { type: 'TOOL_CALL_ARGS', toolCallId: 'c1', delta: '{"q":"x"}' });
      assert.deepEqual(events[7], { type: 'STATE_SNAPSHOT', snapshot: { found: 1 }, metadata: { note: 'kept' } });
      assert.deepEqual(events[12], { type: 'CUSTOM', name: 'done', value: true });
    });

    it('may be a text message of the source\'s own, with its own id', async () => {
      const { events } = await run('own-message');
      assert.deepEqual(types(events), ['RUN_STARTED', 'TEXT_MESSAGE_START', 'TEXT_MESSAGE_CONTENT', 'TEXT_MESSAGE_END', 'RUN_FINISHED']);
      assert.ok(events.slice(1, 4).every((event) => event.messageId === 'mine'));
    });

    it('RUN_FINISHED from the source ends the run with it, its ids filled in, and closes the source', async () => {
      const { events } = await run('finished-early');
      assert.deepEqual(types(events), ['RUN_STARTED', 'TEXT_MESSAGE_START', 'TEXT_MESSAGE_CONTENT', 'TEXT_MESSAGE_END', 'RUN_FINISHED']);
      assert.deepEqual(events.at(-1), { type: 'RUN_FINISHED', result: { answer: 42 }, threadId: 'thread-1', runId: 'run-1' });
      assert.deepEqual(trace['finished-early'], { pulled: 2, closed: true });
    });

    it('RUN_FINISHED that names its run keeps those ids', async () => {
      assert.deepEqual((await run('finished-named')).events.at(-1), { type: 'RUN_FINISHED', threadId: 'other-thread', runId: 'other-run' });
    });

    it('RUN_ERROR from the source ends the run with it and closes the source', async () => {
      const { events } = await run('run-error');
      assert.deepEqual(types(events), ['RUN_STARTED', 'TEXT_MESSAGE_START', 'TEXT_MESSAGE_CONTENT', 'TEXT_MESSAGE_END', 'RUN_ERROR']);
      assert.deepEqual(events.at(-1), { type: 'RUN_ERROR', message: 'gave up', code: 'GAVE_UP' });
      assert.deepEqual(trace['run-error'], { pulled: 2, closed: true });
    });
  });

  describe('a source that throws', () => {
    it('ends the stream with RUN_ERROR carrying the message, mid-message too, then ends cleanly', async () => {
      const { events, text, status } = await run('throws-mid-message', {}, 'req-throws-mid');
      assert.equal(status, 200);
      assert.deepEqual(types(events), ['RUN_STARTED', 'TEXT_MESSAGE_START', 'TEXT_MESSAGE_CONTENT', 'RUN_ERROR']);
      assert.deepEqual(events.at(-1), { type: 'RUN_ERROR', message: 'model stream broke' });
      assert.ok(text.endsWith('data: {"type":"RUN_ERROR","message":"model stream broke"}\n\n'));
      assert.equal((await invoke(server, 'ping', { 'content-type': 'text/plain' })).status, 400, 'the server keeps serving');
    });

    it('is logged as a failed stream with the request id', async () => {
      await run('throws-mid-message', {}, 'req-throws-logged');
      const record = server.logs.find((entry) => entry.level === 'error' && entry.requestId === 'req-throws-logged');
      assert.equal(record?.message, 'event stream failed after the response started');
      assert.equal(record?.errorType, 'RangeError');
      assert.equal(record?.errorMessage, 'model stream broke');
    });

    it('before any text still gets RUN_STARTED first: the stream is already open', async () => {
      assert.deepEqual((await run('throws-at-once')).events, [
        { type: 'RUN_STARTED', threadId: 'thread-1', runId: 'run-1', protocolVersion: '1.0' },
        { type: 'RUN_ERROR', message: 'no model' },
      ]);
    });

    it('carries the error\'s code, and turns a thrown non-Error into text', async () => {
      assert.deepEqual((await run('throws-http-error')).events.at(-1), { type: 'RUN_ERROR', message: 'model busy', code: 'MODEL_BUSY' });
      assert.deepEqual((await run('throws-string')).events.at(-1), { type: 'RUN_ERROR', message: 'a plain string' });
    });
  });

  describe('a source that yields what is not a text delta or an AG-UI event', () => {
    const cases: Array<[string, string]> = [
      ['yields-number', 'An AG-UI run source yields text deltas (strings) or AG-UI event objects, got number'],
      ['yields-null', 'An AG-UI run source yields text deltas (strings) or AG-UI event objects, got null'],
      ['yields-unknown-type', 'Unknown AG-UI event type: "THINKING_START"'],
      ['yields-run-started', 'An AG-UI run source must not yield RUN_STARTED: agUiEventStream sends it'],
      ['yields-bad-content', 'AG-UI TEXT_MESSAGE_CONTENT event needs a string delta'],
    ];
    for (const [name, message] of cases) {
      it(`ends the run with RUN_ERROR and closes the source: ${name}`, async () => {
        const { events } = await run(name);
        assert.deepEqual(events.at(-1), { type: 'RUN_ERROR', message });
        assert.equal(trace[name]!.closed, true);
        assert.ok(!events.some((event) => event.delta === 'never'));
      });
    }
  });

  describe('a client that goes away', () => {
    it('stops the source at once', async () => {
      const stream = openStream(server.port, { threadId: 't', runId: 'r', messages: [], forwardedProps: { source: 'endless' } });
      await stream.events(4);
      stream.abort();
      assert.ok(await waitFor(() => trace.endless?.closed === true), 'the source was not closed');
      const pulled = trace.endless!.pulled;
      await sleep(30);
      assert.equal(trace.endless!.pulled, pulled, 'the source kept running');
      assert.equal((jsonData(stream.reader)[0] as Event).type, 'RUN_STARTED');
    });
  });
});

describe('an AG-UI stream fed by a sync source, read by a fast client', () => {
  /** The bound, as for the plain pipe: /ping within 50 ms of a request while the run streams. */
  const PING_BOUND_MS = 50;

  async function pingsWhileStreaming(t: Parameters<typeof useApp>[0], source: () => Iterable<AgUiStreamItem>, readForMs?: number) {
    const server = await useApp(t, { logLevel: 'silent' }, (app) => app.entrypoint((payload: RunAgentInput) => agUiEventStream(payload, source())));
    return readFastWhilePinging(server.port, { threadId: 't', runId: 'r' }, readForMs);
  }

  for (const deltaBytes of [1024, 20 * 1024]) {
    it(`leaves /ping answering while ${deltaBytes / 1024} KB deltas stream`, async (t) => {
      const outcome = await pingsWhileStreaming(t, function* () {
        const delta = 'x'.repeat(deltaBytes);
        for (let index = 0; index < (4 * 1024 **3) / deltaBytes; index++) yield delta;
      });
      const latencies = outcome.duringStream.map((ms) => Math.round(ms));
      assert.equal(outcome.ended, false, 'the run was still streaming when the reader stopped');
      assert.ok(latencies.length >= 10, `only ${latencies.length} pings answered while streaming: ${latencies.join(', ')} ms`);
      assert.ok(quantile(latencies, 0.5) <= PING_BOUND_MS, `/ping latencies while streaming: ${latencies.join(', ')} ms`);
    });
  }

  it('leaves /ping answering while the source yields hundreds of thousands of empty deltas, which make no events', async (t) => {
    const outcome = await pingsWhileStreaming(t, function* () {
      for (let index = 0; index < 300_000; index++) yield '';
      yield 'done';
    }, 20_000);
    const latencies = outcome.duringStream.map((ms) => Math.round(ms));
    assert.equal(outcome.ended, true, 'the run ends once the source does');
    assert.ok(latencies.length >= 5, `only ${latencies.length} pings answered while the empty deltas were skipped: ${latencies.join(', ')} ms`);
    assert.ok(quantile(latencies, 0.5) <= PING_BOUND_MS, `/ping latencies while streaming: ${latencies.join(', ')} ms`);
  });
});

describe('an AG-UI event stream used directly', () => {
  async function collect(source: AgUiSource, run = { threadId: 't', runId: 'r' }): Promise<AgUiEvent[]> {
    const events: AgUiEvent[] = [];
    for await (const event of agUiEventStream(run, source)) events.push(event);
    return events;
  }

  it('is an async iterable of the events, and stays done once done', async () => {
    const stream = agUiEventStream({ threadId: 't', runId: 'r' }, ['hi']);
    assert.equal(stream[Symbol.asyncIterator](), stream);
    assert.deepEqual((await collect(['hi'])).map((event) => event.type), ['RUN_STARTED', 'TEXT_MESSAGE_START', 'TEXT_MESSAGE_CONTENT', 'TEXT_MESSAGE_END', 'RUN_FINISHED']);
    for await (const event of stream) void event;
    assert.deepEqual(await stream.next(), { done: true, value: undefined });
  });

  it('names its thread and run, generating both when not given', () => {
    const stream = agUiEventStream({}, []);
    assert.match(stream.threadId, UUID);
    assert.match(stream.runId, UUID);
    assert.notEqual(stream.threadId, stream.runId);
    const named = agUiEventStream({ threadId: 't', runId: 'r' }, []);
    assert.deepEqual([named.threadId, named.runId], ['t', 'r']);
  });

  it('rejects next() with the source\'s error, then is done', async () => {
    const stream = agUiEventStream({ threadId: 't', runId: 'r' }, traced('direct-throw', ['a'], new Error('broke')));
    assert.equal((await stream.next()).value?.type, 'RUN_STARTED');
    assert.equal((await stream.next()).value?.type, 'TEXT_MESSAGE_START');
    assert.equal((await stream.next()).value?.type, 'TEXT_MESSAGE_CONTENT');
    await assert.rejects(stream.next(), { message: 'broke' });
    assert.deepEqual(await stream.next(), { done: true, value: undefined });
  });

  it('carries runErrorEvent as its STREAM_ERROR_EVENT, for the app to write a failure as RUN_ERROR', () => {
    const stream = agUiEventStream({ threadId: 't', runId: 'r' }, []);
    const error = new HttpError(500, 'x', { code: 'X' });
    assert.deepEqual(stream[STREAM_ERROR_EVENT](error), runErrorEvent(error));
    assert.deepEqual(stream[STREAM_ERROR_EVENT](new Error('x')), { type: 'RUN_ERROR', message: 'x' });
    assert.deepEqual(Object.getOwnPropertySymbols(stream), [], 'a method, not a field on every stream');
  });

  it('return() closes the source and drops what is pending, at once', async () => {
    const stream = agUiEventStream({ threadId: 't', runId: 'r' }, traced('direct-return', ['a', 'b']));
    await stream.next();
    await stream.next();
    assert.deepEqual(await stream.return(), { done: true, value: undefined });
    assert.deepEqual(trace['direct-return'], { pulled: 1, closed: true });
    assert.deepEqual(await stream.next(), { done: true, value: undefined });
    assert.deepEqual(await stream.return(), { done: true, value: undefined });
  });

  it('return() while the source is busy does not wait for it, and drops the item it then yields', async () => {
    let release: (result: IteratorResult<AgUiStreamItem>) => void = () => {};
    let returned = 0;
    const source = {
      [Symbol.asyncIterator]: () => ({
        next: () => new Promise<IteratorResult<AgUiStreamItem>>((resolve) => (release = resolve)),
        return: () => {
          returned++;
          return Promise.resolve({ done: true as const, value: undefined });
        },
      }),
    };
    const stream = agUiEventStream({ threadId: 't', runId: 'r' }, source);
    await stream.next();
    const pending = stream.next();
    await sleep(1);
    assert.deepEqual(await stream.return(), { done: true, value: undefined });
    assert.equal(returned, 1);
    release({ done: false, value: 'late' });
    assert.deepEqual(await pending, { done: true, value: undefined });
  });

  it('return() while the source is busy swallows the failure that follows (often the abort itself)', async () => {
    let fail: (error: Error) => void = () => {};
    const source = {
      [Symbol.asyncIterator]: () => ({ next: () => new Promise<IteratorResult<AgUiStreamItem>>((_resolve, reject) => (fail = reject)) }),
    };
    const stream = agUiEventStream({ threadId: 't', runId: 'r' }, source);
    await stream.next();
    const pending = stream.next();
    await sleep(1);
    await stream.return();
    fail(new Error('aborted'));
    assert.deepEqual(await pending, { done: true, value: undefined });
  });

  it('survives a source whose return() throws or rejects', async () => {
    for (const close of [() => Promise.reject(new Error('cleanup failed')), () => { throw new Error('cleanup threw'); }]) {
      const source = { [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ done: false as const, value: 5 as unknown as string }), return: close }) };
      const stream = agUiEventStream({ threadId: 't', runId: 'r' }, source);
      await stream.next();
      await assert.rejects(stream.next(), TypeError);
    }
  });

  it('fails on the first pull when the source cannot be iterated after all', async () => {
    const source = { [Symbol.asyncIterator]: () => { throw new Error('no iterator'); } } as unknown as AgUiSource;
    const stream = agUiEventStream({ threadId: 't', runId: 'r' }, source);
    await stream.next();
    await assert.rejects(stream.next(), { message: 'no iterator' });
  });

  it('rejects a source that is not an iterable object, and ids that are not strings, with a TypeError', () => {
    assert.throws(() => agUiEventStream({}, 'text' as unknown as AgUiSource), { name: 'TypeError', message: /async generator or another iterable/ });
    assert.throws(() => agUiEventStream({}, {} as AgUiSource), TypeError);
    assert.throws(() => agUiEventStream({}, null as unknown as AgUiSource), TypeError);
    assert.throws(() => agUiEventStream(null as unknown as object, []), { message: /expects the run/ });
    assert.throws(() => agUiEventStream({ threadId: 5 as unknown as string }, []), { message: 'agUiEventStream: threadId must be a string' });
    assert.throws(() => agUiEventStream({ runId: null as unknown as string }, []), { message: 'agUiEventStream: runId must be a string' });
  });
});
