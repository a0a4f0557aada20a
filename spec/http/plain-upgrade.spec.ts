import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import { AgentCoreApp } from '../../lib/index.js';
import { openSocket, readUntilClose } from '../support/raw.js';

/** What `curl --http2` sends over plain HTTP: an h2c upgrade offer on an ordinary request. */
const H2C = 'Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n';

function agent(): AgentCoreApp {
  const app = new AgentCoreApp({ logLevel: 'silent' });
  app.entrypoint((payload: unknown) => ({ echo: payload }));
  return app;
}

/** The app listening on its own server, as `listen()` makes it. */
async function listening(t: TestContext): Promise<number> {
  const app = agent();
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  t.after(() => app.close({ graceMs: 0 }));
  return address.port;
}

/** The app mounted on an embedder's server that knows nothing of shouldUpgradeCallback. */
async function embedded(t: TestContext): Promise<number> {
  const app = agent();
  const server: Server = createServer(app.requestListener);
  server.on('upgrade', app.upgradeListener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve()).closeAllConnections()));
  return (server.address() as AddressInfo).port;
}

/**
 * Writes `requests` one after the other on one keep-alive connection, each once the answer to
 * the one before is complete (as curl does; Node cannot parse a request pipelined behind an
 * upgrade offer it declined), and returns every status line and the whole text answered.
 */
async function exchange(port: number, ...requests: string[]): Promise<{ statuses: string[]; text: string }> {
  const socket = await openSocket(port);
  const answered = readUntilClose(socket);
  let text = '';
  socket.on('data', (chunk: string) => (text += chunk));
  for (const [index, request] of requests.entries()) {
    socket.write(request);
    if (index < requests.length - 1) await completeAnswers(() => text, index + 1);
  }
  text = await answered;
  return { statuses: text.match(/HTTP\/1\.1 \d{3} [^\r]*/g) ?? [], text };
}

/** Resolves once `read()` holds `count` complete answers (each framed by Content-Length). */
async function completeAnswers(read: () => string, count: number): Promise<void> {
  const complete = (): number => {
    let done = 0;
    let rest = read();
    for (;;) {
      const end = rest.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(rest.slice(0, end))?.[1];
      if (end === -1 || length === undefined || rest.length < end + 4 + Number(length)) return done;
      done++;
      rest = rest.slice(end + 4 + Number(length));
    }
  };
  while (complete() < count) await new Promise((resolve) => setTimeout(resolve, 5));
}

for (const [where, start] of [
  ['on the app’s own server', listening],
  ['on an embedder’s server', embedded],
] as const) {
  describe(`requests with an Upgrade header that is not a WebSocket handshake, ${where}`, () => {
    it('serves an h2c upgrade offer on POST /invocations as an ordinary request, body included, and keeps the connection', async (t) => {
      const port = await start(t);
      const { statuses, text } = await exchange(
        port,
        `POST /invocations HTTP/1.1\r\nHost: localhost\r\n${H2C}Content-Type: application/json\r\nContent-Length: 11\r\n\r\n{"a":[1,2]}`,
        `GET /ping HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`,
      );
      assert.deepEqual(statuses, ['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK']);
      assert.ok(text.includes('{"echo":{"a":[1,2]}}'), text);
      assert.match(text, /"status":"Healthy"/);
      assert.doesNotMatch(text, /WS_ERR|101 Switching/);
    });

    it('answers GET /ping with an h2c offer, or with Upgrade: websocket off the WebSocket path, as an ordinary /ping', async (t) => {
      const port = await start(t);
      const websocketOffer = 'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';
      const { statuses, text } = await exchange(
        port,
        `GET /ping HTTP/1.1\r\nHost: localhost\r\n${H2C}\r\n`,
        `GET /ping HTTP/1.1\r\nHost: localhost\r\n${websocketOffer}\r\n`,
        `GET /ping HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`,
      );
      assert.deepEqual(statuses, ['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK', 'HTTP/1.1 200 OK']);
      assert.equal(text.match(/\{"status":"Healthy","time_of_last_update":\d+\}/g)?.length, 3);
    });

    it('answers GET /ws with an h2c offer with 426 Upgrade Required, not a handshake error', async (t) => {
      const port = await start(t);
      const { statuses, text } = await exchange(
        port,
        `GET /ws HTTP/1.1\r\nHost: localhost\r\n${H2C}\r\n`,
        `GET /ping HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`,
      );
      assert.deepEqual(statuses, ['HTTP/1.1 426 Upgrade Required', 'HTTP/1.1 200 OK']);
      assert.match(text, /"code":"UPGRADE_REQUIRED"/);
    });
  });
}
