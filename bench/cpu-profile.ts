/**
 * Summarizes a V8 `.cpuprofile` (from `node --cpu-prof`): self time per function, largest first,
 * idle time left out (percentages are of busy time).
 */
import { readFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** One function's share of the samples. */
export interface HotSpot {
  name: string;
  location: string;
  selfMs: number;
  percent: number;
}

/** Reads a profile and returns its `limit` hottest functions by self time. */
export async function hotSpots(file: string, limit: number): Promise<HotSpot[]> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  for (const node of profile.nodes) byId.set(node.id, node);
  const selfMicros = new Map<string, { name: string; location: string; micros: number }>();
  let total = 0;
  for (let index = 0; index < profile.samples.length; index++) {
    const node = byId.get(profile.samples[index]!);
    const delta = profile.timeDeltas[index] ?? 0;
    // Idle time is the process waiting for the next request, not work.
    if (node === undefined || node.callFrame.functionName === '(idle)') continue;
    total += delta;
    const frame = node.callFrame;
    const file = frame.url.replace(/^file:\/\/.*?\/dist\//, 'dist/');
    const location = file === '' ? '(native)' : `${file}:${frame.lineNumber + 1}`;
    const name = frame.functionName || '(anonymous)';
    const key = `${name} ${location}`;
    const entry = selfMicros.get(key) ?? { name, location, micros: 0 };
    entry.micros += delta;
    selfMicros.set(key, entry);
  }
  return [...selfMicros.values()]
    .sort((a, b) => b.micros - a.micros)
    .slice(0, limit)
    .map((entry) => ({
      name: entry.name,
      location: entry.location,
      selfMs: Math.round(entry.micros / 1000),
      percent: Math.round((entry.micros / Math.max(total, 1)) * 1000) / 10,
    }));
}
