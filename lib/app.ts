import type { IncomingMessage, ServerResponse } from 'node:http';
import { AgentCoreServer, checkFunction } from './core.js';
import { UpgradeRequiredError } from './errors.js';
import { sendError } from './http/response.js';
import { checkPath, DEFAULT_INVOCATION_PATH, WEBSOCKET_PATH } from './http/router.js';
import type { InvocationHook } from './invocation/hooks.js';
import { InvocationEndpoint, type InvocationHandler } from './invocation/invocation.js';
import { DEFAULT_PORT } from './environment.js';
import type { AgentCoreAppOptions } from './options.js';
import { WebSocketMount, type WebSocketHandler } from './websocket/mount.js';

/**
 * An agent server for the Amazon Bedrock AgentCore Runtime's HTTP protocol (and AG-UI, which
 * rides on it): `POST /invocations` runs the entrypoint, `/ws` serves WebSockets, and the core
 * (`AgentCoreServer`) brings `GET /ping` with its status derived from tracked tasks, the
 * lifecycle and the limits. A facade: it checks the options, wires the parts and delegates. A
 * request flows router → endpoint (`ping/endpoint.ts`, `invocation/invocation.ts`,
 * `websocket/mount.ts`).
 */
export class AgentCoreApp extends AgentCoreServer {
  readonly #invocations: InvocationEndpoint;
  readonly #websockets: WebSocketMount;

  /** @throws RangeError for a limit out of range; TypeError for a bad path or handler. */
  constructor(options: AgentCoreAppOptions = {}) {
    super(options, { defaultPort: DEFAULT_PORT });
    const resolved = this.serverOptions;
    const invocationPath = checkPath('invocationPath', options.invocationPath ?? DEFAULT_INVOCATION_PATH);
    this.#invocations = new InvocationEndpoint({
      logger: this.logger,
      maxBodyBytes: resolved.maxBodyBytes,
      debug: options.debug === true ? { status: this.status, tasks: this.tasks } : undefined,
      result: { logger: this.logger, sseHeartbeatMs: resolved.sseHeartbeatMs, streamStallTimeoutMs: resolved.streamStallTimeoutMs },
      inflight: this.inflight,
    });
    this.#websockets = new WebSocketMount(WEBSOCKET_PATH, options.websocket, this.logger, () => this.closing, () => this.server);
    this.handleUpgrades(this.#websockets);
    this.route('ws', WEBSOCKET_PATH, ['GET'], answerUpgradeRequired);
    this.route('invocations', invocationPath, ['POST'], (request, response) => this.#invocations.serve(request, response), { cors: true });
    const handler = options.handler ?? options.invocationHandler?.process;
    if (handler !== undefined) this.entrypoint(handler);
  }

  /** Sets the invocation handler and returns it (like the Python decorator). @throws TypeError for a non-function. */
  entrypoint<H extends InvocationHandler>(handler: H): H {
    this.#invocations.setHandler(checkFunction(handler, 'entrypoint handler'));
    return handler;
  }

  /**
   * Sets the `/ws` handler and returns it; without one, upgrades are refused with 404. Connections
   * do not change the ping status: track long work with `runAsyncTask`. @throws TypeError for a non-function.
   */
  websocket<H extends WebSocketHandler>(handler: H): H {
    this.#websockets.setHandler(checkFunction(handler, 'websocket handler'));
    return handler;
  }

  /** Adds a hook around every invocation (see `InvocationHook`): `app.use(async (call, next) => next())`. */
  use(hook: InvocationHook): void {
    this.#invocations.addHook(checkFunction(hook, 'request hook'));
  }

  protected override nothingToServe(): string | undefined {
    if (this.#invocations.hasHandler || this.#websockets.hasHandler) return undefined;
    return NOTHING_TO_SERVE_MESSAGE;
  }

  protected override readinessWarning(): string | undefined {
    if (this.#invocations.hasHandler) return undefined;
    return 'no entrypoint registered: POST /invocations answers 500 until app.entrypoint(handler) is called';
  }
}

/** The AWS SDKs' name for the same class. */
export { AgentCoreApp as BedrockAgentCoreApp };

/** Why `run()` refuses to start an app with nothing to serve. */
export const NOTHING_TO_SERVE_MESSAGE =
  'run() needs something to serve: call app.entrypoint(handler) (or app.websocket(handler)) before app.run(). ' +
  'Without one every invocation would answer 500 while /ping reported Healthy, so the platform would keep an agent that cannot work';

/** A plain request to `/ws`, which only answers WebSocket upgrades. */
function answerUpgradeRequired(_request: IncomingMessage, response: ServerResponse): void {
  sendError(response, new UpgradeRequiredError(WEBSOCKET_PATH));
}
