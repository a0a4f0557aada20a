import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HttpError, STREAM_ERROR_EVENT, sseEvent, sseRaw, withStreamErrorEvent, type StreamErrorEvent } from '../../lib/index.js';
import { streamErrorEventOf } from '../../lib/streaming/stream-error.js';
import { invoke, startApp, type TestServer } from '../support/server.js';
import { jsonData, parseSse } from '../support/sse-reader.js';

/** An async generator that yields `items`, then throws `error`. */
async function* failingAfter(items: unknown[], error: unknown): AsyncGenerator<unknown> {
  for (const item of items) yield item;
  throw error;
}

const errorEvents: Record<string, StreamErrorEvent> = {
  object: (error) => ({ type: 'failed', reason: (error as Error).message }),
  'sse-event': (error) => sseEvent({ event: 'failure', data: { reason: (error as Error).message } }),
  raw: () => sseRaw('event: bye\ndata: bye\n\n'),
  nothing: () => undefined,
  throws: () => {
    throw new Error('the error event itself broke');
  },
};

describe('withStreamErrorEvent()', () => {
  let server: TestServer;
  before(async () => {
    server = await startApp({}, (app) =>
      app.entrypoint((payload: { kind: string; first?: boolean }) => {
        const error = new RangeError('broke mid-stream');
        if (payload.kind === 'default') return failingAfter(['one'], error);
        if (payload.kind === 'first') return withStreamErrorEvent(failingAfter([], new HttpError(409, 'conflict', { code: 'CONFLICT' })), errorEvents.object!);
        return withStreamErrorEvent(failingAfter(['one'], error), errorEvents[payload.kind]!);
      }),
    );
  });
  after(() => server.close());

  async function stream(kind: string, requestId: string): Promise<{ status: number; type: string | null; text: string }> {
    const response = await invoke(server, { kind }, { 'content-type': 'application/json', 'X-Amzn-Bedrock-AgentCore-Runtime-Request-Id': requestId });
    return { status: response.status, type: response.headers.get('content-type'), text: response.text };
  }

  it('ends a failing stream with the stream\'s own error event, encoded like its other items', async () => {
    const { status, type, text } = await stream('object', 'req-object');
    assert.equal(status, 200);
    assert.equal(type, 'text/event-stream');
    assert.equal(text, 'data: "one"\n\ndata: {"type":"failed","reason":"broke mid-stream"}\n\n');
  });

  it('writes an SseEvent or SseRaw error event with its own fields', async () => {
    assert.deepEqual(parseSse((await stream('sse-event', 'req-sse')).text).events.at(-1), {
      type: 'failure',
      data: '{"reason":"broke mid-stream"}',
      lastEventId: '',
    });
    assert.equal((await stream('raw', 'req-raw')).text, 'data: "one"\n\nevent: bye\ndata: bye\n\n');
  });

  it('ends the stream cleanly with nothing more written when the error event is undefined', async () => {
    assert.equal((await stream('nothing', 'req-nothing')).text, 'data: "one"\n\n');
  });

  it('still logs the failure with the request id', async () => {
    await stream('object', 'req-logged');
    const record = server.logs.find((entry) => entry.level === 'error' && entry.requestId === 'req-logged');
    assert.equal(record?.message, 'event stream failed after the response started');
    assert.equal(record?.errorMessage, 'broke mid-stream');
  });

  it('falls back to the default error frame, and logs why, when the error event throws', async () => {
    const { text } = await stream('throws', 'req-throws');
    assert.deepEqual(jsonData(parseSse(text)), ['one', { error: 'broke mid-stream', error_type: 'RangeError', message: 'broke mid-stream' }]);
    const record = server.logs.find((entry) => entry.requestId === 'req-throws' && entry.errorMessage === 'the error event itself broke');
    assert.equal(record?.level, 'error');
  });

  it('leaves unmarked streams with the default error frame', async () => {
    assert.deepEqual(jsonData(parseSse((await stream('default', 'req-default')).text)), [
      'one',
      { error: 'broke mid-stream', error_type: 'RangeError', message: 'broke mid-stream' },
    ]);
  });

  it('does not change a failure before the first item: that is still an ordinary error answer', async () => {
    const response = await invoke(server, { kind: 'first' });
    assert.equal(response.status, 409);
    assert.deepEqual(response.json(), { error: 'conflict', code: 'CONFLICT' });
  });

  it('returns the same stream, marked under a registered, non-enumerable symbol', () => {
    const stream = failingAfter([], new Error('unused'));
    const toEvent: StreamErrorEvent = () => 'bye';
    assert.equal(withStreamErrorEvent(stream, toEvent), stream);
    assert.equal(STREAM_ERROR_EVENT, Symbol.for('agentcore-lite.streamErrorEvent'));
    assert.equal(streamErrorEventOf(stream), toEvent);
    assert.deepEqual(Object.keys(stream), []);
    assert.equal(JSON.stringify({ ...stream }), '{}');
    void stream.return(undefined);
  });

  it('reads the marker from a class that defines it as a method', () => {
    class Marked {
      [STREAM_ERROR_EVENT](error: unknown): unknown {
        return { failed: String(error) };
      }
    }
    assert.deepEqual(streamErrorEventOf(new Marked())?.('x'), { failed: 'x' });
    assert.equal(streamErrorEventOf({ [STREAM_ERROR_EVENT]: 'not a function' }), undefined);
  });

  it('rejects a non-object stream, a non-function error event and a frozen stream with a TypeError', () => {
    assert.throws(() => withStreamErrorEvent('text' as unknown as object, () => undefined), TypeError);
    assert.throws(() => withStreamErrorEvent(null as unknown as object, () => undefined), TypeError);
    assert.throws(() => withStreamErrorEvent({}, 'no' as unknown as StreamErrorEvent), TypeError);
    assert.throws(() => withStreamErrorEvent(Object.freeze({}), () => undefined), TypeError);
  });
});
