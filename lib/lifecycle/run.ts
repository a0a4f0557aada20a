import type { AddressInfo } from 'node:net';
import type { ListenOptions } from '../http/server.js';
import type { Logger } from '../logger.js';

/** What `run()` drives: the app's own listen and close. */
export interface RunnableApp {
  readonly logger: Logger;
  /** Set once the app listens. */
  readonly server: unknown;
  listen(options: ListenOptions): Promise<AddressInfo>;
  close(): Promise<void>;
}

/**
 * Seed-style start that owns the process: listens (a startup failure is logged and exits 1);
 * SIGTERM or SIGINT shuts down gracefully and exits 0, a second signal exits at once with 1.
 * @throws Error (rejects) when the app is already serving; the running server is left alone.
 */
export async function runApp(app: RunnableApp, options: ListenOptions, graceMs: number): Promise<AddressInfo> {
  const logger = app.logger;
  if (app.server !== undefined) {
    logger.warn('run() called on an app that is already serving; ignored');
    throw new Error('AgentCoreApp is already running');
  }
  let address: AddressInfo;
  try {
    address = await app.listen(options);
  } catch (error) {
    logger.error('agentcore-lite failed to start', { error });
    process.exit(1);
  }
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals++;
    if (signals > 1) {
      logger.warn('second signal: exiting without waiting', { signal });
      process.exit(1);
    }
    logger.info('shutting down', { signal, graceMs });
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return address;
}
