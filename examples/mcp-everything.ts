/**
 * The fixture the official MCP conformance suite exercises, for both eras on one endpoint: the
 * legacy one (`initialize`, sessions: this server is stateful) and 2026-07-28 (stateless by
 * specification). Every tool, resource and prompt the suite's checks look for, with the names and
 * texts they expect. Also a tour of the API: content of every kind, logging, progress, a
 * resumable stream closed early, sampling, elicitation and roots written once for both eras (a
 * request on the session's stream, or a multi round-trip `input_required` answer), tasks (MCP
 * tasks of 2025-11-25 and the 2026-07-28 tasks extension), a JSON Schema 2020-12 input schema,
 * an argument mirrored into a header, resources fixed and templated, prompts with arguments.
 *
 *   npm run example:mcp-everything   # http://127.0.0.1:8000/mcp (PORT / HOST to change), /ping beside it
 *   npx @modelcontextprotocol/conformance@0.1.16 server --url http://127.0.0.1:8000/mcp --suite all
 *   npx @modelcontextprotocol/conformance@0.2.0-alpha.12 server --url http://127.0.0.1:8000/mcp --requirements 2026-07-28
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isMainModule } from 'agentcore-lite';
import { JsonRpcError, McpServer, ResourceTemplate, type CallToolResult, type McpContext } from 'agentcore-lite/mcp';

/** A 1×1 red PNG and a tiny WAV, base64. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const WAV = 'UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=';
const STEP_MS = 50;

export const server = new McpServer({
  name: 'mcp-conformance-test-server',
  version: '1.0.0',
  stateful: true,
  cors: { origin: '*', exposeHeaders: ['Mcp-Session-Id'] },
});

const text = (value: string): CallToolResult => ({ content: [{ type: 'text', text: value }] });

// ── Tools ────────────────────────────────────────────────────────────────────────────────────

// First in tools/list, and it succeeds with no arguments (the header checks call the first tool).
server.registerTool(
  'test_x_mcp_header',
  {
    description: 'Echoes its region, which 2026-07-28 clients mirror into the Mcp-Param-Region header',
    inputSchema: {
      type: 'object',
      properties: { region: { type: 'string', description: 'A region to route by', 'x-mcp-header': 'Region' }, level: { type: 'integer', description: 'A level' } },
    },
  },
  (args) => text(`region=${typeof args.region === 'string' ? args.region : '<none>'}`),
);

server.registerTool('test_simple_text', { description: 'Returns a simple text response' }, () => text('This is a simple text response for testing.'));

server.registerTool('test_image_content', { description: 'Returns an image' }, () => ({ content: [{ type: 'image', data: PNG, mimeType: 'image/png' }] }));

server.registerTool('test_audio_content', { description: 'Returns audio' }, () => ({ content: [{ type: 'audio', data: WAV, mimeType: 'audio/wav' }] }));

server.registerTool('test_embedded_resource', { description: 'Returns an embedded resource' }, () => ({
  content: [{ type: 'resource', resource: { uri: 'test://embedded-resource', mimeType: 'text/plain', text: 'This is an embedded resource content.' } }],
}));

server.registerTool('test_multiple_content_types', { description: 'Returns text, an image and a resource' }, () => ({
  content: [
    { type: 'text', text: 'Multiple content types test:' },
    { type: 'image', data: PNG, mimeType: 'image/png' },
    { type: 'resource', resource: { uri: 'test://mixed-content-resource', mimeType: 'application/json', text: '{"test":"data","value":123}' } },
  ],
}));

server.registerTool('test_tool_with_logging', { description: 'Sends three log messages while it runs' }, async (_args, ctx) => {
  for (const message of ['Tool execution started', 'Tool processing data', 'Tool execution completed']) {
    ctx.log('info', message);
    await sleep(STEP_MS);
  }
  return text('Tool with logging executed successfully');
});

server.registerTool('test_tool_with_progress', { description: 'Reports progress three times' }, async (_args, ctx) => {
  for (const progress of [0, 50, 100]) {
    ctx.progress(progress, 100, `Completed step ${progress} of 100`);
    await sleep(STEP_MS);
  }
  return text(String(ctx.meta?.progressToken ?? 0));
});

server.registerTool('test_error_handling', { description: 'Always returns a tool error' }, () => ({
  content: [{ type: 'text', text: 'This tool intentionally returns an error for testing' }],
  isError: true,
}));

server.registerTool('test_reconnection', { description: 'Closes its SSE connection at once; the client resumes to get the result' }, async (_args, ctx) => {
  ctx.closeStream();
  await sleep(100);
  return text('Reconnection test completed successfully. If you received this, the client properly reconnected after stream closure.');
});

server.registerTool(
  'test_sampling',
  {
    description: "Asks the client's model to answer a prompt",
    inputSchema: { type: 'object', properties: { prompt: { type: 'string', description: 'The prompt to send' } }, required: ['prompt'] },
  },
  async (args, ctx) => {
    try {
      const reply = await ctx.createMessage({ messages: [{ role: 'user', content: { type: 'text', text: String(args.prompt) } }], maxTokens: 100 });
      const content = Array.isArray(reply.content) ? reply.content[0] : reply.content;
      return text(`LLM response: ${String(content?.text ?? '')}`);
    } catch (error) {
      return text(`Sampling not supported or error: ${(error as Error).message}`);
    }
  },
);

server.registerTool(
  'test_elicitation',
  {
    description: 'Asks the user for a response',
    inputSchema: { type: 'object', properties: { message: { type: 'string', description: 'What to ask' } }, required: ['message'] },
  },
  async (args, ctx) => {
    try {
      const answer = await ctx.elicitInput({
        message: String(args.message),
        requestedSchema: { type: 'object', properties: { response: { type: 'string', description: "User's response" } }, required: ['response'] },
      });
      return text(`User response: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`);
    } catch (error) {
      return text(`Elicitation not supported or error: ${(error as Error).message}`);
    }
  },
);

/** Asks for a form and reports what came back, in the fixture's words. */
async function elicitForm(ctx: McpContext, message: string, properties: Record<string, Record<string, unknown>>): Promise<CallToolResult> {
  try {
    const answer = await ctx.elicitInput({ message, requestedSchema: { type: 'object', properties, required: [] } });
    return text(`Elicitation completed: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`);
  } catch (error) {
    return text(`Elicitation not supported or error: ${(error as Error).message}`);
  }
}

