import { fileURLToPath } from 'node:url';

// Read without an `import`, like node:http in http/server.ts: an ES module import of node:fs
// evaluates its lazy `promises` getter, which loads fs/promises and readline at startup.
const { existsSync, realpathSync } = process.getBuiltinModule('node:fs');

/** The port the AgentCore contract serves HTTP (and AG-UI) on. */
export const DEFAULT_PORT = 8080;
/** Bind address inside a container: every interface, as the platform requires. */
export const CONTAINER_HOST = '0.0.0.0';
/** Bind address on a developer's machine: loopback only, the safe default. */
export const LOCAL_HOST = '127.0.0.1';

/**
 * True when running in a container or on the AgentCore runtime: `/.dockerenv` exists,
 * `DOCKER_CONTAINER` is set, or `AWS_EXECUTION_ENV` / an AgentCore runtime variable is present.
 */
export function isContainerEnvironment(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.DOCKER_CONTAINER || env.AWS_EXECUTION_ENV) return true;
  for (const name of Object.keys(env)) {
    if (name.startsWith('AGENTCORE_RUNTIME') || name.startsWith('BEDROCK_AGENTCORE_RUNTIME')) return true;
  }
  return existsSync('/.dockerenv');
}

/** `HOST` from the environment, else `0.0.0.0` in a container and `127.0.0.1` elsewhere. */
export function defaultHost(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOST || (isContainerEnvironment(env) ? CONTAINER_HOST : LOCAL_HOST);
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
