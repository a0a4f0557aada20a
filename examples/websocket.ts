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
import { AgentCoreWebSocket } from 'agentcore-lite/websocket'

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

app.websocket((socket, context) => {
  app.logger.info('websocket connected', { sessionId: context.sessionId });
  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      void socket.send(data);
      return;
    }
    let request: { stream?: unknown } | undefined;
    try {
      request = JSON.parse(String(data)) as { stream?: unknown };
    } catch {
      request = undefined;
    }
    if (typeof request?.stream === 'string') {
      // Long work started over a socket is tracked like any other, so /ping reports HealthyBusy.
      app.runAsyncTask('stream_reply', () => streamReply(socket, request.stream as string));
    } else {
      void socket.send(String(data));
    }
  });
});

// Serve when run as a program (`node dist/examples/websocket.js`), not when a test imports the app.
if (isMainModule(import.meta.url)) void app.run();
