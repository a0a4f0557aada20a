import type { IncomingMessage, ServerResponse } from 'node:http';
import { runWithContext, type RequestContext, type RequestLifetime } from '../http/context.js';
import { sendJson } from '../http/response.js';
import { JsonRpcError, JsonRpcErrorCode } from '../json-rpc/errors.js';
import { parseMessage, type JsonRpcId, type JsonRpcRequest } from '../json-rpc/messages.js';
import { errorResponse } from '../json-rpc/wire.js';
import type { Logger } from '../logger.js';
import type { AcceptedAnswers } from './accept.js';
import type { InflightCalls } from './calls.js';
import type { McpCallInfo } from './context.js';
import { declaresTasks, readEnvelope, withMetaTrace, type Envelope } from './envelope.js';
import { McpErrorCode } from './errors.js';
import { endEmpty, Exchange } from './exchange.js';
import { checkHeadersAgree, checkHeadersPresent } from './headers.js';
import type { ModernDispatcher } from './modern-dispatch.js';
import type { ConnectionOptions, McpStream } from './stream.js';
import type { SubscriptionRegistry } from './subscriptions.js';
import { isModernVersion, MODERN_PROTOCOL_VERSIONS, type ModernProtocolVersion } from './versions.js';
import type { JsonObject } from './wire.js';
import { ModernMethod } from './wire-2026.js';

// What the server builds the modern era's parts with, loaded with this module (on demand).
export { ModernDispatcher } from './modern-dispatch.js';
export { randomSecret, RequestStateCodec } from './request-state.js';
export { SubscriptionRegistry } from './subscriptions.js';

/** What the endpoint works with. */
export interface ModernEndpointParts {
  readonly dispatcher: ModernDispatcher;
  readonly subscriptions: SubscriptionRegistry;
  readonly logger: Logger;
  readonly calls: InflightCalls;
  readonly closing: () => boolean;
  /** An answer stream without event ids (2026-07-28 streams cannot be resumed). */
  readonly openStream: (onLost: () => void) => McpStream;
  readonly connection: (lifetime: RequestLifetime) => ConnectionOptions;
  /** Marks a tracked answer as one that ends as soon as shutdown starts (a listen stream). */
  readonly endAtShutdown: (response: ServerResponse) => void;
}

/** The HTTP status of each refusal code of 2026-07-28 (anything else a handler answers is 200). */
const STATUS_OF: ReadonlyMap<number, number> = new Map([
  [JsonRpcErrorCode.ParseError, 400],
  [JsonRpcErrorCode.InvalidRequest, 400],
  [JsonRpcErrorCode.MethodNotFound, 404],
  [McpErrorCode.HeaderMismatch, 400],
  [McpErrorCode.MissingRequiredClientCapability, 400],
  [McpErrorCode.UnsupportedProtocolVersion, 400],
]);

/**
 * One POST of the modern era (2026-07-28), after the transport sorted it there: the checks in
 * the order the specification and its conformance suite combine them, each refusal a JSON-RPC
 * error echoing the request's id with its HTTP status: a message that is no single request 400
 * (-32600); the envelope in `_meta` 400 (-32602); `MCP-Protocol-Version` or `Mcp-Method`
 * disagreeing with the body 400 (-32020); a version not served 400 (-32022, naming the served
 * ones); a standard header missing or `Mcp-Name` disagreeing 400 (-32020); an unknown (or
 * removed) method 404 (-32601); a capability the request needs but did not declare 400
 * (-32021). Then `subscriptions/listen` gets its stream, and any other request an `Exchange`
 * (JSON, or SSE once a notification goes before the result; never event ids). Notifications
 * are accepted with 202. No session is read, minted or echoed.
 */
export class ModernEndpoint {
  readonly #parts: ModernEndpointParts;

  constructor(parts: ModernEndpointParts) {
    this.#parts = parts;
  }

