import type { IncomingHttpHeaders } from 'node:http';
import { headerValue } from '../http/headers.js';
import type { JsonRpcError } from '../json-rpc/errors.js';
import { headerMismatch } from './errors.js';
import type { ParamHeader } from './param-headers.js';
import { Method, type JsonObject } from './wire.js';
import { ModernMethod } from './wire-2026.js';

/**
 * The headers of a 2026-07-28 POST (Streamable HTTP, "Standard Headers" and "Custom Headers"):
 * the `MCP-Protocol-Version`, `Mcp-Method` and `Mcp-Name` a client copies from its body, and the
 * `Mcp-Param-*` it copies from a tool's annotated arguments, so that intermediaries can route
 * without reading the body; the server checks each against the body. Values that are not plain
 * visible ASCII travel Base64-encoded between `=?base64?` and `?=`.
 */

/** The request header naming the JSON-RPC method (lower case, as Node has it). */
export const MCP_METHOD_HEADER = 'mcp-method';
/** The request header naming the tool, prompt, resource or task the request is about. */
export const MCP_NAME_HEADER = 'mcp-name';

const SENTINEL_PREFIX = '=?base64?';
const SENTINEL_SUFFIX = '?=';
/** Integers as a client writes them (decimal), or the same value with a zero fraction. */
const INTEGER_TEXT = /^-?\d+(\.0+)?$/;
/** Base64 with its padding exactly right: anything else is not a sentinel value a client may send. */
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** A plain value: visible ASCII and inner spaces (Node has already trimmed the edges). */
const PLAIN_VALUE = /^[\x20-\x7e]*$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The methods whose `Mcp-Name` is required, and the param it must match. */
const NAMED_BY: ReadonlyMap<string, string> = new Map([
  [Method.ToolsCall, 'name'],
  [Method.PromptsGet, 'name'],
  [Method.ResourcesRead, 'uri'],
  [Method.TasksGet, 'taskId'],
  [ModernMethod.TasksUpdate, 'taskId'],
  [Method.TasksCancel, 'taskId'],
]);

/**
 * A header's value as the client meant it: a Base64 sentinel decoded (strictly: exact padding,
 * valid UTF-8), else the plain value; `undefined` when it is neither (characters a plain value
 * may not carry, a sentinel that does not decode). A value that only starts like a sentinel is
 * plain.
 */
export function decodeHeaderValue(raw: string): string | undefined {
  if (raw.length >= SENTINEL_PREFIX.length + SENTINEL_SUFFIX.length && raw.startsWith(SENTINEL_PREFIX) && raw.endsWith(SENTINEL_SUFFIX)) {
    const payload = raw.slice(SENTINEL_PREFIX.length, raw.length - SENTINEL_SUFFIX.length);
    if (!STRICT_BASE64.test(payload)) return undefined;
    try {
      return utf8.decode(Buffer.from(payload, 'base64'));
    } catch {
      return undefined;
    }
  }
  return PLAIN_VALUE.test(raw) ? raw : undefined;
}

/**
 * Step one of the header checks, before the version is looked at: a `MCP-Protocol-Version` or
 * `Mcp-Method` header that is present must agree with the body.
 * @throws JsonRpcError -32020 naming the header.
 */
export function checkHeadersAgree(headers: IncomingHttpHeaders, version: string, method: string): void {
  const versionHeader = headerValue(headers['mcp-protocol-version']);
  if (versionHeader !== undefined && versionHeader !== version) throw disagreement('MCP-Protocol-Version', versionHeader, version);
  const methodHeader = headerValue(headers[MCP_METHOD_HEADER]);
  if (methodHeader !== undefined && decodeHeaderValue(methodHeader) !== method) throw disagreement('Mcp-Method', methodHeader, method);
}

/**
 * Step two, once the version is known to be served: `MCP-Protocol-Version` and `Mcp-Method` are
 * required, and `Mcp-Name` too when the method names something and the body carries it.
 * @throws JsonRpcError -32020 naming the header.
 */
export function checkHeadersPresent(headers: IncomingHttpHeaders, method: string, params: Record<string, unknown>): void {
  if (headerValue(headers['mcp-protocol-version']) === undefined) throw headerMismatch('the MCP-Protocol-Version header is required');
  if (headerValue(headers[MCP_METHOD_HEADER]) === undefined) throw headerMismatch('the Mcp-Method header is required');
  const key = NAMED_BY.get(method);
  const expected = key === undefined ? undefined : params[key];
  if (typeof expected !== 'string') return;
  const raw = headerValue(headers[MCP_NAME_HEADER]);
  if (raw === undefined) throw headerMismatch(`the Mcp-Name header is required for ${method}`);
  const decoded = decodeHeaderValue(raw);
  if (decoded === undefined) throw headerMismatch('the Mcp-Name header value has invalid characters or an invalid Base64 sentinel');
  if (decoded !== expected) throw disagreement('Mcp-Name', decoded, expected);
}

function disagreement(header: string, value: string, body: string): JsonRpcError {
  return headerMismatch(`${header} header value '${value}' does not match body value '${body}'`, { mismatch: { header, body } });
}

/**
 * Checks a call's `Mcp-Param-*` headers against its arguments: for every annotated property the
 * arguments carry (not `null`), its header must be there, decode, and equal the value (integers
 * compared as numbers). Headers of absent properties and unknown `Mcp-Param-*` headers are ignored.
 * @throws JsonRpcError -32020 naming the header (never its value: headers may be logged elsewhere).
 */
export function checkParamHeaders(declared: readonly ParamHeader[], args: JsonObject, headers: IncomingHttpHeaders): void {
  for (const param of declared) {
    const value = valueAt(args, param.path);
    if (value === undefined || value === null || typeof value === 'object') continue;
    const raw = headerValue(headers[param.header]);
    if (raw === undefined) throw headerMismatch(`the Mcp-Param-${param.name} header is required when ${param.path.join('.')} is given`);
    const decoded = decodeHeaderValue(raw);
    if (decoded === undefined) throw headerMismatch(`the Mcp-Param-${param.name} header value has invalid characters or an invalid Base64 sentinel`);
    if (!matches(decoded, value)) throw headerMismatch(`the Mcp-Param-${param.name} header value does not match the body value of ${param.path.join('.')}`);
  }
}

function valueAt(args: JsonObject, path: readonly string[]): unknown {
  let value: unknown = args;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function matches(header: string, value: unknown): boolean {
  if (typeof value === 'string') return header === value;
  if (typeof value === 'number') return INTEGER_TEXT.test(header) && Number(header) === value;
  return header === String(value);
}
