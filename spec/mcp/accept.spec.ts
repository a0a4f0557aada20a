import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { acceptedAnswers, checkAcceptsEventStream, checkContentType } from '../../lib/mcp/accept.js';

const withHeaders = (headers: Record<string, string>): IncomingMessage => ({ headers }) as unknown as IncomingMessage;

describe('Accept on a POST', () => {
  it('allows both for the official clients, JSON only without Accept', () => {
    assert.deepEqual(acceptedAnswers(withHeaders({ accept: 'application/json, text/event-stream' })), { json: true, sse: true });
    assert.deepEqual(acceptedAnswers(withHeaders({})), { json: true, sse: false });
    assert.deepEqual(acceptedAnswers(withHeaders({ accept: ' ' })), { json: true, sse: false });
  });

  it('reads media ranges in any order, with wildcards and parameters, leaving out q=0', () => {
    assert.deepEqual(acceptedAnswers(withHeaders({ accept: 'text/event-stream, application/json' })), { json: true, sse: true });
    assert.deepEqual(acceptedAnswers(withHeaders({ accept: '*/*' })), { json: true, sse: false });
    assert.deepEqual(acceptedAnswers(withHeaders({ accept: 'application/*;q=0.5' })), { json: true, sse: false });
    assert.deepEqual(acceptedAnswers(withHeaders({ accept: 'text/event-stream' })), { json: false, sse: true });
    assert.deepEqual(acceptedAnswers(withHeaders({ accept: 'text/*' })), { json: false, sse: true });
    assert.deepEqual(acceptedAnswers(withHeaders({ accept: 'application/json, text/event-stream;q=0' })), { json: true, sse: false });
  });

  it('refuses with 406 an Accept that names neither', () => {
    assert.throws(() => acceptedAnswers(withHeaders({ accept: 'text/html' })), { status: 406 });
    assert.throws(() => acceptedAnswers(withHeaders({ accept: 'application/json;q=0' })), { status: 406 });
  });
});

describe('Accept on a GET', () => {
  it('takes text/event-stream, wildcards or no Accept, and refuses the rest with 406', () => {
    for (const accept of ['text/event-stream', '*/*', 'text/*', '']) checkAcceptsEventStream(withHeaders(accept === '' ? {} : { accept }));
    assert.throws(() => checkAcceptsEventStream(withHeaders({ accept: 'application/json' })), { status: 406 });
  });
});

describe('Content-Type on a POST', () => {
  it('reads JSON types, none, and the defaults of fetch and curl as JSON; refuses others with 415', () => {
    for (const type of [undefined, 'application/json', 'application/json; charset=utf-8', 'application/ld+json', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', ' ']) {
      checkContentType(withHeaders(type === undefined ? {} : { 'content-type': type }));
    }
    assert.throws(() => checkContentType(withHeaders({ 'content-type': 'application/xml' })), { status: 415 });
  });
});
