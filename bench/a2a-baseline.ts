/**
 * The floor `npm run bench:a2a` measures A2A servers against: a bare `node:http` JSON-RPC
 * responder, written as cheaply as possible. `POST /` parses the body and answers `SendMessage`
 * with what the echo agents answer (a completed task: new ids, a timestamp, one artifact echoing
 * the text, the message as history) and keeps nothing; `GET /ping` answers the contract's body.
 * No routing table, no validation, no version handling, no log line.
 *
 *   PORT=9002 node dist/bench/a2a-baseline.js
 */
import { randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';

const PING = `{"status":"Healthy","time_of_last_update":${Math.floor(Date.now() / 1000)}}`;

interface Call {
  id: unknown;
  params?: { message?: { parts?: { text?: string }[] } & Record<string, unknown> };
}

function send(response: ServerResponse, body: string): void {
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

function answer(response: ServerResponse, text: string): void {
  let call: Call;
  try {
    call = JSON.parse(text) as Call;
  } catch {
    send(response, '{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}');
    return;
  }
  const message = call.params?.message ?? {};
  const id = randomUUID();
  const contextId = randomUUID();
  const task = {
    id,
    contextId,
    status: { state: 'TASK_STATE_COMPLETED', timestamp: new Date().toISOString() },
    artifacts: [{ artifactId: 'echo', name: 'echo', parts: [{ text: message.parts?.[0]?.text ?? '' }] }],
    history: [{ ...message, taskId: id, contextId }],
  };
  send(response, JSON.stringify({ jsonrpc: '2.0', id: call.id, result: { task } }));
}

createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/ping') {
    send(response, PING);
    return;
  }
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => answer(response, Buffer.concat(chunks).toString('utf8')));
}).listen(Number(process.env.PORT ?? 9002), process.env.HOST ?? '127.0.0.1');

process.on('SIGTERM', () => process.exit(0));
