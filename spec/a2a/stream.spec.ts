import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { TaskEventSource } from '../../lib/a2a/stream.js';
import { TaskRecord } from '../../lib/a2a/task.js';
import { Role, TaskState } from '../../lib/a2a/wire-v1.js';
import { manualClock } from '../support/clock.js';
import { parseSse } from '../support/sse-reader.js';
import { openSocket } from '../support/raw.js';
import { deferred, rpc, rpcStream, useA2A, userMessage, userMessageV03 } from '../support/a2a.js';

function record(): TaskRecord {
  return new TaskRecord('t', 'c', { messageId: 'm', role: Role.User, parts: [{ text: 'x' }] }, 10, manualClock());
}

describe('a task’s event source', () => {
  it('gives the first event, then each change as it comes, and ends after a settled status', async () => {
    const task = record();
    const source = new TaskEventSource({ task: task.snapshot() }, task, 10);
    const first = source.next() as IteratorResult<{ event: { task: unknown }; final: boolean }>;
    assert.equal(first.done, false);
    assert.equal(first.value.final, false);
    const pending = source.next();
    assert.ok(pending instanceof Promise);
    task.transition(TaskState.Working);
    assert.equal(((await pending) as IteratorResult<{ final: boolean }>).value.final, false);
    task.transition(TaskState.InputRequired);
    assert.equal((source.next() as IteratorResult<{ final: boolean }>).value.final, true);
    assert.equal((source.next() as IteratorResult<unknown>).done, true);
    task.transition(TaskState.Working);
    assert.equal((source.next() as IteratorResult<unknown>).done, true);
  });

  it('ends at once for a settled task, and ends a pending pull on cancel', async () => {
    const task = record();
    task.transition(TaskState.Completed);
    const settled = new TaskEventSource({ task: task.snapshot() }, task, 10);
    assert.equal((settled.next() as IteratorResult<{ final: boolean }>).value.final, true);
    assert.equal((settled.next() as IteratorResult<unknown>).done, true);
    const open = record();
    const source = new TaskEventSource({ task: open.snapshot() }, open, 10);
    source.next();
    const pending = source.next() as Promise<IteratorResult<unknown>>;
    source.cancel();
    assert.equal((await pending).done, true);
    open.transition(TaskState.Working);
    assert.equal((source.next() as IteratorResult<unknown>).done, true);
  });

  it('ends with an error instead of holding more than its backlog', () => {
    const task = record();
    const source = new TaskEventSource({ task: task.snapshot() }, task, 3);
    for (let index = 0; index < 5; index++) task.transition(TaskState.Working);
    const items: unknown[] = [];
    for (let item = source.next() as IteratorResult<unknown>; !item.done; item = source.next() as IteratorResult<unknown>) items.push(item.value);
    assert.equal(items.length, 1);
    assert.match(String((items[0] as { error: Error }).error.message), /read too slowly: more than 3 events waited/);
  });
});

describe('streams on the wire', () => {
  it('are text/event-stream, uncached and unbuffered, one JSON-RPC response per data line', async (t) => {
    const { url } = await useA2A(t, {}, (context) => context.complete());
    const response = await fetch(`${url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'a2a-version': '1.0' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'SendStreamingMessage', params: { message: userMessage('go') } }),
    });
    assert.equal(response.headers.get('content-type'), 'text/event-stream');
    assert.equal(response.headers.get('cache-control'), 'no-cache');
    assert.equal(response.headers.get('x-accel-buffering'), 'no');
    const text = await response.text();
    assert.match(text, /^data: \{"jsonrpc":"2\.0","id":3,"result":\{"task":/);
    assert.ok(text.split('\n\n').filter(Boolean).every((block) => /^data: \{.*\}$/.test(block)));
  });

  it('speak 0.3 to a 0.3 client: kinds, and final only on the status that closes the stream', async (t) => {
    const { url } = await useA2A(t, {}, async (context) => {
      context.working();
      await sleep(5);
      context.artifact({ parts: [{ text: 'r' }] });
      context.complete();
    });
    const { events } = await rpcStream(url, 'message/stream', { message: userMessageV03('go') }, '0.3');
    assert.deepEqual(
      events.map((event) => [event.result.kind, event.result.final]),
      [
        ['task', undefined],
        ['status-update', false],
        ['artifact-update', undefined],
        ['status-update', true],
      ],
    );
    assert.equal(events[3].result.status.state, 'completed');
    assert.deepEqual(events[2].result.artifact.parts, [{ kind: 'text', text: 'r' }]);
  });

  it('end for the client that leaves, and the task goes on without it', async (t) => {
    const gate = deferred();
    const { url, port, logs } = await useA2A(t, {}, async (context) => {
      context.working();
      await gate.promise;
      context.complete();
    });
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'SendStreamingMessage', params: { message: userMessage('go') } });
    const taskId = await new Promise<string>((resolve) => {
      const request = httpRequest({ host: '127.0.0.1', port, path: '/', method: 'POST', headers: { 'content-type': 'application/json', 'a2a-version': '1.0' } }, (response) => {
        response.once('data', (chunk: Buffer) => {
          resolve((JSON.parse(parseSse(chunk.toString()).events[0]!.data) as { result: { task: { id: string } } }).result.task.id);
          request.destroy();
        });
      });
      request.on('error', () => undefined);
      request.end(body);
    });
    await sleep(20);
    assert.ok(logs.some((record) => record.message === 'a2a call answered' && record.ended === 'aborted'));
    gate.resolve();
    await sleep(10);
    assert.equal((await rpc(url, 'GetTask', { id: taskId })).body.result.status.state, 'TASK_STATE_COMPLETED');
  });

  it('end with a JSON-RPC error for a client that reads nothing while events pile up', async (t) => {
    const chunk = 'x'.repeat(64 * 1024);
    const { port } = await useA2A(t, { maxStreamBacklog: 4 }, async (context) => {
      for (let index = 0; index < 400; index++) {
        context.artifact({ artifactId: 'big', parts: [{ text: chunk }] }, { append: index > 0 });
        if (index % 20 === 0) await sleep(1);
      }
    });
    const socket = await openSocket(port);
    const body = JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'SendStreamingMessage', params: { message: userMessage('go') } });
    socket.pause();
    socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nA2A-Version: 1.0\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    await sleep(300);
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (data: string) => (received += data));
    socket.resume();
    await new Promise((resolve) => socket.on('end', resolve));
    const last = received.trimEnd().split('\n').filter((line) => line.startsWith('data: ')).at(-1)!;
    const error = (JSON.parse(last.slice('data: '.length)) as { id: number; error: { code: number; message: string } });
    assert.equal(error.id, 9);
    assert.equal(error.error.code, -32603);
    assert.match(error.error.message, /read too slowly/);
  });

  it('carry heartbeats while the task is quiet, with sseHeartbeatMs', async (t) => {
    const gate = deferred();
    const { url } = await useA2A(t, { sseHeartbeatMs: 10 }, async (context) => {
      context.working();
      await gate.promise;
    });
    const stream = fetch(`${url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'a2a-version': '1.0' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'SendStreamingMessage', params: { message: userMessage('go') } }),
    }).then((response) => response.text());
    await sleep(60);
    gate.resolve();
    const reader = parseSse(await stream);
    assert.ok(reader.comments.filter((comment) => comment === 'keepalive').length >= 2);
    assert.equal(reader.events.length, 3);
  });
});
