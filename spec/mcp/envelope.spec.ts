import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRequestContext, RequestLifetime } from '../../lib/http/context.js';
import { JsonRpcError } from '../../lib/json-rpc/errors.js';
import { declaresTasks, readEnvelope, withMetaTrace } from '../../lib/mcp/envelope.js';
import type { IncomingMessage } from 'node:http';

const VERSION = 'io.modelcontextprotocol/protocolVersion';
const CAPABILITIES = 'io.modelcontextprotocol/clientCapabilities';

function refusal(params: unknown): JsonRpcError {
  try {
    readEnvelope(params);
  } catch (error) {
    return error as JsonRpcError;
  }
  assert.fail('readEnvelope accepted it');
}

describe('readEnvelope: what every 2026-07-28 request says about itself in params._meta', () => {
  it('reads the version, the capabilities of this request, the client and its log level', () => {
    const meta = { [VERSION]: '2026-07-28', [CAPABILITIES]: { sampling: {} }, 'io.modelcontextprotocol/clientInfo': { name: 'c', version: '1' }, 'io.modelcontextprotocol/logLevel': 'warning' };
    const envelope = readEnvelope({ _meta: meta });
    assert.deepEqual([envelope.protocolVersion, envelope.clientCapabilities, envelope.clientInfo, envelope.logLevel], ['2026-07-28', { sampling: {} }, { name: 'c', version: '1' }, 'warning']);
    assert.equal(envelope.meta, meta);
    assert.equal(readEnvelope({ _meta: { [VERSION]: 'v9', [CAPABILITIES]: {} } }).clientInfo, undefined, 'clientInfo is optional');
  });

  it('refuses a missing _meta, version or capabilities with -32602 naming what is missing', () => {
    assert.deepEqual((refusal(undefined).data as { envelope: unknown }).envelope, { missing: [VERSION, CAPABILITIES] });
    assert.equal(refusal({}).code, -32602);
    assert.deepEqual((refusal({ _meta: { [CAPABILITIES]: {} } }).data as { envelope: unknown }).envelope, { missing: [VERSION] });
    assert.deepEqual((refusal({ _meta: { [VERSION]: '2026-07-28' } }).data as { envelope: unknown }).envelope, { missing: [CAPABILITIES] });
  });

  it('refuses values of the wrong shape: a version that is no string, capabilities that are no object, a bad clientInfo or logLevel', () => {
    for (const meta of [
      { [VERSION]: 20260728, [CAPABILITIES]: {} },
      { [VERSION]: '2026-07-28', [CAPABILITIES]: [] },
      { [VERSION]: '2026-07-28', [CAPABILITIES]: {}, 'io.modelcontextprotocol/clientInfo': { name: 'c' } },
      { [VERSION]: '2026-07-28', [CAPABILITIES]: {}, 'io.modelcontextprotocol/logLevel': 'verbose' },
    ]) {
      assert.equal(refusal({ _meta: meta }).code, -32602, JSON.stringify(meta));
    }
  });
});

describe('declaresTasks', () => {
  it('is true only for capabilities with the tasks extension', () => {
    assert.equal(declaresTasks({ extensions: { 'io.modelcontextprotocol/tasks': {} } }), true);
    assert.equal(declaresTasks({ extensions: { 'io.modelcontextprotocol/tasks': true } }), false);
    assert.equal(declaresTasks({ tasks: {} }), false);
    assert.equal(declaresTasks({}), false);
  });
});

describe('withMetaTrace: the trace a request names in _meta', () => {
  const headers = { traceparent: '00-11111111111111111111111111111111-2222222222222222-01', baggage: 'from=headers', 'x-amzn-trace-id': 'Root=1-5759e988-bd862e3fe1be46a994272793' };
  const base = createRequestContext({ headers } as unknown as IncomingMessage, new RequestLifetime());

  it('replaces the headers trace with a valid traceparent, tracestate and baggage from _meta, and shows it in toJSON', () => {
    const context = withMetaTrace(base, { traceparent: '00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01', tracestate: 'vendor=x', baggage: 'user=ada%20l' });
    assert.equal(context.trace.traceId, '0af7651916cd43dd8448eb211c80319c');
    assert.equal(context.trace.parentId, '00f067aa0ba902b7');
    assert.equal(context.trace.tracestate, 'vendor=x');
    assert.deepEqual({ ...context.trace.baggage }, { user: 'ada l' });
    assert.equal(context.trace.xray?.root, '1-5759e988-bd862e3fe1be46a994272793');
    assert.equal((context as unknown as { toJSON(): { traceId: string } }).toJSON().traceId, '0af7651916cd43dd8448eb211c80319c');
    for (const key of ['requestId', 'sessionId', 'workloadAccessToken', 'oauth2CallbackUrl', 'requestHeaders', 'headers', 'request', 'signal'] as const) {
      assert.equal(context[key], base[key], key);
    }
    const inspected = (context as unknown as Record<symbol, () => { traceId: string }>)[Symbol.for('nodejs.util.inspect.custom')]!();
    assert.equal(inspected.traceId, '0af7651916cd43dd8448eb211c80319c');
  });

  it('keeps the headers trace for an invalid traceparent, and the context itself when _meta names none', () => {
    const invalid = withMetaTrace(base, { traceparent: 'not-a-trace', baggage: 'only=baggage' });
    assert.equal(invalid.trace.traceId, '11111111111111111111111111111111');
    assert.deepEqual({ ...invalid.trace.baggage }, { only: 'baggage' });
    assert.equal(withMetaTrace(base, { progressToken: 1 }), base);
    assert.equal(withMetaTrace(base, { traceparent: 42 }).trace, base.trace, 'a traceparent that is not a string is ignored');
  });
});
