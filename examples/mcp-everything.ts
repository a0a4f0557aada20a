/**
 * The fixture the official MCP conformance suite exercises (`@modelcontextprotocol/conformance`
 * `server --suite all`), in stateful mode: every tool, resource and prompt its checks look for,
 * with the names and texts they expect. Also a tour of the API: content of every kind, logging,
 * progress, a resumable stream closed early, sampling, elicitation, a JSON Schema 2020-12 input
 * schema, resources fixed and templated, prompts with arguments.
 *
 *   npm run example:mcp-everything   # http://127.0.0.1:8000/mcp (PORT / HOST to change), /ping beside it
 *   npx @modelcontextprotocol/conformance@0.1.16 server --url http://127.0.0.1:8000/mcp --suite all
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isMainModule } from 'agentcore-lite';
import { McpServer, ResourceTemplate, type CallToolResult, type McpContext } from 'agentcore-lite/mcp';

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
    description: 'Takes arguments described by a JSON Schema 2020-12 schema with $defs and $ref',
    inputSchema: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      $defs: { address: { type: 'object', properties: { street: { type: 'string' }, city: { type: 'string' } } } },
      properties: { name: { type: 'string' }, address: { $ref: '#/$defs/address' } },
      additionalProperties: false,
    },
  },
  (args) => text(`JSON Schema 2020-12 tool called with: ${JSON.stringify(args)}`),
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

// Serve when run as a program, not when a test imports the server.
if (isMainModule(import.meta.url)) void server.run();
