import { HttpError } from './errors.js';

/** Placeholder written where a value refers back to one of its own ancestors. */
export const CIRCULAR_MARKER = '[Circular]';

/** Placeholder written where a value is nested deeper than `MAX_JSON_DEPTH`. */
export const TOO_DEEP_MARKER = '[Too deep]';

/**
 * Deepest nesting the careful path copies: 1,000 levels. V8's `JSON.stringify` recurses on the
 * native stack and gives up somewhere between 1,000 and 5,000 levels depending on the stack
 * left (a body of 3,000 nested arrays is 6 KB); real results are a few dozen levels deep.
 */
export const MAX_JSON_DEPTH = 1000;

/**
 * A handler's result (or stream item) that cannot be written as JSON faithfully: nested deeper
 * than `MAX_JSON_DEPTH`, or failing in a way no marker can stand for. Answered as
 * `500 {"code": "UNSERIALIZABLE_RESULT"}`.
 */
export class UnserializableResultError extends HttpError {
  constructor(reason: string) {
    super(500, `The result cannot be serialized as JSON: ${reason}`, { code: 'UNSERIALIZABLE_RESULT' });
    this.name = 'UnserializableResultError';
  }
}

/**
 * Serializes any value to JSON text without ever throwing, so a value can always be written.
 * `undefined` (and functions or symbols at the top) become `null`; BigInt becomes its decimal
 * string; Map becomes an object (or an array of entries when a key is not a string or number);
 * Set becomes an array; Error becomes `{name, message}`; a circular reference becomes
 * `"[Circular]"`; a `toJSON` or getter that throws becomes `"[Unserializable: <message>]"`;
 * anything nested deeper than `MAX_JSON_DEPTH` becomes `"[Too deep]"`.
 */
export function toJson(value: unknown): string {
  return serialize(value, false);
}

/**
 * What JSON cannot carry and a serialization replaced: a BigInt (written as its decimal string),
 * a function or symbol (left out, or `null` in an array or at the top), NaN or an infinity
 * (`null`), a reference back to an ancestor (`"[Circular]"`), a value whose `toJSON` or getter
 * threw (`"[Unserializable: …]"`). Maps, Sets, Errors and Dates are not counted: their forms are
 * documented conversions, not losses.
 */
export type ReplacedKind = 'BigInt' | 'function' | 'symbol' | 'NaN or Infinity' | 'circular reference' | 'unreadable value';

/** Told, once per serialization that had to replace anything, what it replaced. */
export interface ReplacementListener {
  /** `kinds` maps each kind replaced to the first property name where it was found (`''`: the value itself). */
  replaced(kinds: ReadonlyMap<ReplacedKind, string>): void;
}

/**
 * Like `toJson`, for answers: where `toJson` would cut a value off with `"[Too deep]"`, this
 * refuses it instead, so a client never receives a silently truncated result. `listener`, when
 * given, is told what was replaced (see `ReplacedKind`); plain data costs it nothing.
 * @throws UnserializableResultError when the value is nested deeper than `MAX_JSON_DEPTH`.
 */
export function toJsonStrict(value: unknown, listener?: ReplacementListener): string {
  return serialize(value, true, listener);
}

/** The kinds replaced so far, when someone listens (allocated on the first replacement). */
interface Replacements {
  listening: boolean;
  found: Map<ReplacedKind, string> | undefined;
}

function serialize(value: unknown, strict: boolean, listener?: ReplacementListener): string {
  let text: string | undefined;
  let replacements: Replacements | undefined;
  try {
    // A replacer function makes JSON.stringify about twice as slow; most results do not need one.
    if (needsReplacer(value, 0)) {
      replacements = { listening: listener !== undefined, found: undefined };
      text = JSON.stringify(value, listener === undefined ? replaceSpecial : recordingReplacer(replacements));
    } else {
      text = JSON.stringify(value);
    }
  } catch {
    // Circular structures, throwing toJSON or getters, and nesting too deep for V8's recursion
    // land here: the careful path copes with all of them.
    replacements = { listening: listener !== undefined, found: undefined };
    text = serializeCarefully(value, strict, replacements);
  }
  if (replacements?.found !== undefined) listener!.replaced(replacements.found);
  return text === undefined ? 'null' : text;
}

/** Notes the first place a kind of replacement was made, when someone listens. */
function note(replacements: Replacements, kind: ReplacedKind, key: string): void {
  if (!replacements.listening) return;
  replacements.found ??= new Map();
  if (!replacements.found.has(kind)) replacements.found.set(kind, key);
}

/** What JSON would lose of a primitive (or function), or `undefined` when it carries it. */
function lostKind(value: unknown): ReplacedKind | undefined {
  switch (typeof value) {
    case 'bigint':
      return 'BigInt';
    case 'function':
      return 'function';
    case 'symbol':
      return 'symbol';
    case 'number':
      return Number.isFinite(value) ? undefined : 'NaN or Infinity';
    default:
      return undefined;
  }
}

/** `replaceSpecial`, noting what it meets that JSON cannot carry. */
function recordingReplacer(replacements: Replacements): (key: string, value: unknown) => unknown {
  return (key, value) => {
    const kind = lostKind(value);
    if (kind !== undefined) note(replacements, kind, key);
    return replaceSpecial(key, value);
  };
}

