import type { TaskTracker } from './tasks.js';

/** The two statuses `/ping` can report. */
export const PingStatus = Object.freeze({
  /** Idle: the platform may reclaim the session after its idle timeout. */
  Healthy: 'Healthy',
  /** Background work is running: keep the session alive. */
  HealthyBusy: 'HealthyBusy',
} as const);

/** `"Healthy"` or `"HealthyBusy"`. */
export type PingStatus = (typeof PingStatus)[keyof typeof PingStatus];

/** True when `value` is exactly one of the two ping statuses. */
export function isPingStatus(value: unknown): value is PingStatus {
  return value === PingStatus.Healthy || value === PingStatus.HealthyBusy;
}

const MS_PER_SECOND = 1000;

/**
 * Decides what `/ping` reports and keeps `time_of_last_update` honest. Priority: forced status,
 * then the custom ping handler's latest valid answer, then automatic (busy iff a task is active).
 * The stamp moves only when the reported status genuinely changes, to the moment of that
 * change; polling never moves it. The app calls `refresh()` after every change to an input
 * (task added or completed, status forced or cleared, handler answered), so "now" at refresh
 * time is the moment of the transition. Reads the task tracker, never changes it.
 */
export class PingStatusReporter {
  readonly #tracker: TaskTracker;
  readonly #clock: () => number;
  #forced: PingStatus | undefined;
  #handlerStatus: PingStatus | undefined;
  #status: PingStatus;
  #changedAtSeconds: number;
  #body: string;
  #headers: string[];

  constructor(tracker: TaskTracker, clock: () => number = Date.now) {
    this.#tracker = tracker;
    this.#clock = clock;
    this.#status = this.#automatic();
    this.#changedAtSeconds = Math.floor(clock() / MS_PER_SECOND);
    this.#body = this.#render();
    this.#headers = headersFor(this.#body);
  }

  /** The status currently reported. */
  get status(): PingStatus {
    return this.#status;
  }

  /** Unix seconds of the last genuine status change. */
  get changedAt(): number {
    return this.#changedAtSeconds;
  }

  /** The forced status, if any. */
  get forced(): PingStatus | undefined {
    return this.#forced;
  }

  /** The `/ping` JSON body for the current status, rebuilt only on change. */
  get body(): string {
    return this.#body;
  }

  /** Response headers for `body` as a flat name/value list, ready for `writeHead`. */
  get headers(): string[] {
    return this.#headers;
  }

  /** Forces `status` until cleared. */
  force(status: PingStatus): void {
    this.#forced = status;
    this.refresh();
  }

  /** Clears a forced status. */
  clearForced(): void {
    this.#forced = undefined;
    this.refresh();
  }

  /**
   * Records the custom handler's answer for this poll: a status, or `undefined` when it failed
   * (the automatic status then applies until the handler answers validly again).
   */
  recordHandlerStatus(status: PingStatus | undefined): void {
    this.#handlerStatus = status;
    this.refresh();
  }

  /** Recomputes the status after a change to its inputs; returns it. */
  refresh(): PingStatus {
    const status = this.#forced ?? this.#handlerStatus ?? this.#automatic();
    if (status !== this.#status) {
      this.#status = status;
      this.#changedAtSeconds = Math.floor(this.#clock() / MS_PER_SECOND);
      this.#body = this.#render();
      this.#headers = headersFor(this.#body);
    }
    return status;
  }

  #automatic(): PingStatus {
    return this.#tracker.size > 0 ? PingStatus.HealthyBusy : PingStatus.Healthy;
  }

  #render(): string {
    return `{"status":"${this.#status}","time_of_last_update":${this.#changedAtSeconds}}`;
  }
}

/** The body is ASCII, so its length in characters is its length in bytes. */
function headersFor(body: string): string[] {
  return ['content-type', 'application/json', 'content-length', String(body.length)];
}
