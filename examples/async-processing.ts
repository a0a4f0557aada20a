/**
 * The seed agent (`async-processing.md`): long-running work tracked by hand with addAsyncTask /
 * completeAsyncTask, so /ping answers HealthyBusy while it runs and the platform keeps the
 * session alive. It answers exactly as the seed's Python agent does; the optional `seconds`
 * field (0 to 3600) is an extension that shortens the simulated work, for trying it and for tests.
 *
 *   npm start                      # serves on http://127.0.0.1:8080 (PORT / HOST to change)
 *   curl -s localhost:8080/invocations -H 'Content-Type: application/json' -d '{"action":"process","data_id":"d1"}'
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AgentCoreApp, isMainModule, toWireTaskInfo } from 'agentcore-lite';

const PROCESS_SECONDS = 30;
const CLEANUP_SECONDS = 10;
const MAX_SECONDS = 3600;

export const app = new AgentCoreApp();

/** Processes data in the background (the seed's thread); the task completes however it ends. */
async function processData(dataId: string, taskId: number, seconds: number): Promise<string> {
  try {
    app.logger.info(`Processing data: ${dataId}`, { taskId });
    await sleep(seconds * 1000); // Simulate processing work: in a real agent, the long model or tool call.
    app.logger.info(`Completed processing: ${dataId}`, { taskId });
    return `Processed ${dataId}`;
  } finally {
    app.completeAsyncTask(taskId);
  }
}

/** Cleans up in the background; the task completes however it ends. */
async function cleanupTask(taskId: number, seconds: number): Promise<string> {
  try {
    app.logger.info('Starting cleanup...', { taskId });
    await sleep(seconds * 1000);
    app.logger.info('Cleanup completed', { taskId });
    return 'Cleanup done';
  } finally {
    app.completeAsyncTask(taskId);
  }
}

/** Background work is started, not awaited: its failure is logged, never an unhandled rejection. */
function inBackground(work: Promise<unknown>, what: string): void {
  work.catch((error: unknown) => app.logger.error(`${what} failed`, { error }));
}

/** The optional `seconds` field, when it is a number from 0 to 3600; else the seed's duration. */
function secondsFrom(event: Record<string, unknown>, fallback: number): number {
  const seconds = event.seconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0 && seconds <= MAX_SECONDS ? seconds : fallback;
}

app.entrypoint((payload: unknown) => {
  const event = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {};
  const action = event.action ?? 'info';

  if (action === 'process') {
    const dataId = typeof event.data_id === 'string' ? event.data_id : 'default_data';
    // Start tracking the task (status becomes HealthyBusy).
    const taskId = app.addAsyncTask('data_processing', { data_id: dataId });
    inBackground(processData(dataId, taskId, secondsFrom(event, PROCESS_SECONDS)), 'processing');
    return { message: `Started processing ${dataId}`, task_id: taskId, status: 'processing' };
  }

  if (action === 'cleanup') {
    const taskId = app.addAsyncTask('cleanup', {});
    inBackground(cleanupTask(taskId, secondsFrom(event, CLEANUP_SECONDS)), 'cleanup');
    return { message: 'Started cleanup', task_id: taskId };
  }

  if (action === 'status') {
    const taskInfo = toWireTaskInfo(app.getAsyncTaskInfo());
    return {
      ping_status: app.getCurrentPingStatus(),
      active_tasks: taskInfo.active_count,
      running_jobs: taskInfo.running_jobs,
    };
  }

  return {
    message: 'Simple BedrockAgentCore Agent',
    available_actions: ['process', 'cleanup', 'status'],
    usage: "Send {'action': 'process', 'data_id': 'my_data'}",
  };
});

// Serve when run as a program (`node dist/examples/async-processing.js`), not when a test imports the app.
if (isMainModule(import.meta.url)) {
  app.logger.info('Starting simple BedrockAgentCore agent...');
  app.logger.info("The agent will automatically report 'HealthyBusy' when processing tasks");
  void app.run();
}