/** What the careful copy had to leave out or replace. */
interface CopyState {
  truncated: boolean;
  replacements: Replacements;
}

function serializeCarefully(value: unknown, strict: boolean, replacements: Replacements): string | undefined {
  const state: CopyState = { truncated: false, replacements };
  let text: string | undefined;
  try {
    const copy = normalize(value, '', new Set(), 0, state);
    if (strict && state.truncated) throw new UnserializableResultError(`nested deeper than ${MAX_JSON_DEPTH} levels`);
    // Plain data no deeper than MAX_JSON_DEPTH: within what JSON.stringify handles from a
    // shallow stack.
    text = JSON.stringify(copy);
  } catch (error) {
    if (error instanceof UnserializableResultError) throw error;
    // A stack overflow (the copy is depth-bounded, but the caller's stack may already be deep)
    // or a Proxy refusing to list its keys: no marker can stand in for a part of the value.
    if (strict) throw new UnserializableResultError(describeError(error));
    text = JSON.stringify(unserializable(error));
  }
  return text;
}

/** The message of V8's RangeError when the call stack is exhausted. */
const STACK_OVERFLOW_MESSAGE = 'Maximum call stack size exceeded';

/** Nesting past which the fast-path check gives up (and cycles are left to the careful path). */
const MAX_FAST_PATH_DEPTH = 32;

/** True when `value` holds something plain `JSON.stringify` would lose or choke on. */
function needsReplacer(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null) return lostKind(value) !== undefined;
  if (depth > MAX_FAST_PATH_DEPTH) return true;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      if (mayNeedReplacer(value[index]) && needsReplacer(value[index], depth + 1)) return true;
    }
    return false;
  }
  // Plain objects, the common case, skip the three instanceof checks.
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    if (value instanceof Map || value instanceof Set || value instanceof Error) return true;
  }
  // for...in, unlike Object.keys, allocates nothing; an inherited enumerable property can only
  // send the value down the (equally correct) replacer path.
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    if (mayNeedReplacer(item) && needsReplacer(item, depth + 1)) return true;
  }
  return false;
}

/**
 * Objects, BigInts, functions, symbols and NaN or infinities need a look; strings, booleans,
 * finite numbers, null and undefined never need the replacer.
 */
function mayNeedReplacer(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return false;
    case 'number':
      return !Number.isFinite(value);
    default:
      return value !== null;
  }
}

function replaceSpecial(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Map) return mapToJson(value);
  if (value instanceof Set) return Array.from(value);
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

function mapToJson(map: Map<unknown, unknown>): unknown {
  for (const key of map.keys()) {
    if (typeof key !== 'string' && typeof key !== 'number') return Array.from(map.entries());
  }
  return Object.fromEntries(map);
}

/**
 * Builds a JSON-safe copy no deeper than `MAX_JSON_DEPTH`, tracking the ancestor chain so shared
 * (non-circular) objects survive. A throwing `toJSON` or getter becomes a marker in place.
 */
function normalize(value: unknown, at: string, ancestors: Set<object>, depth: number, state: CopyState): unknown {
  if (typeof value !== 'object' || value === null) {
    const kind = lostKind(value);
    if (kind === undefined) return value;
    note(state.replacements, kind, at);
    return typeof value === 'bigint' ? value.toString() : value;
  }
  if (ancestors.has(value)) {
    note(state.replacements, 'circular reference', at);
    return CIRCULAR_MARKER;
  }
  let current: unknown = value;
  try {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      current = toJSON.call(value);
      if (typeof current !== 'object' || current === null) return normalize(current, at, ancestors, depth, state);
    }
    current = replaceSpecial('', current);
  } catch (error) {
    if (isStackOverflow(error)) throw error;
    note(state.replacements, 'unreadable value', at);
    return unserializable(error);
  }
  if (typeof current !== 'object' || current === null) return current;
  if (depth >= MAX_JSON_DEPTH) {
    state.truncated = true;
    return TOO_DEEP_MARKER;
  }
  ancestors.add(value);
  let copy: unknown;
  if (Array.isArray(current)) {
    const items: unknown[] = new Array(current.length);
    for (let index = 0; index < current.length; index++) items[index] = normalize(current[index], String(index), ancestors, depth + 1, state);
    copy = items;
  } else {
    // No prototype, so a `__proto__` key is copied as data like any other.
    const result: Record<string, unknown> = Object.create(null);
    for (const key of Object.keys(current)) {
      let item: unknown;
      try {
        item = (current as Record<string, unknown>)[key];
      } catch (error) {
        if (isStackOverflow(error)) throw error;
        note(state.replacements, 'unreadable value', key);
        result[key] = unserializable(error);
        continue;
      }
      result[key] = normalize(item, key, ancestors, depth + 1, state);
    }
    copy = result;
  }
  ancestors.delete(value);
  return copy;
}

/** V8's RangeError for an exhausted call stack: the copy gives up on the whole value then. */
function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && error.message === STACK_OVERFLOW_MESSAGE;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The placeholder for a value whose `toJSON` or getter threw `error`: `"[Unserializable: <message>]"`. */
export function unserializable(error: unknown): string {
  return `[Unserializable: ${describeError(error)}]`;
}
