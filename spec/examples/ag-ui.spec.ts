import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { app } from '../../examples/ag-ui.js';
import { spawnAgent } from '../support/agent-process.js';
import { jsonData, parseSse } from '../support/sse-reader.js';

const EXAMPLE_PATH = fileURLToPath(new URL('../../examples/ag-ui.js', import.meta.url));
/**
 * A directory where AG-UI's own client is installed (`npm install --prefix <dir> @ag-ui/client`).
 * Set, the example is also driven by its `HttpAgent`; unset, those tests are skipped. The client
 * is never a dependency of this package.
 */
const AG_UI_CLIENT_DIR = process.env.AG_UI_CLIENT_DIR;

type Event = Record<string, unknown> & { type: string };

/** POSTs a RunAgentInput whose last user message is `text`; resolves with the status and events. */
async function run(url: string, text: string): Promise<{ status: number; events: Event[] }> {
  const response = await fetch(`${url}/invocations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ threadId: 'thread-1', runId: 'run-1', messages: [{ id: 'u1', role: 'user', content: text }] }),
  });
  return { status: response.status, events: jsonData(parseSse(await response.text())) as Event[] };
}

describe('the AG-UI example agent', { timeout: 20_000 }, () => {
  let url: string;
  before(async () => {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${address.port}`;
  });
  after(() => app.close({ graceMs: 0 }));

  it('echoes the last user message word by word in one assistant message, from RUN_STARTED to RUN_FINISHED', async () => {
    const { status, events } = await run(url, 'hello   agent  world');
    assert.equal(status, 200);
    assert.deepEqual(events.map((event) => event.type), [
      'RUN_STARTED',
      'TEXT_MESSAGE_START',
      'TEXT_MESSAGE_CONTENT',
      'TEXT_MESSAGE_CONTENT',
      'TEXT_MESSAGE_CONTENT',
      'TEXT_MESSAGE_END',
      'RUN_FINISHED',
    ]);
    assert.deepEqual(events[0], { type: 'RUN_STARTED', threadId: 'thread-1', runId: 'run-1', protocolVersion: '1.0' });
    assert.deepEqual(events.slice(2, 5).map((event) => event.delta), ['hello', ' agent', ' world']);
    assert.deepEqual(events.at(-1), { type: 'RUN_FINISHED', threadId: 'thread-1', runId: 'run-1' });
  });

  it('ends with RUN_ERROR when the message is exactly "fail"', async () => {
    const { status, events } = await run(url, 'fail');
    assert.equal(status, 200);
    assert.deepEqual(events, [
      { type: 'RUN_STARTED', threadId: 'thread-1', runId: 'run-1', protocolVersion: '1.0' },
      { type: 'RUN_ERROR', message: 'The agent failed, as asked' },
    ]);
    assert.equal((await run(url, 'fail please')).events.at(-1)!.type, 'RUN_FINISHED', 'only the exact message fails');
  });

  it('asks for a message when there is none to echo', async () => {
    const { events } = await run(url, '  ');
    assert.equal(events[2]!.delta, 'Say something and I will echo it.');
  });

  it('answers a body that is not a RunAgentInput with a 400 naming the field', async () => {
    const response = await fetch(`${url}/invocations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ threadId: 't', messages: [{ id: 'u1', role: 'user', content: 42 }] }),
    });
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { field: string }).field, 'messages[0].content');
  });

  it('serves when run as a program', async () => {
    const agent = await spawnAgent(EXAMPLE_PATH);
    try {
      const { events } = await run(`http://127.0.0.1:${agent.port}`, 'from a child');
      assert.equal(events.at(-1)!.type, 'RUN_FINISHED');
    } finally {
      agent.child.kill('SIGTERM');
    }
  });

  describe('driven by AG-UI\'s own client (HttpAgent)', { skip: AG_UI_CLIENT_DIR === undefined && 'set AG_UI_CLIENT_DIR to a directory where @ag-ui/client is installed' }, () => {
    interface RunResult {
      newMessages: Array<{ role: string; content?: unknown }>;
    }
    interface HttpAgentLike {
      messages: Array<{ role: string; content?: unknown }>;
      runAgent(parameters: object, subscriber: object): Promise<RunResult>;
    }
    type HttpAgentClass = new (config: { url: string; threadId?: string; initialMessages?: unknown[] }) => HttpAgentLike;

    let HttpAgent: HttpAgentClass;
    before(() => {
      const require = createRequire(join(AG_UI_CLIENT_DIR!, 'package.json'));
      HttpAgent = (require('@ag-ui/client') as { HttpAgent: HttpAgentClass }).HttpAgent;
    });

    function agent(text: string): HttpAgentLike {
      return new HttpAgent({ url: `${url}/invocations`, threadId: 'thread-client', initialMessages: [{ id: 'u1', role: 'user', content: text }] });
    }

    it('completes a run and adds the echoed assistant message', async () => {
      const types: string[] = [];
      const client = agent('hello from the client');
      const result = await client.runAgent({}, { onEvent: ({ event }: { event: Event }) => void types.push(event.type) });
      assert.deepEqual(types, ['RUN_STARTED', 'TEXT_MESSAGE_START', 'TEXT_MESSAGE_CONTENT', 'TEXT_MESSAGE_CONTENT', 'TEXT_MESSAGE_CONTENT', 'TEXT_MESSAGE_CONTENT', 'TEXT_MESSAGE_END', 'RUN_FINISHED']);
      assert.deepEqual(result.newMessages.map((message) => [message.role, message.content]), [['assistant', 'hello from the client']]);
    });

    it('sees RUN_ERROR, with its message, for "fail"', async () => {
      const errors: Event[] = [];
      const client = agent('fail');
      const result = await client.runAgent({}, { onRunErrorEvent: ({ event }: { event: Event }) => void errors.push(event) });
      assert.deepEqual(errors, [{ type: 'RUN_ERROR', message: 'The agent failed, as asked' }]);
      assert.deepEqual(result.newMessages, []);
    });
  });
});
