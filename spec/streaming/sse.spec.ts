import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SSE_HEARTBEAT, SSE_MAX_EVENT_BYTES, SseEvent, SseRaw, sseEvent, sseRaw } from '../../lib/index.js';
import { exceedsSseEventLimit, SseEncoder, sseErrorEvent } from '../../lib/streaming/sse.js';
import { parseSse, SseReader } from '../support/sse-reader.js';

describe('sseEvent()', () => {
  it('writes every field, and a spec-following reader reads them back', () => {
    const event = sseEvent({ event: 'progress', id: 7, retry: 2500, comment: 'note', data: { percent: 30 } });
    assert.ok(event instanceof SseEvent);
    assert.equal(event.toString(), ': note\nevent: progress\nid: 7\nretry: 2500\ndata: {"percent":30}\n\n');
    const reader = parseSse(event.toString());
    assert.deepEqual(reader.events, [{ type: 'progress', data: '{"percent":30}', lastEventId: '7', retry: 2500 }]);
    assert.deepEqual(reader.comments, ['note']);
    assert.deepEqual([event.event, event.id, event.retry, event.comment, event.data], ['progress', '7', 2500, 'note', { percent: 30 }]);
  });

  it('sends string data as-is, one data line per line whatever the line ending', () => {
    const event = sseEvent({ data: 'one\r\ntwo\rthree\nfour' });
    assert.equal(event.toString(), 'data: one\ndata: two\ndata: three\ndata: four\n\n');
    assert.deepEqual(parseSse(event.toString()).events.map((e) => e.data), ['one\ntwo\nthree\nfour']);
    assert.equal(sseEvent({ data: '"quoted"' }).toString(), 'data: "quoted"\n\n');
  });

  it('keeps empty lines and a leading space inside data', () => {
    const text = sseEvent({ data: '\n indented\n' }).toString();
    assert.deepEqual(parseSse(text).events.map((e) => e.data), ['\n indented\n']);
    assert.deepEqual(parseSse(sseEvent({ data: '' }).toString()).events.map((e) => e.data), ['']);
  });

  it('encodes non-string data with toJson, so it never throws', () => {
    const circular: Record<string, unknown> = { n: 1n };
    circular.self = circular;
    assert.equal(sseEvent({ data: circular }).toString(), 'data: {"n":"1","self":"[Circular]"}\n\n');
    assert.equal(sseEvent({ data: null }).toString(), 'data: null\n\n');
  });

  it('writes a multi-line comment as several comment lines, and no data line without data', () => {
    const text = sseEvent({ comment: 'a\nb', retry: 0 }).toString();
    assert.equal(text, ': a\n: b\nretry: 0\n\n');
    const reader = parseSse(text);
    assert.deepEqual(reader.comments, ['a', 'b']);
    assert.equal(reader.events.length, 0);
    assert.equal(reader.reconnectionTime, 0);
  });

  it('rejects line breaks in event and id, NUL in id, and a bad retry with a TypeError', () => {
    for (const init of [
      { event: 'a\nb' },
      { event: 'a\rb' },
      { id: 'a\r\nb' },
      { id: 'a\0b' },
      { retry: -1 },
      { retry: 1.5 },
      { retry: Number.NaN },
      { retry: '5' as unknown as number },
      { event: 5 as unknown as string },
      { comment: 5 as unknown as string },
    ]) {
      assert.throws(() => sseEvent(init), TypeError, JSON.stringify(init));
    }
    assert.throws(() => sseEvent(null as never), TypeError);
  });
});

describe('sseRaw()', () => {
  it('keeps pre-formatted text exactly', () => {
    const raw = sseRaw('event: done\r\ndata: {"a":1}\r\n\r\n');
    assert.ok(raw instanceof SseRaw);
    assert.equal(raw.text, 'event: done\r\ndata: {"a":1}\r\n\r\n');
    assert.equal(new SseEncoder().encode(raw), raw.text);
  });

  it('rejects anything but a string', () => {
    assert.throws(() => sseRaw(42 as never), TypeError);
  });
});

