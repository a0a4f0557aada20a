import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { LogWriter, MAX_BUFFERED_LOG_CHARS, STDERR_DESCRIPTOR, STDOUT_DESCRIPTOR } from '../lib/log-writer.js';

const CHILD = fileURLToPath(new URL('./support/log-child.js', import.meta.url));
const CHILD_TIMEOUT_MS = 30_000;

describe('LogWriter', () => {
  function recording(): { writer: LogWriter; writes: Array<[number, string]> } {
    const writes: Array<[number, string]> = [];
    return { writer: new LogWriter((descriptor, text) => writes.push([descriptor, text])), writes };
  }

  it('writes the lines of one event-loop turn in one write, at the end of the turn', async () => {
    const { writer, writes } = recording();
    for (let i = 0; i < 100; i++) writer.write(STDOUT_DESCRIPTOR, `line ${i}\n`);
    assert.equal(writes.length, 0, 'nothing is written during the turn');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(writes.length, 1);
    assert.equal(writes[0]![1], Array.from({ length: 100 }, (_, i) => `line ${i}\n`).join(''));
  });

  it(`writes at once when ${MAX_BUFFERED_LOG_CHARS} characters are waiting, so a burst never piles up`, () => {
    const { writer, writes } = recording();
    const line = 'x'.repeat(1023) + '\n';
    for (let i = 0; i < 200; i++) writer.write(STDOUT_DESCRIPTOR, line);
    assert.ok(writes.length >= 3, `${writes.length} writes`);
    for (const [, text] of writes) {
      assert.ok(text.length <= MAX_BUFFERED_LOG_CHARS + line.length);
      assert.equal(text.length % line.length, 0, 'only whole lines');
    }
    writer.flush();
    assert.equal(writes.map(([, text]) => text).join('').length, 200 * line.length);
  });

  it('keeps lines in order across stdout and stderr', () => {
    const { writer, writes } = recording();
    writer.write(STDOUT_DESCRIPTOR, 'a\n');
    writer.write(STDOUT_DESCRIPTOR, 'b\n');
    writer.write(STDERR_DESCRIPTOR, 'c\n');
    writer.write(STDOUT_DESCRIPTOR, 'd\n');
    writer.flush();
    assert.deepEqual(writes, [
      [STDOUT_DESCRIPTOR, 'a\nb\n'],
      [STDERR_DESCRIPTOR, 'c\n'],
      [STDOUT_DESCRIPTOR, 'd\n'],
    ]);
  });

  it('writes through once the process is exiting, and never throws when the destination fails', () => {
    const { writer, writes } = recording();
    writer.write(STDOUT_DESCRIPTOR, 'a\n');
    writer.flushAndWriteThrough();
    writer.write(STDOUT_DESCRIPTOR, 'b\n');
    assert.deepEqual(writes, [
      [STDOUT_DESCRIPTOR, 'a\n'],
      [STDOUT_DESCRIPTOR, 'b\n'],
    ]);
    const failing = new LogWriter(() => {
      throw Object.assign(new Error('EPIPE'), { code: 'EPIPE' });
    });
    failing.write(STDOUT_DESCRIPTOR, 'lost\n');
    assert.doesNotThrow(() => failing.flush());
    failing.flush();
  });
});

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The stdout (and, when shared, stderr) file's content. */
  output: string;
  stderr: string;
  report: { logged: number; maxPendingChars: number; maxStdoutQueued: number };
}

/** The `line` records in `output`, checked to be whole JSON lines numbered 0, 1, 2, … in order. */
function numberedLines(output: string): number {
  let expected = 0;
  for (const text of output.split('\n')) {
    if (!text.includes('"message":"line"')) continue;
    const record = JSON.parse(text) as { seq: number };
    assert.equal(record.seq, expected, `line ${expected} is missing or out of order`);
    expected++;
  }
  return expected;
}

