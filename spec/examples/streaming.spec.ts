import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useHttpServer } from '../support/server.js';
import { parseSse } from '../support/sse-reader.js';
import { waitFor } from '../support/stream-client.js';

describe('examples/streaming.ts', () => {
  it('streams progress events and leaves a report task running after the stream', async (t) => {
    const { app } = await import('../../examples/streaming.js');
    const { url } = await useHttpServer(t, app.requestListener);
    const response = await fetch(`${url}/invocations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ steps: 2, report_seconds: 0.3 }),
    });
    const events = parseSse(await response.text()).events;
    assert.deepEqual(events.map((event) => [event.type, event.lastEventId]), [
      ['message', ''],
      ['progress', '1'],
      ['progress', '2'],
      ['done', '2'],
    ]);
    assert.deepEqual(JSON.parse(events[2]!.data), { step: 2, percent: 100 });
    assert.equal(app.getCurrentPingStatus(), 'HealthyBusy');
    assert.ok(await waitFor(() => app.getCurrentPingStatus() === 'Healthy', 2000));
  });
});