server.registerTool('test_elicitation_sep1034_defaults', { description: 'Asks for a form whose fields all have defaults' }, (_args, ctx) =>
  elicitForm(ctx, 'Please review and update the form fields with defaults', {
    name: { type: 'string', description: 'User name', default: 'John Doe' },
    age: { type: 'integer', description: 'User age', default: 30 },
    score: { type: 'number', description: 'User score', default: 95.5 },
    status: { type: 'string', description: 'User status', enum: ['active', 'inactive', 'pending'], default: 'active' },
    verified: { type: 'boolean', description: 'Verification status', default: true },
  }),
);

server.registerTool('test_elicitation_sep1330_enums', { description: 'Asks for a form with every kind of enum field' }, (_args, ctx) =>
  elicitForm(ctx, 'Please select options from the enum fields', {
    untitledSingle: { type: 'string', description: 'Select one option', enum: ['option1', 'option2', 'option3'] },
    titledSingle: {
      type: 'string',
      description: 'Select one option with titles',
      oneOf: [
        { const: 'value1', title: 'First Option' },
        { const: 'value2', title: 'Second Option' },
        { const: 'value3', title: 'Third Option' },
      ],
    },
    legacyEnum: { type: 'string', description: 'Select one option (legacy)', enum: ['opt1', 'opt2', 'opt3'], enumNames: ['Option One', 'Option Two', 'Option Three'] },
    untitledMulti: { type: 'array', description: 'Select multiple options', minItems: 1, maxItems: 3, items: { type: 'string', enum: ['option1', 'option2', 'option3'] } },
    titledMulti: {
      type: 'array',
      description: 'Select multiple options with titles',
      minItems: 1,
      maxItems: 3,
      items: {
        anyOf: [
          { const: 'value1', title: 'First Choice' },
          { const: 'value2', title: 'Second Choice' },
          { const: 'value3', title: 'Third Choice' },
        ],
      },
    },
  }),
);

