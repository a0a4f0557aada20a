/**
 * A bench-only agent whose handler returns a stream of `{index, text}` items: an async generator
 * by default (how a model's tokens usually arrive), a sync generator with `"source": "sync"`
 * (items already at hand). With streaming support the library answers `text/event-stream`, one
 * event per item. Without it the answer is JSON, and the benchmark reports the SSE phase as "n/a".
 *
 *   PORT=8082 node dist/bench/sse-agent.js
 *   curl -sN localhost:8082/invocations -d '{"events":3}'
 *   curl -sN localhost:8082/invocations -d '{"events":3,"source":"sync"}'
 */
import { AgentCoreApp } from 'agentcore-lite';

const DEFAULT_EVENTS = 100;

const app = new AgentCoreApp();

async function* tokens(count: number): AsyncGenerator<{ index: number; text: string }> {
  for (let index = 0; index < count; index++) yield { index, text: 'token' };
}

function* syncTokens(count: number): Generator<{ index: number; text: string }> {
  for (let index = 0; index < count; index++) yield { index, text: 'token' };
}

app.entrypoint((payload: unknown) => {
  const { events, source } = (payload ?? {}) as { events?: unknown; source?: unknown };
  const count = typeof events === 'number' ? events : DEFAULT_EVENTS;
  return source === 'sync' ? syncTokens(count) : tokens(count);
});

void app.run();
