/**
 * Validation of UTF-8 payloads and close status codes.
 * @module
 */

import { isUtf8 } from 'node:buffer';

/** Lowest close code reserved for libraries, frameworks and applications (RFC 6455 §7.4.2). */
const FIRST_REGISTERED_CLOSE_CODE = 3000;

/** Highest close code an application may use (RFC 6455 §7.4.2). */
const LAST_PRIVATE_CLOSE_CODE = 4999;

/**
 * Protocol-defined close codes a peer may put on the wire: RFC 6455 §7.4.1, plus 1012 (service
 * restart), 1013 (try again later) and 1014 (bad gateway) from the IANA registry, which
 * servers and gateways send.
 */
const SENDABLE_PROTOCOL_CLOSE_CODES: ReadonlySet<number> = new Set([
  1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014,
]);

/**
 * Checks that bytes are well-formed UTF-8 (no overlongs, surrogates or truncated sequences).
 * @returns `true` when the bytes decode strictly.
 */
export function isValidUtf8(bytes: Uint8Array): boolean {
  // node:buffer's isUtf8 is a native strict validator; no decoding or allocation needed.
  return isUtf8(bytes);
}

/**
 * Checks whether a close status code may appear in a close frame (RFC 6455 §7.4).
 * 1004-1006 and 1015 are reserved and must never be sent.
 * @returns `true` for 1000-1003, 1007-1014 and 3000-4999.
 */
export function isValidCloseCode(code: number): boolean {
  return (
    SENDABLE_PROTOCOL_CLOSE_CODES.has(code) ||
    (Number.isInteger(code) && code >= FIRST_REGISTERED_CLOSE_CODE && code <= LAST_PRIVATE_CLOSE_CODE)
  );
}
