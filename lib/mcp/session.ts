import type { ServerResponse } from 'node:http';
import { JsonRpcError } from '../json-rpc/errors.js';
import { notificationMessage } from '../json-rpc/wire.js';
import { InflightCalls } from './calls.js';
import { ClientRequests, type ClientRequestOptions } from './client-requests.js';
import { clientCapabilityMissing, McpErrorCode } from './errors.js';
import type { EventStore } from './event-store.js';
import type { ResolvedStatefulOptions } from './options.js';
import { SSE_OPENING_COMMENT } from './sse-connection.js';
import { McpStream, type ConnectionOptions } from './stream.js';
import type { LegacyProtocolVersion } from './versions.js';
import type { ClientCapabilities, Implementation, LoggingLevel } from './wire.js';

/**
 * A session's life: `initializing` from the `initialize` answer until the client's
 * `notifications/initialized`, then `ready`, then `closed` (DELETE, idle expiry, eviction or
 * shutdown). Requests are served in both live states (the specification only asks clients to
 * wait, and some do not).
 */
export type SessionState = 'initializing' | 'ready' | 'closed';

/** What a session is made with. */
export interface SessionInit {
  readonly id: string;
  readonly version: LegacyProtocolVersion;
  readonly clientInfo: Implementation | undefined;
  readonly clientCapabilities: ClientCapabilities;
  readonly options: ResolvedStatefulOptions;
  /** Where resumable streams keep their events; `undefined` when resumability is off. */
  readonly events: EventStore | undefined;
  readonly now: () => number;
}

/**
 * One stateful MCP session (a server-minted `Mcp-Session-Id`): what the client negotiated, its
 * requests in flight (for cancellation), the requests the server sent it, its resource
 * subscriptions, its SSE streams (kept for resumption) and the standalone GET stream that
 * carries what belongs to no request.
 */
export class McpSession {
  readonly id: string;
  readonly version: LegacyProtocolVersion;
  readonly clientInfo: Implementation | undefined;
  readonly clientCapabilities: ClientCapabilities;
  /** Requests in flight, for `notifications/cancelled`. */
  readonly calls = new InflightCalls();
  /** Requests the server sent the client and waits on. */
  readonly clientRequests: ClientRequests;
  /** The level set by `logging/setLevel`; `undefined` sends every level. */
  logLevel: LoggingLevel | undefined;
  readonly #subscriptions = new Set<string>();
  readonly #maxSubscriptions: number;
  readonly #events: EventStore | undefined;
  readonly #now: () => number;
  /** Streams that can still be resumed (or are live), by id. */
  readonly #streams = new Map<number, McpStream>();
  #standalone: McpStream | undefined;
  #nextStreamId = 0;
  #state: SessionState = 'initializing';
  #lastActive: number;
  /** Requests being answered and open streams: a busy session is never idle. */
  #busy = 0;

  constructor(init: SessionInit) {
    this.id = init.id;
    this.version = init.version;
    this.clientInfo = init.clientInfo;
    this.clientCapabilities = init.clientCapabilities;
    this.clientRequests = new ClientRequests(init.options.clientRequestTimeoutMs, init.options.maxPendingClientRequests);
    this.#maxSubscriptions = init.options.maxSubscriptions;
    this.#events = init.events;
    this.#now = init.now;
    this.#lastActive = init.now();
  }

  get state(): SessionState {
    return this.#state;
  }

  /** The client said `notifications/initialized`. */
  markInitialized(): void {
    if (this.#state === 'initializing') this.#state = 'ready';
  }

  /** Epoch ms of the last request, stream or answer. */
  get lastActive(): number {
    return this.#lastActive;
  }

  /** True while a request is being answered or a stream is connected. */
  get busy(): boolean {
    return this.#busy > 0 || this.#standalone?.connected === true;
  }

  /** A request started (`end` it when answered): the session is busy meanwhile. */
  begin(): () => void {
    this.#busy++;
    this.#lastActive = this.#now();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.#busy--;
      this.#lastActive = this.#now();
    };
  }

