import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  INVALID_RUN_AGENT_INPUT,
  InvalidRunAgentInputError,
  lastUserText,
  parseRunAgentInput,
  type Message,
  type RunAgentInput,
} from '../../lib/ag-ui/index.js';
import { HttpError } from '../../lib/index.js';
import { invoke, startApp, type TestServer } from '../support/server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A body with every kind of message, part, tool, context and resume entry the schema knows. */
function fullInput(): Record<string, unknown> {
  return {
    threadId: 'thread-1',
    runId: 'run-1',
    protocolVersion: '1.0',
    parentRunId: 'run-0',
    state: { step: 2 },
    messages: [
      { id: 'd1', role: 'developer', content: 'Be brief.', name: 'dev', encryptedValue: 'e', metadata: { k: null } },
      { id: 's1', role: 'system', content: 'You echo.' },
      {
        id: 'a1',
        role: 'assistant',
        content: 'Calling.',
        toolCalls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{"q":1}' }, encryptedValue: 'x', metadata: {} }],
        subagentRunId: 'sub-1',
      },
      { id: 'a2', role: 'assistant' },
      { id: 't1', role: 'tool', toolCallId: 'c1', content: 'found', error: 'partly' },
      {
        id: 'u1',
        role: 'user',
        content: [
          { type: 'text', text: 'Look at ', id: 'p1' },
          { type: 'image', source: { type: 'data', value: 'aGk=', mimeType: 'image/png' } },
          { type: 'audio', source: { type: 'url', value: 'https://example.com/a.mp3' } },
          { type: 'video', source: { type: 'url', value: 'https://example.com/v.mp4', mimeType: 'video/mp4' } },
          { type: 'document', source: { type: 'file', value: 'file-123', provider: 'openai', mimeType: 'application/pdf' } },
          { type: 'text', text: 'this.' },
        ],
      },
      { id: 'ac1', role: 'activity', activityType: 'progress', content: { percent: 40 } },
      { id: 'r1', role: 'reasoning', content: 'Thinking.', encryptedValue: 'z' },
    ],
    tools: [{ name: 'lookup', description: 'Looks things up', parameters: { type: 'object' }, metadata: { ui: 'card' } }],
    context: [{ description: 'locale', value: 'en-GB' }],
    forwardedProps: { theme: 'dark' },
    resume: [{ interruptId: 'i1', status: 'resolved', payload: { ok: true }, metadata: {} }, { interruptId: 'i2', status: 'cancelled' }],
    extension: { kept: true },
  };
}

/** The error `parseRunAgentInput` throws for `payload`. */
function rejection(payload: unknown): InvalidRunAgentInputError {
  try {
    parseRunAgentInput(payload);
  } catch (error) {
    assert.ok(error instanceof InvalidRunAgentInputError, `not an InvalidRunAgentInputError: ${String(error)}`);
    return error;
  }
  assert.fail(`accepted ${JSON.stringify(payload)}`);
}

/** `fullInput()` with `change` applied. */
function changed(change: (input: any) => void): Record<string, unknown> {
  const input = fullInput();
  change(input);
  return input;
}

