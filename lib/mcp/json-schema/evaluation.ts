import type { EvaluatedItems, EvaluatedProperties } from './unevaluated.js';

/** One reason a value does not match its schema. */
export interface SchemaIssue {
  /** JSON Pointer (RFC 6901) to the offending part of the value: `''` for the value itself. */
  readonly path: string;
  /** The schema keyword that failed (`type`, `required`, ...), or the limit that stopped validation. */
  readonly keyword: string;
  /** What is wrong, for people: `must be string`, `must have required property 'name'`. */
  readonly message: string;
}

/** A compiled keyword or schema: true when `value` matches; failures are recorded on `state`. */
export type Check = (value: unknown, state: EvaluationState) => boolean;

/** The limits one validation runs under. */
export interface EvaluationLimits {
  readonly maxDepth: number;
  readonly maxIssues: number;
  readonly maxEvaluations: number;
}

/** Past this many characters a property name is cut short in paths and messages (hostile keys). */
const MAX_NAME_CHARS = 200;

/**
 * The state of one validation: where in the value it is (a stack of path segments, only turned
 * into a pointer when an issue is recorded, so a valid value allocates nothing), the issues so
 * far, whether issues are being muted (inside `anyOf`, `oneOf`, `not`, `if`, `contains`, where a
 * failing branch is not an issue), and the budgets that keep hostile values cheap.
 * A validator owns one and reuses it between calls.
 */
export class EvaluationState {
  /** The value's nesting at the current location: 0 for the root. */
  depth = 0;
  /** The issues recorded so far, `null` while there are none. */
  issues: SchemaIssue[] | null = null;
  /** Above 0 inside a branch whose failures are not issues of their own. */
  muted = 0;
  /** Set when the issue limit, the depth limit or the evaluation budget ends the validation. */
  stopped = false;
  /** Schema objects applied so far. */
  evaluations = 0;
  /** The properties evaluated at the current location, while an `unevaluatedProperties` needs them. */
  properties: EvaluatedProperties | null = null;
  /** The items evaluated at the current location, while an `unevaluatedItems` needs them. */
  items: EvaluatedItems | null = null;
  /** True while a validation runs on this state (a getter in the value could start another). */
  busy = false;
  private readonly path: (string | number)[] = [];

  constructor(readonly limits: EvaluationLimits) {}

  /** Makes the state ready for a new value. */
  begin(): void {
    this.depth = 0;
    this.issues = null;
    this.muted = 0;
    this.stopped = false;
    this.evaluations = 0;
    this.properties = null;
    this.items = null;
    this.busy = true;
  }

  /** Records an issue at the current location (unless muted or stopped); always returns false. */
  fail(keyword: string, message: string): false {
    if (this.muted === 0 && !this.stopped) this.record(keyword, message);
    return false;
  }

  /**
   * Applies `check` to the child `value` found at `segment` (a property name or an index), one
   * level deeper. Past `maxDepth` the child is not evaluated: the validation stops with an issue.
   */
  descend(check: Check, value: unknown, segment: string | number): boolean {
    if (this.depth >= this.limits.maxDepth) return this.halt(segment);
    this.path[this.depth++] = segment;
    const properties = this.properties;
    const items = this.items;
    this.properties = null;
    this.items = null;
    const valid = check(value, this);
    this.properties = properties;
    this.items = items;
    this.depth--;
    return valid;
  }

  /**
   * Whether `value` passes `check` at the current location, its failures muted and its
   * annotations dropped (`not`, `propertyNames`).
   */
  passes(check: Check, value: unknown): boolean {
    const properties = this.properties;
    const items = this.items;
    this.properties = null;
    this.items = null;
    this.muted++;
    const valid = check(value, this);
    this.muted--;
    this.properties = properties;
    this.items = items;
    return valid;
  }

  /** Counts one schema applied; false (with an issue that stops everything) past the budget. */
  count(): boolean {
    if (++this.evaluations <= this.limits.maxEvaluations) return true;
    this.stop('maxEvaluations', `needs more than ${this.limits.maxEvaluations} schema evaluations`);
    return false;
  }

  /** Ends the validation after something was thrown while reading the value. */
  abort(thrown: unknown): void {
    const overflow = thrown instanceof RangeError;
    this.stop(overflow ? 'maxDepth' : 'value', overflow ? 'is nested too deeply to validate' : 'could not be read');
  }

  /** The issues of the validation that just ended; the state is free again. */
  finish(valid: boolean): readonly SchemaIssue[] {
    this.busy = false;
    if (this.issues === null && !valid) this.record('schema', 'must match the schema');
    const issues = this.issues;
    this.issues = null;
    return issues === null ? NO_ISSUES : issues;
  }

  /** The current location as a JSON Pointer. */
  pointer(): string {
    let pointer = '';
    for (let index = 0; index < this.depth; index++) {
      const segment = this.path[index]!;
      pointer += typeof segment === 'number' ? `/${segment}` : `/${shorten(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`;
    }
    return pointer;
  }

  private halt(segment: string | number): false {
    this.path[this.depth++] = segment;
    this.stop('maxDepth', `is nested deeper than ${this.limits.maxDepth} levels`);
    this.depth--;
    return false;
  }

  /** Records why validation ends (even when muted), once, and ends it. */
  private stop(keyword: string, message: string): void {
    if (this.stopped) return;
    this.record(keyword, message);
    this.stopped = true;
  }

  private record(keyword: string, message: string): void {
    const issue: SchemaIssue = { path: this.pointer(), keyword, message };
    if (this.issues === null) this.issues = [issue];
    else this.issues.push(issue);
    if (this.issues.length >= this.limits.maxIssues) this.stopped = true;
  }
}

/** What a valid value gets: one shared, frozen empty list. */
export const NO_ISSUES: readonly SchemaIssue[] = Object.freeze([]);

/** The `true` schema, and any schema without assertions. */
export const ALWAYS_VALID: Check = () => true;

/**
 * Runs `checks` in order: all of them while issues are being collected, up to the first failure
 * when muted or stopped (the answer is known).
 */
export function runChecks(checks: readonly Check[], value: unknown, state: EvaluationState): boolean {
  let valid = true;
  for (let index = 0; index < checks.length; index++) {
    if (!checks[index]!(value, state)) {
      valid = false;
      if (state.muted > 0 || state.stopped) return false;
    }
  }
  return valid;
}

/** A property name for a message: quoted, and cut short when it is very long. */
export function quoteName(name: string): string {
  return `'${shorten(name)}'`;
}

/** A JSON value for a message (an enum's or const's), or `undefined` when too long to help. */
export function describeValue(value: unknown, maxChars: number): string | undefined {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    return undefined; // a cycle or a BigInt in a schema built in code
  }
  return text !== undefined && text.length <= maxChars ? text : undefined;
}

/** True for a JSON object: not null, not an array. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shorten(name: string): string {
  return name.length > MAX_NAME_CHARS ? `${name.slice(0, MAX_NAME_CHARS)}…` : name;
}
