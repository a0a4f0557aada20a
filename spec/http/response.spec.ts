import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { describe, it, type TestContext } from 'node:test';
import { HttpError, MethodNotAllowedError } from '../../lib/errors.js';
import { addVary, errorBody, mergeVary, sendBytes, sendError, sendJson } from '../../lib/http/response.js';
import { rawExchange } from '../support/raw.js';
import { useHttpServer } from '../support/server.js';

/** One exchange with a server whose every answer is written by `write`; the raw head and body. */
async function answer(t: TestContext, write: (response: ServerResponse) => void): Promise<{ head: string; body: string }> {
  const { port } = await useHttpServer(t, (_request, response) => write(response));
  const text = await rawExchange(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  const split = text.indexOf('\r\n\r\n');
  return { head: text.slice(0, split), body: text.slice(split + 4) };
}

describe('sendJson', () => {
  it('writes the status, application/json, the length in bytes and the text as given', async (t) => {
    const { head, body } = await answer(t, (response) => sendJson(response, 201, '{"name":"café"}'));
    assert.match(head, /^HTTP\/1\.1 201 Created\r\n/);
    assert.match(head, /\r\ncontent-type: application\/json\r\n/);
    assert.match(head, /\r\ncontent-length: 16\r\n/, 'é is two bytes');
    assert.doesNotMatch(head, /transfer-encoding/i);
    assert.equal(body, '{"name":"café"}');
  });

  it('adds the extra headers it is given', async (t) => {
    const { head } = await answer(t, (response) => sendJson(response, 200, '{}', { 'x-one': '1', 'retry-after': '5' }));
    assert.match(head, /\r\nx-one: 1\r\n/);
    assert.match(head, /\r\nretry-after: 5/);
  });
});

describe('sendError', () => {
  it('answers in the one error shape, {"error", "code", ...details}, with the error\'s status', async (t) => {
    const error = new HttpError(422, 'Unprocessable input', { code: 'BAD_INPUT', details: { field: 'x' } });
    const { head, body } = await answer(t, (response) => sendError(response, error));
    assert.match(head, /^HTTP\/1\.1 422 /);
    assert.match(head, /\r\ncontent-type: application\/json\r\n/);
    assert.deepEqual(JSON.parse(body), { error: 'Unprocessable input', code: 'BAD_INPUT', field: 'x' });
  });

  it('sends the error\'s own headers, such as Allow on a 405', async (t) => {
    const { head, body } = await answer(t, (response) => sendError(response, new MethodNotAllowedError('DELETE', ['GET', 'HEAD'])));
    assert.match(head, /^HTTP\/1\.1 405 /);
    assert.match(head, /\r\nAllow: GET, HEAD/i);
    assert.equal((JSON.parse(body) as { code: string }).code, 'METHOD_NOT_ALLOWED');
  });
});

describe('Vary', () => {
  it('is merged: each name once, in order, case-insensitively, and * absorbs the rest', () => {
    assert.equal(mergeVary('Origin', 'Accept-Encoding, origin'), 'Origin, Accept-Encoding');
    assert.equal(mergeVary('Origin', ' , Accept,, '), 'Origin, Accept');
    assert.equal(mergeVary('Origin', '*'), '*');
    assert.equal(mergeVary('*', 'Accept'), '*');
  });

  it('added to an answer keeps the names already set, and is left alone once headers are out', async (t) => {
    const { head } = await answer(t, (response) => {
      addVary(response, 'Origin');
      addVary(response, 'Accept');
      sendError(response, new HttpError(409, 'busy', { headers: { Vary: 'Accept-Language' } }));
      addVary(response, 'Cookie');
    });
    assert.match(head, /\r\nvary: Origin, Accept, Accept-Language\r\n/i);
    assert.doesNotMatch(head, /Cookie/);
  });
});

describe('errorBody', () => {
  it('renders the error, its code and its details as JSON, even details JSON.stringify cannot take', () => {
    const error = new HttpError(400, 'bad', { code: 'BAD', details: { limit: 10n } });
    assert.equal(errorBody(error), '{"error":"bad","code":"BAD","limit":"10"}');
  });
});

describe('sendBytes', () => {
  it('writes application/octet-stream with the exact length and bytes', async (t) => {
    const bytes = Uint8Array.of(0, 13, 10, 255);
    const { port } = await useHttpServer(t, (_request, response) => sendBytes(response, 200, bytes));
    const response = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(response.headers.get('content-type'), 'application/octet-stream');
    assert.equal(response.headers.get('content-length'), '4');
    assert.deepEqual([...new Uint8Array(await response.arrayBuffer())], [...bytes]);
  });
});

describe('once an answer has started or the connection is gone', () => {
  it('sendJson, sendError and sendBytes do nothing after headers were sent', async (t) => {
    const failures: unknown[] = [];
    const { head, body } = await answer(t, (response) => {
      response.writeHead(202, { 'content-type': 'text/plain' });
      response.write('first writer');
      try {
        sendJson(response, 500, '{"late":true}');
        sendError(response, new HttpError(503, 'late'));
        sendBytes(response, 500, Uint8Array.of(1));
      } catch (error) {
        failures.push(error);
      }
      response.end();
    });
    assert.deepEqual(failures, []);
    assert.match(head, /^HTTP\/1\.1 202 Accepted/);
    assert.match(body, /first writer/);
    assert.doesNotMatch(body, /late|\u0001/);
  });

  it('does nothing on a destroyed response', async (t) => {
    let outcome: unknown;
    const { port } = await useHttpServer(t, (_request, response) => {
      response.destroy();
      try {
        sendJson(response, 200, '{}');
        outcome = { headersSent: response.headersSent };
      } catch (error) {
        outcome = error;
      }
    });
    await assert.rejects(fetch(`http://127.0.0.1:${port}/`));
    assert.deepEqual(outcome, { headersSent: false });
  });
});