  /** Serves one modern POST whose body is read (`owner`: who it is, for cancellation bookkeeping). */
  serve(request: IncomingMessage, response: ServerResponse, body: unknown, accepts: AcceptedAnswers, lifetime: RequestLifetime, context: RequestContext, owner: string): void {
    if (Array.isArray(body)) {
      refuse(response, null, JsonRpcError.invalidRequest('batches are not part of protocol version 2026-07-28'));
      return;
    }
    const parsed = parseMessage(body);
    if (parsed.kind === 'invalid') {
      refuse(response, parsed.id, parsed.error);
      return;
    }
    if (parsed.kind === 'response') {
      refuse(response, parsed.message.id, JsonRpcError.invalidRequest('2026-07-28 has no server-initiated requests to answer'));
      return;
    }
    if (parsed.kind === 'notification') {
      // The disconnect of a stream is its cancellation: nothing a client notifies needs an answer.
      this.#parts.logger.debug('client notification', { method: parsed.message.method });
      endEmpty(response, 202);
      return;
    }
    const message = parsed.message;
    let envelope: Envelope;
    let info: McpCallInfo;
    try {
      envelope = this.#check(request, message);
      info = callInfo(message.id, envelope);
      this.#parts.dispatcher.gate(message.method, { info });
    } catch (error) {
      refuse(response, message.id, error as JsonRpcError);
      return;
    }
    const traced = withMetaTrace(context, envelope.meta);
    runWithContext(traced, () => {
      if (message.method === ModernMethod.SubscriptionsListen) this.#listen(response, lifetime, message, info);
      else this.#exchange(response, lifetime, traced, message, info, accepts, owner);
    });
  }

  /**
   * The checks before dispatch, in order.
   * @throws JsonRpcError -32602, -32020, -32022 or -32601 (see the class).
   */
  #check(request: IncomingMessage, message: JsonRpcRequest): Envelope {
    const envelope = readEnvelope(message.params);
    const headers = request.headers;
    checkHeadersAgree(headers, envelope.protocolVersion, message.method);
    if (!isModernVersion(envelope.protocolVersion)) {
      throw new JsonRpcError(McpErrorCode.UnsupportedProtocolVersion, `Unsupported protocol version: ${envelope.protocolVersion} (supported versions: ${MODERN_PROTOCOL_VERSIONS.join(', ')})`, {
        supported: [...MODERN_PROTOCOL_VERSIONS],
        requested: envelope.protocolVersion,
      });
    }
    checkHeadersPresent(headers, message.method, message.params as JsonObject);
    if (!this.#parts.dispatcher.serves(message.method)) throw JsonRpcError.methodNotFound(message.method);
    return envelope;
  }

  #listen(response: ServerResponse, lifetime: RequestLifetime, message: JsonRpcRequest, info: McpCallInfo): void {
    const { subscriptions, dispatcher, closing, endAtShutdown } = this.#parts;
    try {
      const filter = subscriptions.honoured(message.params as JsonObject, dispatcher.capabilities(), declaresTasks(info.clientCapabilities));
      if (closing()) throw new JsonRpcError(McpErrorCode.InternalError, 'The server is shutting down');
      subscriptions.open(response, lifetime, message.id, filter);
      endAtShutdown(response);
    } catch (error) {
      refuse(response, message.id, error as JsonRpcError);
    }
  }

  #exchange(response: ServerResponse, lifetime: RequestLifetime, context: RequestContext, message: JsonRpcRequest, info: McpCallInfo, accepts: AcceptedAnswers, owner: string): void {
    const { logger, calls, closing, openStream, connection, dispatcher } = this.#parts;
    const exchange = new Exchange(
      {
        response,
        lifetime,
        context,
        accepts,
        session: undefined,
        calls,
        owner,
        headers: undefined,
        connection: connection(lifetime),
        openStream,
        streamAtOnce: false,
        prime: false,
        retryMs: 0,
        closing,
        logger,
        errorStatus: (error) => (error.code === McpErrorCode.MissingRequiredClientCapability || error.code === McpErrorCode.HeaderMismatch ? 400 : 200),
      },
      false,
    );
    const params = message.params as JsonObject;
    exchange.start([{ id: message.id, method: message.method, params, info }], (item, signal, channel) =>
      dispatcher.call({ id: message.id, method: item.method, params, info, session: undefined, owner, request: context, signal, channel }),
    );
  }
}

/** What a modern request tells about itself: everything from its envelope, nothing from a session. */
function callInfo(id: JsonRpcId, envelope: Envelope): McpCallInfo {
  return {
    era: 'modern',
    jsonRpcId: id,
    protocolVersion: envelope.protocolVersion as ModernProtocolVersion,
    mcpSessionId: undefined,
    clientInfo: envelope.clientInfo,
    clientCapabilities: envelope.clientCapabilities,
    meta: envelope.meta,
    logLevel: () => envelope.logLevel,
  };
}

/** A refusal before dispatch: its status (400, or 404 for an unknown method) and the error with the request's id. */
function refuse(response: ServerResponse, id: JsonRpcId | null, error: JsonRpcError): void {
  if (!(error instanceof JsonRpcError)) throw error;
  sendJson(response, STATUS_OF.get(error.code) ?? 400, errorResponse(id, error));
}
