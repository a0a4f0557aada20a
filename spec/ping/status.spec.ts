import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPingStatus, PingStatus, PingStatusReporter } from '../../lib/ping/status.js';
import { TaskTracker } from '../../lib/tasks/tracker.js';

describe('PingStatusReporter', () => {
  it('derives the status from the tracker as it changes, stamping transitions in whole seconds', () => {
    let now = 1_000_500;
    const clock = (): number => now;
    const tracker = new TaskTracker(clock);
    const reporter = new PingStatusReporter(tracker, clock);
    assert.equal(reporter.body, '{"status":"Healthy","time_of_last_update":1000}');
    now = 5_000_900;
    const id = tracker.add('t');
    assert.equal(reporter.status, PingStatus.HealthyBusy);
    assert.equal(reporter.changedAt, 5000);
    now = 9_000_000;
    tracker.add('second');
    assert.equal(reporter.status, PingStatus.HealthyBusy);
    assert.equal(reporter.changedAt, 5000, 'no change, no new stamp');
    tracker.complete(id);
    tracker.complete(id + 1);
    assert.equal(reporter.body, '{"status":"Healthy","time_of_last_update":9000}');
  });

  it('prefers forced over handler over automatic', () => {
    const tracker = new TaskTracker();
    const reporter = new PingStatusReporter(tracker);
    tracker.add('t');
    reporter.recordHandlerStatus(PingStatus.Healthy);
    assert.equal(reporter.status, PingStatus.Healthy);
    reporter.force(PingStatus.HealthyBusy);
    assert.equal(reporter.forced, PingStatus.HealthyBusy);
    reporter.recordHandlerStatus(PingStatus.Healthy);
    assert.equal(reporter.status, PingStatus.HealthyBusy);
    reporter.clearForced();
    assert.equal(reporter.status, PingStatus.Healthy);
    reporter.recordHandlerStatus(undefined);
    assert.equal(reporter.status, PingStatus.HealthyBusy);
  });
});

describe('what /ping writes', () => {
  it('is a JSON body of the status and its stamp, with headers giving its type and byte length', () => {
    const now = (): number => 1_893_456_000_999;
    const tracker = new TaskTracker(now);
    const reporter = new PingStatusReporter(tracker, now);
    tracker.add('t');
    assert.equal(reporter.body, '{"status":"HealthyBusy","time_of_last_update":1893456000}');
    assert.deepEqual(JSON.parse(reporter.body), { status: 'HealthyBusy', time_of_last_update: reporter.changedAt });
    assert.deepEqual(reporter.headers, ['content-type', 'application/json', 'content-length', String(Buffer.byteLength(reporter.body))]);
  });

  it('does not restamp a force or a handler answer that leaves the status as it was', () => {
    let now = 1_000_000;
    const tracker = new TaskTracker(() => now);
    const reporter = new PingStatusReporter(tracker, () => now);
    now = 2_000_000;
    reporter.force(PingStatus.Healthy);
    reporter.recordHandlerStatus(PingStatus.Healthy);
    reporter.clearForced();
    assert.equal(reporter.changedAt, 1000);
  });
});

describe('isPingStatus', () => {
  it('accepts exactly the two statuses', () => {
    assert.equal(isPingStatus('Healthy'), true);
    assert.equal(isPingStatus('HealthyBusy'), true);
    for (const value of ['healthy', 'Busy', '', undefined, null, 1]) assert.equal(isPingStatus(value), false);
  });
});
