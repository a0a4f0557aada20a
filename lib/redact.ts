/**
 * Secret redaction for everything the library writes about a request: log fields and the JSON
 * form of the request context. A value is copied into plain JSON data with every secret left
 * out, whatever holds it (plain objects, class instances, arrays, Maps, Sets, a raw
 * `IncomingMessage`, header objects and `rawHeaders`-style name/value lists), at any depth: the copy stops at
 * `MAX_REDACTION_DEPTH` with a marker, so nothing below it is written at all.
 */

import { CIRCULAR_MARKER, TOO_DEEP_MARKER, unserializable } from './serialize.js';

/** What a secret is written as. */
export const REDACTED = '[REDACTED]';

/** Placeholder for the containers past `MAX_REDACTION_NODES` in one value. */
export const TRUNCATED_MARKER = '[Truncated]';

/**
 * How deep into a logged value the copy goes: 16 levels. Log fields are small; a deeper part is
 * written as `"[Too deep]"`, which also keeps any secret inside it out of the line.
 */
export const MAX_REDACTION_DEPTH = 16;

/**
 * Most objects and arrays copied from one logged value: 10,000. Logging a socket or a server by
 * mistake reaches thousands of internal objects (and a diamond-shaped graph visits shared ones
 * again and again); past the budget each container is written as `"[Truncated]"`, so one log
 * call costs bounded time and memory.
 */
export const MAX_REDACTION_NODES = 10_000;

/**
 * Names (of fields, properties, Map keys, headers) whose values are secrets, case-insensitive:
 * `authorization` and `proxy-authorization`, `cookie` and `set-cookie`, anything with `token`
 * (`workloadAccessToken`, `x-amz-security-token`), `secret`, `password`/`passwd`,
 * `credential`, `api-key`/`api_key`/`apikey`, `private-key`, `signature`, a bare `auth`, and the
 * AgentCore identity header `x-amz-bedrock-agentcore-identity-wat` (and any name ending `-wat`
 * or `_wat`).
 */
const SECRET_NAME = /authorization|cookie|token|secret|passw(?:or)?d|credential|api[-_]?key|private[-_]?key|signature|(?:^|[-_])(?:auth|wat)$/i;

/**
 * Credentials recognisable by their form whatever they are called: an HTTP `Bearer` credential
 * (eight or more token characters) anywhere in a string, and a whole value that is an
 * `Authorization` header (`Bearer x`, `Basic x`, `Negotiate x`, `Digest k=v…`, AWS SigV4). The
 * scheme stays, the credential goes; prose that merely contains the words is left alone.
 */
const BEARER_IN_TEXT = /\b(bearer\s+)[A-Za-z0-9\-._~+/]{8,}=*/gi;
const TOKEN_VALUE = /^(\s*(?:bearer|basic|negotiate)\s+)[A-Za-z0-9\-._~+/]+=*\s*$/i;
const PARAMETERS_VALUE = /^(\s*(?:digest|aws4-hmac-sha256)\s+)\S+=[\s\S]*$/i;
/** The shortest text the patterns above can match (`Basic x`): shorter strings hold no credential. */
const MIN_CREDENTIAL_CHARS = 7;
/** A cheap first look: only strings naming one of those schemes go through the replacements. */
const MAY_HOLD_CREDENTIAL = /bearer|basic|negotiate|digest|aws4-hmac/i;

/**
 * Names already judged, so the same few field names (`status`, `durationMs`) cost a lookup
 * instead of a regular expression on every line; at most `MAX_REMEMBERED_NAMES` names of at most
 * `MAX_REMEMBERED_NAME_CHARS` characters, so data-shaped keys cannot grow it without bound.
 */
const rememberedNames = new Map<string, boolean>();
const MAX_REMEMBERED_NAMES = 512;
const MAX_REMEMBERED_NAME_CHARS = 64;

