import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { JsonRpcError, McpServer } from '../../lib/mcp/index.js';
import { ToolRegistry } from '../../lib/mcp/tools.js';
import { post, request, useMcpServer } from '../support/mcp.js';

async function callTool(url: string, name: string, args?: unknown): Promise<any> {
  const [message] = (await post(url, request(1, 'tools/call', args === undefined ? { name } : { name, arguments: args }))).messages();
  return message.error ?? message.result;
}

describe('registering tools', () => {
  it('lists tools in registration order with what their config says', () => {
    const registry = new ToolRegistry(() => undefined);
    registry.register('b', { title: 'B', description: 'second letter', annotations: { readOnlyHint: true }, icons: [{ src: 'data:,' }], _meta: { 'x.example/k': 1 } }, () => 'b');
    registry.register('a', { description: 'first', inputSchema: { type: 'object', properties: { n: { type: 'number' } } }, outputSchema: { type: 'object' }, execution: { taskSupport: 'optional' } }, () => 'a');
    assert.deepEqual(registry.list(), [
      { name: 'b', inputSchema: { type: 'object', properties: {} }, title: 'B', description: 'second letter', annotations: { readOnlyHint: true }, icons: [{ src: 'data:,' }], _meta: { 'x.example/k': 1 } },
      { name: 'a', inputSchema: { type: 'object', properties: { n: { type: 'number' } } }, description: 'first', outputSchema: { type: 'object' }, execution: { taskSupport: 'optional' } },
    ]);
    assert.equal(registry.anyTaskSupport, true);
  });

  it('refuses bad names, taken names, bad handlers, configs and schemas', () => {
    const registry = new ToolRegistry(() => undefined);
    registry.register('taken', {}, () => 'x');
    assert.throws(() => registry.register('has space', {}, () => 'x'), TypeError);
    assert.throws(() => registry.register('x'.repeat(129), {}, () => 'x'), TypeError);
    assert.throws(() => registry.register('taken', {}, () => 'x'), /already registered/);
    assert.throws(() => registry.register('nohandler', {}, 'x' as never), TypeError);
    assert.throws(() => registry.register('noconfig', null as never, () => 'x'), TypeError);
    assert.throws(() => registry.register('badschema', { inputSchema: [] as never }, () => 'x'), TypeError);
    assert.throws(() => registry.register('badtask', { execution: { taskSupport: 'sometimes' as never } }, () => 'x'), TypeError);
    assert.throws(() => registry.register('badheader', { inputSchema: { type: 'object', properties: { n: { type: 'number', 'x-mcp-header': 'N' } } } }, () => 'x'), /x-mcp-header/);
  });

  it('lists tools for 2026-07-28 without execution (an extension there), keeping the list until it changes', () => {
    const registry = new ToolRegistry(() => undefined);
    registry.register('plain', {}, () => 'x');
    registry.register('task', { execution: { taskSupport: 'required' } }, () => 'x');
    const modern = registry.modernList();
    assert.deepEqual(modern, [
      { name: 'plain', inputSchema: { type: 'object', properties: {} } },
      { name: 'task', inputSchema: { type: 'object', properties: {} } },
    ]);
    assert.equal(registry.modernList(), modern);
    assert.equal(modern[0], registry.list()[0], 'a tool without execution is the same object');
    registry.register('later', {}, () => 'x');
    assert.equal(registry.modernList().length, 3);
  });

  it('tells about every change once, and a removed tool is gone', () => {
    let changes = 0;
    const registry = new ToolRegistry(() => changes++);
    const tool = registry.register('t', {}, () => 'x');
    tool.remove();
    tool.remove();
    assert.equal(changes, 2);
    assert.deepEqual(registry.list(), []);
  });
});

