import { existsSync } from 'node:fs';

/** The port the AgentCore contract serves on. */
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
 * `PORT` from the environment, else 8080.
 * @throws RangeError when `PORT` is not an integer from 0 to 65535.
 */
export function defaultPort(env: NodeJS.ProcessEnv = process.env): number {
  if (env.PORT === undefined || env.PORT === '') return DEFAULT_PORT;
  const port = Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`PORT must be an integer from 0 to 65535, got ${JSON.stringify(env.PORT)}`);
  }
  return port;
}
