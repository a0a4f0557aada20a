/**
 * The default destination of log lines: the process's stdout and stderr, written in batches.
 *
 * One `write` system call per line was most of what an `info` line cost (a busy agent writes one
 * per invocation). Lines are collected instead and written together once per event-loop turn, at
 * the latest when `MAX_BUFFERED_LOG_CHARS` are waiting, straight to file descriptors 1 and 2 with
 * synchronous writes:
 * - nothing is lost at exit: whatever is buffered is written on `process.exit()`, on a normal
 *   exit, and before Node reports an uncaught exception; writes are synchronous, so they are
 *   complete when the call returns (`process.stdout` on a pipe is asynchronous, and
 *   `process.exit()` drops what it still holds);
 * - nothing is split or reordered: every write holds whole lines, in the order they were
 *   logged, and a line for the other descriptor first writes out what the current one holds;
 * - memory stays bounded when the destination is slow: a full pipe blocks the write until the
 *   reader makes room (back-pressure on the process, as a blocking file write would), instead
 *   of queueing without limit.
 * Lines a process killed by a signal it does not handle (SIGKILL, or SIGTERM without `run()`)
 * had buffered in its last turn are lost, as with any user-space buffer.
 */

// Read without an `import` (see environment.ts): an ESM import of node:fs loads fs/promises.
const { writeSync } = process.getBuiltinModule('node:fs');

/** File descriptor of the process's standard output. */
export const STDOUT_DESCRIPTOR = 1;
/** File descriptor of the process's standard error. */
export const STDERR_DESCRIPTOR = 2;

/**
 * Most log text (in UTF-16 code units, about bytes for JSON lines) held before it is written
 * even within a turn: 64 Ki, which is also a Linux pipe's buffer, so one write fills at most one
 * pipe's worth and a burst of lines never piles up in memory.
 */
export const MAX_BUFFERED_LOG_CHARS = 64 * 1024;

/** How long a write to a full non-blocking pipe waits before trying again. */
const FULL_DESTINATION_RETRY_MS = 1;

/** Coalesces whole lines per event-loop turn and writes them synchronously, in order. */
export class LogWriter {
  #descriptor = STDOUT_DESCRIPTOR;
  #pending = '';
  #scheduled = false;
  #synchronous = false;
  readonly #write: (descriptor: number, text: string) => void;
  readonly #flushSoon = (): void => {
    this.#scheduled = false;
    this.flush();
  };

  /** @param write - Writes all of `text` to `descriptor` (default: synchronous `fs.writeSync` calls). */
  constructor(write: (descriptor: number, text: string) => void = writeFully) {
    this.#write = write;
  }

  /** Characters (UTF-16 code units) queued and not yet written: under `MAX_BUFFERED_LOG_CHARS` between calls. */
  get pendingChars(): number {
    return this.#pending.length;
  }

  /** Queues `text` (whole lines, newline included) for `descriptor`. Never throws. */
  write(descriptor: number, text: string): void {
    if (descriptor !== this.#descriptor) {
      // Lines stay in order across the two descriptors (they are often the same file).
      if (this.#pending.length !== 0) this.flush();
      this.#descriptor = descriptor;
    }
    this.#pending += text;
    if (this.#synchronous || this.#pending.length >= MAX_BUFFERED_LOG_CHARS) {
      this.flush();
    } else if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#flushSoon);
    }
  }

  /** Writes out everything buffered, now. Never throws. */
  flush(): void {
    const text = this.#pending;
    if (text.length === 0) return;
    this.#pending = '';
    try {
      this.#write(this.#descriptor, text);
    } catch {
      // The destination is gone (closed, EPIPE): there is nowhere left to write to.
    }
  }

  /** Flushes, and from now on writes every line at once: the process is exiting. */
  flushAndWriteThrough(): void {
    this.#synchronous = true;
    this.flush();
  }
}

let processWriter: LogWriter | undefined;

/**
 * The one writer for the process's stdout and stderr, created on first use, so lines from every
 * logger stay in one order. It is flushed on `exit` (a normal exit or `process.exit()`) and by
 * `uncaughtExceptionMonitor` (before Node prints the error), and writes through once exiting.
 */
export function processLogWriter(): LogWriter {
  if (processWriter === undefined) {
    const writer = new LogWriter();
    process.on('exit', () => writer.flushAndWriteThrough());
    process.on('uncaughtExceptionMonitor', () => writer.flush());
    processWriter = writer;
  }
  return processWriter;
}

/**
 * Writes all of `text` to `descriptor` synchronously. A non-blocking pipe that is full
 * (`EAGAIN`) is waited for and retried, a partial write continued; any other error is thrown.
 */
export function writeFully(descriptor: number, text: string): void {
  // The text goes as a string (Node encodes it on the way, with no copy of ours); only after a
  // partial write is it encoded here, so the rest can be sent from where the kernel stopped.
  let rest: Buffer | undefined;
  for (;;) {
    try {
      if (rest === undefined) {
        const written = writeSync(descriptor, text);
        if (written === Buffer.byteLength(text)) return;
        rest = Buffer.from(text).subarray(written);
      } else {
        rest = rest.subarray(writeSync(descriptor, rest));
        if (rest.length === 0) return;
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      waitMs(FULL_DESTINATION_RETRY_MS);
    }
  }
}

let waitCell: Int32Array | undefined;

/** Blocks the thread for `ms` without spinning. */
function waitMs(ms: number): void {
  waitCell ??= new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  Atomics.wait(waitCell, 0, 0, ms);
}