describe('log lines across the ways a process ends', () => {
  let directory: string;
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'agentcore-log-'));
  });
  after(() => rm(directory, { recursive: true, force: true }));

  let runs = 0;
  /**
   * Runs the child with stdout (and stderr, with `shareStderr`) going to a file, as a container
   * runtime may collect it, or to a pipe read as fast as the parent can.
   */
  async function runChild(
    ending: string,
    count: number,
    options: { destination?: 'file' | 'pipe'; shareStderr?: boolean; signalWhen?: (output: string) => boolean; env?: Record<string, string> } = {},
  ): Promise<ChildResult> {
    const name = `run-${runs++}`;
    const outputPath = join(directory, `${name}.out`);
    const reportPath = join(directory, `${name}.json`);
    const toFile = options.destination !== 'pipe';
    const file = toFile ? await open(outputPath, 'w') : undefined;
    const out = file?.fd ?? 'pipe';
    const child = spawn(process.execPath, [CHILD, ending, String(count)], {
      env: { ...process.env, LOG_CHILD_REPORT: reportPath, HOST: '127.0.0.1', PORT: '0', ...options.env },
      stdio: ['ignore', out, options.shareStderr === true ? out : 'pipe'],
      timeout: CHILD_TIMEOUT_MS,
    });
    let piped = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (piped += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      if (options.shareStderr === true) piped += chunk;
      else stderr += chunk;
    });
    const closed = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('close', (code, signal) => resolve([code, signal])));
    const output = async (): Promise<string> => (toFile ? readFile(outputPath, 'utf8') : piped);
    if (options.signalWhen !== undefined) {
      // A child that ends first (a startup failure) fails the test below instead of hanging it.
      while (child.exitCode === null && child.signalCode === null && !options.signalWhen(await output())) await sleep(10);
      child.kill('SIGTERM');
    }
    const [code, signal] = await closed;
    await file?.close();
    return { code, signal, output: await output(), stderr, report: JSON.parse(await readFile(reportPath, 'utf8')) as ChildResult['report'] };
  }

  for (const destination of ['file', 'pipe'] as const) {
    describe(`written to a ${destination}`, () => {
      it('loses none when the event loop runs dry', async () => {
        const result = await runChild('return', 10_000, { destination });
        assert.equal(result.code, 0);
        assert.equal(numberedLines(result.output), 10_000);
      });

      it('loses none on process.exit() in the same turn as a burst', async () => {
        const result = await runChild('exit', 10_000, { destination });
        assert.equal(result.code, 0);
        assert.equal(numberedLines(result.output), 10_000);
      });

      for (const ending of ['throw', 'reject']) {
        it(`loses none on an ${ending === 'throw' ? 'uncaught exception' : 'unhandled rejection'}, and writes them before Node's report of it`, async () => {
          const result = await runChild(ending, 10_000, { destination, shareStderr: true });
          assert.equal(result.code, 1);
          assert.equal(numberedLines(result.output), 10_000);
          const lastLine = result.output.lastIndexOf('"message":"line"');
          assert.ok(result.output.indexOf('after logging') > lastLine, 'the crash report comes after the lines');
        });
      }

      it('loses none on SIGTERM through app.run(), lines logged until the exit included', async () => {
        const result = await runChild('run', 0, { destination, signalWhen: (output) => (output.match(/"message":"line"/g)?.length ?? 0) > 2000 });
        assert.equal(result.code, 0);
        assert.equal(numberedLines(result.output), result.report.logged);
        assert.match(result.output, /"message":"shutting down"/);
      });
    });
  }

  it("writes a turn's lines at its end: a console.log made later in the same turn comes first (as docs/operations.md says)", async () => {
    const library = new URL('../lib/index.js', import.meta.url).href;
    const program =
      `import { AgentCoreApp } from ${JSON.stringify(library)};\n` +
      `const app = new AgentCoreApp({ logLevel: 'info' });\n` +
      `app.logger.info('logged first');\nconsole.log('printed second');\n` +
      `setImmediate(() => { app.logger.info('next turn'); app.logger.flush(); console.log('after a flush'); });\n`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', program], { stdio: ['ignore', 'pipe', 'inherit'], timeout: CHILD_TIMEOUT_MS });
    let output = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const [code] = (await once(child, 'close')) as [number | null];
    assert.equal(code, 0);
    const order = ['logged first', 'printed second', 'next turn', 'after a flush'].sort((a, b) => output.indexOf(a) - output.indexOf(b));
    assert.deepEqual(order, ['printed second', 'logged first', 'next turn', 'after a flush'], output);
  });

  it('writes info to stdout and warn and error to stderr, in order when both are one file', async () => {
    const separate = await runChild('mixed', 300);
    const levels = (text: string): string[] => text.split('\n').filter((entry) => entry.includes('"message":"line"')).map((entry) => (JSON.parse(entry) as { level: string }).level);
    assert.deepEqual(new Set(levels(separate.output)), new Set(['info']));
    assert.deepEqual(new Set(levels(separate.stderr)), new Set(['warn', 'error']));
    assert.equal(levels(separate.stderr).length, 200);
    const shared = await runChild('mixed', 300, { shareStderr: true });
    assert.equal(numberedLines(shared.output), 300);
  });

  it('loses none and queues no more than its bound when the reader of a (non-blocking) pipe is slow', async () => {
    const reportPath = join(directory, 'slow-pipe.json');
    const lines = 20_000;
    const child = spawn(process.execPath, [CHILD, 'exit', String(lines)], {
      env: { ...process.env, LOG_CHILD_REPORT: reportPath, LOG_CHILD_PAD: '1000', LOG_CHILD_CONSOLE: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: CHILD_TIMEOUT_MS,
    });
    const stdout = child.stdout!;
    stdout.pause();
    // Let the child fill the pipe and wait on it, then read everything.
    await sleep(300);
    const chunks: Buffer[] = [];
    stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    stdout.resume();
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    assert.equal(code, 0);
    const text = Buffer.concat(chunks).toString('utf8');
    assert.equal(numberedLines(text), lines);
    const report = JSON.parse(await readFile(reportPath, 'utf8')) as ChildResult['report'];
    // 20 MB of lines went through a 64 KiB pipe while its reader was away: the writer waited on
    // the pipe instead of queueing them, in its own buffer or in process.stdout's.
    assert.equal(report.logged, lines);
    assert.ok(report.maxPendingChars < MAX_BUFFERED_LOG_CHARS, `the log writer held ${report.maxPendingChars} characters`);
    assert.equal(report.maxStdoutQueued, 0, 'lines were queued in process.stdout');
  });
});
