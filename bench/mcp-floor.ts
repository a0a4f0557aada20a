/**
 * The MCP floor: a bare `node:http` JSON responder with the MCP server's two endpoints, written
 * as cheaply as possible: `GET /ping` (the contract's body, the stamp moving only on a change)
 * and `POST /mcp` answering a JSON-RPC `tools/call` of the one tool `echo` with its argument as
 * text (anything else gets an empty result). No validation, no sessions, no logging.
 * `bench/mcp.ts` measures agentcore-lite/mcp and the official SDK against it.
 *
 *   PORT=8001 node dist/bench/mcp-floor.js
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

const DEFAULT_PORT = 8000;
const PING_BODY = `{"status":"Healthy","time_of_last_update":${Math.floor(Date.now() / 1000)}}`;

function answer(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

function mcp(request: IncomingMessage, response: ServerResponse): void {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    let message: { id?: unknown; method?: unknown; params?: { arguments?: { text?: unknown } } };
    try {
      message = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof message;
    } catch {
      answer(response, 400, '{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}');
      return;
    }
    const result = message.method === 'tools/call' ? { content: [{ type: 'text', text: String(message.params?.arguments?.text ?? '') }] } : {};
    answer(response, 200, JSON.stringify({ jsonrpc: '2.0', id: message.id, result }));
  });
}

createServer((request, response) => {
  if (request.url === '/ping') answer(response, 200, PING_BODY);
  else if (request.url === '/mcp' && request.method === 'POST') mcp(request, response);
  else answer(response, 404, '{"error":"Not found"}');
}).listen(Number(process.env.PORT ?? DEFAULT_PORT), process.env.HOST ?? '127.0.0.1');
