import { getRequestContext } from './http/context.js';
import { toJson } from './serialize.js';

/** Log levels in increasing severity; `silent` turns logging off. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** One structured log line before it is serialized. */
export interface LogRecord {
  timestamp: string;
  level: Exclude<LogLevel, 'silent'>;
  message: string;
  [field: string]: unknown;
}

/**
 * Where log lines go: a function receiving each serialized line (without the newline) and its
 * record, or a writable stream receiving `line + "\n"`.
 */
export type LogSink = ((line: string, record: LogRecord) => void) | { write(chunk: string): unknown };

/** Logger configuration. */
export interface LoggerOptions {
  /** Minimum level written. Default: `LOG_LEVEL` from the environment, else `info`. */
  level?: LogLevel;
  /** Destination. Default: info and debug to stdout, warn and error to stderr. */
  sink?: LogSink;
}

const LEVEL_RANK: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** Field names whose values are secrets: never written, at any depth. */
const SECRET_FIELD = /authorization|cookie|token|secret|password|credential|api[-_]?key/i;
/** What a secret is written as. */
export const REDACTED = '[REDACTED]';
/** How deep into nested fields redaction looks (log fields are small; deeper data is unusual). */
const MAX_REDACTION_DEPTH = 4;

/** Copies `value` with every secret-named property replaced by `[REDACTED]`. */
function redact(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null || depth > MAX_REDACTION_DEPTH) return value;
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    copy[key] = SECRET_FIELD.test(key) ? REDACTED : redact((value as Record<string, unknown>)[key], depth + 1);
  }
  return copy;
}

/** Returns `value` as a log level, or `undefined` when it is not one (case-insensitive). */
export function parseLogLevel(value: string | undefined): LogLevel | undefined {
  const lower = value?.trim().toLowerCase();
  return lower !== undefined && Object.hasOwn(LEVEL_RANK, lower) ? (lower as LogLevel) : undefined;
}

/**
 * Writes one JSON object per line: `timestamp`, `level`, `message`, the current request's
 * `requestId` and `sessionId` when called inside a request, then any extra fields. An `error`
 * field holding an Error is expanded to `errorType`, `errorMessage` and `stack`. Fields named
 * like secrets (authorization, cookie, token, secret, password, credential, api key) are
 * written as `[REDACTED]`, at any depth of plain objects.
 */
export class Logger {
  readonly level: LogLevel;
  readonly #rank: number;
  readonly #sink: LogSink | undefined;

  constructor(options: LoggerOptions = {}) {
    const level = options.level ?? parseLogLevel(process.env.LOG_LEVEL) ?? 'info';
    if (!Object.hasOwn(LEVEL_RANK, level)) throw new TypeError(`Invalid log level: ${String(level)}`);
    this.level = level;
    this.#rank = LEVEL_RANK[level];
    this.#sink = options.sink;
  }

  /** True when a record at `level` would be written. */
  isEnabled(level: Exclude<LogLevel, 'silent'>): boolean {
    return LEVEL_RANK[level] >= this.#rank;
  }

  debug(message: string, fields?: Record<string, unknown>): void {
    if (this.isEnabled('debug')) this.#write('debug', message, fields);
  }

  info(message: string, fields?: Record<string, unknown>): void {
    if (this.isEnabled('info')) this.#write('info', message, fields);
  }

  warn(message: string, fields?: Record<string, unknown>): void {
    if (this.isEnabled('warn')) this.#write('warn', message, fields);
  }

  error(message: string, fields?: Record<string, unknown>): void {
    if (this.isEnabled('error')) this.#write('error', message, fields);
  }

  #write(level: LogRecord['level'], message: string, fields: Record<string, unknown> | undefined): void {
    const record: LogRecord = { timestamp: new Date().toISOString(), level, message };
    const context = getRequestContext();
    if (context !== undefined) {
      record.requestId = context.requestId;
      if (context.sessionId !== undefined) record.sessionId = context.sessionId;
    }
    if (fields !== undefined) {
      for (const key of Object.keys(fields)) {
        const value = fields[key];
        if (key === 'error' && value instanceof Error) {
          record.errorType = value.name;
          record.errorMessage = value.message;
          record.stack = value.stack;
        } else {
          record[key] = SECRET_FIELD.test(key) ? REDACTED : redact(value, 1);
        }
      }
    }
    const line = toJson(record);
    const sink = this.#sink;
    try {
      if (sink === undefined) {
        (LEVEL_RANK[level] >= LEVEL_RANK.warn ? process.stderr : process.stdout).write(line + '\n');
      } else if (typeof sink === 'function') {
        sink(line, record);
      } else {
        sink.write(line + '\n');
      }
    } catch {
      // A broken sink must never take a request down with it.
    }
  }
}
