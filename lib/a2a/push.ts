import {
  checkLimit,
  DEFAULT_A2A_PUSH_MAX_ATTEMPTS,
  DEFAULT_A2A_PUSH_MAX_CONFIGS_PER_TASK,
  DEFAULT_A2A_PUSH_MAX_QUEUED,
  DEFAULT_A2A_PUSH_RETRY_DELAY_MS,
  DEFAULT_A2A_PUSH_TIMEOUT_MS,
} from '../limits.js';
import type { Logger } from '../logger.js';
import { randomUUID } from '../random.js';
import { toJsonStrict } from '../serialize.js';
import { A2AError } from './errors.js';
import type { TaskEvent, TaskRecord } from './task.js';
import { taskToV03, type A2AVersion } from './versions.js';
import type { TaskPushNotificationConfig } from './wire-v1.js';

/**
 * Push notifications: where a client asked for a task's updates to be POSTed, and their
 * delivery. Off unless the server is given these options; then only the destinations they
 * allow are ever called (no request forgery through a client's URL), redirects are not
 * followed, each update is tried `maxAttempts` times with a doubling delay, and neither the
 * token nor the credentials ever reach a log line (a delivery's log names the destination's
 * origin only).
 */
export interface PushNotificationOptions {
  /**
   * The webhooks clients may register: URL prefixes (`https://hooks.example.com/a2a/`; a prefix
   * matches whole path segments) or a function deciding for each parsed URL. Required.
   */
  allowedDestinations: readonly string[] | ((url: URL) => boolean);
  /** Tries per notification. Default 3. */
  maxAttempts?: number | undefined;
  /** Delay before the first retry, doubled for each next. Default 1000 ms. */
  retryDelayMs?: number | undefined;
  /** Time for one attempt. Default 10 000 ms. */
  timeoutMs?: number | undefined;
  /** Most configurations per task. Default 10. */
  maxConfigsPerTask?: number | undefined;
  /** Most notifications waiting per configuration; past it the oldest is dropped. Default 100. */
  maxQueuedNotifications?: number | undefined;
}

/** A configuration as stored: the client's, with the version it was made in (its notifications' shape). */
interface StoredConfig {
  config: TaskPushNotificationConfig & { id: string; taskId: string };
  version: A2AVersion;
  queue: string[];
  sending: boolean;
}

/** The media type of a 1.0 notification (a `StreamResponse`); 0.3 sends the task as JSON. */
const A2A_JSON = 'application/a2a+json';
const TOKEN_HEADER = 'X-A2A-Notification-Token';

/**
 * A task's push configurations and their deliveries, stored on the task (they go when it goes).
 */
export class PushNotifier {
  readonly #allowed: (url: URL) => boolean;
  readonly #maxAttempts: number;
  readonly #retryDelayMs: number;
  readonly #timeoutMs: number;
  readonly #maxConfigs: number;
  readonly #maxQueued: number;
  readonly #logger: Logger;
  readonly #configs = new WeakMap<TaskRecord, Map<string, StoredConfig>>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #stopped = false;

  /** @throws TypeError without `allowedDestinations`; RangeError for a limit out of range. */
  constructor(options: PushNotificationOptions, logger: Logger) {
    this.#allowed = allowList(options.allowedDestinations);
    this.#maxAttempts = checkLimit('pushNotifications.maxAttempts', options.maxAttempts, DEFAULT_A2A_PUSH_MAX_ATTEMPTS);
    this.#retryDelayMs = checkLimit('pushNotifications.retryDelayMs', options.retryDelayMs, DEFAULT_A2A_PUSH_RETRY_DELAY_MS, true);
    this.#timeoutMs = checkLimit('pushNotifications.timeoutMs', options.timeoutMs, DEFAULT_A2A_PUSH_TIMEOUT_MS);
    this.#maxConfigs = checkLimit('pushNotifications.maxConfigsPerTask', options.maxConfigsPerTask, DEFAULT_A2A_PUSH_MAX_CONFIGS_PER_TASK);
    this.#maxQueued = checkLimit('pushNotifications.maxQueuedNotifications', options.maxQueuedNotifications, DEFAULT_A2A_PUSH_MAX_QUEUED);
    this.#logger = logger;
  }

