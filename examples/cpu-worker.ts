/**
 * CPU-bound work without starving /ping. Node runs JavaScript on one thread: a handler that
 * computes for 5 s delays every /ping by 5 s, and the platform may think the agent is gone.
 * Run such work in a worker thread and track it as a task: /ping keeps answering (HealthyBusy)
 * the whole time.
 *
 *   node dist/examples/cpu-worker.js
 *   curl -s localhost:8080/invocations -H 'Content-Type: application/json' -d '{"seconds": 5}'
 *   curl -s localhost:8080/ping        # answers at once, HealthyBusy while the job runs
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { AgentCoreApp, isMainModule } from 'agentcore-lite';

/** The CPU-bound job: spins for `seconds`, counting primes, and returns the count. */
function countPrimesFor(seconds: number): number {
  const end = Date.now() + seconds * 1000;
  let count = 0;
  for (let candidate = 2; Date.now() < end; candidate++) {
    let prime = true;
    for (let divisor = 2; divisor * divisor <= candidate; divisor++) {
      if (candidate % divisor === 0) {
        prime = false;
        break;
      }
    }
    if (prime) count++;
  }
  return count;
}

/** Runs `countPrimesFor` in a worker thread (this same file) and resolves with its answer. */
function inWorker(seconds: number, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { seconds } });
    const stop = (): void => void worker.terminate();
    signal.addEventListener('abort', stop, { once: true });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => {
      signal.removeEventListener('abort', stop);
      if (code !== 0) reject(new Error(`worker stopped with exit code ${code}`));
    });
  });
}

export const app = new AgentCoreApp();
export const results = new Map<number, number>();

app.entrypoint((payload: { seconds?: number }) => {
  const seconds = typeof payload?.seconds === 'number' && payload.seconds > 0 && payload.seconds <= 600 ? payload.seconds : 5;
  const taskId = app.runAsyncTask(
    'count_primes',
    async (signal, id) => {
      results.set(id, await inWorker(seconds, signal));
    },
    { timeoutMs: (seconds + 60) * 1000 },
  );
  return { message: `Counting primes for ${seconds} s in a worker thread`, task_id: taskId };
});

if (!isMainThread) {
  parentPort!.postMessage(countPrimesFor((workerData as { seconds: number }).seconds));
} else if (isMainModule(import.meta.url)) {
  // Serve when run as a program (`node dist/examples/cpu-worker.js`), not when a test imports the app.
  void app.run();
}
