import assert from 'node:assert/strict';
import { request, type IncomingMessage } from 'node:http';
import { describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { bodyKind, decodeBody, parseJson, readBody, RequestAbortedError } from '../../lib/http/body.js';
import { BodyTooLargeError, InvalidJsonError, InvalidUtf8Error, UnsupportedCharsetError } from '../../lib/errors.js';
import { openSocket } from '../support/raw.js';
import { ping, useApp, useHttpServer } from '../support/server.js';

describe('bodyKind', () => {
  it('reads JSON, curl form default and missing types as JSON', () => {
    for (const type of [undefined, '', 'application/json', 'Application/JSON; charset=utf-8', 'application/ld+json', 'application/x-www-form-urlencoded']) {
      assert.equal(bodyKind(type), 'json', String(type));
    }
  });

  it('reads text/* as text and everything else as bytes', () => {
    assert.equal(bodyKind('text/plain'), 'text');
    assert.equal(bodyKind('text/markdown; charset=utf-8'), 'text');
    assert.equal(bodyKind('application/octet-stream'), 'binary');
    assert.equal(bodyKind('image/png'), 'binary');
  });
});

describe('decodeBody', () => {
  it('decodes a declared text charset', () => {
    assert.equal(decodeBody(Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'text/plain; charset=ISO-8859-1'), 'café');
    assert.equal(decodeBody(Buffer.from('héllo'), 'text/plain; charset="utf-8"'), 'héllo');
  });

  it('rejects an unknown charset with 415 and invalid text with 400', () => {
    assert.throws(() => decodeBody(Buffer.from('x'), 'text/plain; charset=klingon'), UnsupportedCharsetError);
    assert.throws(() => decodeBody(Buffer.from([0xc3, 0x28]), 'text/plain'), InvalidUtf8Error);
  });

  it('accepts an empty text body but not an empty JSON body', () => {
    assert.equal(decodeBody(Buffer.alloc(0), 'text/plain'), '');
    assert.throws(() => decodeBody(Buffer.alloc(0), 'application/json'), /empty/);
  });

  it('strips a UTF-8 byte order mark before parsing JSON', () => {
    assert.deepEqual(decodeBody(Buffer.from('\ufeff{"a":1}'), 'application/json'), { a: 1 });
  });
});

describe('parseJson', () => {
  it('reports the end of input for a truncated document', () => {
    assert.throws(() => parseJson('{"a":'), (error: InvalidJsonError) => {
      assert.equal(error.status, 400);
      assert.equal(error.details?.position, 5);
      assert.equal(error.details?.line, 1);
      assert.equal(error.details?.column, 6);
      return true;
    });
  });

  it('reports the line and column of an error on a later line', () => {
    assert.throws(() => parseJson('[\n1,\n2,,\n]'), (error: InvalidJsonError) => {
      assert.equal(error.details?.line, 3);
      assert.equal(error.details?.column, 3);
      return true;
    });
  });

  it('keeps __proto__ as a plain own property', () => {
    const value = parseJson('{"__proto__":{"x":1}}') as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.deepEqual(Object.keys(value), ['__proto__']);
  });
});

async function withBodyServer(t: TestContext, limit: number, send: (port: number) => Promise<void>): Promise<unknown> {
  let outcome: unknown;
  const { port } = await useHttpServer(t, (req: IncomingMessage, res) => {
    readBody(req, limit).then(
      (body) => {
        outcome = body.toString();
        res.end('ok');
      },
      (error: unknown) => {
        outcome = error;
        if (!res.destroyed) res.end('refused');
      },
    );
  });
  await send(port);
  await new Promise((resolve) => setTimeout(resolve, 50));
  return outcome;
}

describe('readBody', () => {
  it('collects a chunked body', async (t) => {
    const outcome = await withBodyServer(t, 100, (port) => new Promise<void>((resolve, reject) => {
      const req = request({ port, host: '127.0.0.1', method: 'POST' }, (res) => res.resume().on('end', resolve));
      req.on('error', reject);
      req.write('hello ');
      req.end('world');
    }));
    assert.equal(outcome, 'hello world');
  });

  it('refuses by Content-Length before reading', async (t) => {
    const outcome = await withBodyServer(t, 10, (port) => new Promise<void>((resolve) => {
      const req = request({ port, host: '127.0.0.1', method: 'POST', headers: { 'content-length': 11 } }, (res) => res.resume().on('end', resolve));
      req.on('error', () => resolve());
      req.end('01234567890');
    }));
    assert.ok(outcome instanceof BodyTooLargeError);
  });

  it('reports a client that disconnects mid-body', async (t) => {
    const outcome = await withBodyServer(t, 1000, (port) => new Promise<void>((resolve) => {
      const req = request({ port, host: '127.0.0.1', method: 'POST', headers: { 'content-length': 500 } });
      req.on('error', () => resolve());
      req.write('partial');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 20);
    }));
    assert.ok(outcome instanceof RequestAbortedError);
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
    const req = request({ port, host: '127.0.0.1', method: 'POST', path: '/invocations', headers }, (res) => {
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