  /**
   * Checks a client's configuration before anything is stored.
   * @throws JsonRpcError -32602 when its URL is not an allowed http(s) destination.
   */
  check(config: TaskPushNotificationConfig, field: string): void {
    let url: URL;
    try {
      url = new URL(config.url);
    } catch {
      throw A2AError.invalidParams(field, 'must be an absolute URL');
    }
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username !== '' || url.password !== '' || !this.#allowed(url)) {
      throw A2AError.invalidParams(field, 'is not a destination this server may call');
    }
  }

  /**
   * Stores a configuration for `record` (replacing one with the same id) and returns it with
   * its id and task id.
   * @throws JsonRpcError -32602 for a URL not allowed, or past `maxConfigsPerTask`.
   */
  set(record: TaskRecord, config: TaskPushNotificationConfig, version: A2AVersion, field = 'url'): TaskPushNotificationConfig {
    this.check(config, field);
    let configs = this.#configs.get(record);
    if (configs === undefined) {
      configs = new Map();
      this.#configs.set(record, configs);
      record.listen(this.#onEvent);
    }
    const id = config.id ?? randomUUID();
    if (!configs.has(id) && configs.size >= this.#maxConfigs) throw A2AError.invalidParams('id', `a task has at most ${this.#maxConfigs} push notification configs`);
    const stored = { ...config, id, taskId: record.id };
    configs.set(id, { config: stored, version, queue: [], sending: false });
    return stored;
  }

  /** The configuration `id` of `record` (its first when `id` is undefined), if there is one. */
  get(record: TaskRecord, id: string | undefined): TaskPushNotificationConfig | undefined {
    const configs = this.#configs.get(record);
    if (configs === undefined) return undefined;
    return id === undefined ? configs.values().next().value?.config : configs.get(id)?.config;
  }

  /** Every configuration of `record`. */
  list(record: TaskRecord): TaskPushNotificationConfig[] {
    return Array.from(this.#configs.get(record)?.values() ?? [], (stored) => stored.config);
  }

  /** Removes configuration `id` of `record`; nothing happens when there is none. */
  delete(record: TaskRecord, id: string): void {
    this.#configs.get(record)?.delete(id);
  }

  /** Stops retrying (shutdown): notifications still waiting are dropped. */
  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  readonly #onEvent = (record: TaskRecord, event: TaskEvent): void => {
    const configs = this.#configs.get(record);
    if (configs === undefined || configs.size === 0) return;
    let v1Body: string | undefined;
    let v03Body: string | undefined;
    for (const stored of configs.values()) {
      // 1.0 sends the event as a stream would; 0.3 sends the task as it is now.
      const body = stored.version === '1.0' ? (v1Body ??= toJsonStrict(event)) : (v03Body ??= toJsonStrict(taskToV03(record.snapshot())));
      if (stored.queue.length >= this.#maxQueued) {
        stored.queue.shift();
        this.#logger.warn('a2a push notification dropped: too many waiting for one destination', this.#where(stored));
      }
      stored.queue.push(body);
      if (!stored.sending) void this.#drain(stored);
    }
  };

  /** Sends a configuration's notifications one after the other, so they arrive in order. */
  async #drain(stored: StoredConfig): Promise<void> {
    stored.sending = true;
    while (stored.queue.length > 0 && !this.#stopped) {
      const body = stored.queue.shift()!;
      await this.#deliver(stored, body);
    }
    stored.sending = false;
  }

  async #deliver(stored: StoredConfig, body: string): Promise<void> {
    const { config } = stored;
    const headers: Record<string, string> = { 'content-type': stored.version === '1.0' ? A2A_JSON : 'application/json' };
    if (config.authentication !== undefined) {
      headers.authorization = config.authentication.credentials === undefined ? config.authentication.scheme : `${config.authentication.scheme} ${config.authentication.credentials}`;
    }
    if (config.token !== undefined) headers[TOKEN_HEADER] = config.token;
    let outcome = '';
    for (let attempt = 1; attempt <= this.#maxAttempts && !this.#stopped; attempt++) {
      try {
        const response = await fetch(config.url, { method: 'POST', headers, body, redirect: 'error', signal: AbortSignal.timeout(this.#timeoutMs) });
        await response.body?.cancel();
        if (response.ok) return;
        outcome = `HTTP ${response.status}`;
      } catch (error) {
        outcome = describeFailure(error);
      }
      if (attempt < this.#maxAttempts) await this.#sleep(this.#retryDelayMs * 2 ** (attempt - 1));
    }
    if (!this.#stopped) this.#logger.warn('a2a push notification not delivered', { ...this.#where(stored), attempts: this.#maxAttempts, outcome });
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        resolve();
      }, ms);
      timer.unref();
      this.#timers.add(timer);
    });
  }

  /** Log fields for a configuration: never its token, credentials, path or query. */
  #where(stored: StoredConfig): Record<string, unknown> {
    return { taskId: stored.config.taskId, configId: stored.config.id, destination: new URL(stored.config.url).origin };
  }
}

/** Why a fetch failed, in a few words: no message that could quote a URL. */
function describeFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  return error instanceof Error ? error.name : 'error';
}

/**
 * The predicate for `allowedDestinations`: a function as it is; prefixes as parsed URLs, each
 * matching itself, itself with a query, and the paths under it.
 * @throws TypeError for anything else, or a prefix that is not an absolute http(s) URL.
 */
function allowList(allowed: PushNotificationOptions['allowedDestinations']): (url: URL) => boolean {
  if (typeof allowed === 'function') return allowed;
  if (!Array.isArray(allowed)) throw new TypeError('pushNotifications.allowedDestinations must be a list of URL prefixes or a function');
  const prefixes = allowed.map((prefix: unknown) => {
    let url: URL;
    try {
      url = new URL(String(prefix));
    } catch {
      throw new TypeError(`pushNotifications.allowedDestinations: ${JSON.stringify(prefix)} is not an absolute URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`pushNotifications.allowedDestinations: ${url.href} is not http or https`);
    return url.origin + url.pathname;
  });
  return (url) => {
    const target = url.origin + url.pathname;
    return prefixes.some((prefix) => target === prefix || target.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`));
  };
}
