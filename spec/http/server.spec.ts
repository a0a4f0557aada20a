import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openSocket, rawExchange, readUntilClose } from '../support/raw.js';
import { invoke, ping, startApp, useApp, type TestServer } from '../support/server.js';

describe('malformed HTTP and request smuggling', () => {
  let server: TestServer;
  let handlerCalls = 0;
  before(async () => {
    server = await startApp({ maxHeaderBytes: 2048 }, (app) =>
      app.entrypoint(() => {
        handlerCalls++;
        return 'reached';
      }),
    );
  });
  after(() => server.close());

  const attacks: Array<[string, string, RegExp]> = [
    [
      'both Content-Length and Transfer-Encoding',
      'POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /ping HTTP/1.1\r\n\r\n',
      /^HTTP\/1\.1 400 Bad Request/,
    ],
    ['a bad chunk size', 'POST /invocations HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n', /^HTTP\/1\.1 400 Bad Request/],
    ['two Content-Length values', 'POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}', /^HTTP\/1\.1 400 Bad Request/],
    ['a garbage request line', 'HELLO THERE\r\n\r\n', /^HTTP\/1\.1 400 Bad Request/],
    ['oversized headers', `GET /ping HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(4096)}\r\n\r\n`, /^HTTP\/1\.1 431 Request Header Fields Too Large/],
    ['an obsolete line folding header', 'POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nX-A: b\r\n  folded\r\n\r\n{}', /^HTTP\/1\.1 400 Bad Request/],
  ];

  for (const [label, bytes, expected] of attacks) {
    it(`answers ${label} with a JSON error and a closed socket, never reaching the handler`, async () => {
      const before = handlerCalls;
      const answer = await rawExchange(server.port, bytes);
      assert.match(answer, expected);
      assert.match(answer, /Connection: close/);
      assert.match(answer, /\r\n\r\n\{"error":"[^"]+","code":"[A-Z_]+"\}$/);
      assert.equal(handlerCalls, before);
    });
  }

  it('keeps serving after 100 rounds of malformed requests', async () => {
    for (let round = 0; round < 100; round++) {
      const [, bytes] = attacks[round % attacks.length]!;
      await rawExchange(server.port, bytes);
    }
    assert.equal((await ping(server)).status, 'Healthy');
    assert.equal((await invoke(server, {})).text, '"reached"');
  });
});

describe('slow clients', () => {
  it('cuts off a slowloris client at headersTimeoutMs while /ping keeps answering others', async (t) => {
    const server = await useApp(t, { headersTimeoutMs: 300 });
    const slow = await openSocket(server.port);
    const closed = readUntilClose(slow);
    slow.write('GET /ping HTTP/1.1\r\nHost: x\r\n');
    const started = Date.now();
    const drip = setInterval(() => slow.writable && slow.write('X-Drip: 1\r\n'), 50);
    t.after(() => clearInterval(drip));
    for (let i = 0; i < 3; i++) assert.equal((await ping(server)).status, 'Healthy');
    const answer = await closed;
    const elapsed = Date.now() - started;
    assert.match(answer, /^HTTP\/1\.1 408 Request Timeout/);
    assert.ok(elapsed < 3000, `cut off after ${elapsed} ms`);
  });

  it('drops connections past maxConnections', async (t) => {
    const server = await useApp(t, { maxConnections: 1 });
    const first = await openSocket(server.port);
    const second = await openSocket(server.port);
    const secondAnswer = readUntilClose(second);
    second.write('GET /ping HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.equal(await secondAnswer, '');
    first.destroy();
  });
});
