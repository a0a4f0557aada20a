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
 * - anything containing `authorization`, `authentication`, `cookie`, `token`, `secret`,
 *   `password`/`passwd`/`passphrase`, `credential`, `signature`, `api-key`/`api_key`/`apikey`
 *   or `private-key` (`proxy-authorization`, `x-authentication`, `workloadAccessToken`,
 *   `x-amz-security-token`, `X-Amz-Signature`, `X-Amz-Credential`, `x-passphrase`);
 * - a word `otp`, `totp`, `hotp` or `jwt` (`x-otp`, `x-bank-otp`, `totp-code`, `userOtp`);
 * - a last word `auth` or `wat` (the AgentCore identity header `x-amz-bedrock-agentcore-identity-wat`);
 * - a last word `key` or `keys` (`x-access-key`, `x-openai-key`, `x-session-key`,
 *   `ocp-apim-subscription-key`, `accessKey`), except the key names that are not secrets
 *   (`NOT_SECRET_KEY_NAMES`: idempotency, cache, partition, sort, primary, foreign, routing,
 *   object, hash, range and public keys). A bare `key` is left alone as a field name (a cache or
 *   object key far more often than a credential), not as a query parameter.
 * Words are separated by `-`, `_`, `.` or, in camelCase, by a capital letter.
 */
const SECRET_NAME =
  /authori[sz]ation|authentication|cookie|token|secret|pass(?:w(?:or)?d|phrase)|credential|signature|api[-_]?key|private[-_]?key|(?:^|[-_.])(?:[th]?otp|jwt)(?:$|[-_.])|(?:^|[-_.])(?:auth|wat)$/i;
/** The same words in camelCase (`userOtp`, `idJwt`), where case tells the words apart. */
const SECRET_CAMEL_WORD = /[a-z0-9](?:Otp|OTP|Jwt|JWT)(?:$|[A-Z_.-])/;
/** A last word `key` or `keys`: `x-openai-key`, `master.key`, `openaiKey`. */
const KEY_NAME = /[-_.][Kk][Ee][Yy][Ss]?$|[a-z0-9]Keys?$/;
/** Key names that are not secrets, lower case without separators. */
const NOT_SECRET_KEY_NAMES: ReadonlySet<string> = new Set(
  ['idempotency', 'cache', 'partition', 'sort', 'primary', 'foreign', 'routing', 'object', 'hash', 'range', 'public'].flatMap((word) => [`${word}key`, `${word}keys`]),
);
/**
 * Query parameters that carry credentials under names that are no secret as field names: an
 * OAuth2 authorization `code`, a Google-style API `key`, an Azure SAS `sig`, a `pwd` or `pass`,
 * a SAML or JWT-bearer `assertion`. Lower case.
 */
const SECRET_QUERY_NAMES: ReadonlySet<string> = new Set(['code', 'key', 'sig', 'pwd', 'pass', 'assertion', 'client_assertion', 'samlresponse']);

/**
 * Credentials recognisable by their form whatever they are called: an HTTP `Bearer` credential
 * (eight or more token characters) anywhere in a string, and a whole value that is an
 * `Authorization` header (`Bearer x`, `Basic x`, `Negotiate x`, `Digest k=v…`, AWS SigV4). The
 * scheme stays, the credential goes; prose that merely contains the words is left alone.
 */
const BEARER_IN_TEXT = /\b(bearer\s+)[A-Za-z0-9\-._~+/]{8,}=*/gi;
const TOKEN_VALUE = /^(\s*(?:bearer|basic|negotiate)\s+)[A-Za-z0-9\-._~+/]+=*\s*$/i;
const PARAMETERS_VALUE = /^(\s*(?:digest|aws4-hmac-sha256)\s+)\S+=[\s\S]*$/i;
/**
 * A JWT (JWS or JWE) anywhere: base64url parts joined by dots, the first a JSON object (`{"` is
 * `eyJ` in base64url), whatever it is called.
 */
const JWT_IN_TEXT = /\beyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*){0,2}/g;
/**
 * A query parameter, `?name=value` or `&name=value`: its value goes when the name is secret
 * (`isSecretName`) or one of `SECRET_QUERY_NAMES`.
 */
