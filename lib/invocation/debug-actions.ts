import { HttpError } from '../errors.js';
import { PingStatus, type PingStatusReporter } from '../ping/status.js';
import { toWireTaskInfo, type AsyncTaskInfo } from '../tasks/tracker.js';

/** The payload key that marks a debug action (only honoured with `debug: true`). */
export const DEBUG_ACTION_KEY = '_agent_core_app_action';

const DEBUG_ACTIONS = ['ping_status', 'job_status', 'force_healthy', 'force_busy', 'clear_forced_status'];

/** True when `payload` is an object carrying `_agent_core_app_action`. */
export function isDebugAction(payload: unknown): payload is Record<typeof DEBUG_ACTION_KEY, unknown> {
  return typeof payload === 'object' && payload !== null && Object.hasOwn(payload, DEBUG_ACTION_KEY);
}

/**
 * Runs a debug action against the ping status and the tasks; returns the JSON value to answer.
 * @throws HttpError 400 `UNKNOWN_DEBUG_ACTION` for an action it does not know.
 */
export function runDebugAction(action: unknown, status: PingStatusReporter, tasks: { info(): AsyncTaskInfo }): unknown {
  switch (action) {
    case 'ping_status':
      return { status: status.status, time_of_last_update: status.changedAt };
    case 'job_status':
      return toWireTaskInfo(tasks.info());
    case 'force_healthy':
      status.force(PingStatus.Healthy);
      return { forced_status: PingStatus.Healthy };
    case 'force_busy':
      status.force(PingStatus.HealthyBusy);
      return { forced_status: PingStatus.HealthyBusy };
    case 'clear_forced_status':
      status.clearForced();
      return { forced_status: null, status: status.status };
    default:
      throw new HttpError(400, `Unknown debug action: ${String(action)}`, {
        code: 'UNKNOWN_DEBUG_ACTION',
        details: { available_actions: DEBUG_ACTIONS },
      });
  }
}
