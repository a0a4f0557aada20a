import { fileURLToPath } from 'node:url';

// Read without an `import`, like node:http in http/server.ts: an ES module import of node:fs
// evaluates its lazy `promises` getter, which loads fs/promises and readline at startup.
const { existsSync, realpathSync } = process.getBuiltinModule('node:fs');

/** The port the AgentCore contract serves HTTP (and AG-UI) on. */
export const DEFAULT_PORT = 8080;
/** Every interface: what AgentCore's HTTP protocol contract requires of the agent (`Host: 0.0.0.0`). */
export const EVERY_INTERFACE = '0.0.0.0';
/** Loopback only: the safe default at a developer's terminal, where nothing else should reach the agent. */
export const LOOPBACK = '127.0.0.1';

/** What the default bind address is decided from; `hostFacts()` reads this process's. */
export interface HostFacts {
  /** `process.platform`. AgentCore Runtime runs Linux (ARM64) only. */
  readonly platform: NodeJS.Platform;
  /** `/.dockerenv` exists or `DOCKER_CONTAINER` is set: a container, reached through a published port. */
  readonly inContainer: boolean;
  /** Standard input or output is a terminal: someone started the process by hand. */
  readonly atTerminal: boolean;
}

/** This process's `HostFacts`. Reads the file system and the terminal state; call it when binding, not at import. */
export function hostFacts(env: NodeJS.ProcessEnv = process.env): HostFacts {
  const { isatty } = process.getBuiltinModule('node:tty');
  return {
    platform: process.platform,
    inContainer: Boolean(env.DOCKER_CONTAINER) || existsSync('/.dockerenv'),
    atTerminal: isatty(0) || isatty(1),
  };
}

/**
 * True where binding loopback is the right default: a developer's machine. AWS documents no
 * variable or file by which a process can tell it runs on AgentCore Runtime, in a container or
 * as a `NODE_22` direct code deployment, so the test is the other way round: not Linux (the
 * runtime is Linux only), or a process started at a terminal outside a container. Everything
 * else (the runtime, containers, CI, process managers) binds every interface, so an agent on
 * the runtime is reachable whatever it is given.
 */
export function isDeveloperMachine(facts: HostFacts): boolean {
  if (facts.platform !== 'linux') return true;
  return facts.atTerminal && !facts.inContainer;
}

/** `HOST` from the environment, else `127.0.0.1` on a developer's machine (`isDeveloperMachine`) and `0.0.0.0` elsewhere. */
export function defaultHost(env: NodeJS.ProcessEnv = process.env, facts?: HostFacts): string {
  if (env.HOST) return env.HOST;
  return isDeveloperMachine(facts ?? hostFacts(env)) ? LOOPBACK : EVERY_INTERFACE;
}

/**
 * `PORT` from the environment, else `fallback`: the protocol's port in the AgentCore contract
 * (8080 for HTTP, 8000 for MCP, 9000 for A2A).
 * @throws RangeError when `PORT` is not an integer from 0 to 65535.
 */
export function defaultPort(env: NodeJS.ProcessEnv = process.env, fallback: number = DEFAULT_PORT): number {
  if (env.PORT === undefined || env.PORT === '') return fallback;
  const port = Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`PORT must be an integer from 0 to 65535, got ${JSON.stringify(env.PORT)}`);
  }
  return port;
}

/** Extensions Node tries when the entry point was named without one (`node dist/agent`). */
const ENTRY_EXTENSIONS = ['', '.js', '.mjs', '.cjs'];

/**
 * True when the module at `moduleUrl` (pass `import.meta.url`) is the program's entry point,
 * like Python's `if __name__ == "__main__"`: compares real paths, so spaces, symlinks and an
 * entry named without its extension are all handled. Use it to `run()` an agent that tests
 * also import.
 */
export function isMainModule(moduleUrl: string, entry: string | undefined = process.argv[1]): boolean {
  if (entry === undefined || !moduleUrl.startsWith('file:')) return false;
  let modulePath: string;
  try {
    modulePath = realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
  for (const extension of ENTRY_EXTENSIONS) {
    try {
      return realpathSync(entry + extension) === modulePath;
    } catch {
      // Not this spelling of the entry; try the next.
    }
  }
  return false;
}
