import type { TaskTracker } from '../tasks/tracker.js';

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
 * Every input notifies it (the tracker through `onChange`, the others through their setters)
 * and it derives the status again; the stamp moves only when the reported status genuinely
 * changes, to the moment of that change. Polling never moves it. Reads the tracker, never
 * changes it.
 */
export class PingStatusReporter {
  readonly #tracker: TaskTracker;
  readonly #now: () => number;
  #forced: PingStatus | undefined;
  #handlerStatus: PingStatus | undefined;
  #status: PingStatus;
  #changedAtSeconds = 0;
  #body = '';
  #headers: string[] = [];

  /** @param now - Epoch-millisecond clock, replaceable for tests. */
  constructor(tracker: TaskTracker, now: () => number = Date.now) {
    this.#tracker = tracker;
    this.#now = now;
    this.#status = this.#derive();
    this.#stamp();
    tracker.onChange(() => this.#update());
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
    this.#update();
  }

  /** Clears a forced status. */
  clearForced(): void {
    this.#forced = undefined;
    this.#update();
  }

  /**
   * Records the custom handler's answer for this poll: a status, or `undefined` when it failed
   * (the automatic status then applies until the handler answers validly again).
   */
  recordHandlerStatus(status: PingStatus | undefined): void {
    this.#handlerStatus = status;
    this.#update();
  }

  /**
   * Stamps the current status with the current time, rounded up to the next whole second: after
   * a snapshot restore, so `/ping` never reports a `time_of_last_update` older than the restore
   * (every restored copy would otherwise report the boot's).
   */
  restamp(): void {
    this.#stamp(Math.ceil);
  }

  #derive(): PingStatus {
    return this.#forced ?? this.#handlerStatus ?? (this.#tracker.size > 0 ? PingStatus.HealthyBusy : PingStatus.Healthy);
  }

  #update(): void {
    const status = this.#derive();
    if (status === this.#status) return;
    this.#status = status;
    this.#stamp();
  }

  /** Stamps the current status with the current time and renders what `/ping` writes. */
  #stamp(round: (seconds: number) => number = Math.floor): void {
    this.#changedAtSeconds = round(this.#now() / MS_PER_SECOND);
    this.#body = `{"status":"${this.#status}","time_of_last_update":${this.#changedAtSeconds}}`;
    // The body is ASCII, so its length in characters is its length in bytes.
    this.#headers = ['content-type', 'application/json', 'content-length', String(this.#body.length)];
  }
}
