import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { server } from '../../examples/mcp-everything.js';
import { EventStreamReader, initialize, inSession, outcomeOf, post, postModern, request, TASKS_CAPABILITY } from '../support/mcp.js';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The conformance fixture, checked against what `conformance-fixture.md` of the suite lists (the
 * suite itself runs in CI: `bench/mcp-conformance.ts`).
 */
describe('the MCP conformance fixture (examples/mcp-everything.ts)', () => {
  let url: string;
  let sessionId: string | undefined;
  let id = 0;
  const call = async (method: string, params?: unknown): Promise<any> => {
    const messages = (await post(url, request(++id, method, params), inSession(sessionId))).messages();
    const answer = messages.find((message) => message.id === id);
    return answer.result ?? answer.error;
  };

  before(async () => {
    const address = await server.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${address.port}/mcp`;
    const initialized = await initialize(url, '2025-11-25', { sampling: {}, elicitation: {} });
    sessionId = initialized.sessionId;
    assert.deepEqual(initialized.result.serverInfo, { name: 'mcp-conformance-test-server', version: '1.0.0' });
  });
  after(() => server.close({ graceMs: 0 }));

  it('has the tools of both suites, in order, the first one answering {}, each with a description', async () => {
    const { tools } = await call('tools/list');
    assert.deepEqual(
      tools.map((tool: { name: string }) => tool.name),
      [
        'test_x_mcp_header',
        'test_simple_text',
        'test_image_content',
        'test_audio_content',
        'test_embedded_resource',
        'test_multiple_content_types',
        'test_tool_with_logging',
        'test_tool_with_progress',
        'test_error_handling',
        'test_reconnection',
        'test_sampling',
        'test_elicitation',
        'test_elicitation_sep1034_defaults',
        'test_elicitation_sep1330_enums',
        'json_schema_2020_12_tool',
        'test_input_required_result_elicitation',
        'test_input_required_result_sampling',
        'test_input_required_result_list_roots',
        'test_input_required_result_request_state',
        'test_input_required_result_tampered_state',
        'test_input_required_result_multiple_inputs',
        'test_input_required_result_multi_round',
        'test_input_required_result_capabilities',
        'test_missing_capability',
        'test_streaming_elicitation',
        'test_logging_tool',
        'test_trigger_tool_change',
        'test_trigger_prompt_change',
        'greet',
        'slow_compute',
        'failing_job',
        'protocol_error_job',
        'confirm_delete',
        'multi_input',
        'test_tool_with_task',
      ],
    );
    assert.ok(tools.every((tool: { description?: string }) => typeof tool.description === 'string' && tool.description !== ''));
    assert.deepEqual(tools[14].inputSchema.$defs.address.properties.city, { type: 'string' });
    assert.deepEqual(tools[14].inputSchema.else, { required: ['email'] });
    assert.equal((await call('tools/call', { name: 'test_x_mcp_header', arguments: {} })).content[0].text, 'region=<none>');
  });

  it('answers the content tools with the texts the suite looks for', async () => {
    assert.deepEqual((await call('tools/call', { name: 'test_simple_text' })).content, [{ type: 'text', text: 'This is a simple text response for testing.' }]);
    assert.equal((await call('tools/call', { name: 'test_audio_content', arguments: {} })).content[0].mimeType, 'audio/wav');
    assert.deepEqual((await call('tools/call', { name: 'test_multiple_content_types', arguments: {} })).content.map((block: { type: string }) => block.type), ['text', 'image', 'resource']);
    assert.deepEqual(await call('tools/call', { name: 'test_error_handling', arguments: {} }), { content: [{ type: 'text', text: 'This tool intentionally returns an error for testing' }], isError: true });
    assert.equal((await call('tools/call', { name: 'json_schema_2020_12_tool', arguments: { name: 'n', email: 'n@example.com' } })).content[0].text, 'JSON Schema 2020-12 tool called with: {"name":"n","email":"n@example.com"}');
    assert.equal((await call('tools/call', { name: 'json_schema_2020_12_tool', arguments: { name: 'n', contactMethod: 'phone', email: 'e' } })).isError, true, 'if/then: a phone contact needs a phone');
    assert.equal((await call('tools/call', { name: 'json_schema_2020_12_tool', arguments: { extra: 1 } })).isError, true);
  });

  it('logs and reports progress on the request stream, the token as the result', async () => {
    const logged = (await post(url, request(100, 'tools/call', { name: 'test_tool_with_logging', arguments: {} }), inSession(sessionId))).messages();
    assert.deepEqual(logged.filter((message) => message.method === 'notifications/message').map((message) => message.params.data), ['Tool execution started', 'Tool processing data', 'Tool execution completed']);
    const progressed = (await post(url, request(101, 'tools/call', { name: 'test_tool_with_progress', arguments: {}, _meta: { progressToken: 77 } }), inSession(sessionId))).messages();
    assert.deepEqual(progressed.filter((message) => message.method === 'notifications/progress').map((message) => message.params.progress), [0, 50, 100]);
    assert.equal(progressed.at(-1).result.content[0].text, '77');
  });

  it('asks the client through elicitation and reports its answer', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...inSession(sessionId) },
      body: JSON.stringify(request(200, 'tools/call', { name: 'test_elicitation_sep1034_defaults', arguments: {} })),
    });
    const reader = new EventStreamReader(response);
    const asked = await reader.next();
    assert.equal(asked.params.requestedSchema.properties.score.default, 95.5);
    await post(url, { jsonrpc: '2.0', id: asked.id, result: { action: 'accept', content: { name: 'Jane' } } }, inSession(sessionId));
    assert.equal((await reader.next()).result.content[0].text, 'Elicitation completed: action=accept, content={"name":"Jane"}');
  });

  it('has the resources and the template', async () => {
    const { resources } = await call('resources/list');
    assert.deepEqual(resources.map((resource: { uri: string }) => resource.uri), ['test://static-text', 'test://static-binary', 'test://watched-resource']);
    assert.equal((await call('resources/read', { uri: 'test://static-binary' })).contents[0].mimeType, 'image/png');
    assert.equal((await call('resources/read', { uri: 'test://template/123/data' })).contents[0].text, '{"id":"123","templateTest":true,"data":"Data for ID: 123"}');
    assert.equal((await call('resources/read', { uri: 'test://nonexistent-resource-for-conformance-testing' })).code, -32002);
    assert.deepEqual(await call('resources/subscribe', { uri: 'test://watched-resource' }), {});
  });

  it('has the five prompts with their arguments', async () => {
    const { prompts } = await call('prompts/list');
    assert.deepEqual(prompts.map((prompt: { name: string }) => prompt.name), [
      'test_simple_prompt',
      'test_prompt_with_arguments',
      'test_prompt_with_embedded_resource',
      'test_prompt_with_image',
      'test_input_required_result_prompt',
    ]);
    assert.ok(prompts.every((prompt: { description?: string }) => typeof prompt.description === 'string' && prompt.description !== ''));
    assert.equal((await call('prompts/get', { name: 'test_prompt_with_arguments', arguments: { arg1: 'a', arg2: 'b' } })).messages[0].content.text, "Prompt with arguments: arg1='a', arg2='b'");
    assert.equal((await call('prompts/get', { name: 'test_prompt_with_embedded_resource', arguments: { resourceUri: 'test://x' } })).messages[0].content.resource.uri, 'test://x');
    assert.deepEqual(await call('completion/complete', { ref: { type: 'ref/prompt', name: 'test_prompt_with_arguments' }, argument: { name: 'arg1', value: 'test' } }), {
      completion: { values: [], total: 0, hasMore: false },
    });
  });

  it('serves 2026-07-28 on the same endpoint: discover, the x-mcp-header tool, an elicitation in two rounds', async () => {
    const discovered = outcomeOf(await postModern(url, 1, 'server/discover'));
    assert.deepEqual(discovered._meta['io.modelcontextprotocol/serverInfo'], { name: 'mcp-conformance-test-server', version: '1.0.0' });
    assert.deepEqual(discovered.capabilities.extensions, { 'io.modelcontextprotocol/tasks': {} });
    const region = await postModern(url, 2, 'tools/call', { name: 'test_x_mcp_header', arguments: { region: 'eu-west-1' } }, { headers: { 'mcp-param-region': 'eu-west-1' } });
    assert.equal(outcomeOf(region).content[0].text, 'region=eu-west-1');
    assert.equal((await postModern(url, 3, 'tools/call', { name: 'test_x_mcp_header', arguments: { region: 'eu-west-1' } })).status, 400);
    const capabilities = { elicitation: {} };
    const asked = outcomeOf(await postModern(url, 4, 'tools/call', { name: 'test_input_required_result_elicitation', arguments: {} }, { capabilities }));
    assert.equal(asked.inputRequests.user_name.params.message, 'What is your name?');
    const retry = { name: 'test_input_required_result_elicitation', arguments: {}, requestState: asked.requestState, inputResponses: { user_name: { action: 'accept', content: { name: 'Alice' } } } };
    assert.equal(outcomeOf(await postModern(url, 5, 'tools/call', retry, { capabilities })).content[0].text, 'Hello, Alice!');
  });

  it('runs the task tools of the extension: a name asked before the task, a confirmation asked inside one', async () => {
    const capabilities = { elicitation: {}, ...TASKS_CAPABILITY };
    const get = async (id: number, taskId: string, until: string): Promise<any> => {
      for (let tries = 0; ; tries++) {
        const task = outcomeOf(await postModern(url, id, 'tasks/get', { taskId }, { capabilities }));
        if (task.status === until || tries > 100) return task;
        await sleep(20);
      }
    };
    const round1 = outcomeOf(await postModern(url, 10, 'tools/call', { name: 'test_tool_with_task', arguments: {} }, { capabilities }));
    const created = outcomeOf(await postModern(url, 11, 'tools/call', { name: 'test_tool_with_task', arguments: {}, requestState: round1.requestState, inputResponses: { user_name: { action: 'accept', content: { name: 'Alice' } } } }, { capabilities }));
    assert.equal(created.resultType, 'task');
    assert.match((await get(12, created.taskId, 'completed')).result.content[0].text, new RegExp(`^Hello, Alice! \\(from task ${created.taskId}\\)$`));
    const deleting = outcomeOf(await postModern(url, 13, 'tools/call', { name: 'confirm_delete', arguments: { filename: 'a.txt' } }, { capabilities }));
    const waiting = await get(14, deleting.taskId, 'input_required');
    assert.deepEqual(Object.keys(waiting.inputRequests), ['confirm']);
    await postModern(url, 15, 'tasks/update', { taskId: deleting.taskId, inputResponses: { confirm: { action: 'accept', content: { confirm: true } } } }, { capabilities });
    assert.equal((await get(16, deleting.taskId, 'completed')).result.content[0].text, 'Deleted a.txt');
    const failing = outcomeOf(await postModern(url, 17, 'tools/call', { name: 'protocol_error_job', arguments: {} }, { capabilities }));
    assert.deepEqual((await get(18, failing.taskId, 'failed')).error, { code: -32603, message: 'The job hit an internal error' });
  });
});
