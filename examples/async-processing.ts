/**
 * The seed agent: long-running work tracked with addAsyncTask / completeAsyncTask, so /ping
 * answers HealthyBusy while it runs and the platform keeps the session alive.
 *
 *   npm start                      # serves on http://127.0.0.1:8080 (PORT / HOST to change)
 *   curl -s localhost:8080/invocations -H 'Content-Type: application/json' -d '{"action":"process","data_id":"d1"}'
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AgentCoreApp, isMainModule, toWireTaskInfo } from 'agentcore-lite';

const PROCESS_SECONDS = 30;
const CLEANUP_SECONDS = 10;

export const app = new AgentCoreApp();

/** Simulated processing: in a real agent this is the long model or tool call. */
async function processData(dataId: string, taskId: number, seconds: number): Promise<void> {
  app.logger.info('processing data', { dataId, taskId });
  await sleep(seconds * 1000);
  app.logger.info('completed processing', { dataId, taskId });
  app.completeAsyncTask(taskId);
}

async function cleanup(taskId: number, seconds: number): Promise<void> {
  app.logger.info('starting cleanup', { taskId });
  await sleep(seconds * 1000);
  app.logger.info('cleanup completed', { taskId });
  app.completeAsyncTask(taskId);
}

/** Optional `seconds` in the payload shortens the simulated work (0 to 3600). */
function durationFrom(payload: Record<string, unknown>, fallback: number): number {
  const seconds = payload.seconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0 && seconds <= 3600 ? seconds : fallback;
}

app.entrypoint((payload: unknown) => {
  const request = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {};
  const action = request.action;

  if (action === 'process') {
    const dataId = typeof request.data_id === 'string' ? request.data_id : 'default_data';
    const taskId = app.addAsyncTask('data_processing', { data_id: dataId });
    void processData(dataId, taskId, durationFrom(request, PROCESS_SECONDS));
    return { message: `Started processing data: ${dataId}`, task_id: taskId, status: 'processing' };
  }

  if (action === 'cleanup') {
    const taskId = app.addAsyncTask('cleanup');
    void cleanup(taskId, durationFrom(request, CLEANUP_SECONDS));
    return { message: 'Started cleanup task', task_id: taskId, status: 'cleaning' };
  }

  if (action === 'status') {
    const info = toWireTaskInfo(app.getAsyncTaskInfo());
    return {
      ping_status: app.getCurrentPingStatus(),
      active_tasks: info.active_count,
      running_jobs: info.running_jobs,
    };
  }

  return {
    message: 'Simple agent is ready',
    available_actions: ['process', 'cleanup', 'status'],
    usage: 'Send {"action": "process", "data_id": "my_data"}; add "seconds": N to shorten the work',
  };
});

// Serve when run as a program (`node dist/examples/async-processing.js`), not when a test imports the app.
if (isMainModule(import.meta.url)) void app.run();
