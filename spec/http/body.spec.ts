import assert from 'node:assert/strict';
import { request, type IncomingMessage } from 'node:http';
import { describe, it, type TestContext } from 'node:test';
import { bodyKind, decodeBody, parseJson, readBody, RequestAbortedError } from '../../lib/http/body.js';
import { BodyTooLargeError, InvalidJsonError, InvalidUtf8Error, UnsupportedCharsetError } from '../../lib/errors.js';
import { useHttpServer } from '../support/server.js';

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
