/**
 * A WebSocket agent on /ws: echoes every message, and answers `{"stream": "some text"}` with a
 * streamed reply, one word per message, then `{"done": true}`.
 *
 *   node dist/examples/websocket.js
 *   # in a browser console on any page:
 *   #   const ws = new WebSocket('ws://localhost:8080/ws');
 *   #   ws.onmessage = (e) => console.log(e.data);
 *   #   ws.onopen = () => ws.send(JSON.stringify({ stream: 'hello from the agent' }));
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AgentCoreApp, isMainModule } from 'agentcore-lite';
import { AgentCoreWebSocket, WebSocketNotOpenError } from 'agentcore-lite/websocket';

export const app = new AgentCoreApp();

/** Sends `text` word by word, as a model would stream tokens. */
async function streamReply(socket: AgentCoreWebSocket, text: string): Promise<void> {
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (socket.readyState !== AgentCoreWebSocket.OPEN) return;
    await socket.send(JSON.stringify({ token: word }));
    await sleep(50);
  }
  await socket.send(JSON.stringify({ done: true }));
}

/** The `stream` text of a `{"stream": "..."}` request, or undefined for anything else. */
function streamRequest(text: string): string | undefined {
  try {
    const request = JSON.parse(text) as { stream?: unknown } | null;
    return typeof request?.stream === 'string' ? request.stream : undefined;
  } catch {
    return undefined;
  }
}

app.websocket(async (socket, context) => {
  app.logger.info('websocket connected', { sessionId: context.sessionId });
  try {
    // One message at a time, each echo awaited: a client that stops reading our replies stops
    // being read in turn (TCP pushes back on it) instead of piling echoes up in memory.
    for await (const message of socket) {
      const stream = typeof message === 'string' ? streamRequest(message) : undefined;
      if (stream === undefined) {
        await socket.send(message);
      } else {
        // Long work started over a socket is tracked like any other, so /ping reports HealthyBusy.
        app.runAsyncTask('stream_reply', () => streamReply(socket, stream));
      }
    }
  } catch (error) {
    // The client left while an echo was on its way: nothing to answer any more.
    if (!(error instanceof WebSocketNotOpenError)) throw error;
  }
});

// Serve when run as a program (`node dist/examples/websocket.js`), not when a test imports the app.
if (isMainModule(import.meta.url)) void app.run();
