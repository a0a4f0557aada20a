import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { withoutCoverage } from './agent-process.js';

/** What `readFastWhilePinging` saw. */
export interface FastReadOutcome {
  /** Every `/ping` timed, in order: its latency, and whether it ran while the stream did. */
  pings: Array<{ latencyMs: number; duringStream: boolean }>;
  /** The latencies of the pings sent and answered while the stream was running. */
  duringStream: number[];
  streamBytes: number;
  /** Whether the stream ended (its last chunk arrived) rather than being closed by the reader. */
  ended: boolean;
}

const CHILD = fileURLToPath(new URL('./fast-reader-child.js', import.meta.url));

/**
 * POSTs `payload` to /invocations on `port` from another process that reads the streamed answer
 * as fast as it can (like `curl -N`), for at most `readForMs` after its first bytes, and times a
 * `GET /ping` every `pingEveryMs` on a second connection meanwhile. The server under test may
 * run in this process: the timings are taken by a process whose event loop it cannot block.
 */
export function readFastWhilePinging(port: number, payload: unknown, readForMs = 800, pingEveryMs = 10): Promise<FastReadOutcome> {
  const child = spawn(process.execPath, [CHILD, JSON.stringify({ port, body: JSON.stringify(payload), readForMs, pingEveryMs })], {
    env: withoutCoverage(),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`the fast reader exited with ${code}: ${output}`));
      const outcome = JSON.parse(output) as Omit<FastReadOutcome, 'duringStream'>;
      resolve({ ...outcome, duringStream: outcome.pings.filter((ping) => ping.duringStream).map((ping) => ping.latencyMs) });
    });
  });
}

/** The `fraction` quantile of `values` (nearest rank). */
export function quantile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? Number.NaN;
}
