import type { IncomingHttpHeaders } from 'node:http';
import { headerValue } from './headers.js';

// Read without an `import` (see server.ts): node:buffer is loaded already, an ESM import costs a load.
const { isUtf8 } = process.getBuiltinModule('node:buffer');

/**
 * The trace a request belongs to, read from the headers AgentCore observability uses: W3C Trace
 * Context (`traceparent`, `tracestate`), W3C Baggage (`baggage`) and AWS X-Ray
 * (`X-Amzn-Trace-Id`). A header that does not follow its specification is ignored, never
 * answered with an error: tracing must not break a request.
 */
export interface TraceContext {
  /** 32 lower-case hex digits: from `traceparent`, else the X-Ray root converted, else undefined. */
  readonly traceId: string | undefined;
  /** The caller's span id (16 hex digits), from `traceparent` or X-Ray's `Parent`. */
  readonly parentId: string | undefined;
  /** Whether the caller sampled the trace, when a header says. */
  readonly sampled: boolean | undefined;
  /** The valid `traceparent` header, as received. */
  readonly traceparent: string | undefined;
  /** The valid `tracestate` header, as received (to pass on unchanged). */
  readonly tracestate: string | undefined;
  /** The `baggage` members: names to percent-decoded values (properties dropped). */
  readonly baggage: Readonly<Record<string, string>>;
  /** The X-Ray header's fields, when it has a valid `Root`. */
  readonly xray: { readonly root: string; readonly parent: string | undefined; readonly sampled: boolean | undefined } | undefined;
}

