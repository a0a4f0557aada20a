import { McpHttpError } from './errors.js';
import { SUPPORTED_PROTOCOL_VERSIONS } from './versions.js';

/**
 * Which era of MCP a POST speaks. `legacy`: `initialize`, sessions and the
 * `MCP-Protocol-Version` header rules of 2025-03-26 to 2025-11-25. `modern`: 2026-07-28 and
 * later, where every request carries its version and the client's capabilities in
 * `params._meta` and there is no `initialize`. The two can share one endpoint; this is the one
 * place a request is sorted into one of them, before anything else reads it.
 */
export type Era = 'legacy' | 'modern';

/** The `_meta` key a modern request names its protocol version with. */
export const MODERN_VERSION_META = 'io.modelcontextprotocol/protocolVersion';

/** The first version of the modern era; versions compare as text (they are dates). */
export const FIRST_MODERN_VERSION = '2026-07-28';

/**
 * The era of one POST, from its parsed body and its `MCP-Protocol-Version` header, body first
 * (the specification's rule for a dual-era server): a message whose `params._meta` claims a
 * version is modern; otherwise a header naming a modern version makes it modern (a malformed
 * modern request, never a legacy one); anything else (no claim, no header or a legacy one, a
 * batch, a response to a server request) is legacy.
 */
export function classifyEra(body: unknown, versionHeader: string | undefined): Era {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'legacy';
  const params = (body as { params?: unknown }).params;
  if (typeof params === 'object' && params !== null) {
    const meta = (params as { _meta?: unknown })._meta;
    if (typeof meta === 'object' && meta !== null && typeof (meta as Record<string, unknown>)[MODERN_VERSION_META] === 'string') return 'modern';
  }
  return versionHeader !== undefined && versionHeader >= FIRST_MODERN_VERSION ? 'modern' : 'legacy';
}

/**
 * The answer to a modern request while this server serves only the legacy era: the legacy
 * "unsupported protocol version" refusal (400, `-32000`, not a modern `-32022`), which is what
 * tells a dual-era client to fall back to `initialize`.
 */
export function modernEraNotServed(requested: string | undefined): McpHttpError {
  const version = requested ?? FIRST_MODERN_VERSION;
  return new McpHttpError(400, `Bad Request: Unsupported protocol version: ${version} (supported versions: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`, {
    data: { supported: [...SUPPORTED_PROTOCOL_VERSIONS], requested: version },
  });
}
