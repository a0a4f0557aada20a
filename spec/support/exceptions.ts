import { Session } from 'node:inspector';

/**
 * Runs `fn` and returns how many exceptions were thrown while it ran, caught ones included, as
 * the debugger counts them (it pauses on every throw; each pause is counted and resumed at once).
 * For specs that promise a hot path does not use exceptions for control flow.
 */
export function countThrown(fn: () => void): number {
  const session = new Session();
  session.connect();
  let thrown = 0;
  session.on('Debugger.paused', (message) => {
    if (message.params.reason === 'exception') thrown++;
    session.post('Debugger.resume');
  });
  session.post('Debugger.enable');
  session.post('Debugger.setPauseOnExceptions', { state: 'all' });
  try {
    fn();
  } finally {
    session.post('Debugger.setPauseOnExceptions', { state: 'none' });
    session.post('Debugger.disable');
    session.disconnect();
  }
  return thrown;
}
