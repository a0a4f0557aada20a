/**
 * An AG-UI agent: `POST /invocations` takes a `RunAgentInput` and answers with an AG-UI event
 * stream. It echoes the last user message back word by word (`RUN_STARTED`, one assistant text
 * message, `RUN_FINISHED`); when that message is exactly "fail" it throws, and the run ends with
 * `RUN_ERROR`. A body that is not a `RunAgentInput` gets a 400 naming the bad field.
 *
 *   node dist/examples/ag-ui.js
 *   curl -N localhost:8080/invocations -H 'Content-Type: application/json' \
 *     -d '{"threadId":"t1","runId":"r1","messages":[{"id":"m1","role":"user","content":"hello there"}]}'
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AgentCoreApp, isMainModule, type RequestContext } from 'agentcore-lite';
import { agUiHandler, lastUserText, type RunAgentInput } from 'agentcore-lite/ag-ui';

/** Pause between words, so a client sees the reply arrive as a stream. */
const WORD_DELAY_MS = 30;
/** The message that makes the agent fail on purpose. */
const FAIL_MESSAGE = 'fail';

export const app = new AgentCoreApp({ sseHeartbeatMs: 15_000 });

async function* echo(input: RunAgentInput, context: RequestContext): AsyncGenerator<string> {
  const text = lastUserText(input) ?? '';
  if (text === FAIL_MESSAGE) throw new Error('The agent failed, as asked');
  if (text.trim() === '') {
    yield 'Say something and I will echo it.';
    return;
  }
  const words = text.trim().split(/\s+/);
  for (let index = 0; index < words.length; index++) {
    // The request's signal ends the wait at once when the client goes away.
    if (index > 0) await sleep(WORD_DELAY_MS, undefined, { signal: context.signal });
    // Each string is one TEXT_MESSAGE_CONTENT delta of the same assistant message.
    yield index === 0 ? words[index]! : ` ${words[index]!}`;
  }
}

app.entrypoint(agUiHandler(echo));

// Serve when run as a program (`node dist/examples/ag-ui.js`), not when a test imports the app.
if (isMainModule(import.meta.url)) void app.run();
