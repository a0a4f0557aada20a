import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTraceContext } from '../../lib/http/trace-context.js';
import { countThrown } from '../support/exceptions.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${PARENT_ID}-01`;

describe('parseTraceContext', () => {
  it('reads a W3C traceparent, tracestate and baggage', () => {
    const trace = parseTraceContext({
      traceparent: TRACEPARENT,
      tracestate: 'rojo=00f067aa0ba902b7, congo=t61rcWkgMzE',
      baggage: 'userId=alice, serverNode=DF%2028;prop=1, isProduction=false',
    });
    assert.equal(trace.traceId, TRACE_ID);
    assert.equal(trace.parentId, PARENT_ID);
    assert.equal(trace.sampled, true);
    assert.equal(trace.traceparent, TRACEPARENT);
    assert.equal(trace.tracestate, 'rojo=00f067aa0ba902b7, congo=t61rcWkgMzE');
    assert.deepEqual({ ...trace.baggage }, { userId: 'alice', serverNode: 'DF 28', isProduction: 'false' });
    assert.equal(trace.xray, undefined);
  });

  it('reads an X-Ray header, and takes the trace id from it when there is no traceparent', () => {
    const trace = parseTraceContext({ 'x-amzn-trace-id': 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0' });
    assert.deepEqual(trace.xray, { root: '1-5759e988-bd862e3fe1be46a994272793', parent: '53995c3f42cd8ad8', sampled: false });
    assert.equal(trace.traceId, '5759e988bd862e3fe1be46a994272793');
    assert.equal(trace.parentId, '53995c3f42cd8ad8');
    assert.equal(trace.sampled, false);
    const both = parseTraceContext({ traceparent: TRACEPARENT, 'x-amzn-trace-id': 'Root=1-5759e988-bd862e3fe1be46a994272793' });
    assert.equal(both.traceId, TRACE_ID, 'traceparent wins');
  });

  it('ignores headers that break their specification, without throwing', () => {
    for (const traceparent of [
      `ff-${TRACE_ID}-${PARENT_ID}-01`,
      `00-${'0'.repeat(32)}-${PARENT_ID}-01`,
      `00-${TRACE_ID}-${'0'.repeat(16)}-01`,
      `00-${TRACE_ID.toUpperCase()}-${PARENT_ID}-01`,
      `00-${TRACE_ID}-${PARENT_ID}-01-extra`,
      'garbage',
    ]) {
      const trace = parseTraceContext({ traceparent, tracestate: 'a=b' });
      assert.equal(trace.traceId, undefined, traceparent);
      assert.equal(trace.tracestate, undefined, 'no tracestate without a valid traceparent');
    }
    assert.equal(parseTraceContext({ traceparent: `01-${TRACE_ID}-${PARENT_ID}-00-future` }).traceId, TRACE_ID, 'a later version may add fields');
    assert.equal(parseTraceContext({ traceparent: TRACEPARENT, tracestate: 'Bad Key=1' }).tracestate, undefined);
    assert.equal(parseTraceContext({ traceparent: TRACEPARENT, tracestate: Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(',') }).tracestate, undefined);
    assert.deepEqual({ ...parseTraceContext({ baggage: 'good=1, bad key=2, broken=%E0%A4%A, noequals' }).baggage }, { good: '1' });
    assert.deepEqual({ ...parseTraceContext({ baggage: `big=${'x'.repeat(9000)}` }).baggage }, {});
    assert.equal(parseTraceContext({ 'x-amzn-trace-id': 'Root=2-bad;Parent=x' }).xray, undefined);
    assert.deepEqual(parseTraceContext({ 'x-amzn-trace-id': 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=nothex' }).xray, {
      root: '1-5759e988-bd862e3fe1be46a994272793',
      parent: undefined,
      sampled: undefined,
    });
  });

  it('stops reading baggage after 180 members', () => {
    const baggage = parseTraceContext({ baggage: Array.from({ length: 200 }, (_, i) => `k${i}=${i}`).join(',') }).baggage;
    assert.equal(Object.keys(baggage).length, 180);
  });

  it('decodes baggage values exactly as decodeURIComponent, skipping the members it would refuse', () => {
    const samples = ['plain', 'DF%2028', '%C3%A9t%C3%A9', '%F0%9F%98%80', '%25%2C%3B', 'a%2', '%zz', '%E0%A4%A', '%FF', '%C0%AF', '%ED%A0%80', '%E2%82', 'caf\u00e9%20ok', '%'];
    const header = samples.map((value, index) => `k${index}=${value}`).join(',');
    const expected: Record<string, string> = {};
    samples.forEach((value, index) => {
      try {
        expected[`k${index}`] = decodeURIComponent(value);
      } catch {
        // decodeURIComponent refuses it: so does the parser, skipping the member.
      }
    });
    assert.ok(Object.keys(expected).length >= 6 && Object.keys(expected).length < samples.length, 'both kinds are in the samples');
    assert.deepEqual({ ...parseTraceContext({ baggage: header }).baggage }, expected);
  });

  it('reads a baggage header of malformed escapes without throwing a single exception', () => {
    // 180 members of broken escapes: a throw (and its stack trace) per member cost 25-36 times a plain request.
    const members = Array.from({ length: 180 }, (_, index) => `k${index}=${index % 2 === 0 ? '%E0%A4%A' : '%zz%C3'}`);
    const module = new URL('../../lib/http/trace-context.js', import.meta.url);
    const malformed = countThrown(module, 'parseTraceContext', { baggage: [...members, 'ok=%C3%A9'].join(',') });
    assert.equal(malformed.thrown, 0, `${malformed.thrown} exceptions thrown while parsing`);
    assert.deepEqual((malformed.result as { baggage: object }).baggage, {}, 'the 181st member is past the limit');
    const mixed = countThrown(module, 'parseTraceContext', { baggage: 'ok=%C3%A9,bad=%E0' });
    assert.deepEqual([mixed.thrown, (mixed.result as { baggage: object }).baggage], [0, { ok: 'é' }]);
  });

  it('is empty without any trace header', () => {
    const trace = parseTraceContext({});
    assert.deepEqual([trace.traceId, trace.parentId, trace.sampled, trace.traceparent, trace.xray, Object.keys(trace.baggage)], [undefined, undefined, undefined, undefined, undefined, []]);
  });
});