  /** Number of streams kept (live or resumable). */
  get streamCount(): number {
    return this.#streams.size;
  }

  /**
   * A new answer stream for a POST, resumable when the session keeps events; `onConnectionLost`
   * runs when its connection ends before it finished.
   */
  createStream(onConnectionLost: () => void): McpStream {
    const id = ++this.#nextStreamId;
    if (this.#events === undefined) return new McpStream(id, undefined, onConnectionLost);
    const log = this.#events.createLog(() => {
      if (this.#streams.get(id)?.finished === true) this.#streams.delete(id);
    });
    const stream = new McpStream(id, log, onConnectionLost);
    this.#streams.set(id, stream);
    return stream;
  }

  /** The stream a `Last-Event-ID` names, if it is still kept. */
  stream(id: number): McpStream | undefined {
    return this.#streams.get(id);
  }

  /**
   * Opens the standalone stream (GET) on `response`; a previous one is finished (one GET stream
   * per session: a client that reconnects replaces its half-dead connection).
   */
  openStandalone(response: ServerResponse, options: ConnectionOptions, retryMs: number, primed: boolean): McpStream {
    this.#standalone?.finish();
    const stream = this.createStream(() => undefined);
    this.#standalone = stream;
    stream.connect(response, options);
    if (primed) stream.prime(retryMs);
    else stream.comment(SSE_OPENING_COMMENT);
    this.#lastActive = this.#now();
    return stream;
  }

  /** True while the standalone (GET) stream is open. */
  get hasStandalone(): boolean {
    return this.#standalone !== undefined && !this.#standalone.finished;
  }

  /** Sends a notification that belongs to no request on the standalone stream; false when there is none. */
  notify(method: string, params?: unknown): boolean {
    const standalone = this.#standalone;
    if (standalone === undefined || standalone.finished) return false;
    standalone.send(notificationMessage(method, params));
    return true;
  }

  /**
   * Sends a request to the client on `stream` (the asking request's own) or, when that cannot
   * carry it, on the standalone stream, and resolves with the client's result.
   * @throws (rejects with) JsonRpcError when there is no stream to send it on, and as
   * `ClientRequests.send` says.
   */
  request(method: string, params: unknown, stream: McpStream | undefined, options?: ClientRequestOptions): Promise<unknown> {
    if (this.#state === 'closed') return Promise.reject(new JsonRpcError(McpErrorCode.SessionNotFound, 'Session closed'));
    return this.clientRequests.send(
      method,
      params,
      (text) => {
        const target = stream !== undefined && !stream.finished ? stream : this.#standalone;
        if (target === undefined || target.finished) throw clientCapabilityMissing(method, 'no stream is open to the client (accept text/event-stream, or open the GET stream)');
        target.send(text);
      },
      options,
    );
  }

  /** True when the client subscribed to `uri`. */
  isSubscribed(uri: string): boolean {
    return this.#subscriptions.has(uri);
  }

  /** @throws JsonRpcError -32603 past `maxSubscriptions`. */
  subscribe(uri: string): void {
    if (!this.#subscriptions.has(uri) && this.#subscriptions.size >= this.#maxSubscriptions) {
      throw new JsonRpcError(McpErrorCode.InternalError, `Too many subscriptions (${this.#maxSubscriptions})`);
    }
    this.#subscriptions.add(uri);
  }

  unsubscribe(uri: string): void {
    this.#subscriptions.delete(uri);
  }

  /** Ends the session: streams finished, their events dropped, requests in flight aborted. */
  close(reason: string): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    const error = new JsonRpcError(McpErrorCode.SessionNotFound, `Session closed: ${reason}`);
    this.calls.cancelAll(error);
    this.clientRequests.rejectAll(error);
    this.#standalone?.finish();
    for (const stream of this.#streams.values()) {
      stream.finish();
      stream.release();
    }
    this.#streams.clear();
    this.#subscriptions.clear();
  }
}
