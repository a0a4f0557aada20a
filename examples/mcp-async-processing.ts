/**
 * The seed agent (`async-processing.md`) as an MCP server on AgentCore's MCP protocol: `POST /mcp`
 * on port 8000 and `GET /ping` beside it, for clients of both eras (the legacy `initialize` one,
 * and 2026-07-28). Long work is tracked, so `/ping` answers HealthyBusy while it runs and the
 * platform keeps the session alive:
 * - `process` runs as an MCP task when the client can follow one (a 2025-11-25 client asks with
 *   `params.task` and follows it with `tasks/get` and `tasks/result`; a 2026-07-28 client that
 *   declares the tasks extension gets a task handle and polls `tasks/get`), else as a tracked
 *   background task whose id is returned at once, as the seed does;
 * - `status` reports the ping status and the running jobs, as the seed's `status` action;
 * - `cleanup` runs a tracked background cleanup;
 * - `delete_data` asks the user to confirm first: one handler, both eras (a request on a stateful
 *   session's stream, or a 2026-07-28 `input_required` answer and a retry).
 *
 *   npm run example:mcp                      # stateless legacy era (AgentCore's recommendation), and 2026-07-28
 *   MCP_STATEFUL=1 npm run example:mcp       # with legacy sessions
 *   npx @modelcontextprotocol/inspector --cli http://127.0.0.1:8000/mcp --method tools/list
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isMainModule, toWireTaskInfo } from 'agentcore-lite';
import { McpServer } from 'agentcore-lite/mcp';

const PROCESS_SECONDS = 30;
const CLEANUP_SECONDS = 10;
const MAX_SECONDS = 3600;

export const server = new McpServer({
  name: 'agentcore-async-processing',
  version: '1.0.0',
  instructions: 'Start long data processing with `process` (as a task if you can follow one), watch it with `status`.',
  stateful: process.env.MCP_STATEFUL === '1',
});

const seconds = { type: 'number', minimum: 0, maximum: MAX_SECONDS } as const;

server.registerTool(
  'process',
  {
    title: 'Process data',
    description: `Processes a data set for \`seconds\` (default ${PROCESS_SECONDS}). As a task (when the client can follow one) it answers with a task to follow for its result; otherwise it runs in the background and its tracked task id is returned at once.`,
    inputSchema: {
      type: 'object',
      properties: { data_id: { type: 'string', description: 'The data set to process' }, seconds: { ...seconds, description: 'How long the work takes' } },
      required: ['data_id'],
    },
    execution: { taskSupport: 'optional' },
  },
  async (args, ctx) => {
    const dataId = String(args.data_id);
    const duration = typeof args.seconds === 'number' ? args.seconds : PROCESS_SECONDS;
    if (ctx.taskId !== undefined) {
      // An MCP task (either era): the server tracks it until it ends, so it can simply do the work.
      server.logger.info(`Processing data: ${dataId}`, { mcpTaskId: ctx.taskId });
      await sleep(duration * 1000, undefined, { signal: ctx.signal });
      server.logger.info(`Completed processing: ${dataId}`, { mcpTaskId: ctx.taskId });
      return { content: [{ type: 'text', text: `Processed ${dataId}` }], structuredContent: { data_id: dataId, status: 'completed' } };
    }
    // The seed's way: tracked background work, its id returned at once.
    const taskId = server.runAsyncTask('data_processing', () => sleep(duration * 1000), { metadata: { data_id: dataId } });
    const started = { message: `Started processing ${dataId}`, task_id: taskId, status: 'processing' };
    return { content: [{ type: 'text', text: JSON.stringify(started) }], structuredContent: started };
  },
);

server.registerTool(
  'status',
  { title: 'Status', description: 'The ping status, the number of active tasks and the running jobs.', annotations: { readOnlyHint: true } },
  () => {
    const taskInfo = toWireTaskInfo(server.getAsyncTaskInfo());
    const status = { ping_status: server.getCurrentPingStatus(), active_tasks: taskInfo.active_count, running_jobs: taskInfo.running_jobs };
    return { content: [{ type: 'text', text: JSON.stringify(status) }], structuredContent: status };
  },
);

server.registerTool(
  'cleanup',
  {
    title: 'Clean up',
    description: `Cleans up in the background for \`seconds\` (default ${CLEANUP_SECONDS}); returns the tracked task id at once.`,
    inputSchema: { type: 'object', properties: { seconds: { ...seconds, description: 'How long the cleanup takes' } } },
  },
  (args) => {
    const duration = typeof args.seconds === 'number' ? args.seconds : CLEANUP_SECONDS;
    const taskId = server.runAsyncTask('cleanup', () => sleep(duration * 1000));
    const started = { message: 'Started cleanup', task_id: taskId };
    return { content: [{ type: 'text', text: JSON.stringify(started) }], structuredContent: started };
  },
);

server.registerTool(
  'delete_data',
  {
    title: 'Delete data',
    description: 'Deletes a data set once the user confirms (the client asks them; a stateless legacy server cannot ask, and keeps the data).',
    inputSchema: { type: 'object', properties: { data_id: { type: 'string', description: 'The data set to delete' } }, required: ['data_id'] },
    annotations: { destructiveHint: true },
  },
  async (args, ctx) => {
    const dataId = String(args.data_id);
    const answer = await ctx.elicitInput(
      { message: `Delete data set ${dataId}?`, requestedSchema: { type: 'object', properties: { confirm: { type: 'boolean', description: 'Yes, delete it' } }, required: ['confirm'] } },
      { key: 'confirm' },
    );
    if (answer.action !== 'accept' || answer.content?.confirm !== true) return `Kept ${dataId}`;
    server.logger.info(`Deleted data: ${dataId}`);
    return `Deleted ${dataId}`;
  },
);

// Serve when run as a program (`node dist/examples/mcp-async-processing.js`), not when a test imports it.
if (isMainModule(import.meta.url)) void server.run();
