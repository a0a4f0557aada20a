import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError } from '../errors.js';
import { drainRefusedBody, RequestAbortedError } from '../http/body.js';
import { createRequestContext, RequestLifetime, runWithContext, type RequestContext } from '../http/context.js';
import { headerValue, SESSION_ID_HEADER as RUNTIME_SESSION_HEADER } from '../http/headers.js';
import { onDemand } from '../on-demand.js';
import { sendJson } from '../http/response.js';
import { readJsonBody } from '../json-rpc/body.js';
import { JsonRpcError } from '../json-rpc/errors.js';
import { parseMessage, type JsonRpcNotification, type JsonRpcRequest, type ParsedMessage } from '../json-rpc/messages.js';
import { errorResponse } from '../json-rpc/wire.js';
import type { InflightRequests } from '../lifecycle/shutdown.js';
import type { Logger } from '../logger.js';
import { acceptedAnswers, checkAcceptsEventStream, checkContentType, type AcceptedAnswers } from './accept.js';
import type { InflightCalls } from './calls.js';
import type { McpCallInfo } from './context.js';
import type { Dispatcher } from './dispatch.js';
import { classifyEra, FIRST_MODERN_VERSION } from './era.js';
import { McpErrorCode, McpHttpError } from './errors.js';
import { endEmpty, Exchange, type ExchangeRequest } from './exchange.js';
import type { ModernDispatcher } from './modern-dispatch.js';
import type { ModernEndpoint } from './modern-endpoint.js';
import type { ResolvedMcpOptions } from './options.js';
import type { OriginGuard } from './origin.js';
import type { McpSession } from './session.js';
import type { SessionStore } from './sessions.js';
import type { ConnectionOptions, McpStream } from './stream.js';
import type { SubscriptionRegistry } from './subscriptions.js';
import { negotiateVersion, PROTOCOL_VERSION_HEADER, requestVersion, VersionFeatures, type LegacyProtocolVersion } from './versions.js';
import { Method, Notification, type ClientCapabilities, type Implementation, type InitializeResult, type JsonObject } from './wire.js';

/** What the transport works with. */
export interface TransportParts {
  readonly options: ResolvedMcpOptions;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  readonly streamStallTimeoutMs: number;
  readonly inflight: InflightRequests;
  readonly guard: OriginGuard;
  readonly dispatcher: Dispatcher;
  /** Makes stateful mode's sessions (once their modules are loaded); `undefined` when stateless. */
  readonly createSessions: ((store: typeof SessionStore) => SessionStore) | undefined;
  /** A stateless server's requests in flight, by owner, for `notifications/cancelled`. */
  readonly calls: InflightCalls;
  readonly closing: () => boolean;
  /** The `initialize` answer for a negotiated version. */
  readonly initializeResult: (version: LegacyProtocolVersion) => InitializeResult;
  /** Makes the modern era's (2026-07-28) method table and listen streams, once their modules are loaded. */
  readonly createModern: (modules: typeof import('./modern-endpoint.js')) => { dispatcher: ModernDispatcher; subscriptions: SubscriptionRegistry };
}

/** The request header carrying the MCP session id (lower case, as Node has it). */
export const SESSION_HEADER = 'mcp-session-id';

/**
 * Code most requests never run, loaded the first time the endpoint is used (or right after the
 * server listens): SSE answer streams, and stateful mode's sessions. Neither is on the way to the
 * server's first `/ping` answer.
 */
const loadStreams = onDemand(() => import('./stream.js'));
const loadSessions = onDemand(() => import('./sessions.js'));
const loadModern = onDemand(() => import('./modern-endpoint.js'));

