import type { Logger } from '../logger.js';

/** Work at one point of the app's life; sync or async. */
export type LifecycleHook = () => unknown;

/** When lifecycle hooks run. */
export type LifecyclePhase = 'startup' | 'shutdown' | 'restore';

/**
 * The app's lifecycle hooks, run in the order they were added:
 * - `startup`: in `listen()`, before the server binds, so `/ping` first answers when the agent
 *   is ready (on platform V2 what they load is captured in the snapshot). A failing hook fails
 *   `listen()` (and `run()` exits 1).
 * - `shutdown`: in `close()`, once in-flight work has finished or its grace ran out, within what
 *   is left of the grace period; a hook that fails or outlasts it is logged, the shutdown goes on.
 * - `restore`: after the app noticed a snapshot restore (refresh credentials, reconnect
 *   clients); a failing hook is logged.
 */
export class LifecycleHooks {
  readonly #hooks: Record<LifecyclePhase, LifecycleHook[]> = { startup: [], shutdown: [], restore: [] };
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** @throws TypeError when `hook` is not a function. */
  add(phase: LifecyclePhase, hook: LifecycleHook): void {
    if (typeof hook !== 'function') throw new TypeError(`${phase} hook must be a function`);
    this.#hooks[phase].push(hook);
  }

  /** Runs the startup hooks one after the other. @throws (rejects with) the first failure. */
  async startup(): Promise<void> {
    for (const hook of this.#hooks.startup) await hook();
  }

  /** Runs the shutdown hooks one after the other, for at most `budgetMs` in all. */
  async shutdown(budgetMs: number): Promise<void> {
    if (this.#hooks.shutdown.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const outOfTime = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), budgetMs);
    });
    const run = (async () => {
      for (const hook of this.#hooks.shutdown) {
        try {
          await hook();
        } catch (error) {
          this.#logger.error('shutdown hook failed', { error });
        }
      }
    })();
    const outcome = await Promise.race([run, outOfTime]);
    clearTimeout(timer);
    if (outcome === 'timeout') this.#logger.warn('shutdown hooks did not finish within the grace period', { budgetMs });
  }

  /** Runs the restore hooks without waiting for them; failures are logged. */
  restore(): void {
    for (const hook of this.#hooks.restore) {
      Promise.resolve()
        .then(hook)
        .catch((error: unknown) => this.#logger.error('restore hook failed', { error }));
    }
  }
}
