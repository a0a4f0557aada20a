/**
 * The official TypeScript SDK's stateless server, as `bench/mcp.ts` measures it: the SDK's own
 * stateless pattern (a new `McpServer` and `StreamableHTTPServerTransport` per request,
 * `sessionIdGenerator: undefined`) on `node:http` rather than Express (in its favour), JSON
 * answers (`enableJsonResponse`, as agentcore-lite answers a call that sends nothing first), one
 * trivial tool `echo` with a zod input schema, and `GET /ping` like the floor's. The SDK is not a
 * dependency: it is loaded from `MCP_SDK_PREFIX` (a folder `npm install --prefix` filled).
 *
 *   MCP_SDK_PREFIX=/tmp/sdk PORT=8003 node dist/bench/mcp-sdk-server.js
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const DEFAULT_PORT = 8000;
const PING_BODY = `{"status":"Healthy","time_of_last_update":${Math.floor(Date.now() / 1000)}}`;
const prefix = process.env.MCP_SDK_PREFIX;
if (prefix === undefined) throw new Error('MCP_SDK_PREFIX must name the folder the SDK is installed in');

const load = async (path: string): Promise<any> => import(pathToFileURL(join(prefix, 'node_modules', path)).href);
const { McpServer } = await load('@modelcontextprotocol/sdk/dist/esm/server/mcp.js');
const { StreamableHTTPServerTransport } = await load('@modelcontextprotocol/sdk/dist/esm/server/streamableHttp.js');
const { z } = await load('zod/index.js');

function newServer(): any {
  const server = new McpServer({ name: 'bench', version: '1.0.0' });
  server.registerTool('echo', { description: 'Echoes its text', inputSchema: { text: z.string() } }, ({ text }: { text: string }) => ({
    content: [{ type: 'text', text }],
  }));
  return server;
}

function mcp(request: IncomingMessage, response: ServerResponse): void {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', async () => {
    try {
      const server = newServer();
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      response.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(request, response, JSON.parse(Buffer.concat(chunks).toString('utf8')));
    } catch {
      if (!response.headersSent) response.writeHead(500).end();
    }
  });
}

createServer((request, response) => {
  if (request.url === '/ping') {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(PING_BODY) });
    response.end(PING_BODY);
  } else if (request.url === '/mcp' && request.method === 'POST') {
    mcp(request, response);
  } else {
    response.writeHead(404).end();
  }
}).listen(Number(process.env.PORT ?? DEFAULT_PORT), process.env.HOST ?? '127.0.0.1');
