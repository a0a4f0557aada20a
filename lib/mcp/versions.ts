import { McpHttpError } from './errors.js';

/**
 * The protocol versions of the legacy era this server speaks (negotiated with `initialize`),
 * newest first.
 */
export const SUPPORTED_PROTOCOL_VERSIONS = Object.freeze(['2025-11-25', '2025-06-18', '2025-03-26'] as const);

/**
 * The protocol versions of the modern era this server speaks (named in every request's
 * `params._meta`, no `initialize`), newest first: what `server/discover` lists.
 */
export const MODERN_PROTOCOL_VERSIONS = Object.freeze(['2026-07-28'] as const);

/** One of `SUPPORTED_PROTOCOL_VERSIONS`: a version of the legacy era. */
export type LegacyProtocolVersion = (typeof SUPPORTED_PROTOCOL_VERSIONS)[number];

/** One of `MODERN_PROTOCOL_VERSIONS`. */
export type ModernProtocolVersion = (typeof MODERN_PROTOCOL_VERSIONS)[number];

/** Any version this server speaks, in either era. */
export type ProtocolVersion = LegacyProtocolVersion | ModernProtocolVersion;

/** The newest legacy version: what `initialize` answers when the client asks for one it does not know. */
export const LATEST_PROTOCOL_VERSION: LegacyProtocolVersion = '2025-11-25';

/**
 * The version a request without an `MCP-Protocol-Version` header speaks when nothing else says
 * (no session negotiated one): the specification's rule (2025-06-18, "Protocol Version Header").
 */
export const DEFAULT_HEADER_PROTOCOL_VERSION: LegacyProtocolVersion = '2025-03-26';

/** The request header that names a request's protocol version (lower case, as Node has it). */
export const PROTOCOL_VERSION_HEADER = 'mcp-protocol-version';

/** True when `value` names a legacy version this server speaks. */
export function isSupportedVersion(value: unknown): value is LegacyProtocolVersion {
  return typeof value === 'string' && (SUPPORTED_PROTOCOL_VERSIONS as readonly string[]).includes(value);
}

/**
 * The version `initialize` answers: the client's when this server speaks it, else the newest
 * (the client then decides whether it can go on).
 */
export function negotiateVersion(requested: unknown): LegacyProtocolVersion {
  return isSupportedVersion(requested) ? requested : LATEST_PROTOCOL_VERSION;
}

/** True when `value` names a modern version this server speaks. */
export function isModernVersion(value: unknown): value is ModernProtocolVersion {
  return typeof value === 'string' && (MODERN_PROTOCOL_VERSIONS as readonly string[]).includes(value);
}

/** True when `version` is `minimum` or newer (the versions are dates, so they order as text). */
export function isAtLeast(version: ProtocolVersion, minimum: ProtocolVersion): boolean {
  return version >= minimum;
}

/**
 * The version a request speaks: its `MCP-Protocol-Version` header, else what its session
 * negotiated, else 2025-03-26.
 * @throws McpHttpError 400 for a header naming a version this server does not speak (a MUST
 * since 2025-06-18).
 */
export function requestVersion(header: string | undefined, negotiated: LegacyProtocolVersion | undefined): LegacyProtocolVersion {
  if (header === undefined || header === '') return negotiated ?? DEFAULT_HEADER_PROTOCOL_VERSION;
  if (isSupportedVersion(header)) return header;
  throw new McpHttpError(400, `Bad Request: Unsupported protocol version: ${header} (supported versions: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`, {
    data: { supported: [...SUPPORTED_PROTOCOL_VERSIONS], requested: header },
  });
}

/** What differs between the versions, asked in one place. */
export const VersionFeatures = Object.freeze({
  /** JSON-RPC batches: required of receivers in 2025-03-26, removed in 2025-06-18. */
  batches: (version: ProtocolVersion): boolean => version === '2025-03-26',
  /** Priming events and closing a resumable stream early (2025-11-25 SSE polling). */
  priming: (version: ProtocolVersion): boolean => isAtLeast(version, '2025-11-25'),
  /** Task-augmented requests and `tasks/*` (2025-11-25, experimental; an extension since 2026-07-28). */
  tasks: (version: ProtocolVersion): boolean => version === '2025-11-25',
  /** Elicitation (2025-06-18). */
  elicitation: (version: ProtocolVersion): boolean => isAtLeast(version, '2025-06-18'),
});
