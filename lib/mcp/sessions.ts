import { randomUUID } from '../random.js';
import { McpHttpError } from './errors.js';
import { EventStore } from './event-store.js';
import type { ResolvedStatefulOptions } from './options.js';
import { McpSession } from './session.js';
import type { LegacyProtocolVersion } from './versions.js';
import type { ClientCapabilities, Implementation } from './wire.js';

/** How often idle sessions are looked for, at most (a tenth of the idle timeout, at least 1 s). */
const MAX_SWEEP_INTERVAL_MS = 60_000;
const MIN_SWEEP_INTERVAL_MS = 1000;

/**
 * The sessions of a stateful server, by id: ids from the snapshot-safe `randomUUID()`, at most
 * `maxSessions` (at the limit the least recently active idle session makes room; when every one
 * is busy a new one is refused with 503), each ended after `sessionIdleTimeoutMs` without
 * activity by a sweep that runs only while sessions exist.
 */
export class SessionStore {
  readonly #options: ResolvedStatefulOptions;
  readonly #now: () => number;
  readonly #sessions = new Map<string, McpSession>();
  readonly #onClose: (session: McpSession) => void;
  /** Where the sessions' resumable streams keep their events; shared, one budget. */
  readonly events: EventStore | undefined;
  #sweep: NodeJS.Timeout | undefined;

  constructor(options: ResolvedStatefulOptions, now: () => number, onClose: (session: McpSession) => void) {
    this.#options = options;
    this.#now = now;
    this.#onClose = onClose;
    this.events = options.resumability ? new EventStore(options.eventStoreMaxBytes, options.eventStoreMaxEvents) : undefined;
  }

  /** Number of live sessions. */
  get size(): number {
    return this.#sessions.size;
  }

  /** Every live session (for notifications that go to all of them). */
  values(): IterableIterator<McpSession> {
    return this.#sessions.values();
  }

  /**
   * A new session for an `initialize`.
   * @throws McpHttpError 503 when `maxSessions` are live and all of them busy.
   */
  create(version: LegacyProtocolVersion, clientInfo: Implementation | undefined, clientCapabilities: ClientCapabilities): McpSession {
    if (this.#sessions.size >= this.#options.maxSessions && !this.#evictOne()) {
      throw new McpHttpError(503, `Service Unavailable: too many sessions (${this.#options.maxSessions}); try again later`);
    }
    const session = new McpSession({ id: randomUUID(), version, clientInfo, clientCapabilities, options: this.#options, events: this.events, now: this.#now });
    this.#sessions.set(session.id, session);
    this.#startSweeping();
    return session;
  }

  /** The live session with `id`, made the most recently used; `undefined` when there is none. */
  get(id: string): McpSession | undefined {
    const session = this.#sessions.get(id);
    if (session === undefined) return undefined;
    // Map order is insertion order: moving it to the end keeps the least recently used first.
    this.#sessions.delete(id);
    this.#sessions.set(id, session);
    return session;
  }

  /** The live session with `id`, without counting as a use of it. */
  peek(id: string): McpSession | undefined {
    return this.#sessions.get(id);
  }

  /** Ends session `id` (DELETE); false when there is none. */
  delete(id: string, reason = 'deleted by the client'): boolean {
    const session = this.#sessions.get(id);
    if (session === undefined) return false;
    this.#end(session, reason);
    return true;
  }

  /** Ends every session (shutdown). */
  closeAll(reason: string): void {
    for (const session of [...this.#sessions.values()]) this.#end(session, reason);
  }

  /** Ends the sessions idle for longer than the timeout; returns how many. */
  sweep(): number {
    const cutoff = this.#now() - this.#options.sessionIdleTimeoutMs;
    let ended = 0;
    for (const session of [...this.#sessions.values()]) {
      if (!session.busy && session.lastActive <= cutoff) {
        this.#end(session, 'idle timeout');
        ended++;
      }
    }
    return ended;
  }

  /** Ends the least recently used idle session; false when every session is busy. */
  #evictOne(): boolean {
    for (const session of this.#sessions.values()) {
      if (!session.busy) {
        this.#end(session, 'evicted to make room for a new session');
        return true;
      }
    }
    return false;
  }

  #end(session: McpSession, reason: string): void {
    this.#sessions.delete(session.id);
    session.close(reason);
    this.#onClose(session);
    if (this.#sessions.size === 0) this.#stopSweeping();
  }

  #startSweeping(): void {
    if (this.#sweep !== undefined) return;
    const interval = Math.max(MIN_SWEEP_INTERVAL_MS, Math.min(MAX_SWEEP_INTERVAL_MS, Math.floor(this.#options.sessionIdleTimeoutMs / 10)));
    this.#sweep = setInterval(() => this.sweep(), interval);
    this.#sweep.unref();
  }

  #stopSweeping(): void {
    clearInterval(this.#sweep);
    this.#sweep = undefined;
  }
}