describe('calling a tool', () => {
  function tools(server: McpServer): void {
    server.registerTool(
      'add',
      { description: 'Adds', inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] } },
      (args) => ({ content: [{ type: 'text', text: String(Number(args.a) + Number(args.b)) }] }),
    );
    server.registerTool('plain', { description: 'Returns a string' }, () => 'just text');
    server.registerTool('throws', { description: 'Throws' }, () => {
      throw new Error('disk full');
    });
    server.registerTool('protocol', { description: 'Throws a protocol error' }, () => {
      throw new JsonRpcError(-32042, 'Visit the URL first', { elicitations: [] });
    });
    server.registerTool(
      'structured',
      { description: 'Structured', outputSchema: { type: 'object', properties: { total: { type: 'number' } }, required: ['total'] } },
      () => ({ structuredContent: { total: 3 } }) as never,
    );
    server.registerTool('wrong_output', { description: 'Breaks its schema', outputSchema: { type: 'object', required: ['total'] } }, () => ({ content: [], structuredContent: {} }));
    server.registerTool('no_output', { description: 'Forgets its structured content', outputSchema: { type: 'object' } }, () => 'text only');
    server.registerTool('bad_result', { description: 'Returns nonsense' }, () => 42 as never);
    server.registerTool('bad_content', { description: 'Returns bad content' }, () => ({ content: 'x' }) as never);
    server.registerTool('bad_structured', { description: 'Returns bad structured content' }, () => ({ content: [], structuredContent: 5 }) as never);
  }

  it('checks arguments against the input schema: a mismatch is a tool error the model can read', async (t) => {
    const { url } = await useMcpServer(t, {}, tools);
    assert.deepEqual(await callTool(url, 'add', { a: 1, b: 2 }), { content: [{ type: 'text', text: '3' }] });
    const wrong = await callTool(url, 'add', { a: 'one' });
    assert.equal(wrong.isError, true);
    assert.match(wrong.content[0].text, /Invalid arguments for tool add/);
  });

  it('logs a tool whose schema is not valid JSON Schema a moment after listening, and answers its calls -32603', async (t) => {
    const { url, logs, server } = await useMcpServer(t, {}, (mcp) => {
      mcp.registerTool('broken_schema', { description: 'Bad schema', inputSchema: { type: 'object', required: 'name' } }, () => 'never');
    });
    const reported = (name: string): boolean =>
      logs.some((record) => record.level === 'error' && new RegExp(`The (input|output)Schema of tool ${name} is not a valid JSON Schema`).test(record.message));
    for (let waited = 0; !reported('broken_schema') && waited < 3000; waited += 20) await sleep(20);
    assert.ok(reported('broken_schema'), 'not logged without a call');
    server.registerTool('late_broken', { description: 'Registered after start', outputSchema: { type: 7 } as never }, () => 'never');
    for (let waited = 0; !reported('late_broken') && waited < 3000; waited += 20) await sleep(20);
    assert.ok(reported('late_broken'));
    assert.equal((await callTool(url, 'broken_schema', {})).code, -32603);
  });

  it('answers an unknown tool and arguments that are not an object with -32602', async (t) => {
    const { url } = await useMcpServer(t, {}, tools);
    assert.equal((await callTool(url, 'nope', {})).code, -32602);
    assert.equal((await callTool(url, 'add', [1, 2])).code, -32602);
  });

  it('takes a string as one text block, and a call without arguments as {}', async (t) => {
    const { url } = await useMcpServer(t, {}, tools);
    assert.deepEqual(await callTool(url, 'plain'), { content: [{ type: 'text', text: 'just text' }] });
  });

  it("makes a handler's exception a tool error with its message, and logs it", async (t) => {
    const { url, logs } = await useMcpServer(t, {}, tools);
    assert.deepEqual(await callTool(url, 'throws', {}), { content: [{ type: 'text', text: 'disk full' }], isError: true });
    assert.ok(logs.some((record) => record.message === 'tool failed' && record.tool === 'throws'));
  });

  it('answers a JsonRpcError the handler threw as that protocol error', async (t) => {
    const { url } = await useMcpServer(t, {}, tools);
    assert.deepEqual(await callTool(url, 'protocol', {}), { code: -32042, message: 'Visit the URL first', data: { elicitations: [] } });
  });

  it('sends structured content as text too when the tool gave no content', async (t) => {
    const { url } = await useMcpServer(t, {}, tools);
    assert.deepEqual(await callTool(url, 'structured', {}), { structuredContent: { total: 3 }, content: [{ type: 'text', text: '{"total":3}' }] });
  });

  it('answers -32603 for a result that breaks the output schema or is not a result at all', async (t) => {
    const { url, logs } = await useMcpServer(t, {}, tools);
    for (const name of ['wrong_output', 'no_output', 'bad_result', 'bad_content', 'bad_structured']) {
      assert.equal((await callTool(url, name, {})).code, -32603, name);
    }
    assert.ok(logs.some((record) => record.message === 'tool result does not match its outputSchema'));
  });
});
