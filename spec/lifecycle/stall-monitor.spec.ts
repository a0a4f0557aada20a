import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventLoopStallMonitor } from '../../lib/lifecycle/stall-monitor.js';
import { useApp } from '../support/server.js';

function block(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // busy-wait: this is the CPU-bound handler the monitor must notice
  }
}

describe('EventLoopStallMonitor', () => {
  it('reports a 500 ms block once, with its duration', async (t) => {
    const stalls: number[] = [];
    const monitor = new EventLoopStallMonitor(300, (ms) => stalls.push(ms));
    monitor.start();
    monitor.start();
    t.after(() => monitor.stop());
    await sleep(100);
    block(500);
    await sleep(200);
    assert.equal(stalls.length, 1);
    assert.ok(stalls[0]! >= 450 && stalls[0]! < 1500, `reported ${stalls[0]} ms`);
  });

  it('stays quiet under normal load', async (t) => {
    const stalls: number[] = [];
    const monitor = new EventLoopStallMonitor(300, (ms) => stalls.push(ms));
    monitor.start();
    t.after(() => monitor.stop());
    for (let i = 0; i < 20; i++) {
      block(5);
      await sleep(10);
    }
    assert.deepEqual(stalls, []);
  });
});

describe('stall warnings from the app', () => {
  it('logs a warning naming the blocked time while listening, and none after close', async (t) => {
    const server = await useApp(t, { stallWarningMs: 200 });
    await sleep(50);
    block(400);
    await sleep(100);
    const warnings = server.logs.filter((record) => record.level === 'warn' && /event loop was blocked/.test(record.message));
    assert.equal(warnings.length, 1);
    assert.ok((warnings[0]!.blockedMs as number) >= 350);
    await server.close();
    block(400);
    await sleep(100);
    assert.equal(server.logs.filter((record) => /event loop was blocked/.test(record.message)).length, 1);
  });

  it('can be turned off with stallWarningMs: 0', async (t) => {
    const server = await useApp(t, { stallWarningMs: 0 });
    block(300);
    await sleep(50);
    assert.equal(server.logs.some((record) => /event loop was blocked/.test(record.message)), false);
  });
});

describe('EventLoopStallMonitor and gaps that are not blocks', () => {
  /** A monitor on hand-moved clocks; `tick()` is called directly. */
  function probe(restored = false): { monitor: EventLoopStallMonitor; stalls: number[]; pauses: number[]; move(ms: number, cpuMs: number): void } {
    let now = 0;
    let cpu = 0;
    const stalls: number[] = [];
    const pauses: number[] = [];
    const monitor = new EventLoopStallMonitor(500, (ms) => stalls.push(ms), {
      monotonic: () => now,
      cpuMs: () => cpu,
      restored: () => restored,
      onPause: (ms) => pauses.push(ms),
    });
    monitor.start();
    monitor.stop();
    return {
      monitor,
      stalls,
      pauses,
      move: (ms, cpuMs) => {
        now += ms;
        cpu += cpuMs;
      },
    };
  }

  it('reports a gap spent on the CPU as a stall', () => {
    const { monitor, stalls, pauses, move } = probe();
    move(800, 790);
    monitor.tick();
    assert.deepEqual([stalls, pauses], [[800], []]);
  });

  it('reports a gap the process spent without the CPU (a suspended VM) as a pause, not a stall', () => {
    const { monitor, stalls, pauses, move } = probe();
    move(86_400_000, 3);
    monitor.tick();
    assert.deepEqual([stalls, pauses], [[], [86_400_000]]);
  });

  it('reports a snapshot restore as a pause, however busy the process was', () => {
    const { monitor, stalls, pauses, move } = probe(true);
    move(900, 900);
    monitor.tick();
    assert.deepEqual([stalls, pauses], [[], [900]]);
  });
});