server.registerTool(
  'json_schema_2020_12_tool',
  {
    description: 'Takes arguments described by a JSON Schema 2020-12 schema with $defs, $ref, an anchor, composition and conditionals',
    inputSchema: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      $defs: { address: { $anchor: 'addressDef', type: 'object', properties: { street: { type: 'string' }, city: { type: 'string' } } } },
      properties: {
        name: { type: 'string' },
        address: { $ref: '#/$defs/address' },
        contactMethod: { type: 'string', enum: ['phone', 'email'] },
        phone: { type: 'string' },
        email: { type: 'string' },
      },
      allOf: [{ anyOf: [{ required: ['phone'] }, { required: ['email'] }] }],
      if: { properties: { contactMethod: { const: 'phone' } }, required: ['contactMethod'] },
      then: { required: ['phone'] },
      else: { required: ['email'] },
      additionalProperties: false,
    },
  },
  (args) => text(`JSON Schema 2020-12 tool called with: ${JSON.stringify(args)}`),
);

// ── Asking the client: one handler, both eras ────────────────────────────────────────────────
// Legacy (stateful): each ask is a request on the session's stream. 2026-07-28: the first call
// is answered input_required with the asks (keyed as given), and the handler runs again with
// the client's answers.

/** An elicitation form: flat properties, some required. */
const form = (properties: Record<string, Record<string, unknown>>, required: string[] = []) => ({ type: 'object' as const, properties, required });
const nameForm = form({ name: { type: 'string', description: 'Your name' } }, ['name']);
const confirmForm = form({ ok: { type: 'boolean', description: 'Confirm' } }, ['ok']);
const question = (value: string) => ({ messages: [{ role: 'user' as const, content: { type: 'text', text: value } }], maxTokens: 100 });
const textOf = (content: unknown): string => String((Array.isArray(content) ? content[0] : (content as { text?: unknown }))?.text ?? '');

server.registerTool('test_input_required_result_elicitation', { description: 'Asks the user for their name (user_name), then greets them' }, async (_args, ctx) => {
  const answer = await ctx.elicitInput({ message: 'What is your name?', requestedSchema: nameForm }, { key: 'user_name' });
  return text(answer.action === 'accept' ? `Hello, ${String(answer.content?.name)}!` : `No name given (${answer.action})`);
});

server.registerTool('test_input_required_result_sampling', { description: "Asks the client's model a question (capital_question)" }, async (_args, ctx) => {
  const reply = await ctx.createMessage(question('What is the capital of France?'), { key: 'capital_question' });
  return text(`The model answered: ${textOf(reply.content)}`);
});

server.registerTool('test_input_required_result_list_roots', { description: "Asks the client for its roots (client_roots)" }, async (_args, ctx) => {
  const { roots } = await ctx.listRoots({ key: 'client_roots' });
  return text(`Roots: ${roots.map((root) => root.uri).join(', ')}`);
});

for (const name of ['test_input_required_result_request_state', 'test_input_required_result_tampered_state']) {
  server.registerTool(name, { description: 'Asks for a confirmation; its requestState is signed, so a changed one is refused' }, async (_args, ctx) => {
    const answer = await ctx.elicitInput({ message: 'Please confirm', requestedSchema: confirmForm }, { key: 'confirm' });
    return text(`state-ok: action=${answer.action}, ok=${String(answer.content?.ok)}`);
  });
}

server.registerTool('test_input_required_result_multiple_inputs', { description: 'Asks for a name, a greeting from the model and the roots at once' }, async (_args, ctx) => {
  const [user, greeting, { roots }] = await Promise.all([
    ctx.elicitInput({ message: 'What is your name?', requestedSchema: nameForm }, { key: 'user_name' }),
    ctx.createMessage({ ...question('Generate a greeting'), maxTokens: 50 }, { key: 'greeting' }),
    ctx.listRoots({ key: 'client_roots' }),
  ]);
  return text(`name=${String(user.content?.name)}, greeting=${textOf(greeting.content)}, roots=${roots.length}`);
});

server.registerTool('test_input_required_result_multi_round', { description: 'Asks for a name, then (a second round) a favourite colour' }, async (_args, ctx) => {
  const step1 = await ctx.elicitInput({ message: 'Step 1: What is your name?', requestedSchema: nameForm }, { key: 'step1' });
  const step2 = await ctx.elicitInput({ message: 'Step 2: What is your favorite color?', requestedSchema: form({ color: { type: 'string', description: 'A colour' } }, ['color']) }, { key: 'step2' });
  return text(`${String(step1.content?.name)} likes ${String(step2.content?.color)}`);
});

