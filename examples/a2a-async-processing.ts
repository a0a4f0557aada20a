/**
 * The seed agent (`async-processing.md`) as an A2A agent: each A2A task that works is a tracked
 * task, so /ping answers HealthyBusy while one runs and the platform keeps the session alive.
 * Text messages:
 *
 *   process <data_id> [seconds]   a task that works that long (default 30 s), then completes
 *                                 with an artifact naming the data id
 *   cleanup [seconds]             the same for a cleanup (default 10 s)
 *   status                        the ping status, the active count and the running jobs
 *   anything else                 the usage text
 *
 * A working task can be canceled (CancelTask / tasks/cancel).
 *
 *   npm run example:a2a            # serves on http://127.0.0.1:9000 (PORT / HOST to change)
 *   curl -s localhost:9000/.well-known/agent-card.json
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isMainModule, toWireTaskInfo } from 'agentcore-lite';
import { A2AServer, type TaskContext } from 'agentcore-lite/a2a';

const PROCESS_SECONDS = 30;
const CLEANUP_SECONDS = 10;
const MAX_SECONDS = 3600;
const USAGE = 'Send "process <data_id> [seconds]", "cleanup [seconds]" or "status".';

export const server = new A2AServer({
  card: {
    name: 'async-processing',
    description: 'The AgentCore seed agent over A2A: long-running tasks that keep the session busy while they work',
    skills: [
      { id: 'process', name: 'process', description: 'Processes a data id for some seconds, then returns an artifact naming it', tags: ['async'], examples: ['process d42 2'] },
      { id: 'cleanup', name: 'cleanup', description: 'Cleans up for some seconds', tags: ['async'], examples: ['cleanup 1'] },
      { id: 'status', name: 'status', description: 'The ping status and the running jobs', tags: ['health'], examples: ['status'] },
    ],
    defaultOutputModes: ['text/plain', 'application/json'],
  },
});

/** The text of a message's text parts. */
function textOf(context: TaskContext): string {
  return context.message.parts.map((part) => ('text' in part ? part.text : '')).join(' ').trim();
}

/** `text` as seconds from 0 to 3600, else `fallback`. */
function secondsFrom(text: string | undefined, fallback: number): number {
  const seconds = Number(text);
  return text !== undefined && Number.isFinite(seconds) && seconds >= 0 && seconds <= MAX_SECONDS ? seconds : fallback;
}

server.executor(async (context) => {
  const [command, ...args] = textOf(context).split(/\s+/);

  if (command === 'process') {
    const dataId = args[0] || 'default_data';
    context.working(`Processing ${dataId}`);
    server.logger.info(`Processing data: ${dataId}`, { taskId: context.taskId });
    // The long work (a model or tool call in a real agent); a cancel aborts the signal.
    await sleep(secondsFrom(args[1], PROCESS_SECONDS) * 1000, undefined, { signal: context.signal });
    context.artifact({ name: 'result', parts: [{ text: `Processed ${dataId}` }, { data: { data_id: dataId, status: 'processed' } }] });
    context.complete(`Processed ${dataId}`);
    server.logger.info(`Completed processing: ${dataId}`, { taskId: context.taskId });
    return;
  }

  if (command === 'cleanup') {
    context.working('Starting cleanup...');
    await sleep(secondsFrom(args[0], CLEANUP_SECONDS) * 1000, undefined, { signal: context.signal });
    context.artifact({ name: 'result', parts: [{ text: 'Cleanup done' }] });
    context.complete('Cleanup done');
    return;
  }

  if (command === 'status') {
    const taskInfo = toWireTaskInfo(server.getAsyncTaskInfo());
    context.reply({
      parts: [
        {
          data: {
            ping_status: server.getCurrentPingStatus(),
            active_tasks: taskInfo.active_count,
            running_jobs: taskInfo.running_jobs,
          },
          mediaType: 'application/json',
        },
      ],
    });
    return;
  }

  context.reply(USAGE);
});

// Serve when run as a program (`node dist/examples/a2a-async-processing.js`), not when a test imports it.
if (isMainModule(import.meta.url)) void server.run();
