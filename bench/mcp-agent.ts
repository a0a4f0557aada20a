/**
 * agentcore-lite/mcp as `bench/mcp.ts` measures it: a stateless `McpServer` (the default) with
 * one trivial tool, `echo`, whose JSON Schema input is checked by the built-in validator.
 *
 *   PORT=8002 node dist/bench/mcp-agent.js
 */
import { McpServer } from '../lib/mcp/index.js';

const server = new McpServer({ name: 'bench', version: '1.0.0' });
server.registerTool(
  'echo',
  { description: 'Echoes its text', inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } },
  (args) => ({ content: [{ type: 'text', text: String(args.text) }] }),
);
void server.run();