server.registerTool('test_input_required_result_capabilities', { description: 'Asks only what the client declared it can answer' }, async (_args, ctx) => {
  const { elicitation, sampling, roots } = ctx.clientCapabilities;
  const asks: Promise<unknown>[] = [];
  if (elicitation !== undefined) asks.push(ctx.elicitInput({ message: 'What is your name?', requestedSchema: nameForm }, { key: 'user_name' }));
  if (sampling !== undefined) asks.push(ctx.createMessage(question('Say hello'), { key: 'greeting' }));
  if (roots !== undefined) asks.push(ctx.listRoots({ key: 'client_roots' }));
  await Promise.all(asks);
  return text(`asked ${asks.length} thing(s)`);
});

server.registerTool('test_missing_capability', { description: "Needs the client's model: without the sampling capability it cannot run" }, async (_args, ctx) => {
  const reply = await ctx.createMessage(question('Summarise MCP in a sentence'), { key: 'summary' });
  return text(textOf(reply.content));
});

server.registerTool('test_streaming_elicitation', { description: 'Asks for a confirmation (a request on the stream of a legacy session; input_required in 2026-07-28)' }, async (_args, ctx) => {
  const answer = await ctx.elicitInput({ message: 'Continue?', requestedSchema: confirmForm }, { key: 'confirmation' });
  return text(`confirmed: ${answer.action}`);
});

server.registerTool('test_logging_tool', { description: 'Logs two messages (sent only to a request that asked for a log level in 2026-07-28)' }, async (_args, ctx) => {
  ctx.log('info', 'Logging tool started');
  await sleep(STEP_MS);
  ctx.log('info', 'Logging tool finished');
  return text('Logging tool done');
});

server.registerTool('test_trigger_tool_change', { description: 'Tells listening clients that the tool list changed' }, () => {
  server.notifyListChanged('tools');
  return text('Announced a tools/list change');
});

server.registerTool('test_trigger_prompt_change', { description: 'Tells listening clients that the prompt list changed' }, () => {
  server.notifyListChanged('prompts');
  return text('Announced a prompts/list change');
});

// ── Tasks (2025-11-25 task-augmented calls; the 2026-07-28 tasks extension) ─────────────────

server.registerTool(
  'greet',
  { description: 'Greets someone at once (never a task)', inputSchema: { type: 'object', properties: { name: { type: 'string', description: 'Who' } }, required: ['name'] } },
  (args) => text(`Hello, ${String(args.name)}!`),
);

server.registerTool(
  'slow_compute',
  {
    description: 'Computes for `seconds` (a task when the client can follow one; 0 answers at once)',
    inputSchema: { type: 'object', properties: { seconds: { type: 'number', minimum: 0, maximum: 300 }, label: { type: 'string' } }, required: ['seconds'] },
    execution: { taskSupport: 'optional' },
  },
  async (args, ctx) => {
    const seconds = Number(args.seconds);
    if (seconds > 0) await sleep(seconds * 1000, undefined, { signal: ctx.signal });
    return text(`Computed ${typeof args.label === 'string' ? args.label : 'a result'} in ${seconds} s`);
  },
);

server.registerTool('failing_job', { description: 'A job that runs only as a task and ends in a tool error', execution: { taskSupport: 'required' } }, async (_args, ctx) => {
  await sleep(1000, undefined, { signal: ctx.signal });
  return { content: [{ type: 'text', text: 'The job failed: the input data was invalid' }], isError: true };
});

server.registerTool('protocol_error_job', { description: 'A job that runs only as a task and ends in a protocol error', execution: { taskSupport: 'required' } }, async (_args, ctx) => {
  await sleep(200, undefined, { signal: ctx.signal });
  throw new JsonRpcError(-32603, 'The job hit an internal error');
});

server.registerTool(
  'confirm_delete',
  {
    description: 'Looks a file up, then asks for a confirmation before deleting it (in a task: input_required until tasks/update)',
    inputSchema: { type: 'object', properties: { filename: { type: 'string' } }, required: ['filename'] },
    execution: { taskSupport: 'optional' },
  },
  async (args, ctx) => {
    await sleep(STEP_MS, undefined, { signal: ctx.signal });
    const answer = await ctx.elicitInput(
      { message: `Delete ${String(args.filename)}?`, requestedSchema: form({ confirm: { type: 'boolean' } }, ['confirm']) },
      { key: 'confirm' },
    );
    return text(answer.action === 'accept' && answer.content?.confirm === true ? `Deleted ${String(args.filename)}` : `Kept ${String(args.filename)}`);
  },
);

