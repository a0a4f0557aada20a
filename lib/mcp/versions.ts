import { McpHttpError } from './errors.js';

/** The protocol versions this server speaks, newest first. */
export const SUPPORTED_PROTOCOL_VERSIONS = Object.freeze(['2025-11-25', '2025-06-18', '2025-03-26'] as const);

/** One of `SUPPORTED_PROTOCOL_VERSIONS`. */
export type ProtocolVersion = (typeof SUPPORTED_PROTOCOL_VERSIONS)[number];

/** The newest version: what `initialize` answers when the client asks for one it does not know. */
export const LATEST_PROTOCOL_VERSION: ProtocolVersion = '2025-11-25';

/**
 * The version a request without an `MCP-Protocol-Version` header speaks when nothing else says
 * (no session negotiated one): the specification's rule (2025-06-18, "Protocol Version Header").
 */
export const DEFAULT_HEADER_PROTOCOL_VERSION: ProtocolVersion = '2025-03-26';

/** The request header that names a request's protocol version (lower case, as Node has it). */
export const PROTOCOL_VERSION_HEADER = 'mcp-protocol-version';

/** True when `value` names a version this server speaks. */
export function isSupportedVersion(value: unknown): value is ProtocolVersion {
  return typeof value === 'string' && (SUPPORTED_PROTOCOL_VERSIONS as readonly string[]).includes(value);
}

/**
 * The version `initialize` answers: the client's when this server speaks it, else the newest
 * (the client then decides whether it can go on).
 */
export function negotiateVersion(requested: unknown): ProtocolVersion {
  return isSupportedVersion(requested) ? requested : LATEST_PROTOCOL_VERSION;
}

/** True when `version` is `minimum` or newer (the versions are dates, so they order as text). */
export function isAtLeast(version: ProtocolVersion, minimum: ProtocolVersion): boolean {
  return version >= minimum;
}

/**
 * The version a request speaks: its `MCP-Protocol-Version` header, else what its session
 * negotiated, else 2025-03-26.
 * @throws McpHttpError 400 for a header naming a version this server does not speak (a MUST
 * since 2025-06-18; it is also how a 2026-07-28 client learns to fall back to `initialize`).
 */
export function requestVersion(header: string | undefined, negotiated: ProtocolVersion | undefined): ProtocolVersion {
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
  /** Task-augmented requests and `tasks/*` (2025-11-25, experimental). */
  tasks: (version: ProtocolVersion): boolean => isAtLeast(version, '2025-11-25'),
  /** Elicitation (2025-06-18). */
  elicitation: (version: ProtocolVersion): boolean => isAtLeast(version, '2025-06-18'),
});
