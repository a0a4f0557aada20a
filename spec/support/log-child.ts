/**
 * A process that logs numbered lines through the default destination and then ends in the way
 * argv names, for the specs that count lines across exits: `node log-child.js <ending> <count>`.
 *
 * - `return`: half the lines in one burst, the rest over later turns, then the loop runs dry;
 * - `exit`: one burst, then `process.exit(0)` in the same turn;
 * - `throw`: one burst, then an uncaught exception; `reject`: an unhandled rejection;
 * - `run`: `app.run()` on PORT/HOST, then lines every turn until SIGTERM shuts it down;
 * - `mixed`: info, warn and error lines in turn (one burst), for ordering across stdout and stderr;
 *
 * With LOG_CHILD_CONSOLE set it prints a line with `console.log` first (which makes a pipe
 * non-blocking). With LOG_CHILD_REPORT set it writes `{"logged", "maxPendingChars", "maxStdoutQueued"}` there
 * on exit, from an `exit` listener registered before the first log line: the lines logged, the most
 * the process's log writer held after any line, and the most `process.stdout` held (the log writer
 * must never fall back to it).
 */
import { writeFileSync } from 'node:fs';
import { AgentCoreApp } from '../../lib/index.js';
import { processLogWriter } from '../../lib/log-writer.js';

const [ending = 'return', countText = '1000'] = process.argv.slice(2);
const count = Number(countText);
const PAD = 'x'.repeat(Number(process.env.LOG_CHILD_PAD ?? 40));
const LINES_PER_TURN = 50;
let logged = 0;
let maxPendingChars = 0;
let maxStdoutQueued = 0;

const report = process.env.LOG_CHILD_REPORT;
if (report !== undefined) {
  process.on('exit', () => writeFileSync(report, JSON.stringify({ logged, maxPendingChars, maxStdoutQueued })));
}

// User code writing to process.stdout turns a pipe non-blocking: the log writer must cope.
if (process.env.LOG_CHILD_CONSOLE !== undefined) console.log('the agent uses console.log too');

const app = new AgentCoreApp({ logLevel: 'info' });
// run() refuses an app with nothing to serve.
app.entrypoint(() => null);

const writer = processLogWriter();
const watchStdout = process.env.LOG_CHILD_CONSOLE !== undefined;

function line(level: 'info' | 'warn' | 'error' = 'info'): void {
  app.logger[level]('line', { seq: logged, pad: PAD });
  logged++;
  if (report === undefined) return;
  maxPendingChars = Math.max(maxPendingChars, writer.pendingChars);
  // Only once console.log made it exist: reading process.stdout creates the stream.
  if (watchStdout) maxStdoutQueued = Math.max(maxStdoutQueued, process.stdout.writableLength);
}

function burst(lines: number): void {
  for (let i = 0; i < lines; i++) line();
}

function everyTurn(): void {
  for (let i = 0; i < LINES_PER_TURN; i++) line();
  setImmediate(everyTurn);
}

switch (ending) {
  case 'return': {
    burst(count / 2);
    const later = (): void => {
      for (let i = 0; i < LINES_PER_TURN && logged < count; i++) line();
      if (logged < count) setImmediate(later);
    };
    setImmediate(later);
    break;
  }
  case 'exit':
    burst(count);
    process.exit(0);
    break;
  case 'throw':
    burst(count);
    throw new Error('crash after logging');
  case 'reject':
    burst(count);
    void Promise.reject(new Error('rejected after logging'));
    break;
  case 'run':
    void app.run().then(everyTurn);
    break;
  case 'mixed':
    for (let i = 0; i < count; i++) line((['info', 'warn', 'error'] as const)[i % 3]);
    break;
  default:
    throw new Error(`unknown ending ${ending}`);
}
