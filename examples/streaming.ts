/**
 * Streaming progress as Server-Sent Events: the handler returns an async generator, each yielded
 * item becomes one `data:` event, and `sseEvent()` sets `event:`/`id:` where a client wants them.
 * The final report is built by a tracked task that outlives the stream, so /ping answers
 * HealthyBusy until it is done even though the HTTP response has already ended.
 *
 *   node dist/examples/streaming.js
 *   curl -N localhost:8080/invocations -H 'Content-Type: application/json' -d '{"steps":5}'
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AgentCoreApp, isMainModule, type RequestContext, sseEvent } from 'agentcore-lite';

const DEFAULT_STEPS = 5;
const MAX_STEPS = 100;
const STEP_MS = 500;
const REPORT_SECONDS = 5;

export const app = new AgentCoreApp({ sseHeartbeatMs: 15_000 });

interface Request {
  steps: number;
  reportSeconds: number;
}

/** Optional `steps` (1 to 100) and `report_seconds` (0 to 60) in the payload. */
function requestFrom(payload: unknown): Request {
  const { steps, report_seconds: seconds } = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, unknown>;
  return {
    steps: typeof steps === 'number' && Number.isInteger(steps) && steps >= 1 && steps <= MAX_STEPS ? steps : DEFAULT_STEPS,
    reportSeconds: typeof seconds === 'number' && seconds >= 0 && seconds <= 60 ? seconds : REPORT_SECONDS,
  };
}

async function* progress({ steps, reportSeconds }: Request, context: RequestContext): AsyncGenerator<unknown> {
  // Plain items are sent as `data: <json>`, the Python SDK's format.
  yield { status: 'started', steps };
  for (let step = 1; step <= steps; step++) {
    // Passing the request's signal ends the wait at once if the client goes away.
    await sleep(STEP_MS, undefined, { signal: context.signal });
    yield sseEvent({ event: 'progress', id: step, data: { step, percent: Math.round((step / steps) * 100) } });
  }
  // Work that should finish even after the stream ends: a tracked task, not part of the stream.
  const taskId = app.runAsyncTask(
    'final_report',
    async () => {
      await sleep(reportSeconds * 1000);
      app.logger.info('final report ready', { steps });
    },
    { metadata: { steps }, timeoutMs: 60_000 },
  );
  yield sseEvent({ event: 'done', data: { status: 'streamed', report_task_id: taskId } });
}

app.entrypoint((payload: unknown, context) => progress(requestFrom(payload), context));

// Serve when run as a program (`node dist/examples/streaming.js`), not when a test imports the app.
if (isMainModule(import.meta.url)) void app.run();
