import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AgentCoreApp } from '../../lib/index.js';
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

function sendLargeBody(port: number, totalBytes: number, chunked: boolean): Promise<{ status: number | undefined; rssGrowth: number }> {
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  return new Promise((resolve) => {
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    let sent = 0;
    let status: number | undefined;
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (!chunked) headers['content-length'] = totalBytes;
    const req = httpRequest({ port, host: '127.0.0.1', method: 'POST', path: '/invocations', headers }, (res) => {
      status = res.statusCode;
      res.resume();
    });
    const finish = (): void => resolve({ status, rssGrowth: peak - rssBefore });
    req.on('error', finish);
    req.on('close', finish);
    const pump = (): void => {
      while (sent < totalBytes && status === undefined) {
        peak = Math.max(peak, process.memoryUsage().rss);
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
}

describe('oversized bodies', () => {
  for (const chunked of [true, false]) {
    it(`refuses a 200 MB ${chunked ? 'chunked' : 'Content-Length'} body with 413 and RSS growth under 10 MB`, async (t) => {
      const server = await useApp(t, { maxBodyBytes: 1024 * 1024, logLevel: 'error' });
      global.gc?.();
      const { status, rssGrowth } = await sendLargeBody(server.port, 200 * 1024 * 1024, chunked);
      assert.equal(status, 413);
      assert.ok(rssGrowth < 10 * 1024 * 1024, `RSS grew by ${(rssGrowth / 1048576).toFixed(1)} MB`);
      assert.equal((await ping(server)).status, 'Healthy');
    });
  }

  it('keeps the connection usable when a small refused body ends in time', async (t) => {
    const server = await useApp(t, { maxBodyBytes: 10 });
    const socket = await openSocket(server.port);
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.write('POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Length: 20\r\n\r\n01234567890123456789');
    await sleep(100);
    socket.write('GET /ping HTTP/1.1\r\nHost: x\r\n\r\n');
    await sleep(100);
    assert.match(received, /^HTTP\/1\.1 413/);
    assert.match(received, /HTTP\/1\.1 200 OK[\s\S]*"status":"Healthy"/);
    socket.destroy();
  });
});

describe('limit options', () => {
  it('reject nonsense with a RangeError naming the option', () => {
    for (const [name, value] of [
      ['headersTimeoutMs', 0],
      ['requestTimeoutMs', -1],
      ['keepAliveTimeoutMs', 1.5],
      ['maxHeaderBytes', Number.NaN],
      ['maxConnections', 0],
      ['shutdownGraceMs', -5],
      ['stallWarningMs', 0.5],
      ['maxTaskAgeMs', 0],
    ] as const) {
      assert.throws(() => new AgentCoreApp({ [name]: value }), (error: Error) => error instanceof RangeError && error.message.startsWith(name), name);
    }
  });

  it('reject a header timeout longer than the request timeout', () => {
    assert.throws(() => new AgentCoreApp({ headersTimeoutMs: 5000, requestTimeoutMs: 1000 }), /must not exceed requestTimeoutMs/);
    assert.doesNotThrow(() => new AgentCoreApp({ headersTimeoutMs: 5000, requestTimeoutMs: 0, logLevel: 'silent' }));
  });

  it('reject a bad PORT from listen() rather than throwing', async (t) => {
    const previous = process.env.PORT;
    t.after(() => {
      if (previous === undefined) delete process.env.PORT;
      else process.env.PORT = previous;
    });
    process.env.PORT = 'not-a-port';
    await assert.rejects(new AgentCoreApp({ logLevel: 'silent' }).listen({ host: '127.0.0.1' }), /PORT must be an integer/);
  });
});
