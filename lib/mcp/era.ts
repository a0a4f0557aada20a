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
 * (the specification's rule for a dual-era server, "Backward Compatibility"): a message whose
 * `params._meta` claims a version is modern, whatever version it claims (a legacy one there is
 * answered as unsupported, not served the legacy way); otherwise a header naming a modern
 * version makes it modern (a malformed modern request, never a legacy one); a batch is modern
 * when the header or one of its messages is (and refused: 2026-07-28 has no batches); anything
 * else (no claim and no header or a legacy one, a response to a server request) is legacy.
 * `Mcp-Session-Id` plays no part: AgentCore forwards it on every request.
 */
export function classifyEra(body: unknown, versionHeader: string | undefined): Era {
  if (versionHeader !== undefined && versionHeader >= FIRST_MODERN_VERSION) return 'modern';
  if (Array.isArray(body)) return body.some(claimsVersion) ? 'modern' : 'legacy';
  return claimsVersion(body) ? 'modern' : 'legacy';
}

/** True when a message's `params._meta` names its protocol version (the modern envelope). */
function claimsVersion(message: unknown): boolean {
  if (typeof message !== 'object' || message === null) return false;
  const params = (message as { params?: unknown }).params;
  if (typeof params !== 'object' || params === null) return false;
  const meta = (params as { _meta?: unknown })._meta;
  return typeof meta === 'object' && meta !== null && typeof (meta as Record<string, unknown>)[MODERN_VERSION_META] === 'string';
}
