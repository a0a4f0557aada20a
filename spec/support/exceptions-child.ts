/**
 * Run by `exceptions.ts` in a process of its own: imports a module, calls one of its exports
 * with the debugger pausing on every exception (caught ones included), counts the pauses and
 * prints `{ thrown, result }` as one JSON line. Its own process, because the debugger spoils the
 * coverage figures of the process that enables it.
 */
import { Session } from 'node:inspector';

const { modulePath, exportName, args } = JSON.parse(process.argv[2]!) as { modulePath: string; exportName: string; args: unknown[] };
const module = (await import(modulePath)) as Record<string, (...args: unknown[]) => unknown>;
const fn = module[exportName]!;
// Once before counting, so that loading and compiling throw nothing into the count.
fn(...args);

const session = new Session();
session.connect();
let thrown = 0;
session.on('Debugger.paused', (message) => {
  if (message.params.reason === 'exception') thrown++;
  session.post('Debugger.resume');
});
session.post('Debugger.enable');
session.post('Debugger.setPauseOnExceptions', { state: 'all' });
let result: unknown;
try {
  result = fn(...args);
} finally {
  session.post('Debugger.setPauseOnExceptions', { state: 'none' });
  session.post('Debugger.disable');
  session.disconnect();
}
process.stdout.write(JSON.stringify({ thrown, result }) + '\n');
