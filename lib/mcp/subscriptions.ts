import type { ServerResponse } from 'node:http';
import type { RequestLifetime } from '../http/context.js';
import { JsonRpcError } from '../json-rpc/errors.js';
import type { JsonRpcId } from '../json-rpc/messages.js';
import { notificationMessage, resultResponse } from '../json-rpc/wire.js';
import { McpErrorCode, missingClientCapability } from './errors.js';
import { SseConnection, type SseConnectionOptions } from './sse-connection.js';
import { Notification, type Implementation, type JsonObject, type ServerCapabilities } from './wire.js';
import { MetaKey, ModernNotification, TASKS_EXTENSION, type DetailedTask, type SubscriptionFilter } from './wire-2026.js';

/** What the registry works with. */
export interface SubscriptionParts {
  /** Most listen streams open at once. */
  readonly maxStreams: number;
  /** Most URIs (or task ids) one stream may follow. */
  readonly maxEntries: number;
  readonly serverInfo: Implementation;
  /** True while the server shuts down: a stream ending then gets its final answer first. */
  readonly closing: () => boolean;
  /** How a stream's connection is made (heartbeat, stall timeout, buffer). */
  readonly connection: Omit<SseConnectionOptions, 'signal' | 'headers' | 'onEnd'>;
}

/** One open `subscriptions/listen` stream. */
interface Subscription {
  readonly id: JsonRpcId;
  readonly filter: SubscriptionFilter;
  readonly uris: ReadonlySet<string>;
  readonly taskIds: ReadonlySet<string>;
  readonly connection: SseConnection;
}

/** Which filter flag opts into which list-changed notification. */
const LIST_FLAGS: ReadonlyMap<string, keyof SubscriptionFilter> = new Map([
  [Notification.ToolsListChanged, 'toolsListChanged'],
  [Notification.PromptsListChanged, 'promptsListChanged'],
  [Notification.ResourcesListChanged, 'resourcesListChanged'],
]);

/**
 * The `subscriptions/listen` streams of the modern era (2026-07-28, "Subscriptions"), which
 * replace the legacy GET stream and resource subscriptions: each is one POST answered with an SSE
 * stream that stays open, its first event the acknowledgement of the kinds the server will
 * deliver, every later one a notification the client opted into, tagged with the listen
 * request's id. A stream ends when its client goes away (that is the cancellation) or, with a
 * final answer, when the server shuts down. Bounded: `maxStreams` streams, `maxEntries` URIs or
 * task ids each.
 */
export class SubscriptionRegistry {
  readonly #parts: SubscriptionParts;
  readonly #subscriptions = new Set<Subscription>();

  constructor(parts: SubscriptionParts) {
    this.#parts = parts;
  }

  /** Number of open streams. */
  get size(): number {
    return this.#subscriptions.size;
  }

