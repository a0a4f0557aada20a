import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { invoke, startApp, type TestServer } from '../support/server.js';
import { parseSse } from '../support/sse-reader.js';

/** The body from issue #12: 3,000 nested arrays, about 6 KB, well inside every body limit. */
const NESTING = 3000;
const DEEP_BODY = '['.repeat(NESTING) + ']'.repeat(NESTING);

describe('a result that cannot be serialized faithfully', () => {
  let server: TestServer;
  before(async () => {
    server = await startApp({}, (app) =>
      app.entrypoint((payload: unknown, context) => {
        const kind = context.request.headers['x-kind'];
        if (kind === 'promised') return Promise.resolve({ echo: payload });
        if (kind === 'stream') return (function* () { yield 'first'; yield { echo: payload }; })();
        if (kind === 'getter') return { get broken(): never { throw new Error('getter failed'); } };
        return { echo: payload };
      }),
    );
  });
  after(() => server.close());

  const deep = (kind: string) => invoke(server, DEEP_BODY, { 'content-type': 'application/json', 'x-kind': kind });

  for (const [kind, how] of [['plain', 'directly'], ['promised', 'in a promise']] as const) {
    it(`answers a ${NESTING}-deep echo returned ${how} with a JSON 500 UNSERIALIZABLE_RESULT, logged, and keeps serving`, async () => {
      const response = await deep(kind);
      assert.equal(response.status, 500);
      assert.match(response.headers.get('content-type')!, /application\/json/);
      const body = response.json() as { code: string; error: string };
      assert.equal(body.code, 'UNSERIALIZABLE_RESULT');
      assert.match(body.error, /nested deeper than/);
      assert.ok(server.logs.some((record) => record.level === 'error' && record.code === 'UNSERIALIZABLE_RESULT'));
      assert.deepEqual((await invoke(server, [1])).json(), { echo: [1] });
    });
  }

  it('ends an event stream whose item is too deep with the error event', async () => {
    const response = await deep('stream');
    assert.equal(response.status, 200);
    const events = parseSse(response.text).events.map((event) => JSON.parse(event.data) as unknown);
    assert.equal(events[0], 'first');
    assert.equal((events[1] as { error_type: string }).error_type, 'UnserializableResultError');
  });

  it('writes a marker where a getter throws, instead of failing the answer', async () => {
    const response = await invoke(server, {}, { 'content-type': 'application/json', 'x-kind': 'getter' });
    assert.equal(response.status, 200);
    assert.deepEqual(response.json(), { broken: '[Unserializable: getter failed]' });
  });
});
