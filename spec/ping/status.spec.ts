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

describe('isPingStatus', () => {
  it('accepts exactly the two statuses', () => {
    assert.equal(isPingStatus('Healthy'), true);
    assert.equal(isPingStatus('HealthyBusy'), true);
    for (const value of ['healthy', 'Busy', '', undefined, null, 1]) assert.equal(isPingStatus(value), false);
  });
});