  /**
   * The kinds of a listen request's filter the server will deliver: list changes only for the
   * lists whose `listChanged` it declares, resource updates only when it declares `subscribe`,
   * task ids only for a client that declared the tasks extension.
   * @throws JsonRpcError -32602 for a missing or malformed filter; -32021 for task ids from a
   * request that did not declare the tasks extension.
   */
  honoured(params: JsonObject, capabilities: ServerCapabilities, declaresTasks: boolean): SubscriptionFilter {
    const filter = params.notifications;
    if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) throw JsonRpcError.invalidParams('notifications must be an object (a SubscriptionFilter)');
    const asked = filter as JsonObject;
    const honoured: SubscriptionFilter = {};
    if (asked.toolsListChanged === true && capabilities.tools?.listChanged === true) honoured.toolsListChanged = true;
    if (asked.promptsListChanged === true && capabilities.prompts?.listChanged === true) honoured.promptsListChanged = true;
    if (asked.resourcesListChanged === true && capabilities.resources?.listChanged === true) honoured.resourcesListChanged = true;
    const uris = this.#strings(asked.resourceSubscriptions, 'resourceSubscriptions');
    if (uris !== undefined && capabilities.resources?.subscribe === true) honoured.resourceSubscriptions = uris;
    const taskIds = this.#strings(asked.taskIds, 'taskIds');
    if (taskIds !== undefined && taskIds.length > 0) {
      if (!declaresTasks) throw missingClientCapability({ extensions: { [TASKS_EXTENSION]: {} } }, 'taskIds need the tasks extension');
      honoured.taskIds = taskIds;
    }
    return honoured;
  }

  /**
   * Answers a listen request with its stream: the acknowledgement at once, then what it opted
   * into until it ends.
   * @throws JsonRpcError -32603 when `maxStreams` are open.
   */
  open(response: ServerResponse, lifetime: RequestLifetime, id: JsonRpcId, filter: SubscriptionFilter): void {
    if (this.#subscriptions.size >= this.#parts.maxStreams) throw new JsonRpcError(McpErrorCode.InternalError, `Subscription limit reached (${this.#parts.maxStreams} streams)`);
    const controller = new AbortController();
    const connection = new SseConnection(response, {
      ...this.#parts.connection,
      signal: controller.signal,
      headers: undefined,
      onEnd: () => this.#subscriptions.delete(subscription),
    });
    const subscription: Subscription = { id, filter, uris: new Set(filter.resourceSubscriptions), taskIds: new Set(filter.taskIds), connection };
    this.#subscriptions.add(subscription);
    // The lifetime ends when the client goes away, or as soon as shutdown starts (a stream with no end of its own).
    lifetime.signal.addEventListener(
      'abort',
      () => {
        if (!this.#parts.closing()) {
          controller.abort(lifetime.signal.reason);
          return;
        }
        const meta = { [MetaKey.SubscriptionId]: id, [MetaKey.ServerInfo]: this.#parts.serverInfo };
        connection.push(event(resultResponse(id, { resultType: 'complete', _meta: meta })));
        connection.end();
      },
      { once: true },
    );
    connection.push(event(notificationMessage(ModernNotification.SubscriptionsAcknowledged, { _meta: { [MetaKey.SubscriptionId]: id }, notifications: filter })));
  }

  /** Tells the streams that opted into it that a list changed; returns how many were told. */
  listChanged(method: string): number {
    const flag = LIST_FLAGS.get(method);
    let told = 0;
    for (const subscription of this.#subscriptions) {
      if (flag !== undefined && subscription.filter[flag] === true) told += this.#send(subscription, method, {});
    }
    return told;
  }

  /** Tells the streams that follow `uri` that it changed; returns how many were told. */
  resourceUpdated(uri: string): number {
    let told = 0;
    for (const subscription of this.#subscriptions) if (subscription.uris.has(uri)) told += this.#send(subscription, Notification.ResourceUpdated, { uri });
    return told;
  }

  /** Tells the streams that follow a task its new state (tasks extension, `notifications/tasks`). */
  taskChanged(task: DetailedTask): number {
    let told = 0;
    for (const subscription of this.#subscriptions) if (subscription.taskIds.has(task.taskId)) told += this.#send(subscription, ModernNotification.Tasks, { ...task });
    return told;
  }

  #send(subscription: Subscription, method: string, params: JsonObject): number {
    params._meta = { [MetaKey.SubscriptionId]: subscription.id };
    return subscription.connection.push(event(notificationMessage(method, params))) ? 1 : 0;
  }

  #strings(value: unknown, name: string): string[] | undefined {
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw JsonRpcError.invalidParams(`notifications.${name} must be an array of strings`);
    if (value.length > this.#parts.maxEntries) throw JsonRpcError.invalidParams(`notifications.${name} may name at most ${this.#parts.maxEntries} entries`);
    return value as string[];
  }
}

/** One SSE event carrying one JSON-RPC message (no id: 2026-07-28 streams cannot be resumed). */
function event(message: string): string {
  return `event: message\ndata: ${message}\n\n`;
}