/** True when a field or header called `name` holds a secret. */
export function isSecretName(name: string): boolean {
  let secret = rememberedNames.get(name);
  if (secret === undefined) {
    secret = SECRET_NAME.test(name);
    if (rememberedNames.size < MAX_REMEMBERED_NAMES && name.length <= MAX_REMEMBERED_NAME_CHARS) rememberedNames.set(name, secret);
  }
  return secret;
}

/** `text` with any credential it carries (`Bearer …`, a whole `Basic …` value) replaced by `[REDACTED]`. */
export function redactString(text: string): string {
  if (text.length < MIN_CREDENTIAL_CHARS || !MAY_HOLD_CREDENTIAL.test(text)) return text;
  return text.replace(BEARER_IN_TEXT, `$1${REDACTED}`).replace(TOKEN_VALUE, `$1${REDACTED}`).replace(PARAMETERS_VALUE, `$1${REDACTED}`);
}

/** A copy of a headers object (Node's `IncomingHttpHeaders` or any name → value record) with secret values redacted. */
export function redactHeaders(headers: Readonly<Record<string, string | string[] | number | undefined>>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    setProperty(copy, name, isSecretName(name) ? REDACTED : Array.isArray(value) ? value.map(redactHeaderValue) : redactHeaderValue(value));
  }
  return copy;
}

/**
 * A copy of a flat `rawHeaders` list (`[name, value, name, value, …]`) with each value after a
 * secret name redacted, and credential-looking values too.
 */
export function redactRawHeaders(rawHeaders: readonly unknown[]): unknown[] {
  const copy: unknown[] = new Array(rawHeaders.length);
  for (let index = 0; index < rawHeaders.length; index += 2) {
    const name = rawHeaders[index];
    copy[index] = name;
    if (index + 1 < rawHeaders.length) {
      copy[index + 1] = typeof name === 'string' && isSecretName(name) ? REDACTED : redactHeaderValue(rawHeaders[index + 1]);
    }
  }
  return copy;
}

function redactHeaderValue(value: unknown): unknown {
  return typeof value === 'string' ? redactString(value) : value;
}

/**
 * A plain-data copy of `value` safe to write anywhere: no secret-named property, Map entry or
 * header value, no credential-looking string, at any depth; `JSON.stringify` can always
 * serialize it. Objects with a `toJSON` are copied as what it returns (so the request context
 * writes its own redacted form); a raw `IncomingMessage` as its method, URL and redacted
 * headers; other objects, class instances included, as their own enumerable properties; Maps
 * as objects (or entry lists when a key is not a string or number); Sets as arrays; Errors as
 * `{name, message}`; BigInts as strings. Cycles become `"[Circular]"`, a throwing `toJSON` or
 * getter `"[Unserializable: …]"`, deeper than `MAX_REDACTION_DEPTH` `"[Too deep]"`, and past
 * `MAX_REDACTION_NODES` containers `"[Truncated]"`. Never throws.
 */
export function redact(value: unknown): unknown {
  // Primitives, the common log field, skip the walk's setup.
  if (typeof value !== 'object' || value === null) return redactPrimitive(value);
  const walk: Walk = { ancestors: new Set(), budget: MAX_REDACTION_NODES };
  try {
    return copyValue(value, 0, walk);
  } catch (error) {
    // Only a caller already near the end of the stack (the copy itself is depth-bounded) or an
    // exotic Proxy gets here: the whole value gives way to a marker, the line is still written.
    return unserializable(error);
  }
}

/** What one `redact` call tracks: the objects on the path from the root, and the containers left. */
interface Walk {
  ancestors: Set<object>;
  budget: number;
}

function redactPrimitive(value: unknown): unknown {
  if (typeof value === 'string') return redactString(value);
  if (typeof value === 'bigint') return value.toString();
  // Functions and symbols have no JSON form; `JSON.stringify` leaves them out like undefined.
  return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
}

