/**
 * A small keep-alive load generator on `node:http`, run in its own process by `bench/run.ts`:
 * `connections` workers each send one request at a time over a keep-alive agent, first for
 * `warmupMs` (not recorded), then for `durationMs`. Prints one JSON `LoadResult` line.
 *
 *   node dist/bench/load.js '{"url":"http://127.0.0.1:8080/ping","connections":16,"durationMs":3000}'
 *
 * In `sse` mode it counts server-sent events (blank-line-terminated blocks) in each response.
 */
import { Agent, request } from 'node:http';

/** What to send, for how long. */
export interface LoadOptions {
  url: string;
  method?: string;
  body?: string;
  /** Extra request headers (an MCP client's `Accept` and `MCP-Protocol-Version`, an A2A call's `A2A-Version`). */
  headers?: Record<string, string>;
  connections?: number;
  durationMs?: number;
  warmupMs?: number;
  sse?: boolean;
  /** Stop after this many requests (a burst), or when `durationMs` ends, whichever comes first. */
  maxRequests?: number;
}

/** What one load run measured (recorded window only, except `totalRequests`). */
export interface LoadResult {
  requests: number;
  totalRequests: number;
  requestsPerSecond: number;
  events: number;
  eventsPerSecond: number;
  errors: number;
  non2xx: number;
  contentType: string | undefined;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
}

const DEFAULT_CONNECTIONS = 16;
const DEFAULT_DURATION_MS = 3000;
const DEFAULT_WARMUP_MS = 1000;

interface Reply {
  status: number;
  events: number;
  contentType: string | undefined;
}

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}

/** Counts "\n\n" event terminators across chunk boundaries. */
function countEvents(text: string, previousEndedWithNewline: boolean): number {
  let count = previousEndedWithNewline && text.startsWith('\n') ? 1 : 0;
  for (let index = text.indexOf('\n\n'); index !== -1; index = text.indexOf('\n\n', index + 2)) count++;
  return count;
}

/** Runs the load and resolves with its measurements. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const connections = options.connections ?? DEFAULT_CONNECTIONS;
  const durationMs = options.durationMs ?? DEFAULT_DURATION_MS;
  const warmupMs = options.warmupMs ?? DEFAULT_WARMUP_MS;
  const url = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const body = options.body;
  const headers: Record<string, string | number> = { ...options.headers };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = Buffer.byteLength(body);
  }
  const requestOptions = {
    agent,
    host: url.hostname,
    port: url.port,
    path: url.pathname,
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
  };

  const send = (): Promise<Reply> =>
    new Promise<Reply>((resolve, reject) => {
      const outgoing = request(requestOptions, (response) => {
        const reply: Reply = { status: response.statusCode ?? 0, events: 0, contentType: response.headers['content-type'] };
        if (options.sse === true) {
          let endedWithNewline = false;
          response.setEncoding('latin1');
          response.on('data', (chunk: string) => {
            reply.events += countEvents(chunk, endedWithNewline);
            endedWithNewline = chunk.endsWith('\n') && !chunk.endsWith('\n\n');
          });
        } else {
          response.resume();
        }
        response.on('end', () => resolve(reply));
        response.on('error', reject);
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });

  const startedAt = performance.now();
  const recordFrom = startedAt + warmupMs;
  const stopAt = recordFrom + durationMs;
  let latencies = new Float64Array(1 << 16);
  let requests = 0;
  let totalRequests = 0;
  let events = 0;
  let errors = 0;
  let non2xx = 0;
  let contentType: string | undefined;

  const maxRequests = options.maxRequests ?? Infinity;
  let started = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const sentAt = performance.now();
      if (sentAt >= stopAt || started >= maxRequests) return;
      started++;
      try {
        const reply = await send();
        const doneAt = performance.now();
        totalRequests++;
        contentType ??= reply.contentType;
        if (sentAt < recordFrom || doneAt > stopAt) continue;
        if (reply.status < 200 || reply.status > 299) non2xx++;
        if (requests === latencies.length) {
          const grown = new Float64Array(latencies.length * 2);
          grown.set(latencies);
          latencies = grown;
        }
        latencies[requests++] = doneAt - sentAt;
        events += reply.events;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  agent.destroy();

  const sorted = latencies.slice(0, requests).sort();
  const seconds = durationMs / 1000;
  const round = (ms: number): number => Math.round(ms * 1000) / 1000;
  return {
    requests,
    totalRequests,
    requestsPerSecond: Math.round(requests / seconds),
    events,
    eventsPerSecond: Math.round(events / seconds),
    errors,
    non2xx,
    contentType,
    latencyMs: {
      p50: round(percentile(sorted, 0.5)),
      p90: round(percentile(sorted, 0.9)),
      p99: round(percentile(sorted, 0.99)),
      max: round(sorted.length === 0 ? 0 : sorted[sorted.length - 1]!),
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
  void runLoad(options).then((result) => process.stdout.write(JSON.stringify(result) + '\n'));
}
