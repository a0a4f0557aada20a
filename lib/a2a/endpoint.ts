import type { IncomingMessage, ServerResponse } from 'node:http';
import { monotonicMs } from '../clock.js';
import { BodyTooLargeError } from '../errors.js';
import { drainRefusedBody, RequestAbortedError } from '../http/body.js';
import { createRequestContext, RequestLifetime, runWithContext, type RequestContext } from '../http/context.js';
import { sendJson } from '../http/response.js';
import { readJsonBody } from '../json-rpc/body.js';
import { JsonRpcError } from '../json-rpc/errors.js';
import { parseMessage, type JsonRpcId } from '../json-rpc/messages.js';
import { errorResponse, resultResponse, toJsonRpcError } from '../json-rpc/wire.js';
import type { InflightRequests } from '../lifecycle/shutdown.js';
import type { Logger } from '../logger.js';
import { isThenable } from '../thenable.js';
import type { A2ADispatcher, MethodOutcome } from './dispatch.js';
import { A2AError } from './errors.js';
import { writeEventStream, type StreamWriting } from './stream.js';
import { methodOf, requestedVersion, VERSION_HEADER, WIRE_V1, wireOf, type Wire } from './versions.js';
import type { A2AMethod } from './wire-v1.js';

/** What the endpoint needs from the server. */
export interface EndpointParts {
  logger: Logger;
  maxBodyBytes: number;
  inflight: InflightRequests;
  dispatcher: A2ADispatcher;
  writing: StreamWriting;
}

/** A JSON-RPC body's media type: `application/json` or any `+json` type, parameters allowed. */
const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** What a call's log line says about it. */
interface CallLog {
  method: string;
  version: string | undefined;
  startedAt: number;
}

/**
 * `POST /` (the A2A JSON-RPC endpoint): body → JSON-RPC request → version and method
 * (`versions.ts`) → dispatcher → a JSON answer, or a stream. Every answer, errors included, is
 * HTTP 200 with a JSON-RPC envelope (as A2A's SDKs answer), except a body over `maxBodyBytes`
 * (413); a body that is not JSON by its `Content-Type` is `-32005`. Errors leave through
 * `lib/json-rpc/wire.ts`, after the wire of the request's version shaped their `data`. One
 * log line per call at info.
 */
export class A2AEndpoint {
  readonly #parts: EndpointParts;

  constructor(parts: EndpointParts) {
    this.#parts = parts;
  }

  serve(request: IncomingMessage, response: ServerResponse): void {
    const lifetime = new RequestLifetime();
    this.#parts.inflight.track(response, lifetime);
    const context = createRequestContext(request, lifetime);
    const contentType = request.headers['content-type'];
    if (contentType !== undefined && !JSON_MEDIA_TYPE.test(contentType)) {
      request.resume();
      this.#answerError(response, null, errorWireOf(request), A2AError.contentTypeNotSupported(`a JSON-RPC request is application/json, not ${JSON.stringify(contentType.slice(0, 100))}`));
      return;
    }
    readJsonBody(request, this.#parts.maxBodyBytes, (error, value) => {
      // Body events run in the socket's async context: enter the request's own from here on.
      runWithContext(context, () => this.#handle(request, response, context, lifetime, error, value));
    });
  }

