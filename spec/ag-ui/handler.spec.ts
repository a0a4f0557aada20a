import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { agUiHandler, type AgUiAgent, type RunAgentInput } from '../../lib/ag-ui/index.js';
import { HttpError, type RequestContext } from '../../lib/index.js';
import { invoke, startApp, type TestServer } from '../support/server.js';
import { jsonData, parseSse } from '../support/sse-reader.js';

describe('agUiHandler()', () => {
  let server: TestServer;
  let seen: { input: RunAgentInput; context: RequestContext } | undefined;
  const agents: Record<string, AgUiAgent> = {
    echo: (input, context) => {
      seen = { input, context };
      return (async function* () {
        yield `thread ${input.threadId}`;
      })();
    },
    async: async () => ['from a promise'],
    'throws-http-error': () => {
      throw new HttpError(401, 'who are you?', { code: 'UNAUTHENTICATED' });
    },
    throws: () => {
      throw new TypeError('agent setup failed');
    },
    rejects: () => Promise.reject(new HttpError(503, 'model unavailable', { code: 'MODEL_UNAVAILABLE' })),
  };

  before(async () => {
    server = await startApp({}, (app) =>
      app.entrypoint((payload: { forwardedProps?: { agent?: string } }, context) =>
        agUiHandler(agents[payload?.forwardedProps?.agent ?? 'echo']!)(payload, context),
      ),
    );
  });
  after(() => server.close());

  const body = (agent: string): Record<string, unknown> => ({ threadId: 'thread-9', runId: 'run-9', messages: [], forwardedProps: { agent } });

  it('gives the agent the parsed input and the request context, and streams its run', async () => {
    const response = await invoke(server, body('echo'), { 'content-type': 'application/json', 'X-Amzn-Bedrock-AgentCore-Runtime-Request-Id': 'req-echo' });
    assert.equal(response.headers.get('content-type'), 'text/event-stream');
    const events = jsonData(parseSse(response.text)) as Array<{ type: string; delta?: string }>;
    assert.deepEqual(events.map((event) => event.type), ['RUN_STARTED', 'TEXT_MESSAGE_START', 'TEXT_MESSAGE_CONTENT', 'TEXT_MESSAGE_END', 'RUN_FINISHED']);
    assert.equal(events[2]!.delta, 'thread thread-9');
    assert.deepEqual(seen?.input.tools, [], 'the input was parsed, defaults filled');
    assert.equal(seen?.context.requestId, 'req-echo');
  });

  it('streams the source an async agent resolves with', async () => {
    const events = jsonData(parseSse((await invoke(server, body('async'))).text)) as Array<{ delta?: string }>;
    assert.equal(events[2]!.delta, 'from a promise');
  });

  it('answers a bad body with a 400 naming the field, without calling the agent', async () => {
    seen = undefined;
    const response = await invoke(server, { threadId: 't', messages: 'none' });
    assert.equal(response.status, 400);
    assert.deepEqual(response.json(), { error: 'Invalid RunAgentInput: messages must be an array, got the string "none"', code: 'INVALID_RUN_AGENT_INPUT', field: 'messages' });
    assert.equal(seen, undefined);
  });

  it('answers an agent that fails before its stream starts with an HTTP error: an HttpError keeps its status', async () => {
    const unauthenticated = await invoke(server, body('throws-http-error'));
    assert.equal(unauthenticated.status, 401);
    assert.deepEqual(unauthenticated.json(), { error: 'who are you?', code: 'UNAUTHENTICATED' });
    const failed = await invoke(server, body('throws'));
    assert.equal(failed.status, 500);
    assert.deepEqual(failed.json(), { error: 'agent setup failed', code: 'HANDLER_ERROR', error_type: 'TypeError' });
    const rejected = await invoke(server, body('rejects'));
    assert.equal(rejected.status, 503);
    assert.equal((rejected.json() as { code: string }).code, 'MODEL_UNAVAILABLE');
  });

  it('rejects an agent that is not a function with a TypeError', () => {
    assert.throws(() => agUiHandler('agent' as unknown as AgUiAgent), { name: 'TypeError', message: 'agUiHandler expects the agent function' });
  });
});
