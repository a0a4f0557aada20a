import { getRequestContext, loggedSessionId } from './http/context.js';
import { isoTimestamp, jsonString, jsonValue, messageJson, propertyPrefix, serializeRecord } from './log-format.js';
import { processLogWriter, STDERR_DESCRIPTOR, STDOUT_DESCRIPTOR, type LogWriter } from './log-writer.js';
import { isSecretName, REDACTED, redact, redactString, setProperty } from './redact.js';

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
 * record, or a writable stream receiving `line + "\n"`; either is called once per line, at once.
 */
export type LogSink = ((line: string, record: LogRecord) => void) | { write(chunk: string): unknown };

/** Logger configuration. */
export interface LoggerOptions {
  /**
   * Minimum level written. Default: `LOG_LEVEL` from the environment, else `info`; a
   * `LOG_LEVEL` that is not a level is logged as a warning once, by this logger, and `info` used.
   */
  level?: LogLevel;
  /**
   * Destination. Default: info and debug to stdout, warn and error to stderr, written in
   * batches once per event-loop turn and flushed before the process exits (see `log-writer.ts`).
   */
  sink?: LogSink;
}

const LEVEL_RANK: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** The level used when neither the option nor a valid `LOG_LEVEL` names one. */
const DEFAULT_LEVEL: LogLevel = 'info';

/** How much of an invalid `LOG_LEVEL` the warning quotes: enough to spot a typo. */
const MAX_QUOTED_LEVEL_CHARS = 64;

/** What a secret is written as (re-exported from `redact.ts`, where redaction lives). */
export { REDACTED };

/** Returns `value` as a log level, or `undefined` when it is not one (case-insensitive). */
export function parseLogLevel(value: string | undefined): LogLevel | undefined {
  const lower = value?.trim().toLowerCase();
  return lower !== undefined && Object.hasOwn(LEVEL_RANK, lower) ? (lower as LogLevel) : undefined;
}

/**
 * Writes one JSON object per line: `timestamp`, `level`, `message`, the current request's
 * `requestId`, `sessionId` (bounded: see `MAX_LOGGED_ID_CHARS`) and `traceId` when called inside
 * a request, then any extra fields. An `error`
 * field holding an Error is expanded to `errorType`, `errorMessage` and `stack`. No secret is
 * ever written: fields are copied with `redact()` (secret-named properties, Map entries and
 * headers become `[REDACTED]` at any depth and in any container, `Bearer …` credentials in
 * strings too), and a field that cannot be copied whole gets a marker instead of an exception.
 */
export class Logger {
  readonly level: LogLevel;
  readonly #rank: number;
  readonly #sink: LogSink | undefined;
  #writer: LogWriter | undefined;

  /**
   * @throws TypeError when `options.level` is not a level. (A wrong `LOG_LEVEL` only warns: the
   * environment is the operator's, and a typo there must not keep the agent from starting.)
   */
  constructor(options: LoggerOptions = {}) {
    const fromEnvironment = process.env.LOG_LEVEL;
    const environmentLevel = parseLogLevel(fromEnvironment);
    const level = options.level ?? environmentLevel ?? DEFAULT_LEVEL;
    if (!Object.hasOwn(LEVEL_RANK, level)) throw new TypeError(`Invalid log level: ${String(level)}`);
    this.level = level;
    this.#rank = LEVEL_RANK[level];
    this.#sink = options.sink;
    if (options.level === undefined && environmentLevel === undefined && fromEnvironment !== undefined && fromEnvironment.trim() !== '') {
      this.warn(`LOG_LEVEL is not a log level; logging at ${DEFAULT_LEVEL}`, {
        LOG_LEVEL: fromEnvironment.slice(0, MAX_QUOTED_LEVEL_CHARS),
        levels: Object.keys(LEVEL_RANK),
      });
    }
  }