  #handle(
    request: IncomingMessage,
    response: ServerResponse,
    context: RequestContext,
    lifetime: RequestLifetime,
    bodyError: JsonRpcError | BodyTooLargeError | RequestAbortedError | undefined,
    value: unknown,
  ): void {
    if (bodyError !== undefined) {
      if (bodyError instanceof RequestAbortedError) return;
      if (bodyError instanceof BodyTooLargeError) {
        sendJson(response, 413, errorResponse(null, errorWireOf(request).error(JsonRpcError.invalidRequest(bodyError.message))));
        drainRefusedBody(request);
        return;
      }
      this.#answerError(response, null, errorWireOf(request), bodyError);
      return;
    }
    const parsed = parseMessage(value);
    if (parsed.kind !== 'request') {
      const error = parsed.kind === 'invalid' ? parsed.error : JsonRpcError.invalidRequest(parsed.kind === 'notification' ? 'an A2A request needs an id' : 'a response is not a request');
      this.#answerError(response, parsed.kind === 'invalid' ? parsed.id : null, errorWireOf(request), error);
      return;
    }
    const { id, method, params } = parsed.message;
    const log: CallLog = { method, version: undefined, startedAt: this.#parts.logger.isEnabled('info') ? monotonicMs() : 0 };
    let wire = WIRE_V1;
    try {
      const version = requestedVersion(headerOf(request));
      log.version = version;
      wire = wireOf(version);
      const operation = methodOf(method, version);
      const outcome = this.#parts.dispatcher.call(operation, params, { id, wire, context });
      if (isThenable(outcome)) this.#answerWhenSettled(response, lifetime, id, wire, operation, outcome, log);
      else this.#answer(response, lifetime, id, wire, operation, outcome, log);
    } catch (error) {
      this.#fail(response, id, wire, error, log);
    }
  }

  #answerWhenSettled(response: ServerResponse, lifetime: RequestLifetime, id: JsonRpcId, wire: Wire, method: A2AMethod, outcome: Promise<MethodOutcome>, log: CallLog): void {
    outcome.then(
      (settled) => this.#answer(response, lifetime, id, wire, method, settled, log),
      (error: unknown) => this.#fail(response, id, wire, error, log),
    );
  }

  #answer(response: ServerResponse, lifetime: RequestLifetime, id: JsonRpcId, wire: Wire, method: A2AMethod, outcome: MethodOutcome, log: CallLog): void {
    if ('result' in outcome) {
      sendJson(response, 200, resultResponse(id, wire.result(method, outcome.result)));
      this.#logCall(log, undefined);
      return;
    }
    writeEventStream(response, id, outcome.stream, wire, lifetime.signal, this.#parts.writing).then(
      (ended) => this.#logCall(log, undefined, { ended: ended.ended, items: ended.items }),
      (error: unknown) => this.#fail(response, id, wire, error, log),
    );
  }

  /** Answers a method's failure: its protocol error, or -32603 for a failure of the server (logged). */
  #fail(response: ServerResponse, id: JsonRpcId, wire: Wire, error: unknown, log: CallLog): void {
    const protocolError = toJsonRpcError(error);
    if (!(error instanceof JsonRpcError)) this.#parts.logger.error('a2a method failed', { method: log.method, error });
    this.#answerError(response, id, wire, protocolError);
    this.#logCall(log, protocolError.code);
  }

  #answerError(response: ServerResponse, id: JsonRpcId | null, wire: Wire, error: JsonRpcError): void {
    sendJson(response, 200, errorResponse(id, wire.error(error)));
  }

  #logCall(log: CallLog, errorCode: number | undefined, stream?: { ended: string; items: number }): void {
    const logger = this.#parts.logger;
    if (!logger.isEnabled('info')) return;
    const fields: Record<string, unknown> = { method: log.method, a2aVersion: log.version };
    if (errorCode !== undefined) fields.errorCode = errorCode;
    if (stream !== undefined) {
      fields.ended = stream.ended;
      fields.items = stream.items;
    }
    fields.durationMs = Math.round((monotonicMs() - log.startedAt) * 1000) / 1000;
    logger.info('a2a call answered', fields);
  }
}

function headerOf(request: IncomingMessage): string | undefined {
  const value = request.headers[VERSION_HEADER];
  return Array.isArray(value) ? value[0] : value;
}

/** The wire an error before the method is known is written for: the asked version's, else 1.0's. */
function errorWireOf(request: IncomingMessage): Wire {
  try {
    return wireOf(requestedVersion(headerOf(request)));
  } catch {
    return WIRE_V1;
  }
}
