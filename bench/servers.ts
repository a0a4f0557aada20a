/**
 * Starting, probing and stopping the servers under test, shared by the benchmark and the
 * runtime portability check.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { delimiter, dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const READY_POLL_MS = 2;
const DEFAULT_READY_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;

/** A server process listening on a loopback port. */
export interface RunningServer {
  child: ChildProcess;
  port: number;
  url: string;
  /** Milliseconds from spawn to the first `200` on `/ping`. */
  readyMs: number;
}

/** A simple HTTP answer. */
export interface HttpReply {
  status: number;
  contentType: string;
  body: string;
}

/**
 * The environment for a child that runs npm or a package's bin (`#!/usr/bin/env node`): this
 * process's Node first on PATH, so npm picks versions whose `engines` suit it and the bins run on
 * it (CI starts these checks with Node 22 while the machine's own Node is older).
 */
export function envWithThisNode(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...extra, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` };
}

/** A positive number from environment variable `name`, else `fallback`. */
export function envNumber(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Finds a free loopback port (by binding port 0 and releasing it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** One request without keep-alive; rejects on a connection error. */
export function httpRequest(url: string, method = 'GET', body?: string): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
    const outgoing = request(url, { method, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          contentType: response.headers['content-type'] ?? '',
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/**
 * Spawns `command args` with `PORT`/`HOST` set to a free loopback port and resolves once `/ping`
 * answers `200`. `env` is laid over this process's environment (an `undefined` value removes a
 * variable). Stdout is discarded, or goes to the file descriptor `stdout` (a file, as a container
 * runtime collects it); stderr is passed through so failures are visible.
 * @throws Error when the process exits or does not answer within `timeoutMs`.
 */
export async function startServer(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = DEFAULT_READY_TIMEOUT_MS,
  stdout: 'ignore' | number = 'ignore',
): Promise<RunningServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const startedAt = performance.now();
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' };
  for (const name of Object.keys(childEnv)) if (childEnv[name] === undefined) delete childEnv[name];
  const child = spawn(command, args, {
    env: childEnv,
    stdio: ['ignore', stdout, 'inherit'],
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  while (!exited && performance.now() - startedAt < timeoutMs) {
    try {
      const reply = await httpRequest(`${url}/ping`);
      if (reply.status === 200) return { child, port, url, readyMs: performance.now() - startedAt };
    } catch {
      // Not listening yet.
    }
    await sleep(READY_POLL_MS);
  }
  child.kill('SIGKILL');
  throw new Error(`${command} ${args.join(' ')} did not answer /ping (${exited ? 'it exited' : 'timed out'})`);
}

/** Sends SIGTERM (then SIGKILL after `timeoutMs`) and resolves when the process has exited. */
export async function stopServer(server: RunningServer, timeoutMs = STOP_TIMEOUT_MS): Promise<void> {
  const child = server.child;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

/** Resident set size now and at its peak, in bytes (Linux `/proc`; `undefined` elsewhere). */
export function memoryOf(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: field('VmRSS'), peak: field('VmHWM') };
  } catch {
    return undefined;
  }
}

/** CPU time used by a process so far, in milliseconds (Linux `/proc`; `undefined` elsewhere). */
export function cpuTimeMs(pid: number): number | undefined {
  const TICKS_PER_SECOND = 100;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesized command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