const QUERY_PARAMETER = /([?&])([A-Za-z0-9_.~%[\]-]{1,64})=([^&#\s]*)/g;
/** The shortest text the patterns can match (`Basic x`, `a://b@c`): shorter strings hold no credential. */
const MIN_CREDENTIAL_CHARS = 7;
/**
 * A cheap first look: only strings naming one of the schemes, holding `eyJ` (a JWT), `://` (a
 * URL, perhaps with user information) or a query parameter go through the replacements.
 */
const MAY_HOLD_CREDENTIAL = /bearer|basic|negotiate|digest|aws4-hmac|eyJ|:\/\/|[?&][A-Za-z0-9_.~%[\]-]{1,64}=/i;

/**
 * Names already judged, so the same few field names (`status`, `durationMs`) cost a lookup
 * instead of a regular expression on every line; at most `MAX_REMEMBERED_NAMES` names of at most
 * `MAX_REMEMBERED_NAME_CHARS` characters, so data-shaped keys cannot grow it without bound.
 */
const rememberedNames = new Map<string, boolean>();
const MAX_REMEMBERED_NAMES = 512;
const MAX_REMEMBERED_NAME_CHARS = 64;

/** True when a field or header called `name` holds a secret (see `SECRET_NAME`). */
export function isSecretName(name: string): boolean {
  let secret = rememberedNames.get(name);
  if (secret === undefined) {
    secret = judgeName(name);
    if (rememberedNames.size < MAX_REMEMBERED_NAMES && name.length <= MAX_REMEMBERED_NAME_CHARS) rememberedNames.set(name, secret);
  }
  return secret;
}

function judgeName(name: string): boolean {
  if (SECRET_NAME.test(name) || SECRET_CAMEL_WORD.test(name)) return true;
  return KEY_NAME.test(name) && !NOT_SECRET_KEY_NAMES.has(name.replace(/[-_.]/g, '').toLowerCase());
}

/**
 * `text` with every credential it carries replaced by `[REDACTED]`: a `Bearer …` credential, a
 * whole `Basic …` (or other `Authorization`) value, a JWT, a URL's user information
 * (`https://[REDACTED]@host/`) and the values of secret query parameters (`?code=[REDACTED]`,
 * `&X-Amz-Signature=[REDACTED]`). Linear in the length of `text`.
 */
export function redactString(text: string): string {
  if (text.length < MIN_CREDENTIAL_CHARS || !MAY_HOLD_CREDENTIAL.test(text)) return text;
  const redacted = text
    .replace(BEARER_IN_TEXT, `$1${REDACTED}`)
    .replace(TOKEN_VALUE, `$1${REDACTED}`)
    .replace(PARAMETERS_VALUE, `$1${REDACTED}`)
    .replace(JWT_IN_TEXT, REDACTED)
    .replace(QUERY_PARAMETER, redactQueryParameter);
  return redactUserInfo(redacted);
}

function redactQueryParameter(parameter: string, separator: string, name: string, value: string): string {
  if (value === '' || value === REDACTED) return parameter;
  return isSecretName(name) || SECRET_QUERY_NAMES.has(name.toLowerCase()) ? `${separator}${name}=${REDACTED}` : parameter;
}

/** What ends a URL's authority; user information is what comes before an `@` ahead of the rest. */
const AUTHORITY_END = /[/?#@\s]/g;

/**
 * `text` with the user information of every URL in it (`scheme://user:password@host`, or a
 * token as the user name) replaced: `scheme://[REDACTED]@host`. Each scan starts after a `://`
 * and stops at the first `/`, `?`, `#`, `@` or space, and the next `://` is looked for after
 * it: linear in the length of `text`.
 */
function redactUserInfo(text: string): string {
  let start = text.indexOf('://');
  if (start === -1) return text;
  let result = '';
  let copied = 0;
  while (start !== -1) {
    const authority = start + 3;
    AUTHORITY_END.lastIndex = authority;
    const end = AUTHORITY_END.exec(text);
    if (end === null) break;
    if (end[0] === '@' && end.index > authority) {
      result += text.slice(copied, authority) + REDACTED;
      copied = end.index;
    }
    start = text.indexOf('://', Math.max(end.index, authority));
  }
  return copied === 0 ? text : result + text.slice(copied);
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
    const url = typeof value.url === 'string' ? redactString(value.url) : value.url;
    return { method: value.method, url, headers: redactHeaders(value.headers), rawHeaders: redactRawHeaders(value.rawHeaders) };
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
