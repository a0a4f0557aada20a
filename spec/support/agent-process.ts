import { spawn, type ChildProcess } from 'node:child_process';

/** An agent running in its own process, listening on a loopback port. */
export interface AgentProcess {
  child: ChildProcess;
  port: number;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
}

/** Rejection of `spawnAgent` when the process exits before listening. */
export interface AgentExit extends Error {
  code: number | null;
  output: string;
}

const LISTENING = /"message":"Server listening on [^"]+".*"port":(\d+)/;

/**
 * The environment for a child that runs built code other than `dist/lib` (an installed package,
 * a replayed image): without coverage collection, plus `extra`.
 */
export function withoutCoverage(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.NODE_V8_COVERAGE;
  return env;
}

/**
 * Runs `node script` on 127.0.0.1 and an ephemeral port, with info logs, over `baseEnv`
 * (default: this process's environment) and then `env` (which may set PORT, to test a clash).
 * Resolves once it logs "Server listening on …" with its port.
 * Rejects with an `AgentExit` (exit code and output) when the process exits first.
 */
export function spawnAgent(
  script: string,
  options: { env?: Record<string, string>; baseEnv?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<AgentProcess> {
  const child = spawn(process.execPath, [script], {
    cwd: options.cwd,
    env: { ...(options.baseEnv ?? process.env), HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onOutput = (chunk: string): void => {
      output += chunk;
      const match = LISTENING.exec(output);
      if (match) {
        child.off('exit', onExit);
        resolve({ child, port: Number(match[1]), output: () => output });
      }
    };
    const onExit = (code: number | null): void => {
      reject(Object.assign(new Error(`exited with ${code} before listening: ${output}`), { code, output }));
    };
    child.stdout!.setEncoding('utf8').on('data', onOutput);
    child.stderr!.setEncoding('utf8').on('data', onOutput);
    child.once('exit', onExit);
  });
}