function copyValue(value: unknown, depth: number, walk: Walk): unknown {
  if (typeof value !== 'object' || value === null) return redactPrimitive(value);
  if (walk.ancestors.has(value)) return CIRCULAR_MARKER;
  let current: object = value;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    let replaced: unknown;
    try {
      replaced = toJSON.call(value);
    } catch (error) {
      return unserializable(error);
    }
    if (typeof replaced !== 'object' || replaced === null) return redactPrimitive(replaced);
    current = replaced;
  }
  if (depth >= MAX_REDACTION_DEPTH) return TOO_DEEP_MARKER;
  if (walk.budget <= 0) return TRUNCATED_MARKER;
  walk.budget--;
  walk.ancestors.add(value);
  const copy = copyContainer(current, depth + 1, walk);
  walk.ancestors.delete(value);
  return copy;
}

function copyContainer(value: object, depth: number, walk: Walk): unknown {
  if (Array.isArray(value)) {
    if (isNameValueList(value)) return redactRawHeaders(value);
    const items: unknown[] = new Array(value.length);
    for (let index = 0; index < value.length; index++) items[index] = copyValue(value[index], depth, walk);
    return items;
  }
  if (value instanceof Map) return copyMap(value, depth, walk);
  if (value instanceof Set) return copyContainer(Array.from(value), depth, walk);
  if (value instanceof Error) return { name: value.name, message: redactString(value.message) };
  if (isIncomingMessage(value)) {
    // Its own properties reach the socket, the server and every other connection: write what
    // identifies the request, with the credentials in its headers redacted.
    return { method: value.method, url: value.url, headers: redactHeaders(value.headers), rawHeaders: redactRawHeaders(value.rawHeaders) };
  }
  if (isFetchHeaders(value)) {
    const headers: Record<string, string> = {};
    value.forEach((headerValue, name) => (headers[name] = headerValue));
    return redactHeaders(headers);
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (isSecretName(key)) {
      setProperty(copy, key, REDACTED);
      continue;
    }
    let item: unknown;
    try {
      item = (value as Record<string, unknown>)[key];
    } catch (error) {
      setProperty(copy, key, unserializable(error));
      continue;
    }
    setProperty(copy, key, copyValue(item, depth, walk));
  }
  return copy;
}

function copyMap(map: Map<unknown, unknown>, depth: number, walk: Walk): unknown {
  for (const key of map.keys()) {
    if (typeof key !== 'string' && typeof key !== 'number') {
      return Array.from(map, ([entryKey, entryValue]) => [copyValue(entryKey, depth, walk), copyValue(entryValue, depth, walk)]);
    }
  }
  const copy: Record<string, unknown> = {};
  for (const [key, item] of map) {
    const name = String(key);
    setProperty(copy, name, isSecretName(name) ? REDACTED : copyValue(item, depth, walk));
  }
  return copy;
}

/**
 * A flat list of strings of even length, the shape of Node's `rawHeaders` (`[name, value, …]`),
 * whatever it is called: each value after a secret name is redacted. A list of words that only
 * looks like one loses at most the word after a secret-sounding one.
 */
function isNameValueList(list: readonly unknown[]): list is string[] {
  if (list.length === 0 || list.length % 2 !== 0) return false;
  for (let index = 0; index < list.length; index++) {
    if (typeof list[index] !== 'string') return false;
  }
  return true;
}

/** Sets `copy[key]`, as data even when the key is `__proto__` (a JSON body may carry one). */
export function setProperty(copy: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  else copy[key] = value;
}

/** A raw Node request (or anything shaped like one): method, URL, headers and the flat `rawHeaders`. */
function isIncomingMessage(value: object): value is { method?: string; url?: string; headers: Record<string, string | string[] | undefined>; rawHeaders: unknown[] } {
  const candidate = value as { headers?: unknown; rawHeaders?: unknown };
  return Array.isArray(candidate.rawHeaders) && typeof candidate.headers === 'object' && candidate.headers !== null;
}

/**
 * A WHATWG `Headers`: its entries are not own properties, so a plain copy would lose them. Told
 * by its methods, because touching the global `Headers` makes Node 20 load its fetch machinery.
 */
function isFetchHeaders(value: object): value is Headers {
  const candidate = value as Partial<Headers>;
  return typeof candidate.forEach === 'function' && typeof candidate.get === 'function' && typeof candidate.getSetCookie === 'function';
}
