import type { LoggingLevel } from './wire.js';

/** The RFC 5424 levels MCP's logging uses, least severe first. */
export const LOGGING_LEVELS: readonly LoggingLevel[] = Object.freeze(['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency']);

const RANK: ReadonlyMap<string, number> = new Map(LOGGING_LEVELS.map((level, index) => [level, index]));

/** True when `value` is one of the eight levels. */
export function isLoggingLevel(value: unknown): value is LoggingLevel {
  return typeof value === 'string' && RANK.has(value);
}

/**
 * True when a message at `level` goes to a client that asked for `minimum` (`logging/setLevel`);
 * a client that never asked gets every level, as the official SDK does.
 */
export function shouldSendLog(level: LoggingLevel, minimum: LoggingLevel | undefined): boolean {
  return minimum === undefined || RANK.get(level)! >= RANK.get(minimum)!;
}
