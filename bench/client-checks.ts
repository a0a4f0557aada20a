/**
 * What the checks of `npm run test:mcp-clients` share: PASS/FAIL lines, temporary prefixes for
 * the clients (never the project's dependencies), and running the official conformance suite
 * with its per-scenario results read from its `checks.json` files.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envWithThisNode } from './servers.js';

const INSTALL_TIMEOUT_MS = 300_000;

/** One check's outcome. */
export interface CheckResult {
  check: string;
  passed: boolean;
  detail: string;
}

/** Every check run so far, in order. */
export const results: CheckResult[] = [];

/** Prints and keeps a check's outcome. */
export function record(check: string, passed: boolean, detail = ''): void {
  results.push({ check, passed, detail });
  console.log(`${passed ? 'PASS' : 'FAIL'} ${check}${detail === '' ? '' : `: ${detail}`}`);
}

/** Runs one check: PASS with what `body` returns, FAIL with the message of what it throws. */
export async function attempt(check: string, body: () => Promise<string | void>): Promise<void> {
  try {
    record(check, true, (await body()) ?? '');
  } catch (error) {
    record(check, false, (error as Error).message);
  }
}

/** @throws Error with `message` unless `condition`. */
export function expect(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

/** The version of package `name` installed in `prefix`. */
export async function versionOf(prefix: string, name: string): Promise<string> {
  return (JSON.parse(await readFile(join(prefix, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * `existing` when given; otherwise a new temporary prefix with `packages` installed. Resolves
 * with `undefined` (and prints SKIP) when the registry cannot be reached.
 */
export async function clientPrefix(existing: string | undefined, packages: readonly string[]): Promise<{ prefix: string; temporary: boolean } | undefined> {
  if (existing !== undefined) return { prefix: existing, temporary: false };
  const prefix = await mkdtemp(join(tmpdir(), 'agentcore-lite-mcp-clients-'));
  console.log(`installing ${packages.join(', ')} into ${prefix}...`);
  const install = spawnSync('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-package-lock', ...packages], { encoding: 'utf8', timeout: INSTALL_TIMEOUT_MS, env: envWithThisNode() });
  if (install.status === 0) return { prefix, temporary: true };
  console.log(`SKIP: could not install ${packages.join(', ')} from the npm registry\n${(install.stderr ?? '').split('\n').slice(-5).join('\n')}`);
  await rm(prefix, { recursive: true, force: true });
  return undefined;
}

/** What one run of the conformance suite found, from its `checks.json` files. */
export interface ConformanceRun {
  /** The suite's exit status. */
  status: number | null;
  /** Scenario name → its checks' statuses. */
  scenarios: Map<string, string[]>;
  /** Checks by status, each as `scenario:check-id`. */
  statuses: Map<string, string[]>;
  /** The suite's own output, colours removed. */
  text: string;
}

/**
 * Runs `conformance server --url <url> ...args -o <dir>` and reads every scenario's checks.
 * The scenario is the folder name without the `server-` prefix and the timestamp suffix.
 */
export async function runConformance(bin: string, url: string, args: readonly string[], timeoutMs: number): Promise<ConformanceRun> {
  const output = await mkdtemp(join(tmpdir(), 'agentcore-lite-conformance-'));
  try {
    const outcome = spawnSync(bin, ['server', '--url', url, ...args, '-o', output], { encoding: 'utf8', timeout: timeoutMs, env: envWithThisNode() });
    const scenarios = new Map<string, string[]>();
    const statuses = new Map<string, string[]>();
    for (const entry of await readdir(output)) {
      const scenario = entry.replace(/^server-/, '').replace(/-\d{4}-\d{2}-\d{2}T.*$/, '');
      const checks = JSON.parse(await readFile(join(output, entry, 'checks.json'), 'utf8')) as { id: string; status: string }[];
      scenarios.set(scenario, checks.map((check) => check.status));
      for (const check of checks) statuses.set(check.status, [...(statuses.get(check.status) ?? []), `${scenario}:${check.id}`]);
    }
    return { status: outcome.status, scenarios, statuses, text: `${outcome.stdout}${outcome.stderr}`.replace(/\x1b\[[0-9;]*m/g, '') };
  } finally {
    await rm(output, { recursive: true, force: true });
  }
}

/**
 * A run's summary line, or an Error naming the failed checks when there is one (or the suite
 * exited with an error, or ran fewer scenarios than `minScenarios`).
 */
export function conformanceSummary(run: ConformanceRun, minScenarios: number): string {
  const failures = run.statuses.get('FAILURE') ?? [];
  const warnings = run.statuses.get('WARNING') ?? [];
  expect(run.status === 0 && failures.length === 0, `exit ${run.status}; failed: ${failures.join(', ') || run.text.split('\n').slice(-15).join(' | ')}`);
  expect(run.scenarios.size >= minScenarios, `${run.scenarios.size} scenarios ran, expected at least ${minScenarios}`);
  const count = (status: string): number => run.statuses.get(status)?.length ?? 0;
  return `${run.scenarios.size} scenarios, ${count('SUCCESS')} checks SUCCESS, 0 FAILURE, ${warnings.length} WARNING${warnings.length === 0 ? '' : ` (${warnings.join(', ')})`}, ${count('SKIPPED')} SKIPPED, ${count('INFO')} INFO`;
}