/**
 * MCP's Streamable HTTP transport on one endpoint, for both eras. It checks what HTTP carries
 * (Origin and Host, media types), reads each POST's body and sorts it into its era
 * (`classifyEra`): a modern one (2026-07-28) goes to the `ModernEndpoint`; a legacy one is served
 * here: a request answered as JSON or SSE, notifications and responses with 202, the protocol
 * version and session headers checked, requests handed to the dispatcher through an `Exchange`.
 * `GET` opens a legacy session's standalone SSE stream or resumes a stream with `Last-Event-ID`,
 * `DELETE` ends a legacy session; without a legacy session to name (and always for 2026-07-28)
 * both are 405. Every refusal is a JSON-RPC error body with its HTTP status.
 */
export class StreamableHttpTransport {
  readonly #parts: TransportParts;
  #modern: ModernEndpoint | undefined;
  #subscriptions: SubscriptionRegistry | undefined;
  #streams: typeof import('./stream.js') | undefined;
  #sessions: SessionStore | undefined;
  #loading: Promise<void> | undefined;

  constructor(parts: TransportParts) {
    this.#parts = parts;
  }

  /** Stateful mode's sessions, once loaded; `undefined` when stateless (or not loaded yet). */
  get sessions(): SessionStore | undefined {
    return this.#sessions;
  }

  /** The 2026-07-28 listen streams, once loaded (no stream can exist before). */
  get subscriptions(): SubscriptionRegistry | undefined {
    return this.#subscriptions;
  }

