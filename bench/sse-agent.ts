/**
 * A bench-only agent whose handler returns an async generator: with streaming support the
 * library answers `text/event-stream`, one event per item. Without it the answer is JSON, and the
 * benchmark reports the SSE phase as "n/a".
 *
 *   PORT=8082 node dist/bench/sse-agent.js
 *   curl -sN localhost:8082/invocations -d '{"events":3}'
 */
import { AgentCoreApp } from 'agentcore-lite';

const DEFAULT_EVENTS = 100;

const app = new AgentCoreApp();

async function* tokens(count: number): AsyncGenerator<{ index: number; text: string }> {
  for (let index = 0; index < count; index++) yield { index, text: 'token' };
}

app.entrypoint((payload: unknown) => {
  const events = (payload as { events?: unknown } | null)?.events;
  return tokens(typeof events === 'number' ? events : DEFAULT_EVENTS);
});

void app.run();
