import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { withoutCoverage } from './agent-process.js';

const CHILD = fileURLToPath(new URL('./exceptions-child.js', import.meta.url));

/**
 * Calls `exportName(...args)` of the module at `moduleUrl` in a process of its own and returns how
 * many exceptions were thrown during the call, caught ones included, as the debugger counts them,
 * with what the call returned (as JSON). For specs that promise a path does not use exceptions
 * for control flow.
 */
export function countThrown(moduleUrl: URL, exportName: string, ...args: unknown[]): { thrown: number; result: unknown } {
  const output = execFileSync(process.execPath, [CHILD, JSON.stringify({ modulePath: moduleUrl.href, exportName, args })], {
    env: withoutCoverage(),
    encoding: 'utf8',
  });
  return JSON.parse(output) as { thrown: number; result: unknown };
}
