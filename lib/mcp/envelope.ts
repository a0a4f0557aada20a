import type { IncomingMessage } from 'node:http';
import type { RequestContext } from '../http/context.js';
import { traceWithFields, type TraceContext } from '../http/trace-context.js';
import { JsonRpcError } from '../json-rpc/errors.js';
import { isLoggingLevel } from './logging.js';
import type { ClientCapabilities, Implementation, JsonObject, LoggingLevel } from './wire.js';
import { MetaKey, TASKS_EXTENSION } from './wire-2026.js';

/**
 * The per-request envelope of the modern era (2026-07-28, "Request Metadata"): what `initialize`
 * used to settle once per session, every request now carries in `params._meta`: its protocol
 * version and the client's capabilities (both required), who the client is and the log level it
 * wants (both optional), and the trace it belongs to (`traceparent`, `tracestate`, `baggage`).
 */
export interface Envelope {
  readonly protocolVersion: string;
  /** For this request alone: never inferred from another request. */
  readonly clientCapabilities: ClientCapabilities;
  readonly clientInfo: Implementation | undefined;
  /** Without one, no `notifications/message` is sent (a MUST of 2026-07-28). */
  readonly logLevel: LoggingLevel | undefined;
  /** The request's `params._meta`. */
  readonly meta: JsonObject;
}

/**
 * Reads the envelope of a modern request's `params`.
 * @throws JsonRpcError -32602 (answered with HTTP 400) for a missing `_meta`, protocol version or
 * capabilities, or a value of the wrong shape; `data.envelope` says which.
 */
export function readEnvelope(params: unknown): Envelope {
  const meta = isObject(params) ? (params as JsonObject)._meta : undefined;
  if (!isObject(meta)) throw invalidEnvelope('params._meta is required', { missing: [MetaKey.ProtocolVersion, MetaKey.ClientCapabilities] });
  const record = meta as JsonObject;
  const protocolVersion = record[MetaKey.ProtocolVersion];
  const clientCapabilities = record[MetaKey.ClientCapabilities];
  if (protocolVersion === undefined || clientCapabilities === undefined) {
    const missing = [MetaKey.ProtocolVersion, MetaKey.ClientCapabilities].filter((key) => record[key] === undefined);
    throw invalidEnvelope(`params._meta must carry ${missing.join(' and ')}`, { missing });
  }
  if (typeof protocolVersion !== 'string') throw invalidEnvelope(`${MetaKey.ProtocolVersion} must be a string`, { invalid: [MetaKey.ProtocolVersion] });
  if (!isObject(clientCapabilities)) throw invalidEnvelope(`${MetaKey.ClientCapabilities} must be an object`, { invalid: [MetaKey.ClientCapabilities] });
  const clientInfo = record[MetaKey.ClientInfo];
  if (clientInfo !== undefined && !isImplementation(clientInfo)) {
    throw invalidEnvelope(`${MetaKey.ClientInfo} must be an object with a string name and version`, { invalid: [MetaKey.ClientInfo] });
  }
  const logLevel = record[MetaKey.LogLevel];
  if (logLevel !== undefined && !isLoggingLevel(logLevel)) {
    throw invalidEnvelope(`${MetaKey.LogLevel} must be one of debug, info, notice, warning, error, critical, alert, emergency`, { invalid: [MetaKey.LogLevel] });
  }
  return { protocolVersion, clientCapabilities: clientCapabilities as ClientCapabilities, clientInfo: clientInfo as Implementation | undefined, logLevel, meta: record };
}

/** True when the request's capabilities declare the tasks extension. */
export function declaresTasks(capabilities: ClientCapabilities): boolean {
  const extensions = capabilities.extensions;
  return isObject(extensions) && isObject((extensions as JsonObject)[TASKS_EXTENSION]);
}

/**
 * The request context of a modern request: the HTTP request's, with the trace its `_meta` names
 * (when valid) in place of the headers' one, so that handlers (`ctx.trace`) and every log line
 * of the request carry the MCP request's trace.
 */
export function withMetaTrace(context: RequestContext, meta: JsonObject): RequestContext {
  if (meta.traceparent === undefined && meta.baggage === undefined) return context;
  return new MetaTracedContext(context, meta);
}

class MetaTracedContext implements RequestContext {
  readonly #base: RequestContext;
  readonly #meta: JsonObject;
  #trace: TraceContext | undefined;

  constructor(base: RequestContext, meta: JsonObject) {
    this.#base = base;
    this.#meta = meta;
  }

  get trace(): TraceContext {
    this.#trace ??= traceWithFields(this.#base.trace, this.#meta);
    return this.#trace;
  }
  get requestId(): string {
    return this.#base.requestId;
  }
  get sessionId(): string | undefined {
    return this.#base.sessionId;
  }
  get workloadAccessToken(): string | undefined {
    return this.#base.workloadAccessToken;
  }
  get oauth2CallbackUrl(): string | undefined {
    return this.#base.oauth2CallbackUrl;
  }
  get requestHeaders(): Readonly<Record<string, string>> {
    return this.#base.requestHeaders;
  }
  get headers(): Readonly<Record<string, string>> {
    return this.#base.headers;
  }
  get request(): IncomingMessage {
    return this.#base.request;
  }
  get signal(): AbortSignal {
    return this.#base.signal;
  }

  /** The base context's redacted form, with this trace's id. */
  toJSON(): Record<string, unknown> {
    const base = (this.#base as { toJSON?: () => Record<string, unknown> }).toJSON?.() ?? {};
    return { ...base, traceId: this.trace.traceId };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): Record<string, unknown> {
    return this.toJSON();
  }
}

function invalidEnvelope(detail: string, envelope: Record<string, unknown>): JsonRpcError {
  return JsonRpcError.invalidParams(detail, { envelope });
}

function isImplementation(value: unknown): boolean {
  return isObject(value) && typeof (value as JsonObject).name === 'string' && typeof (value as JsonObject).version === 'string';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
