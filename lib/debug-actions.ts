import { HttpError } from './errors.js';
import { PingStatus } from './status.js';
import { toWireTaskInfo, type AsyncTaskInfo } from './tasks.js';

/** The payload key that marks a debug action (only honoured with `debug: true`). */
export const DEBUG_ACTION_KEY = '_agent_core_app_action';

/** What a debug action may read and change. */
export interface DebugActionTarget {
  getCurrentPingStatus(): PingStatus;
  getPingBody(): string;
  getAsyncTaskInfo(): AsyncTaskInfo;
  forcePingStatus(status: PingStatus): void;
  clearForcedPingStatus(): void;
}

/** True when `payload` is an object carrying `_agent_core_app_action`. */
export function isDebugAction(payload: unknown): payload is Record<typeof DEBUG_ACTION_KEY, unknown> {
  return typeof payload === 'object' && payload !== null && Object.hasOwn(payload, DEBUG_ACTION_KEY);
}

/**
 * Runs a debug action and returns the JSON value to answer with.
 * @throws HttpError 400 `UNKNOWN_DEBUG_ACTION` for an action it does not know.
 */
export function runDebugAction(action: unknown, app: DebugActionTarget): unknown {
  switch (action) {
    case 'ping_status':
      return JSON.parse(app.getPingBody());
    case 'job_status':
      return toWireTaskInfo(app.getAsyncTaskInfo());
    case 'force_healthy':
      app.forcePingStatus(PingStatus.Healthy);
      return { forced_status: PingStatus.Healthy };
    case 'force_busy':
      app.forcePingStatus(PingStatus.HealthyBusy);
      return { forced_status: PingStatus.HealthyBusy };
    case 'clear_forced_status':
      app.clearForcedPingStatus();
      return { forced_status: null, status: app.getCurrentPingStatus() };
    default:
      throw new HttpError(400, `Unknown debug action: ${String(action)}`, {
        code: 'UNKNOWN_DEBUG_ACTION',
        details: { available_actions: ['ping_status', 'job_status', 'force_healthy', 'force_busy', 'clear_forced_status'] },
      });
  }
}