/** `version-traceid-parentid-flags` (W3C Trace Context §3.2); later versions may append fields. */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const INVALID_VERSION = 'ff';
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_PARENT_ID = '0'.repeat(16);
const SAMPLED_FLAG = 0x01;
/** tracestate: at most 32 `key=value` members (§3.3); keys and values from a restricted set. */
const MAX_TRACESTATE_MEMBERS = 32;
const TRACESTATE_MEMBER = /^[a-z0-9][_0-9a-z\-*/]{0,255}(@[a-z][_0-9a-z\-*/]{0,13})?=[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
/** baggage: at most 8192 bytes and 180 members (W3C Baggage §3.3.1). */
const MAX_BAGGAGE_BYTES = 8192;
const MAX_BAGGAGE_MEMBERS = 180;
const BAGGAGE_KEY = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** X-Ray root: `1-<8 hex epoch seconds>-<24 hex>`; it maps onto a W3C trace id. */
const XRAY_ROOT = /^1-([0-9a-f]{8})-([0-9a-f]{24})$/;
const XRAY_PARENT = /^[0-9a-f]{16}$/;

/** Reads the trace context from a request's headers; never throws. */
export function parseTraceContext(headers: IncomingHttpHeaders): TraceContext {
  return buildTrace(headerValue(headers.traceparent), headerValue(headers.tracestate), headerValue(headers.baggage), parseXray(headerValue(headers['x-amzn-trace-id'])));
}

/**
 * The trace a protocol message names itself (MCP 2026-07-28 carries `traceparent`, `tracestate`
 * and `baggage` in a request's `_meta`), read with the same rules as the headers and laid over
 * `fallback` (the headers' trace): a valid `traceparent` replaces the fallback's parent and its
 * `tracestate`, `baggage` replaces the fallback's, X-Ray stays the fallback's. Values that are
 * not strings or do not follow their specification are ignored. Never throws.
 */
export function traceWithFields(fallback: TraceContext, fields: { traceparent?: unknown; tracestate?: unknown; baggage?: unknown }): TraceContext {
  const traceparent = typeof fields.traceparent === 'string' ? fields.traceparent : undefined;
  const baggage = typeof fields.baggage === 'string' ? fields.baggage : undefined;
  const hasParent = parseTraceparent(traceparent) !== undefined;
  if (!hasParent && baggage === undefined) return fallback;
  const built = buildTrace(
    hasParent ? traceparent : fallback.traceparent,
    hasParent ? (typeof fields.tracestate === 'string' ? fields.tracestate : undefined) : fallback.tracestate,
    undefined,
    fallback.xray,
  );
  return { ...built, baggage: baggage === undefined ? fallback.baggage : parseBaggage(baggage) };
}

function buildTrace(traceparent: string | undefined, tracestate: string | undefined, baggage: string | undefined, xray: TraceContext['xray']): TraceContext {
  const parent = parseTraceparent(traceparent);
  return {
    traceId: parent?.traceId ?? (xray === undefined ? undefined : xrayTraceId(xray.root)),
    parentId: parent?.parentId ?? xray?.parent,
    sampled: parent?.sampled ?? xray?.sampled,
    traceparent: parent?.header,
    // tracestate means nothing without a valid traceparent (§3.3).
    tracestate: parent === undefined ? undefined : parseTracestate(tracestate),
    baggage: parseBaggage(baggage),
    xray,
  };
}

function parseTraceparent(header: string | undefined): { header: string; traceId: string; parentId: string; sampled: boolean } | undefined {
  const match = header === undefined ? null : TRACEPARENT.exec(header.trim());
  if (match === null) return undefined;
  const [, version, traceId, parentId, flags, rest] = match;
  if (version === INVALID_VERSION || (version === '00' && rest !== undefined)) return undefined;
  if (traceId === ZERO_TRACE_ID || parentId === ZERO_PARENT_ID) return undefined;
  return { header: header!.trim(), traceId: traceId!, parentId: parentId!, sampled: (Number.parseInt(flags!, 16) & SAMPLED_FLAG) === SAMPLED_FLAG };
}

function parseTracestate(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const members = header.split(',').map((member) => member.trim()).filter((member) => member !== '');
  if (members.length === 0 || members.length > MAX_TRACESTATE_MEMBERS) return undefined;
  return members.every((member) => TRACESTATE_MEMBER.test(member)) ? header.trim() : undefined;
}

function parseBaggage(header: string | undefined): Readonly<Record<string, string>> {
  const baggage: Record<string, string> = Object.create(null);
  if (header === undefined || Buffer.byteLength(header) > MAX_BAGGAGE_BYTES) return baggage;
  let members = 0;
  for (const member of header.split(',')) {
    if (++members > MAX_BAGGAGE_MEMBERS) break;
    const [pair] = member.split(';');
    const equals = pair!.indexOf('=');
    if (equals === -1) continue;
    const key = pair!.slice(0, equals).trim();
    if (!BAGGAGE_KEY.test(key)) continue;
    // A malformed percent-encoding: that member is skipped, the others stay.
    const value = percentDecode(pair!.slice(equals + 1).trim());
    if (value !== undefined) baggage[key] = value;
  }
  return baggage;
}

const PERCENT = 0x25;

/**
 * `decodeURIComponent(text)`, or `undefined` where it would throw (an escape that is not `%`
 * and two hex digits, or bytes that are not UTF-8), in one pass and without an exception: a
 * header of malformed members would otherwise throw (and build a stack trace) for each one.
 * A run of escapes is one byte sequence, valid exactly when `decodeURIComponent` accepts it.
 */
function percentDecode(text: string): string | undefined {
  let index = text.indexOf('%');
  if (index === -1) return text;
  let decoded = text.slice(0, index);
  const bytes: number[] = [];
  while (index < text.length) {
    if (text.charCodeAt(index) !== PERCENT) {
      const next = text.indexOf('%', index);
      const end = next === -1 ? text.length : next;
      decoded += text.slice(index, end);
      index = end;
      continue;
    }
    bytes.length = 0;
    while (index < text.length && text.charCodeAt(index) === PERCENT) {
      const high = hexDigit(text.charCodeAt(index + 1));
      const low = hexDigit(text.charCodeAt(index + 2));
      if (high === -1 || low === -1) return undefined;
      bytes.push(high * 16 + low);
      index += 3;
    }
    const run = Buffer.from(bytes);
    if (!isUtf8(run)) return undefined;
    decoded += run.toString('utf8');
  }
  return decoded;
}

/** The value of a hex digit's character code, -1 for anything else (NaN past the end included). */
function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

function parseXray(header: string | undefined): TraceContext['xray'] {
  if (header === undefined) return undefined;
  const fields = new Map<string, string>();
  for (const field of header.split(';')) {
    const equals = field.indexOf('=');
    if (equals !== -1) fields.set(field.slice(0, equals).trim(), field.slice(equals + 1).trim());
  }
  const root = fields.get('Root');
  if (root === undefined || !XRAY_ROOT.test(root)) return undefined;
  const parent = fields.get('Parent');
  const sampled = fields.get('Sampled');
  return {
    root,
    parent: parent !== undefined && XRAY_PARENT.test(parent) ? parent : undefined,
    sampled: sampled === '1' ? true : sampled === '0' ? false : undefined,
  };
}

/** The W3C trace id an X-Ray root stands for (as OpenTelemetry's X-Ray propagator maps it). */
function xrayTraceId(root: string): string {
  const [, epoch, unique] = XRAY_ROOT.exec(root)!;
  return epoch! + unique!;
}
