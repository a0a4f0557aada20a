import { monotonicMs } from '../clock.js';
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
 *   is left of the grace period. Each hook gets its share of what is left when it starts (the
 *   time left divided by the hooks left), so a hook that hangs costs only its share and the
 *   hooks after it still run, in order; one that fails or outlasts its share is logged (and
 *   left running), and the shutdown goes on.
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

  /**
   * Runs the shutdown hooks one after the other, for at most `budgetMs` in all: each may take
   * the time left divided by the number of hooks left (a quick hook leaves its unused share to
   * the ones after it). A hook past its share is logged and left running while the next starts.
   */
  async shutdown(budgetMs: number): Promise<void> {
    const hooks = this.#hooks.shutdown;
    if (hooks.length === 0) return;
    const deadline = monotonicMs() + budgetMs;
    for (let index = 0; index < hooks.length; index++) {
      const shareMs = Math.max(0, Math.round((deadline - monotonicMs()) / (hooks.length - index)));
      const run = Promise.resolve()
        .then(hooks[index])
        .catch((error: unknown) => this.#logger.error('shutdown hook failed', { error, hook: index + 1 }));
      if (!(await settlesWithin(run, shareMs))) {
        this.#logger.warn('a shutdown hook did not finish within its share of the grace period; the next one starts', {
          hook: index + 1,
          hooks: hooks.length,
          shareMs,
        });
      }
    }
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

/** Whether `run` settles within `ms` (it is left running either way). */
function settlesWithin(run: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const outOfTime = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  return Promise.race([run.then(() => true), outOfTime]).finally(() => clearTimeout(timer));
}
