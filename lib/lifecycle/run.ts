import type { AddressInfo } from 'node:net';
import type { ListenOptions } from '../http/server.js';
import type { Logger } from '../logger.js';

/**
 * What `run()` does with a promise rejection that nothing handled (a handler's stray
 * `Promise.reject`, a forgotten `.catch`): `'log'` logs it, with the request and session ids
 * when it happened inside a request, and keeps serving; `'exit'` logs it, then shuts down
 * gracefully and exits 1; `'node'` leaves Node's own behaviour (the process dies at once).
 */
export type UnhandledRejectionMode = 'log' | 'exit' | 'node';

/**
 * What `run()` does with an exception that nothing caught (a `throw` in a timer or an event
 * listener): `'exit'` logs it, shuts down gracefully (in-flight answers are delivered, tracked
 * tasks get `shutdownGraceMs`) and exits 1, since the process may be in a state no code planned
 * for; `'node'` leaves Node's own behaviour (the process dies at once).
 */
export type UncaughtExceptionMode = 'exit' | 'node';

/** Options for `run()`: where to listen, and how the process meets errors nothing handled. */
export interface RunOptions extends ListenOptions {
  /** Default `'log'`. */
  onUnhandledRejection?: UnhandledRejectionMode;
  /** Default `'exit'`. */
  onUncaughtException?: UncaughtExceptionMode;
}

/** What `run()` drives: the app's own listen and close. */
export interface RunnableApp {
  readonly logger: Logger;
  /** Set once the app listens. */
  readonly server: unknown;
  listen(options: ListenOptions): Promise<AddressInfo>;
  close(): Promise<void>;
}

const UNHANDLED_REJECTION_MODES: readonly string[] = ['log', 'exit', 'node'];
const UNCAUGHT_EXCEPTION_MODES: readonly string[] = ['exit', 'node'];

/**
 * Seed-style start that owns the process: listens (a startup failure is logged and exits 1);
 * SIGTERM or SIGINT shuts down gracefully and exits 0, a second signal exits at once with 1;
 * errors nothing handled are met as `options` say. A server with nothing to serve
 * (`nothingToServe()` says why) is refused before it listens: logged, exit 1.
 * @throws Error (rejects) when the app is already serving, leaving the running server alone;
 * TypeError (rejects) for an unknown mode.
 */
export async function runApp(
  app: RunnableApp,
  options: RunOptions,
  graceMs: number,
  nothingToServe: () => string | undefined = () => undefined,
): Promise<AddressInfo> {
  const logger = app.logger;
  const { onUnhandledRejection = 'log', onUncaughtException = 'exit', ...listenOptions } = options;
  checkMode('onUnhandledRejection', onUnhandledRejection, UNHANDLED_REJECTION_MODES);
  checkMode('onUncaughtException', onUncaughtException, UNCAUGHT_EXCEPTION_MODES);
  if (app.server !== undefined) {
    logger.warn('run() called on an app that is already serving; ignored');
    throw new Error('The server is already running');
  }
  const refusal = nothingToServe();
  if (refusal !== undefined) {
    // Fail fast: a platform polling /ping would see a healthy agent that answers nothing but errors.
    logger.error(refusal);
    process.exit(1);
  }
  let address: AddressInfo;
  try {
    address = await app.listen(listenOptions);
  } catch (error) {
    logger.error('agentcore-lite failed to start', { error });
    process.exit(1);
  }
  let stopping = false;
  /** Shuts down once, however many reasons arrive; exits with `code` when done. */
  const stop = (code: number): void => {
    if (stopping) return;
    stopping = true;
    app.close().then(
      () => process.exit(code),
      (error: unknown) => {
        logger.error('shutdown failed', { error });
        process.exit(1);
      },
    );
  };
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (++signals > 1) {
      logger.warn('second signal: exiting without waiting', { signal });
      process.exit(1);
    }
    logger.info('shutting down', { signal, graceMs });
    stop(0);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  if (onUnhandledRejection !== 'node') {
    // Node runs this in the async context of the rejected promise: a log line inside a request
    // carries that request's ids.
    process.on('unhandledRejection', (reason: unknown) => {
      logger.error('unhandled promise rejection', { error: reason, hint: 'handle or await every promise a handler starts' });
      if (onUnhandledRejection === 'exit') stop(1);
    });
  }
  if (onUncaughtException !== 'node') {
    process.on('uncaughtException', (error: Error) => {
      logger.error(stopping ? 'uncaught exception during shutdown' : 'uncaught exception; shutting down', { error, graceMs });
      stop(1);
    });
  }
  return address;
}

function checkMode(name: string, value: string, modes: readonly string[]): void {
  if (!modes.includes(value)) throw new TypeError(`${name} must be one of ${modes.map((mode) => `'${mode}'`).join(', ')}, got ${String(value)}`);
}