describe('parseRunAgentInput()', () => {
  describe('a valid body', () => {
    it('is returned typed, with every field and every unknown field kept', () => {
      const payload = fullInput();
      const input = parseRunAgentInput(payload);
      assert.deepEqual(input, payload);
      assert.equal(input.messages[5]!.role, 'user');
    });

    it('is not modified, and nested values are the very objects it came with', () => {
      const payload = fullInput();
      const copy = structuredClone(payload);
      const input = parseRunAgentInput(payload);
      assert.deepEqual(payload, copy);
      assert.notEqual(input, payload);
      assert.equal(input.messages, payload.messages);
      assert.equal(input.tools, payload.tools);
    });

    it('needs only threadId and messages: runId is generated, tools and context default to []', () => {
      const first = parseRunAgentInput({ threadId: 't', messages: [] });
      const second = parseRunAgentInput({ threadId: 't', messages: [] });
      assert.match(first.runId, UUID);
      assert.notEqual(first.runId, second.runId);
      assert.deepEqual({ ...first, runId: 'x' }, { threadId: 't', runId: 'x', messages: [], tools: [], context: [] });
    });

    it('reads pre-1.0 nulls as absent: state, forwardedProps, tool parameters, resume payload, part metadata', () => {
      const payload = {
        threadId: 't',
        runId: 'r',
        state: null,
        forwardedProps: null,
        messages: [{ id: 'u', role: 'user', content: [{ type: 'text', text: 'hi', metadata: null }, { type: 'image', source: { type: 'url', value: 'u' }, metadata: null }] }],
        tools: [{ name: 'n', description: 'd', parameters: null }],
        resume: [{ interruptId: 'i', status: 'resolved', payload: null }],
      };
      const copy = structuredClone(payload);
      const input = parseRunAgentInput(payload);
      assert.deepEqual(input, {
        threadId: 't',
        runId: 'r',
        messages: [{ id: 'u', role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'image', source: { type: 'url', value: 'u' } }] }],
        tools: [{ name: 'n', description: 'd' }],
        context: [],
        resume: [{ interruptId: 'i', status: 'resolved' }],
      });
      assert.ok(!('state' in input) && !('forwardedProps' in input));
      assert.deepEqual(payload, copy, 'the payload itself keeps its nulls');
    });

    it('takes AG-UI\'s own client request: empty tools and context, state and forwardedProps objects', () => {
      const input = parseRunAgentInput({
        threadId: 'thread',
        runId: 'run',
        protocolVersion: '1.0',
        tools: [],
        context: [],
        forwardedProps: {},
        state: {},
        messages: [{ id: 'u1', role: 'user', content: 'hello' }],
      });
      assert.equal(lastUserText(input), 'hello');
    });
  });

  describe('a bad body', () => {
    const cases: Array<[string, unknown, string]> = [
      ['not an object', 'hello', ''],
      ['an array', [1], ''],
      ['null', null, ''],
      ['no threadId', changed((input) => delete input.threadId), 'threadId'],
      ['a numeric threadId', changed((input) => (input.threadId = 7)), 'threadId'],
      ['a null runId', changed((input) => (input.runId = null)), 'runId'],
      ['a numeric protocolVersion', changed((input) => (input.protocolVersion = 1)), 'protocolVersion'],
      ['a null parentRunId', changed((input) => (input.parentRunId = null)), 'parentRunId'],
      ['no messages', changed((input) => delete input.messages), 'messages'],
      ['messages not an array', changed((input) => (input.messages = {})), 'messages'],
      ['a message that is not an object', changed((input) => (input.messages[0] = 'hi')), 'messages[0]'],
      ['a message without id', changed((input) => delete input.messages[1].id), 'messages[1].id'],
      ['an unknown role', changed((input) => (input.messages[1].role = 'bot')), 'messages[1].role'],
      ['no role', changed((input) => delete input.messages[1].role), 'messages[1].role'],
      ['a numeric subagentRunId', changed((input) => (input.messages[2].subagentRunId = 1)), 'messages[2].subagentRunId'],
      ['null metadata', changed((input) => (input.messages[0].metadata = null)), 'messages[0].metadata'],
      ['array metadata', changed((input) => (input.messages[0].metadata = [])), 'messages[0].metadata'],
      ['a numeric name', changed((input) => (input.messages[0].name = 1)), 'messages[0].name'],
      ['a null encryptedValue', changed((input) => (input.messages[7].encryptedValue = null)), 'messages[7].encryptedValue'],
      ['developer content not a string', changed((input) => (input.messages[0].content = ['x'])), 'messages[0].content'],
      ['system without content', changed((input) => delete input.messages[1].content), 'messages[1].content'],
      ['reasoning content not a string', changed((input) => (input.messages[7].content = 5)), 'messages[7].content'],
      ['assistant content not a string', changed((input) => (input.messages[3].content = [])), 'messages[3].content'],
      ['toolCalls not an array', changed((input) => (input.messages[2].toolCalls = {})), 'messages[2].toolCalls'],
      ['a tool call without id', changed((input) => delete input.messages[2].toolCalls[0].id), 'messages[2].toolCalls[0].id'],
      ['a tool call of another type', changed((input) => (input.messages[2].toolCalls[0].type = 'code')), 'messages[2].toolCalls[0].type'],
      ['a tool call without function', changed((input) => delete input.messages[2].toolCalls[0].function), 'messages[2].toolCalls[0].function'],
      ['a function without name', changed((input) => delete input.messages[2].toolCalls[0].function.name), 'messages[2].toolCalls[0].function.name'],
      [
        'parsed arguments',
        changed((input) => (input.messages[2].toolCalls[0].function.arguments = { q: 1 })),
        'messages[2].toolCalls[0].function.arguments',
      ],
      ['a numeric tool call encryptedValue', changed((input) => (input.messages[2].toolCalls[0].encryptedValue = 1)), 'messages[2].toolCalls[0].encryptedValue'],
      ['null tool call metadata', changed((input) => (input.messages[2].toolCalls[0].metadata = null)), 'messages[2].toolCalls[0].metadata'],
      ['tool message without toolCallId', changed((input) => delete input.messages[4].toolCallId), 'messages[4].toolCallId'],
      ['a numeric tool error', changed((input) => (input.messages[4].error = 500)), 'messages[4].error'],
      ['tool content of another kind', changed((input) => (input.messages[4].content = 42)), 'messages[4].content'],
      ['user content missing', changed((input) => delete input.messages[5].content), 'messages[5].content'],
      ['a part that is not an object', changed((input) => (input.messages[5].content[0] = 'x')), 'messages[5].content[0]'],
      ['a part of unknown type', changed((input) => (input.messages[5].content[0].type = 'binary')), 'messages[5].content[0].type'],
      ['a text part without text', changed((input) => delete input.messages[5].content[0].text), 'messages[5].content[0].text'],
      ['a numeric part id', changed((input) => (input.messages[5].content[0].id = 3)), 'messages[5].content[0].id'],
      ['a media part without source', changed((input) => delete input.messages[5].content[1].source), 'messages[5].content[1].source'],
      ['a source of unknown type', changed((input) => (input.messages[5].content[1].source.type = 'blob')), 'messages[5].content[1].source.type'],
      ['a source without value', changed((input) => delete input.messages[5].content[2].source.value), 'messages[5].content[2].source.value'],
      ['a data source without mimeType', changed((input) => delete input.messages[5].content[1].source.mimeType), 'messages[5].content[1].source.mimeType'],
      ['a numeric url mimeType', changed((input) => (input.messages[5].content[3].source.mimeType = 1)), 'messages[5].content[3].source.mimeType'],
      ['a numeric file provider', changed((input) => (input.messages[5].content[4].source.provider = 1)), 'messages[5].content[4].source.provider'],
      ['activity without activityType', changed((input) => delete input.messages[6].activityType), 'messages[6].activityType'],
      ['activity content not an object', changed((input) => (input.messages[6].content = 'x')), 'messages[6].content'],
      ['tools not an array', changed((input) => (input.tools = null)), 'tools'],
      ['a tool without name', changed((input) => delete input.tools[0].name), 'tools[0].name'],
      ['a tool without description', changed((input) => delete input.tools[0].description), 'tools[0].description'],
      ['null tool metadata', changed((input) => (input.tools[0].metadata = null)), 'tools[0].metadata'],
      ['context not an array', changed((input) => (input.context = 'x')), 'context'],
      ['a context entry without description', changed((input) => delete input.context[0].description), 'context[0].description'],
      ['a context value that is not a string', changed((input) => (input.context[0].value = { x: 1 })), 'context[0].value'],
      ['resume not an array', changed((input) => (input.resume = {})), 'resume'],
      ['a resume entry without interruptId', changed((input) => delete input.resume[0].interruptId), 'resume[0].interruptId'],
      ['a resume status it does not know', changed((input) => (input.resume[1].status = 'done')), 'resume[1].status'],
      ['null resume metadata', changed((input) => (input.resume[0].metadata = null)), 'resume[0].metadata'],
    ];
    for (const [name, payload, field] of cases) {
      it(`rejects ${name}, naming ${field === '' ? 'the body' : field}`, () => {
        const error = rejection(payload);
        assert.equal(error.field, field);
        assert.ok(error.message.startsWith(`Invalid RunAgentInput: ${field === '' ? 'the body' : field} `), error.message);
      });
    }

    it('is an HttpError 400 with a stable code and the field in its details', () => {
      const error = rejection({ messages: [] });
      assert.ok(error instanceof HttpError);
      assert.equal(error.status, 400);
      assert.equal(error.code, INVALID_RUN_AGENT_INPUT);
      assert.equal(error.code, 'INVALID_RUN_AGENT_INPUT');
      assert.equal(error.name, 'InvalidRunAgentInputError');
      assert.deepEqual(error.details, { field: 'threadId' });
      assert.equal(error.message, 'Invalid RunAgentInput: threadId must be a string, got nothing');
    });

    it('says what it got, quoting at most 40 characters of a string', () => {
      assert.match(rejection(changed((input) => (input.messages[1].role = 'b'.repeat(100)))).message, new RegExp(`got the string "${'b'.repeat(40)}…"$`));
      assert.match(rejection(changed((input) => (input.threadId = 7))).message, /must be a string, got number 7$/);
      assert.match(rejection(changed((input) => (input.threadId = false))).message, /got boolean false$/);
      assert.match(rejection(changed((input) => (input.threadId = {}))).message, /got an object$/);
      assert.match(rejection(changed((input) => (input.threadId = null))).message, /got null$/);
      assert.match(rejection(changed((input) => (input.messages = {}))).message, /messages must be an array, got an object$/);
      assert.match(rejection([]).message, /the body must be a JSON object, got an array$/);
      assert.match(rejection(changed((input) => (input.messages[2].toolCalls[0].type = 'x'))).message, /type must be "function", got the string "x"$/);
    });
  });

  describe('over HTTP', () => {
    let server: TestServer;
    before(async () => {
      server = await startApp({}, (app) => app.entrypoint((payload) => parseRunAgentInput(payload).threadId));
    });
    after(() => server.close());

    it('a bad body gets a 400 JSON answer naming the field', async () => {
      const response = await invoke(server, { threadId: 't', messages: [{ id: 'm', role: 'user' }] });
      assert.equal(response.status, 400);
      assert.deepEqual(response.json(), {
        error: 'Invalid RunAgentInput: messages[0].content must be a string or an array of content parts, got nothing',
        code: 'INVALID_RUN_AGENT_INPUT',
        field: 'messages[0].content',
      });
    });

    it('a text body is not a RunAgentInput', async () => {
      const response = await invoke(server, 'hello', { 'content-type': 'text/plain' });
      assert.equal(response.status, 400);
      assert.equal((response.json() as { field: string }).field, '');
    });
  });
});

describe('lastUserText()', () => {
  const messages = (...list: Message[]): Pick<RunAgentInput, 'messages'> => ({ messages: list });

  it('is the string content of the last user message', () => {
    assert.equal(lastUserText(messages({ id: '1', role: 'user', content: 'first' }, { id: '2', role: 'user', content: 'second' })), 'second');
  });

  it('skips later messages of other roles', () => {
    assert.equal(lastUserText(messages({ id: '1', role: 'user', content: 'ask' }, { id: '2', role: 'assistant', content: 'answer' })), 'ask');
  });

  it('joins the text parts of a multimodal message, ignoring media', () => {
    const content = [
      { type: 'text' as const, text: 'a ' },
      { type: 'image' as const, source: { type: 'url' as const, value: 'u' } },
      { type: 'text' as const, text: 'b' },
    ];
    assert.equal(lastUserText(messages({ id: '1', role: 'user', content })), 'a b');
  });

  it('is undefined without a user message', () => {
    assert.equal(lastUserText(messages({ id: '1', role: 'system', content: 'x' })), undefined);
    assert.equal(lastUserText(messages()), undefined);
  });
});