describe('SseEncoder', () => {
  it('JSON-encodes plain items, strings included (the Python SDK format)', () => {
    const encoder = new SseEncoder();
    assert.equal(encoder.encode('hi\nthere'), 'data: "hi\\nthere"\n\n');
    assert.equal(encoder.encode({ a: [1] }), 'data: {"a":[1]}\n\n');
    assert.equal(encoder.encode(undefined), 'data: null\n\n');
    assert.equal(encoder.flush(), '');
  });

  it('decodes bytes as UTF-8, keeping a character split across chunks whole', () => {
    const encoder = new SseEncoder();
    const bytes = Buffer.from('a€b');
    assert.equal(encoder.encode(bytes.subarray(0, 2)), 'data: "a"\n\n');
    assert.equal(encoder.encode(bytes.subarray(2, 3)), '');
    assert.equal(encoder.encode(Uint8Array.from(bytes.subarray(3)).buffer), 'data: "€b"\n\n');
    assert.equal(encoder.encode(Uint8Array.of(0xe2)), '');
    assert.equal(encoder.flush(), 'data: "\uFFFD"\n\n');
  });

  it('formats the final error event in the Python SDK shape', () => {
    assert.deepEqual(parseSse(sseErrorEvent(new RangeError('bad'))).events.map((e) => JSON.parse(e.data)), [
      { error: 'bad', error_type: 'RangeError', message: 'bad' },
    ]);
    assert.equal(sseErrorEvent('plain'), 'data: {"error":"plain","error_type":"string","message":"plain"}\n\n');
  });

  it('flags events over the 10 MB platform limit, counting UTF-8 bytes', () => {
    assert.equal(SSE_MAX_EVENT_BYTES, 10 * 1024 * 1024);
    assert.equal(exceedsSseEventLimit('x'.repeat(SSE_MAX_EVENT_BYTES)), false);
    assert.equal(exceedsSseEventLimit('x'.repeat(SSE_MAX_EVENT_BYTES + 1)), true);
    assert.equal(exceedsSseEventLimit('é'.repeat(SSE_MAX_EVENT_BYTES / 2 + 1)), true);
  });

  it('uses a comment as the heartbeat', () => {
    const reader = parseSse(SSE_HEARTBEAT);
    assert.deepEqual(reader.comments, ['keepalive']);
    assert.equal(reader.events.length, 0);
  });
});

describe('the test SSE reader follows the spec', () => {
  it('accepts CRLF, CR and LF line endings, even split across chunks', () => {
    const reader = new SseReader();
    for (const chunk of ['data: a\r', '\ndata: b\r', '\r', 'event: x\rdata: c\n', '\n']) reader.push(chunk);
    reader.end();
    assert.deepEqual(reader.events, [
      { type: 'message', data: 'a\nb', lastEventId: '' },
      { type: 'x', data: 'c', lastEventId: '' },
    ]);
  });

  it('strips a BOM, ignores unknown fields, NUL ids and bad retries, and drops an unterminated block', () => {
    const reader = parseSse('\uFEFFdata\nfoo: bar\nid: 1\nretry: 1x\n\nid: a\0b\ndata:no-space\n\ndata: lost');
    assert.deepEqual(reader.events, [
      { type: 'message', data: '', lastEventId: '1' },
      { type: 'message', data: 'no-space', lastEventId: '1' },
    ]);
    assert.equal(reader.reconnectionTime, undefined);
  });

  it('decodes UTF-8 split across byte chunks', () => {
    const reader = new SseReader();
    const bytes = Buffer.from('data: é\n\n');
    reader.push(bytes.subarray(0, 7));
    reader.push(bytes.subarray(7));
    assert.equal(reader.end().events[0]!.data, 'é');
  });
});
