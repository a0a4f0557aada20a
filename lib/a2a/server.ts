import type { AddressInfo } from 'node:net';
import { AgentCoreServer, checkFunction } from '../core.js';
import {
  checkLimit,
  DEFAULT_A2A_FINISHED_TASK_TTL_MS,
  DEFAULT_A2A_MAX_FINISHED_TASKS,
  DEFAULT_A2A_MAX_OPEN_TASKS,
  DEFAULT_A2A_MAX_STREAM_BACKLOG,
  DEFAULT_A2A_MAX_TASK_HISTORY,
} from '../limits.js';
import type { AgentCoreServerOptions } from '../options.js';
import { A2A_PORT, AGENT_CARD_PATH, AgentCardEndpoint, checkCardOptions, RUNTIME_URL_VARIABLE, runtimeUrl, type AgentCardOptions } from './card.js';
import { A2ADispatcher, type ExtendedAgentCard } from './dispatch.js';
import { A2AEndpoint } from './endpoint.js';
import type { AgentExecutor } from './executor.js';
import { PushNotifier, type PushNotificationOptions } from './push.js';
import { TaskStore } from './task-store.js';
import type { AgentCard } from './wire-v1.js';

/** Where A2A's JSON-RPC endpoint is, in the AgentCore contract. */
export const A2A_PATH = '/';

/** Options of `A2AServer`: the core's (limits, health, logging, shutdown) and A2A's own. */
export interface A2AServerOptions extends AgentCoreServerOptions {
  /** What the agent card says (name, description, skills, modes…); every field has a default. */
  card?: AgentCardOptions | undefined;
  /** The agent (also settable with `executor()`). */
  executor?: AgentExecutor | undefined;
  /**
   * Serve `GetExtendedAgentCard`: card fields over the public card's, or a function choosing
   * them per request (`undefined`: -32007). Without it the method answers -32004 and the card
   * says `extendedAgentCard: false`.
   */
  extendedCard?: ExtendedAgentCard | undefined;
  /**
   * Push notifications, off without this: the card says `pushNotifications: false` and the
   * configuration methods answer -32003. `allowedDestinations` names the only webhooks ever called.
   */
  pushNotifications?: PushNotificationOptions | undefined;
  /** Most unfinished tasks at once; a message that would start one more gets -32603. Default 10 000. */
  maxOpenTasks?: number | undefined;
  /** Most finished tasks kept (the oldest dropped first). Default 1000. */
  maxFinishedTasks?: number | undefined;
  /** How long a finished task is kept. Default 3 600 000 ms (one hour). */
  finishedTaskTtlMs?: number | undefined;
  /** Most messages in one task's history (the oldest dropped first); 0 keeps none. Default 100. */
  maxTaskHistory?: number | undefined;
  /** Most events waiting for one slow stream client before its stream ends with an error. Default 1000. */
  maxStreamBacklog?: number | undefined;
}

/**
 * An A2A agent server for the Amazon Bedrock AgentCore Runtime: A2A 1.0 and 0.3 JSON-RPC on
 * `POST /` (port 9000 unless `PORT` or `listen()` says otherwise), the agent card at
 * `/.well-known/agent-card.json`, and from the core `GET /ping`, where a task that is submitted
 * or working counts as a tracked task (HealthyBusy). A facade: it checks the options and wires
 * the parts (`card.ts`, `dispatch.ts`, `endpoint.ts`, `task-store.ts`, `push.ts`).
 */
export class A2AServer extends AgentCoreServer {
  readonly #dispatcher: A2ADispatcher;
  readonly #card: AgentCardEndpoint;
  readonly #push: PushNotifier | undefined;

  /** @throws RangeError for a limit out of range; TypeError for a bad card, executor or option. */
  constructor(options: A2AServerOptions = {}) {
    super(options, { defaultPort: A2A_PORT });
    const cardOptions = options.card ?? {};
    checkCardOptions(cardOptions);
    if (options.extendedCard !== undefined && typeof options.extendedCard !== 'function') checkCardOptions(options.extendedCard, 'extendedCard');
    const resolved = this.serverOptions;
    const maxOpenTasks = checkLimit('maxOpenTasks', options.maxOpenTasks, DEFAULT_A2A_MAX_OPEN_TASKS);
    const store = new TaskStore(
      {
        maxOpenTasks,
        maxFinishedTasks: checkLimit('maxFinishedTasks', options.maxFinishedTasks, DEFAULT_A2A_MAX_FINISHED_TASKS, true),
        finishedTaskTtlMs: checkLimit('finishedTaskTtlMs', options.finishedTaskTtlMs, DEFAULT_A2A_FINISHED_TASK_TTL_MS),
      },
      resolved.clock,
    );
    this.#push = options.pushNotifications === undefined ? undefined : new PushNotifier(options.pushNotifications, this.logger);
    const address = (): AddressInfo | undefined => {
      const bound = this.server?.address();
      return typeof bound === 'object' && bound !== null ? bound : undefined;
    };
    this.#card = new AgentCardEndpoint(cardOptions, { pushNotifications: this.#push !== undefined, extendedAgentCard: options.extendedCard !== undefined }, address);
    this.#dispatcher = new A2ADispatcher({
      logger: this.logger,
      clock: resolved.clock,
      store,
      tracker: this.tasks.tracker,
      card: this.#card,
      push: this.#push,
      extendedCard: options.extendedCard,
      streaming: cardOptions.streaming !== false,
      maxTaskHistory: checkLimit('maxTaskHistory', options.maxTaskHistory, DEFAULT_A2A_MAX_TASK_HISTORY, true),
      maxStreamBacklog: checkLimit('maxStreamBacklog', options.maxStreamBacklog, DEFAULT_A2A_MAX_STREAM_BACKLOG),
      maxOpenTasks,
      closing: () => this.closing,
    });
    const endpoint = new A2AEndpoint({
      logger: this.logger,
      maxBodyBytes: resolved.maxBodyBytes,
      inflight: this.inflight,
      dispatcher: this.#dispatcher,
      writing: { heartbeatMs: resolved.sseHeartbeatMs, stallTimeoutMs: resolved.streamStallTimeoutMs },
    });
    this.route('a2a', A2A_PATH, ['POST'], (request, response) => endpoint.serve(request, response), { cors: true });
    this.route('agent card', AGENT_CARD_PATH, ['GET', 'HEAD'], (request, response) => this.#card.serve(request, response), { cors: true });
    // Once in-flight work is done or the grace ran out: stop the executors still running.
    this.onShutdown(() => {
      this.#dispatcher.shutdown();
      this.#push?.stop();
    });
    if (options.executor !== undefined) this.executor(options.executor);
  }

  /** Sets the agent and returns it. @throws TypeError for a non-function. */
  executor<E extends AgentExecutor>(executor: E): E {
    this.#dispatcher.setExecutor(checkFunction(executor, 'executor'));
    return executor;
  }

  /** The agent card as served now (its URL is the listening address until the server listens). */
  get agentCard(): AgentCard {
    return this.#card.card;
  }

  protected override readinessWarning(): string | undefined {
    if (runtimeUrl() === null) {
      return `${RUNTIME_URL_VARIABLE} is not an absolute http(s) URL; the agent card advertises the listening address instead`;
    }
    if (this.#dispatcher.hasExecutor) return undefined;
    return 'no executor registered: messages are answered -32603 until server.executor(fn) is called';
  }
}
