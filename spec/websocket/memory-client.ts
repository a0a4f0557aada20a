/**
 * The parent side of memory-probe.ts: starts the probe server in a child process, asks it for
 * its memory, and floods it from a client that reads nothing.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { RawClient } from './frames.js';
import type { ProbeConfig, ProbeReport } from './memory-probe.js';

export const MiB = 1024 * 1024;

/** What {@link floodWithoutReading} managed to send, and whether the server stopped reading. */
export interface Flood {
  bytes: number;
  stalled: boolean;
}

/**
 * A client that stops reading sends at most this much before giving up; the fixed server stops
 * reading long before (once TCP's buffers, a few MB, are full), the unfixed one reads it all.
 */
export const FLOOD_CAP_BYTES = 128 * MiB;
/** No `'drain'` for this long means the server stopped reading. Generous: the machine is shared. */
export const STALL_MS = 1500;
/** A server in a child process (see memory-probe.ts) that reports its own memory. */
export class MemoryProbe {
  readonly child: ChildProcess;
  readonly port: number;

  private constructor(child: ChildProcess, port: number) {
    this.child = child;
    this.port = port;
  }

  static async start(config: ProbeConfig): Promise<MemoryProbe> {
    const script = fileURLToPath(new URL('./memory-probe.js', import.meta.url));
    const child = fork(script, [JSON.stringify(config)], {
      execArgv: ['--expose-gc'],
      env: { ...process.env, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const [message] = (await once(child, 'message')) as [{ port: number }];
    return new MemoryProbe(child, message.port);
  }

  async measure(): Promise<ProbeReport> {
    this.child.send('measure');
    const [report] = (await once(this.child, 'message')) as [ProbeReport];
    return report;
  }

  /** Measures until `condition` holds (or 10 s pass) and returns the last report. */
  async measureUntil(condition: (report: ProbeReport) => boolean): Promise<ProbeReport> {
    let report = await this.measure();
    const deadline = Date.now() + 10_000;
    while (!condition(report) && Date.now() < deadline) report = await this.measure();
    return report;
  }

  stop(): void {
    this.child.kill();
  }
}

/**
 * Writes `frame`, packed into 64 KiB batches, from a client that reads nothing, until `capBytes`
 * are written or the server stops reading (no `'drain'` for {@link STALL_MS}).
 */
export async function floodWithoutReading(client: RawClient, frame: Buffer, capBytes = FLOOD_CAP_BYTES): Promise<Flood> {
  client.socket.pause();
  const batch = Buffer.concat(Array<Buffer>(Math.max(1, Math.floor((64 * 1024) / frame.length))).fill(frame));
  let bytes = 0;
  while (bytes < capBytes) {
    bytes += batch.length;
    if (client.socket.write(batch)) continue;
    if (!(await drainedWithin(client.socket, STALL_MS))) return { bytes, stalled: true };
  }
  return { bytes, stalled: false };
}

/** Resolves with whether `socket` drains within `ms` (not when it errors or closes first). */
function drainedWithin(socket: Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const settle = (drained: boolean): void => {
      clearTimeout(timer);
      socket.off('drain', onDrain).off('close', onClose);
      resolve(drained);
    };
    const onDrain = (): void => settle(true);
    const onClose = (): void => settle(false);
    const timer = setTimeout(settle, ms, false);
    socket.on('drain', onDrain).on('close', onClose);
  });
}

/** Bytes as megabytes, for messages. */
export function mb(bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MB`;
}