  /** Loads the modules on demand (see above); every call shares the one load. */
  load(): Promise<void> {
    const parts = this.#parts;
    this.#loading ??= Promise.all([loadStreams(), parts.createSessions === undefined ? undefined : loadSessions(), loadModern()]).then(([streams, sessions, modern]) => {
      if (sessions !== undefined) this.#sessions = parts.createSessions!(sessions.SessionStore);
      this.#streams = streams;
      const { dispatcher, subscriptions } = parts.createModern(modern);
      this.#subscriptions = subscriptions;
      this.#modern = new modern.ModernEndpoint({
        dispatcher,
        subscriptions,
        logger: parts.logger,
        calls: parts.calls,
        closing: parts.closing,
        openStream: (onLost) => new streams.McpStream(0, undefined, onLost),
        connection: (lifetime) => this.#connectionOptions(lifetime),
        endAtShutdown: (response) => parts.inflight.markLongLived(response),
      });
    });
    return this.#loading;
  }

  /** Serves one request to the endpoint (the first one once the modules on demand are loaded). */
  serve(request: IncomingMessage, response: ServerResponse): void {
    if (this.#streams === undefined) {
      this.load().then(
        () => this.serve(request, response),
        (error: unknown) => this.#refuse(response, error),
      );
      return;
    }
    try {
      this.#parts.guard.check(request);
      if (request.method === 'POST') this.#post(request, response);
      else if (request.method === 'GET') this.#get(request, response);
      else this.#delete(request, response);
    } catch (error) {
      this.#refuse(response, error);
    }
  }

  // ── POST ─────────────────────────────────────────────────────────────────────────────────

  #post(request: IncomingMessage, response: ServerResponse): void {
    checkContentType(request);
    const accepts = acceptedAnswers(request);
    const lifetime = new RequestLifetime();
    this.#parts.inflight.track(response, lifetime);
    const context = createRequestContext(request, lifetime);
    readJsonBody(request, this.#parts.maxBodyBytes, (error, body) => {
      runWithContext(context, () => {
        if (error instanceof RequestAbortedError) return;
        try {
          if (error instanceof BodyTooLargeError) {
            this.#refuse(response, new McpHttpError(413, error.message, { data: { limit: this.#parts.maxBodyBytes } }));
            drainRefusedBody(request);
            return;
          }
          if (error !== undefined) throw new McpHttpError(400, error.message, { code: error.code, data: error.data });
          this.#received(request, response, body, accepts, lifetime, context);
        } catch (failure) {
          this.#refuse(response, failure);
        }
      });
    });
  }

  #received(request: IncomingMessage, response: ServerResponse, body: unknown, accepts: AcceptedAnswers, lifetime: RequestLifetime, context: RequestContext): void {
    const versionHeader = headerValue(request.headers[PROTOCOL_VERSION_HEADER]);
    if (classifyEra(body, versionHeader) === 'modern') {
      this.#modern!.serve(request, response, body, accepts, lifetime, context, ownerOf(request));
      return;
    }
    const batch = Array.isArray(body);
    const messages = batch ? this.#batchMessages(body) : [parseMessage(body)];
    const first = messages[0]!;
    if (!batch && first.kind === 'invalid') {
      sendJson(response, 400, errorResponse(first.id, first.error));
      return;
    }
    if (!batch && first.kind === 'request' && first.message.method === Method.Initialize) {
      this.#initialize(response, first.message, accepts, lifetime, context);
      return;
    }
    const pingOnly = messages.every((parsed) => parsed.kind === 'request' && parsed.message.method === Method.Ping);
    const session = this.#session(request, pingOnly);
    const version = requestVersion(versionHeader, session?.version);
    if (batch && !VersionFeatures.batches(version)) {
      throw new McpHttpError(400, 'Invalid Request: batches are not supported since protocol version 2025-06-18', { code: McpErrorCode.InvalidRequest });
    }
    const owner = session?.id ?? ownerOf(request);
    const items: ExchangeRequest[] = [];
    for (const parsed of messages) {
      if (parsed.kind === 'notification') this.#notification(parsed.message, session, owner);
      else if (parsed.kind === 'response') session?.clientRequests.settle(parsed.message);
      else if (parsed.kind === 'request') items.push(this.#exchangeRequest(parsed.message, version, session));
      else items.push({ id: parsed.id, method: '', params: {}, info: NO_INFO, invalid: parsed.error });
    }
    if (items.length === 0) {
      endEmpty(response, 202);
      return;
    }
    const exchange = new Exchange(this.#exchangeParts(response, lifetime, context, accepts, session, owner, undefined, version), batch);
    exchange.start(items, (item, signal, channel) => {
      if (item.method === Method.Initialize) throw JsonRpcError.invalidRequest('initialize must not be part of a batch');
      return this.#parts.dispatcher.call({ id: item.id!, method: item.method, params: item.params, info: item.info, session, owner, request: context, signal, channel });
    });
  }

  /** The messages of a 2025-03-26 batch, each parsed. @throws McpHttpError 400 for an empty or oversized batch. */
  #batchMessages(body: unknown[]): ParsedMessage[] {
    if (body.length === 0) throw new McpHttpError(400, 'Invalid Request: an empty batch', { code: McpErrorCode.InvalidRequest });
    if (body.length > this.#parts.options.maxBatchSize) {
      throw new McpHttpError(400, `Invalid Request: a batch of more than ${this.#parts.options.maxBatchSize} messages`, { code: McpErrorCode.InvalidRequest });
    }
    return body.map(parseMessage);
  }

  #initialize(response: ServerResponse, message: JsonRpcRequest, accepts: AcceptedAnswers, lifetime: RequestLifetime, context: RequestContext): void {
    const params = (message.params ?? {}) as JsonObject;
    const version = negotiateVersion(params.protocolVersion);
    let session: McpSession | undefined;
    let headers: Record<string, string> | undefined;
    const paramsValid = typeof params.protocolVersion === 'string';
    if (paramsValid && this.#sessions !== undefined) {
      const clientInfo = isObject(params.clientInfo) ? (params.clientInfo as unknown as Implementation) : undefined;
      const capabilities = isObject(params.capabilities) ? (params.capabilities as ClientCapabilities) : {};
      session = this.#sessions.create(version, clientInfo, capabilities);
      headers = { [SESSION_HEADER]: session.id };
    }
    const owner = session?.id ?? ownerOf(context.request);
    const exchange = new Exchange(this.#exchangeParts(response, lifetime, context, accepts, session, owner, headers, version), false);
    exchange.start([this.#exchangeRequest(message, version, session)], () => {
      if (!paramsValid) throw JsonRpcError.invalidParams('protocolVersion must be a string');
      return this.#parts.initializeResult(version);
    });
  }

  #exchangeRequest(message: JsonRpcRequest, version: LegacyProtocolVersion, session: McpSession | undefined): ExchangeRequest {
    const params = (isObject(message.params) ? message.params : {}) as JsonObject;
    const info: McpCallInfo = {
      era: 'legacy',
      jsonRpcId: message.id,
      protocolVersion: version,
      mcpSessionId: session?.id,
      clientInfo: session?.clientInfo,
      clientCapabilities: session?.clientCapabilities ?? {},
      meta: isObject(params._meta) ? (params._meta as JsonObject) : undefined,
      logLevel: () => session?.logLevel,
    };
    return { id: message.id, method: message.method, params, info };
  }

  #exchangeParts(
    response: ServerResponse,
    lifetime: RequestLifetime,
    context: RequestContext,
    accepts: AcceptedAnswers,
    session: McpSession | undefined,
    owner: string,
    headers: Record<string, string> | undefined,
    version: LegacyProtocolVersion,
  ): ConstructorParameters<typeof Exchange>[0] {
    const { options, logger, calls, closing } = this.#parts;
    return {
      response,
      lifetime,
      context,
      accepts,
      session,
      calls: session?.calls ?? calls,
      owner,
      headers,
      connection: this.#connectionOptions(lifetime),
      openStream: (onLost: () => void): McpStream => (session === undefined ? new this.#streams!.McpStream(0, undefined, onLost) : session.createStream(onLost)),
      // An initialize answer (the one with headers) has nothing to resume: plain JSON.
      streamAtOnce: session !== undefined && headers === undefined,
      prime: session !== undefined && this.#sessions!.events !== undefined && VersionFeatures.priming(version),
      retryMs: options.sseRetryMs,
      closing,
      logger,
    };
  }

  #connectionOptions(lifetime: RequestLifetime, headers?: Record<string, string>): ConnectionOptions {
    const { options, streamStallTimeoutMs } = this.#parts;
    return { signal: lifetime.signal, headers, heartbeatMs: options.sseHeartbeatMs, stallTimeoutMs: streamStallTimeoutMs, bufferBytes: options.streamBufferBytes };
  }

  #notification(message: JsonRpcNotification, session: McpSession | undefined, owner: string): void {
    const params = isObject(message.params) ? (message.params as JsonObject) : {};
    if (message.method === Notification.Initialized) {
      session?.markInitialized();
    } else if (message.method === Notification.Cancelled) {
      const requestId = params.requestId;
      if (typeof requestId !== 'string' && typeof requestId !== 'number') return;
      const reason = new Error(typeof params.reason === 'string' ? `Cancelled by the client: ${params.reason}` : 'Cancelled by the client');
      const cancelled = (session?.calls ?? this.#parts.calls).cancel(owner, requestId, reason);
      this.#parts.logger.debug('notifications/cancelled', { requestId, cancelled });
    } else {
      this.#parts.logger.debug('client notification', { method: message.method });
    }
  }

  /**
   * The session a request names. Stateless: none, whatever it carries. Stateful: the live one,
   * or a refusal: 400 without a session id, 404 for one that does not (or no longer) exist,
   * except for `ping`, which is answered without a session (health probes send none).
   * @throws McpHttpError 400 or 404.
   */
  #session(request: IncomingMessage, pingOnly: boolean): McpSession | undefined {
    const sessions = this.#sessions;
    if (sessions === undefined) return undefined;
    const id = headerValue(request.headers[SESSION_HEADER]);
    const session = id === undefined || id === '' ? undefined : sessions.get(id);
    if (session !== undefined || pingOnly) return session;
    if (id === undefined || id === '') throw new McpHttpError(400, 'Bad Request: Mcp-Session-Id header is required');
    throw new McpHttpError(404, 'Session not found', { code: McpErrorCode.SessionNotFound });
  }

  // ── GET and DELETE ───────────────────────────────────────────────────────────────────────

  #get(request: IncomingMessage, response: ServerResponse): void {
    if (this.#sessions === undefined || !namesLegacySession(request)) throw methodNotAllowed();
    checkAcceptsEventStream(request);
    const session = this.#session(request, false)!;
    const version = requestVersion(headerValue(request.headers[PROTOCOL_VERSION_HEADER]), session.version);
    const lifetime = new RequestLifetime();
    this.#parts.inflight.track(response, lifetime, { endAtShutdown: true });
    const lastEventId = headerValue(request.headers['last-event-id']);
    if (lastEventId !== undefined && lastEventId !== '') {
      const position = this.#streams!.parseEventId(lastEventId);
      const stream = position === undefined ? undefined : session.stream(position.stream);
      if (stream === undefined) throw new McpHttpError(400, `Bad Request: unknown Last-Event-ID ${lastEventId}`);
      stream.connect(response, this.#connectionOptions(lifetime), position!.seq);
      return;
    }
    session.openStandalone(response, this.#connectionOptions(lifetime), this.#parts.options.sseRetryMs, this.#sessions.events !== undefined && VersionFeatures.priming(version));
  }

  #delete(request: IncomingMessage, response: ServerResponse): void {
    const sessions = this.#sessions;
    if (sessions === undefined || !namesLegacySession(request)) throw methodNotAllowed();
    const session = this.#session(request, false)!;
    requestVersion(headerValue(request.headers[PROTOCOL_VERSION_HEADER]), session.version);
    sessions.delete(session.id);
    endEmpty(response, 200);
  }

  /** Answers a refusal: its status and a JSON-RPC error body; anything else is our failure, 500. */
  #refuse(response: ServerResponse, error: unknown): void {
    if (error instanceof McpHttpError) {
      if (error.status >= 500) this.#parts.logger.warn('MCP request refused', { status: error.status, errorMessage: error.message });
      sendJson(response, error.status, errorResponse(null, error), error.headers);
      return;
    }
    this.#parts.logger.error('MCP transport failed', { error });
    sendJson(response, 500, errorResponse(null, JsonRpcError.internalError()));
  }
}

