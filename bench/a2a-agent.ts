/**
 * The A2A echo agent `npm run bench:a2a` measures: agentcore-lite's `A2AServer` at its defaults,
 * whose executor answers each message with a task completed with one artifact echoing the text
 * (the same work the `@a2a-js/sdk` agent and the floor of `bench/a2a.ts` do).
 *
 *   PORT=9001 node dist/bench/a2a-agent.js
 */
import { A2AServer } from '../lib/a2a/index.js';

const server = new A2AServer({ card: { name: 'echo', description: 'Echoes each message as an artifact' } });

server.executor((context) => {
  const part = context.message.parts[0];
  context.artifact({ artifactId: 'echo', name: 'echo', parts: [{ text: part !== undefined && 'text' in part ? part.text : '' }] }, { lastChunk: true });
});

void server.run();
