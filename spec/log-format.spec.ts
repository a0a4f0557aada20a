import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runWithContext, type RequestContext } from '../lib/http/context.js';
import { isoTimestamp, jsonString, serializeRecord } from '../lib/log-format.js';
import { Logger } from '../lib/logger.js';

describe('isoTimestamp', () => {
  it('is new Date(t).toISOString(), within a second and across seconds, years and the epoch', () => {
    const moments = [0, -1, -1000, -1001, 999, 1000, 1001, 59_999, 60_000, Date.UTC(2026, 11, 31, 23, 59, 59, 999), Date.UTC(2027, 0, 1), 253402300799999, 253402300800000, -62198755200000];
    for (let i = 0; i < 2000; i++) moments.push(1_700_000_000_000 + i * 7);
    for (const moment of moments) assert.equal(isoTimestamp(moment), new Date(moment).toISOString(), String(moment));
    assert.match(isoTimestamp(), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});

describe('jsonString and serializeRecord', () => {
  it('write exactly what JSON.stringify writes', () => {
    for (const text of ['', 'plain', 'quote " and \\ backslash', 'tab\there\nnew line', '\u0000\u001f\u007f', 'é ü 漢字 😀', '\ud800 lone', 'lone \udfff', '\u2028\u2029']) {
      assert.equal(jsonString(text), JSON.stringify(text), text);
    }
    const record: Record<string, unknown> = {
      timestamp: 't',
      level: 'info',
      message: 'm "q"',
      n: 1.5,
      negativeZero: -0,
      nan: Number.NaN,
      infinite: -Infinity,
      yes: true,
      no: false,
      nothing: null,
      skipped: undefined,
      fn: () => 1,
      nested: { a: [1, 'two', null, { b: undefined }], 'key "q"': 1 },
      7: 'index key',
    };
    Object.defineProperty(record, '__proto__', { value: { p: 1 }, enumerable: true });
    assert.equal(serializeRecord(record), JSON.stringify(record));
    assert.equal(serializeRecord({}), '{}');
    assert.equal(serializeRecord({ only: undefined }), '{}');
  });
});

describe('the line a logger writes', () => {
  /** The same call through a stream sink (the line built directly) and a function sink (through the record). */
  function bothWays(call: (logger: Logger) => void, context?: Partial<RequestContext>): [string, string] {
    let direct = '';
    const viaRecord: string[] = [];
    const run = (): void => {
      call(new Logger({ sink: { write: (chunk: string) => (direct += chunk) } }));
      call(new Logger({ sink: (line) => viaRecord.push(line) }));
    };
    if (context === undefined) run();
    else runWithContext(context as RequestContext, run);
    const strip = (line: string): string => line.replace(/"timestamp":"[^"]+"/, '"timestamp":"T"');
    return [strip(direct.trimEnd()), strip(viaRecord[0]!)];
  }

  it('is the same whether it is built directly or through the record, whatever the fields', () => {
    const error = new TypeError('bad');
    const cases: Array<[string, (logger: Logger) => void]> = [
      ['plain fields', (logger) => logger.info('invocation completed', { status: 200, kind: 'json', durationMs: 0.123 })],
      ['no fields', (logger) => logger.warn('plain')],
      ['nested and secret fields', (logger) => logger.info('x', { headers: { authorization: 'Bearer abc', accept: '*/*' }, token: 't', list: [1, { password: 'p' }] })],
      ['a field named like a line property', (logger) => logger.info('x', { level: 'override', message: 'replaced', timestamp: 1 })],
      ['an error field', (logger) => logger.error('failed', { error, after: 1 })],
      ['an array-index field', (logger) => logger.info('x', { 2: 'two', a: 1 })],
      ['a __proto__ field', (logger) => logger.info('x', JSON.parse('{"__proto__":{"a":1},"b":2}') as Record<string, unknown>)],
      ['a credential in the message', (logger) => logger.info('sent Bearer abcdefghijkl', { ok: true })],
      ['a message needing escapes', (logger) => logger.info('line\nbreak "quoted"', { text: 'tab\t' })],
      ['a message that is not a string', (logger) => logger.info(42 as unknown as string, { a: 1 })],
      ['values JSON leaves out or turns to null', (logger) => logger.info('x', { u: undefined, f: () => 1, n: Number.NaN, big: 10n })],
    ];
    for (const [name, call] of cases) {
      const [direct, viaRecord] = bothWays(call);
      assert.equal(direct, viaRecord, name);
      assert.doesNotThrow(() => JSON.parse(direct), name);
    }
    const [direct, viaRecord] = bothWays((logger) => logger.info('in a request', { a: 1 }), { requestId: 'r-1', sessionId: 's"1" 2', trace: {} as RequestContext['trace'] });
    assert.equal(direct, viaRecord);
    // Quotes escaped; a space, not visible ASCII, written as `_` (see MAX_LOGGED_ID_CHARS).
    assert.match(direct, /"requestId":"r-1","sessionId":"s\\"1\\"_2","a":1/);
    const trace = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736' } as RequestContext['trace'];
    const traced = bothWays((logger) => logger.info('traced', { b: 2 }), { requestId: 'r-2', trace });
    assert.equal(traced[0], traced[1]);
    assert.match(traced[0], /"requestId":"r-2","traceId":"4bf92f3577b34da6a3ce929d0e0e4736","b":2/);
    // A field named traceId takes the request's place, as requestId and sessionId fields do.
    const overridden = bothWays((logger) => logger.info('traced', { traceId: 'mine' }), { requestId: 'r-2', trace });
    assert.equal(overridden[0], overridden[1]);
    assert.match(overridden[0], /"requestId":"r-2","traceId":"mine"/);
  });

  it('stays right past the caches of messages and names', () => {
    const lines: string[] = [];
    const logger = new Logger({ sink: { write: (chunk: string) => lines.push(chunk) } });
    for (let i = 0; i < 2000; i++) logger.info(`message ${i}`, { [`field${i}`]: i, ['x'.repeat(300)]: i });
    for (let i = 0; i < 2000; i++) {
      const record = JSON.parse(lines[i]!) as Record<string, unknown>;
      assert.equal(record.message, `message ${i}`);
      assert.equal(record[`field${i}`], i);
    }
  });
});
