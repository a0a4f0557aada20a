/**
 * The floor: a bare `node:http` server with the same two endpoints and the same actions as the
 * example agent, written as cheaply as possible. No library, no logging, no context, no
 * validation beyond what the contract needs. `bench/run.ts` measures agentcore-lite against it.
 *
 *   PORT=8081 node dist/bench/baseline.js
 *
 * `{"action":"stream","events":N}` answers N server-sent events, written by hand.
 *
 * With `BASELINE_LOG=1` it is a reference, not the floor: after each invocation it also writes the
 * line the library writes at its default level (timestamp, level, message, a request id read from
 * `/dev/urandom` unless the request carries one, status, kind, duration), written as plainly as a
 * hand-made server would (`JSON.stringify`, `toISOString`), batched per event-loop turn with one
 * synchronous write. It shows what one log line per request costs any server on this machine.
 */
import { openSync, readSync, writeSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

const DEFAULT_PORT = 8080;
const DEFAULT_HOST = '127.0.0.1';
const PROCESS_SECONDS = 30;
const CLEANUP_SECONDS = 10;
const DEFAULT_STREAM_EVENTS = 100;

interface Task {
  id: number;
  name: string;
  startedAt: number;
  metadata: Record<string, unknown> | undefined;
}

const tasks = new Map<number, Task>();
let lastTaskId = 0;
let status = 'Healthy';
let changedAt = Math.floor(Date.now() / 1000);
let pingBody = renderPing();

function renderPing(): string {
  return `{"status":"${status}","time_of_last_update":${changedAt}}`;
}

/** The stamp moves only when the status changes. */
function refreshStatus(): void {
  const next = tasks.size > 0 ? 'HealthyBusy' : 'Healthy';
  if (next === status) return;
  status = next;
  changedAt = Math.floor(Date.now() / 1000);
  pingBody = renderPing();
}

function addTask(name: string, metadata: Record<string, unknown> | undefined, seconds: number): number {
  const id = ++lastTaskId;
  tasks.set(id, { id, name, startedAt: Date.now(), metadata });
  refreshStatus();
  setTimeout(() => {
    tasks.delete(id);
    refreshStatus();
  }, seconds * 1000);
  return id;
}

function secondsFrom(payload: Record<string, unknown>, fallback: number): number {
  const seconds = payload.seconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0 && seconds <= 3600 ? seconds : fallback;
}

function statusResult(): unknown {
  const now = Date.now();
  const runningJobs = [];
  for (const task of tasks.values()) {
    const job: Record<string, unknown> = { id: task.id, name: task.name, duration: Math.round((now - task.startedAt) / 10) / 100 };
    if (task.metadata !== undefined) job.metadata = task.metadata;
    runningJobs.push(job);
  }
  return { ping_status: status, active_tasks: tasks.size, running_jobs: runningJobs };
}

const LOG_LINES = process.env.BASELINE_LOG === '1';
const REQUEST_ID_HEADER = 'x-amzn-bedrock-agentcore-runtime-request-id';
const idBytes = Buffer.alloc(16);
let urandom: number | undefined;
let pendingLines = '';
let flushScheduled = false;

function flushLines(): void {
  flushScheduled = false;
  const text = pendingLines;
  pendingLines = '';
  writeSync(1, text);
}

function logCompleted(request: IncomingMessage, code: number, startedAt: number): void {
  let requestId = request.headers[REQUEST_ID_HEADER];
  if (typeof requestId !== 'string') {
    urandom ??= openSync('/dev/urandom', 'r');
    readSync(urandom, idBytes, 0, idBytes.length, null);
    requestId = idBytes.toString('hex');
  }
  const durationMs = Math.round((performance.now() - startedAt) * 1000) / 1000;
  const line = { timestamp: new Date().toISOString(), level: 'info', message: 'invocation completed', requestId, status: code, kind: 'json', durationMs };
  pendingLines += JSON.stringify(line) + '\n';
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flushLines);
  }
}

function send(response: ServerResponse, code: number, body: string): void {
  response.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

async function stream(response: ServerResponse, events: number): Promise<void> {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (let index = 0; index < events; index++) {
    if (!response.write(`data: {"index":${index},"text":"token"}\n\n`)) {
      await new Promise((resolve) => response.once('drain', resolve));
    }
  }
  response.end();
}

function invoke(payload: Record<string, unknown>, request: IncomingMessage, response: ServerResponse, startedAt: number): void {
  const action = payload.action;
  let result: unknown;
  if (action === 'process') {
    const dataId = typeof payload.data_id === 'string' ? payload.data_id : 'default_data';
    const id = addTask('data_processing', { data_id: dataId }, secondsFrom(payload, PROCESS_SECONDS));
    result = { message: `Started processing ${dataId}`, task_id: id, status: 'processing' };
  } else if (action === 'cleanup') {
    const id = addTask('cleanup', undefined, secondsFrom(payload, CLEANUP_SECONDS));
    result = { message: 'Started cleanup', task_id: id };
  } else if (action === 'status') {
    result = statusResult();
  } else if (action === 'stream') {
    const events = typeof payload.events === 'number' ? payload.events : DEFAULT_STREAM_EVENTS;
    void stream(response, events);
    return;
  } else {
    result = { message: 'Simple BedrockAgentCore Agent', available_actions: ['process', 'cleanup', 'status'] };
  }
  send(response, 200, JSON.stringify(result));
  if (LOG_LINES) logCompleted(request, 200, startedAt);
}

function onRequest(request: IncomingMessage, response: ServerResponse): void {
  if (request.url === '/ping' && request.method === 'GET') {
    send(response, 200, pingBody);
    return;
  }
  if (request.url !== '/invocations' || request.method !== 'POST') {
    send(response, 404, '{"error":"Not Found"}');
    return;
  }
  const startedAt = LOG_LINES ? performance.now() : 0;
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      send(response, 400, '{"error":"Invalid JSON"}');
      return;
    }
    invoke(typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {}, request, response, startedAt);
  });
}

const server = createServer(onRequest);
server.listen(Number(process.env.PORT ?? DEFAULT_PORT), process.env.HOST ?? DEFAULT_HOST);
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
  });
}
