import type { ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import { isThenable } from '../thenable.js';
import { isPingStatus, PingStatus, type PingStatusReporter } from './status.js';

/** Decides the ping status; sync or async. Anything but a valid status means "use automatic". */
export type PingHandler = () => PingStatus | string | undefined | Promise<PingStatus | string | undefined>;

/**
 * `GET /ping`: writes what the status reporter says, after consulting the custom ping handler
 * when there is one and no status is forced. An async handler gets `timeoutMs`; concurrent polls
 * share one call, so a slow handler cannot pile up work. A handler that throws, rejects, times
 * out or answers anything but a status leaves the automatic status in charge for that poll.
 */
export class PingEndpoint {
  readonly #status: PingStatusReporter;
  readonly #logger: Logger;
  readonly #timeoutMs: number;
  #handler: PingHandler | undefined;
  #pending: Promise<void> | undefined;

  readonly #beforePoll: () => void;

  /** @param beforePoll - Runs first on every poll (the app looks for a snapshot restore there). */
  constructor(status: PingStatusReporter, logger: Logger, timeoutMs: number, beforePoll: () => void) {
    this.#status = status;
    this.#logger = logger;
    this.#timeoutMs = timeoutMs;
    this.#beforePoll = beforePoll;
  }

  /** Sets the custom ping handler. */
  setHandler(handler: PingHandler): void {
    this.#handler = handler;
  }

  /** Answers one poll. */
  serve(response: ServerResponse): void {
    this.#beforePoll();
    if (this.#handler === undefined || this.#status.forced !== undefined) {
      this.#write(response);
      return;
    }
    this.#pending ??= this.#consult(this.#handler).finally(() => {
      this.#pending = undefined;
    });
    void this.#pending.then(() => this.#write(response));
  }

  async #consult(handler: PingHandler): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const answer = handler();
      const value = isThenable(answer)
        ? await Promise.race([
            answer,
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(new Error(`ping handler did not answer within ${this.#timeoutMs} ms`)), this.#timeoutMs);
            }),
          ])
        : answer;
      if (isPingStatus(value)) {
        this.#status.recordHandlerStatus(value);
        return;
      }
      this.#logger.warn('ping handler returned an invalid status; using the automatic status', { value: String(value) });
    } catch (error) {
      this.#logger.warn('ping handler failed; using the automatic status', { error });
    } finally {
      clearTimeout(timer);
    }
    this.#status.recordHandlerStatus(undefined);
  }

  /** The hot path: a cached body and a header list, no per-poll allocation beyond Node's own. */
  #write(response: ServerResponse): void {
    if (this.#logger.isEnabled('debug')) this.#logger.debug('ping', { status: this.#status.status });
    if (response.destroyed) return;
    response.writeHead(200, this.#status.headers);
    response.end(this.#status.body);
  }
}