  /**
   * Writes out the lines buffered for stdout and stderr now, instead of at the end of this
   * event-loop turn (they are also written before the process exits). Nothing to do with a sink.
   */
  flush(): void {
    this.#writer?.flush();
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
    const sink = this.#sink;
    let record: LogRecord | undefined;
    let line: string | undefined;
    try {
      // Only a function sink is given the record: for the others the line is written directly.
      if (typeof sink !== 'function') line = formatLine(level, message, fields);
      if (line === undefined) {
        record = buildRecord(level, message, fields);
        // Every field is a redacted plain-data copy now: plain JSON serialization is enough.
        line = serializeRecord(record);
      }
    } catch (error) {
      // Only exhaustion gets here (a line longer than V8's longest string, a stack already
      // spent by the caller): say so in a line of its own rather than throw into the caller.
      record = { timestamp: isoTimestamp(), level, message: redactString(String(message)), logError: String(error) };
      line = JSON.stringify(record);
    }
    try {
      if (sink === undefined) {
        this.#writer ??= processLogWriter();
        this.#writer.write(LEVEL_RANK[level] >= LEVEL_RANK.warn ? STDERR_DESCRIPTOR : STDOUT_DESCRIPTOR, line + '\n');
      } else if (typeof sink === 'function') {
        sink(line, record!);
      } else {
        sink.write(line + '\n');
      }
    } catch {
      // A broken sink must never take a request down with it.
    }
  }
}

/** What each level's line has between the timestamp and the message. */
const LEVEL_TEXT: Readonly<Record<LogRecord['level'], string>> = {
  debug: '","level":"debug","message":',
  info: '","level":"info","message":',
  warn: '","level":"warn","message":',
  error: '","level":"error","message":',
};

/**
 * The line `serializeRecord(buildRecord(…))` would write, built as text without the record (the
 * common case: a string message and fields that are plain values). `undefined` when a field
 * needs the record's rules: one named like a property the line writes itself (its value takes
 * that property's place), an `error` to expand, an array-index name (JSON puts those first) or
 * `__proto__`.
 */
function formatLine(level: LogRecord['level'], message: string, fields: Record<string, unknown> | undefined): string | undefined {
  if (typeof message !== 'string') return undefined;
  let line = '{"timestamp":"' + isoTimestamp() + LEVEL_TEXT[level] + messageJson(message);
  const context = getRequestContext();
  if (context !== undefined) {
    line += ',"requestId":' + jsonString(context.requestId);
    const sessionId = loggedSessionId(context);
    if (sessionId !== undefined) line += ',"sessionId":' + jsonString(sessionId);
    const traceId = context.trace.traceId;
    if (traceId !== undefined) line += ',"traceId":' + jsonString(traceId);
  }
  if (fields !== undefined) {
    // for…in with an own-property check visits what Object.keys lists, in the same order, but
    // reads each value through V8's enum cache instead of a generic keyed load.
    for (const key in fields) {
      if (!hasOwnProperty.call(fields, key)) continue;
      if (needsRecord(key)) return undefined;
      const text = jsonValue(isSecretName(key) ? REDACTED : redact(fields[key]));
      if (text !== undefined) line += propertyPrefix(key) + text;
    }
  }
  return line + '}';
}

function needsRecord(key: string): boolean {
  const first = key.charCodeAt(0);
  return (
    (first >= DIGIT_ZERO && first <= DIGIT_NINE) ||
    key === 'timestamp' ||
    key === 'level' ||
    key === 'message' ||
    key === 'requestId' ||
    key === 'sessionId' ||
    key === 'traceId' ||
    key === 'error' ||
    key === '__proto__'
  );
}

const hasOwnProperty = Object.prototype.hasOwnProperty;
const DIGIT_ZERO = 0x30;
const DIGIT_NINE = 0x39;

/** The record for one line: stamp, level, message, the request's ids, then the redacted fields. */
function buildRecord(level: LogRecord['level'], message: string, fields: Record<string, unknown> | undefined): LogRecord {
  const record: LogRecord = {
    timestamp: isoTimestamp(),
    level,
    message: typeof message === 'string' ? redactString(message) : String(redact(message)),
  };
  const context = getRequestContext();
  if (context !== undefined) {
    record.requestId = context.requestId;
    const sessionId = loggedSessionId(context);
    if (sessionId !== undefined) record.sessionId = sessionId;
    const traceId = context.trace.traceId;
    if (traceId !== undefined) record.traceId = traceId;
  }
  if (fields !== undefined) {
    for (const key of Object.keys(fields)) {
      const value = fields[key];
      if (key === 'error' && value instanceof Error) {
        record.errorType = value.name;
        record.errorMessage = redactString(value.message);
        if (value.stack !== undefined) record.stack = redactString(value.stack);
      } else {
        setProperty(record, key, isSecretName(key) ? REDACTED : redact(value));
      }
    }
  }
  return record;
}