server.registerTool('multi_input', { description: 'Asks two things at once (in a task: two input requests outstanding)', execution: { taskSupport: 'optional' } }, async (_args, ctx) => {
  await sleep(STEP_MS, undefined, { signal: ctx.signal });
  const either = form({ name: { type: 'string' }, confirm: { type: 'boolean' } });
  const answers = await Promise.all([
    ctx.elicitInput({ message: 'First answer?', requestedSchema: either }, { key: 'first' }),
    ctx.elicitInput({ message: 'Second answer?', requestedSchema: either }, { key: 'second' }),
  ]);
  return text(`Answers: ${answers.map((answer) => JSON.stringify(answer.content ?? {})).join(', ')}`);
});

server.registerTool(
  'test_tool_with_task',
  { description: 'Asks for a name first (on the call), then works as a task', execution: { taskSupport: 'required' } },
  async (_args, ctx) => {
    const answer = await ctx.elicitInput({ message: 'What is your name?', requestedSchema: nameForm }, { key: 'user_name' });
    await sleep(300, undefined, { signal: ctx.signal });
    return text(`Hello, ${String(answer.content?.name)}! (from task ${String(ctx.taskId)})`);
  },
);

// ── Resources ────────────────────────────────────────────────────────────────────────────────

server.registerResource('static-text', 'test://static-text', { title: 'Static Text Resource', description: 'A static text resource', mimeType: 'text/plain' }, (uri) => ({
  contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'This is the content of the static text resource.' }],
}));

server.registerResource('static-binary', 'test://static-binary', { title: 'Static Binary Resource', description: 'A static binary resource', mimeType: 'image/png' }, (uri) => ({
  contents: [{ uri: uri.href, mimeType: 'image/png', blob: PNG }],
}));

server.registerResource('watched-resource', 'test://watched-resource', { title: 'Watched Resource', description: 'A resource clients can subscribe to', mimeType: 'text/plain' }, (uri) => ({
  contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'Watched resource content' }],
}));

server.registerResource(
  'template',
  new ResourceTemplate('test://template/{id}/data'),
  { title: 'Resource Template', description: 'A resource template with an id', mimeType: 'application/json' },
  (uri, { id }) => ({
    contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${String(id)}` }) }],
  }),
);

// ── Prompts ──────────────────────────────────────────────────────────────────────────────────

server.registerPrompt('test_simple_prompt', { title: 'Simple Test Prompt', description: 'A simple prompt without arguments' }, () => ({
  messages: [{ role: 'user', content: { type: 'text', text: 'This is a simple prompt for testing.' } }],
}));

server.registerPrompt(
  'test_prompt_with_arguments',
  {
    title: 'Prompt With Arguments',
    description: 'A prompt with two required arguments',
    argsSchema: {
      type: 'object',
      properties: { arg1: { type: 'string', description: 'First test argument' }, arg2: { type: 'string', description: 'Second test argument' } },
      required: ['arg1', 'arg2'],
    },
  },
  (args) => ({ messages: [{ role: 'user', content: { type: 'text', text: `Prompt with arguments: arg1='${String(args.arg1)}', arg2='${String(args.arg2)}'` } }] }),
);

server.registerPrompt(
  'test_prompt_with_embedded_resource',
  {
    title: 'Prompt With Embedded Resource',
    description: 'A prompt that embeds a resource',
    argsSchema: { type: 'object', properties: { resourceUri: { type: 'string', description: 'URI of the resource to embed' } }, required: ['resourceUri'] },
  },
  (args) => ({
    messages: [
      { role: 'user', content: { type: 'resource', resource: { uri: String(args.resourceUri), mimeType: 'text/plain', text: 'Embedded resource content for testing.' } } },
      { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } },
    ],
  }),
);

server.registerPrompt('test_prompt_with_image', { title: 'Prompt With Image', description: 'A prompt with an image' }, () => ({
  messages: [
    { role: 'user', content: { type: 'image', data: PNG, mimeType: 'image/png' } },
    { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
  ],
}));

server.registerPrompt('test_input_required_result_prompt', { description: 'Asks the user for context (user_context) before it is made' }, async (_args, ctx) => {
  const answer = await ctx.elicitInput({ message: 'What context should the prompt use?', requestedSchema: form({ context: { type: 'string', description: 'Context' } }, ['context']) }, { key: 'user_context' });
  return { messages: [{ role: 'user', content: { type: 'text', text: `Use this context: ${String(answer.content?.context)}` } }] };
});

// Serve when run as a program, not when a test imports the server.
if (isMainModule(import.meta.url)) void server.run();
