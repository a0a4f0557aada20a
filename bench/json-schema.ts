/**
 * `npm run build && node dist/bench/json-schema.js`: what one validation costs with the built-in
 * JSON Schema validator (`lib/mcp/json-schema.ts`), in nanoseconds, for schemas as MCP tools and
 * elicitation carry them, valid and invalid inputs; beside it, in the same run, a hand-written
 * check of the typical tool schema (the floor: what no schema engine can beat), and whether a
 * valid input allocates anything (scavenges counted over millions of validations: 0 means no
 * allocation that escaped).
 *
 * A quick micro-benchmark, not a test: numbers move with the machine's load. Environment:
 * BENCH_SCHEMA_ITERATIONS (1,000,000 per round), BENCH_SCHEMA_ROUNDS (5; the median is printed).
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { compileSchema, type JsonSchema } from '../lib/mcp/json-schema.js';

const ITERATIONS = Number(process.env.BENCH_SCHEMA_ITERATIONS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_SCHEMA_ROUNDS ?? 5);

/** A typical tool input: an object with a few typed properties, one required, nothing else. */
const TOOL_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    city: { type: 'string', description: 'City name', minLength: 1 },
    days: { type: 'integer', minimum: 1, maximum: 14 },
    units: { type: 'string', enum: ['metric', 'imperial'] },
  },
  required: ['city'],
  additionalProperties: false,
};

/** The conformance suite's json_schema_2020_12_tool. */
const FIXTURE_SCHEMA: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  $defs: { address: { type: 'object', properties: { street: { type: 'string' }, city: { type: 'string' } } } },
  properties: { name: { type: 'string' }, address: { $ref: '#/$defs/address' } },
  additionalProperties: false,
};

/** As zod-to-json-schema writes `z.object({ query: z.string(), limit: z.number().int().positive().optional(), tags: z.array(z.string()) })`. */
const ZOD_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    query: { type: 'string' },
    limit: { type: 'integer', exclusiveMinimum: 0 },
    tags: { type: 'array', items: { type: 'string' } },
  },
  required: ['query', 'tags'],
  additionalProperties: false,
  $schema: 'http://json-schema.org/draft-07/schema#',
};

/** SEP-1330's titled single- and multi-select enums. */
const ELICITATION_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    titledSingle: { type: 'string', oneOf: [{ const: 'value1', title: 'First' }, { const: 'value2', title: 'Second' }, { const: 'value3', title: 'Third' }] },
    titledMulti: { type: 'array', minItems: 1, maxItems: 3, items: { anyOf: [{ const: 'value1' }, { const: 'value2' }, { const: 'value3' }] } },
  },
  required: [],
};

interface Case {
  readonly name: string;
  readonly run: (value: unknown) => unknown;
  readonly value: unknown;
}

const tool = compileSchema(TOOL_SCHEMA);
const cases: Case[] = [
  { name: 'tool schema, valid', run: tool, value: { city: 'Lyon', days: 3, units: 'metric' } },
  { name: 'tool schema, hand-written floor', run: handWrittenToolCheck, value: { city: 'Lyon', days: 3, units: 'metric' } },
  { name: 'tool schema, invalid (2 issues)', run: tool, value: { city: 7, extra: true } },
  { name: 'json_schema_2020_12_tool, valid', run: compileSchema(FIXTURE_SCHEMA), value: { name: 'Ada', address: { street: '1 Main St', city: 'Paris' } } },
  { name: 'zod draft-07, valid', run: compileSchema(ZOD_SCHEMA), value: { query: 'weather', limit: 5, tags: ['a', 'b'] } },
  { name: 'zod draft-07, invalid', run: compileSchema(ZOD_SCHEMA), value: { query: 'weather', limit: 0, tags: ['a', 2] } },
  { name: 'elicitation enums, valid', run: compileSchema(ELICITATION_SCHEMA), value: { titledSingle: 'value2', titledMulti: ['value1', 'value3'] } },
];

let sink = 0;

function handWrittenToolCheck(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['type'];
  const object = value as Record<string, unknown>;
  if (!Object.hasOwn(object, 'city')) return ['required'];
  for (const name in object) {
    if (!Object.hasOwn(object, name)) continue;
    const item = object[name];
    if (name === 'city') {
      if (typeof item !== 'string' || item.length < 1) return ['city'];
    } else if (name === 'days') {
      if (typeof item !== 'number' || !Number.isInteger(item) || item < 1 || item > 14) return ['days'];
    } else if (name === 'units') {
      if (item !== 'metric' && item !== 'imperial') return ['units'];
    } else return ['additionalProperties'];
  }
  return NONE;
}
const NONE: unknown[] = [];

/** Nanoseconds per call, median of the rounds. */
function measure(entry: Case): number {
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    for (let index = 0; index < ITERATIONS; index++) sink += (entry.run(entry.value) as unknown[]).length;
    samples.push(Number(process.hrtime.bigint() - start) / ITERATIONS);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
}

/** Scavenges (young-generation collections) while validating a valid value many times. */
async function scavengesDuring(entry: Case, iterations: number): Promise<number> {
  let scavenges = 0;
  const observer = new PerformanceObserver((list) => {
    for (const gc of list.getEntries()) if ((gc as unknown as { detail?: { kind?: number } }).detail?.kind === 1) scavenges++;
  });
  observer.observe({ entryTypes: ['gc'] });
  for (let index = 0; index < iterations; index++) sink += (entry.run(entry.value) as unknown[]).length;
  await new Promise((resolve) => setTimeout(resolve, 50)); // gc entries are delivered asynchronously
  observer.disconnect();
  return scavenges;
}

for (const entry of cases) measure({ ...entry }); // warm up every path before timing any
console.log(`Node ${process.version}, ${ITERATIONS} validations per round, median of ${ROUNDS} rounds\n`);
console.log('| case | ns per validation |\n| --- | ---: |');
for (const entry of cases) console.log(`| ${entry.name} | ${measure(entry).toFixed(0)} |`);
const valid = cases.filter((entry) => entry.name.endsWith('valid') && !entry.name.endsWith('invalid'));
console.log('\n| valid case | scavenges in 5,000,000 validations |\n| --- | ---: |');
for (const entry of valid) console.log(`| ${entry.name} | ${await scavengesDuring(entry, 5_000_000)} |`);
if (sink < 0) console.log(sink);