/**
 * `GET` and `DELETE` that name no legacy session: on a stateless server, without `Mcp-Session-Id`,
 * or from a 2026-07-28 client (which has neither sessions nor a GET stream). The specification
 * allows 405 for both.
 */
function methodNotAllowed(): McpHttpError {
  return new McpHttpError(405, 'Method Not Allowed: GET and DELETE serve legacy sessions only; send requests with POST', { headers: { Allow: 'POST' } });
}

/** True when a GET or DELETE names a session, in a legacy protocol version (or none). */
function namesLegacySession(request: IncomingMessage): boolean {
  const version = headerValue(request.headers[PROTOCOL_VERSION_HEADER]);
  return (version === undefined || version < FIRST_MODERN_VERSION) && headerValue(request.headers[SESSION_HEADER]) !== undefined;
}

/**
 * Who a stateless request is, for cancellation and `tasks/list`: the runtime session (AgentCore
 * routes one runtime session to one microVM), else the `Mcp-Session-Id` it carries, else nobody
 * in particular.
 */
function ownerOf(request: IncomingMessage): string {
  return headerValue(request.headers[RUNTIME_SESSION_HEADER]) || headerValue(request.headers[SESSION_HEADER]) || '';
}

/** The call info of a batch member that is not a request (never read: it is answered with its error). */
const NO_INFO: McpCallInfo = Object.freeze({
  era: 'legacy',
  jsonRpcId: '',
  protocolVersion: '2025-03-26',
  mcpSessionId: undefined,
  clientInfo: undefined,
  clientCapabilities: {},
  meta: undefined,
  logLevel: () => undefined,
});

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
