/**
 * runAsyncTask: the leak-proof way to run tracked background work. The task is tracked from
 * the call until the work settles; a failure is logged (never an unhandled rejection); with
 * timeoutMs the task stops being tracked when time runs out and the work's signal aborts.
 *
 *   node dist/examples/background-work.js
 *   curl -s localhost:8080/invocations -d '{"report":"weekly","seconds":5}'
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AgentCoreApp, getRequestContext, isMainModule } from 'agentcore-lite';

export const app = new AgentCoreApp();

app.entrypoint((payload: { report?: string; seconds?: number; fail?: boolean }) => {
  const report = payload?.report ?? 'daily';
  const seconds = typeof payload?.seconds === 'number' ? payload.seconds : 20;
  const taskId = app.runAsyncTask(
    'build_report',
    async (signal) => {
      // The request context follows the work into the background.
      app.logger.info('building report', { report, requestId: getRequestContext()?.requestId });
      await sleep(seconds * 1000, undefined, { signal });
      if (payload?.fail) throw new Error(`report ${report} failed`);
      app.logger.info('report ready', { report });
    },
    { metadata: { report }, timeoutMs: 60_000 },
  );
  return { message: `Building the ${report} report`, task_id: taskId };
});

// Serve when run as a program (`node dist/examples/background-work.js`), not when a test imports the app.
if (isMainModule(import.meta.url)) void app.run();
