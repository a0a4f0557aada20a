import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ERROR_INFO_TYPE } from '../../lib/a2a/errors.js';
import { rawExchange } from '../support/raw.js';
import { pingStatus, post, rpc, useA2A, userMessage } from '../support/a2a.js';

const GET_TASK = JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'GetTask', params: { id: 'nope' } });

describe('the A2A endpoint (POST /)', () => {
  it('answers a call with a JSON-RPC response carrying its id, with its type', async (t) => {
    const { url } = await useA2A(t, {}, (context) => context.reply('hi'));
    for (const id of [1, 'abc', 0, 2.5]) {
      const answer = await rpc(url, 'SendMessage', { message: userMessage('hello') }, '1.0', id);
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get('content-type'), 'application/json');
      assert.equal(answer.body.jsonrpc, '2.0');
      assert.equal(answer.body.id, id);
      assert.equal(answer.body.result.message.parts[0].text, 'hi');
    }
  });

  it('answers every JSON-RPC error with HTTP 200 and the error envelope', async (t) => {
    const { url } = await useA2A(t);
    const answer = await post(url, GET_TASK, { 'a2a-version': '1.0' });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, {
      jsonrpc: '2.0',
      id: 7,
      error: {
        code: -32001,
        message: 'Task not found: "nope"',
        data: [{ '@type': ERROR_INFO_TYPE, reason: 'TASK_NOT_FOUND', domain: 'a2a-protocol.org', metadata: { taskId: 'nope' } }],
      },
    });
  });

  it('answers invalid JSON with -32700 and id null, saying where it breaks', async (t) => {
    const { url } = await useA2A(t);
    const v1 = await post(url, '{"jsonrpc":"2.0",', { 'a2a-version': '1.0' });
    assert.equal(v1.body.id, null);
    assert.equal(v1.body.error!.code, -32700);
    assert.equal(v1.body.error!.data[0].reason, 'JSON_PARSE');
    assert.equal(typeof v1.body.error!.data[0].metadata.position, 'string');
    // On a 0.3 wire the detail stays a plain object; with a version not served, the 1.0 shape.
    const v03 = await post(url, '{"jsonrpc"');
    assert.equal(v03.body.error!.code, -32700);
    assert.equal(typeof v03.body.error!.data.position, 'number');
    const unknown = await post(url, '', { 'a2a-version': '7.0' });
    assert.equal(unknown.body.error!.code, -32700);
    assert.ok(Array.isArray(unknown.body.error!.data));
  });

  it('answers what is not a request with -32600: a batch, a response, a notification, a bad id or version', async (t) => {
    const { url } = await useA2A(t);
    const cases: [string, unknown][] = [
      ['[{"jsonrpc":"2.0","id":1,"method":"GetTask"}]', null],
      ['{"jsonrpc":"2.0","id":3,"result":{}}', null],
      ['{"jsonrpc":"2.0","method":"GetTask","params":{"id":"x"}}', null],
      ['{"jsonrpc":"2.0","id":{"a":1},"method":"GetTask"}', null],
      ['{"jsonrpc":"1.0","id":4,"method":"GetTask"}', 4],
      ['{"jsonrpc":"2.0","id":5,"method":"GetTask","params":"x"}', 5],
      ['"just a string"', null],
    ];
    for (const [body, id] of cases) {
      const answer = await post(url, body, { 'a2a-version': '1.0' });
      assert.equal(answer.body.error?.code, -32600, body);
      assert.equal(answer.body.id, id, body);
    }
  });

  it('answers an unknown method with -32601', async (t) => {
    const { url } = await useA2A(t);
    assert.equal((await rpc(url, 'Nope', {}, '1.0')).body.error!.code, -32601);
    assert.equal((await rpc(url, 'tasks/list', {}, '0.3')).body.error!.code, -32601);
  });

  it('answers -32009 for a version not served, and for the other version’s method', async (t) => {
    const { url } = await useA2A(t);
    const answer = await rpc(url, 'GetTask', { id: 'x' }, { header: '2.0' });
    assert.equal(answer.body.error!.code, -32009);
    assert.match(answer.body.error!.message, /"2\.0" is not served/);
    assert.equal((await rpc(url, 'GetTask', { id: 'x' }, '0.3')).body.error!.code, -32009);
    assert.equal((await rpc(url, 'tasks/get', { id: 'x' }, '1.0')).body.error!.code, -32009);
    // The same method with the right header is an ordinary call.
    assert.equal((await rpc(url, 'tasks/get', { id: 'x' }, '0.3')).body.error!.code, -32001);
    assert.equal((await rpc(url, 'GetTask', { id: 'x' }, { header: '1.0.1' })).body.error!.code, -32001);
  });

  it('answers a body that is not JSON by its Content-Type with -32005; none at all is fine', async (t) => {
    const { url } = await useA2A(t);
    const form = await post(url, GET_TASK, { 'content-type': 'application/x-www-form-urlencoded', 'a2a-version': '1.0' });
    assert.equal(form.body.error!.code, -32005);
    assert.equal(form.body.id, null);
    for (const type of ['application/json; charset=utf-8', 'application/a2a+json', 'APPLICATION/JSON']) {
      assert.equal((await post(url, GET_TASK, { 'content-type': type, 'a2a-version': '1.0' })).body.error!.code, -32001, type);
    }
    const bare = await rawExchange(Number(new URL(url).port), `POST / HTTP/1.1\r\nHost: x\r\nA2A-Version: 1.0\r\nContent-Length: ${GET_TASK.length}\r\nConnection: close\r\n\r\n${GET_TASK}`);
    assert.match(bare, /"code":-32001/);
  });

  it('refuses a body over maxBodyBytes with 413 and a JSON-RPC error', async (t) => {
    const { url } = await useA2A(t, { maxBodyBytes: 64 });
    const answer = await post(url, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'SendMessage', params: { message: userMessage('x'.repeat(100)) } }), { 'a2a-version': '1.0' });
    assert.equal(answer.status, 413);
    assert.equal(answer.body.error!.code, -32600);
    assert.match(answer.body.error!.message, /exceeds the limit of 64 bytes/);
    assert.equal(answer.body.error!.data[0].reason, 'INVALID_REQUEST');
    assert.equal(answer.body.id, null);
  });

  it('serves only POST on /, and /ping beside it', async (t) => {
    const { url } = await useA2A(t);
    const get = await fetch(`${url}/`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    assert.equal(await pingStatus(url), 'Healthy');
  });

  it('answers a failure of the server with -32603 and logs it, never its text', async (t) => {
    const { url, logs } = await useA2A(t, { extendedCard: () => Promise.reject(new Error('database password is hunter2')) });
    const answer = await rpc(url, 'GetExtendedAgentCard', undefined, '1.0');
    assert.equal(answer.body.error!.code, -32603);
    assert.doesNotMatch(JSON.stringify(answer.body), /hunter2/);
    assert.ok(logs.some((record) => record.level === 'error' && record.message === 'a2a method failed' && record.method === 'GetExtendedAgentCard'));
  });

  it('logs one line per call at info, with the method, the version and any error code', async (t) => {
    const { url, logs } = await useA2A(t);
    await rpc(url, 'GetTask', { id: 'x' }, '1.0');
    await rpc(url, 'tasks/get', { id: 'x' }, '0.3');
    const lines = logs.filter((record) => record.message === 'a2a call answered');
    assert.deepEqual(
      lines.map((record) => [record.level, record.method, record.a2aVersion, record.errorCode]),
      [
        ['info', 'GetTask', '1.0', -32001],
        ['info', 'tasks/get', '0.3', -32001],
      ],
    );
    assert.equal(typeof lines[0]!.durationMs, 'number');
    assert.equal(typeof lines[0]!.requestId, 'string');
  });

  it('writes no log line per call below info', async (t) => {
    const { url, logs } = await useA2A(t, { logLevel: 'warn' }, () => undefined);
    await rpc(url, 'GetTask', { id: 'x' }, '1.0');
    assert.deepEqual(logs, []);
  });

  it('lets browser pages call it when the cors option allows their origin', async (t) => {
    const { url } = await useA2A(t, { cors: { origin: 'https://app.example.com' } });
    const preflight = await fetch(`${url}/`, { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' } });
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://app.example.com');
    const answer = await fetch(`${url}/`, { method: 'POST', headers: { origin: 'https://app.example.com', 'content-type': 'application/json', 'a2a-version': '1.0' }, body: GET_TASK });
    assert.equal(answer.headers.get('access-control-allow-origin'), 'https://app.example.com');
  });
});
