/** Placeholder written where a value refers back to one of its own ancestors. */
export const CIRCULAR_MARKER = '[Circular]';

/**
 * Serializes any value to JSON text without ever throwing, so a handler's result can always be
 * sent. `undefined` (and functions or symbols at the top) become `null`; BigInt becomes its decimal
 * string; Map becomes an object (or an array of entries when a key is not a string or number);
 * Set becomes an array; Error becomes `{name, message}`; a circular reference becomes
 * `"[Circular]"`; a `toJSON` that throws becomes `"[Unserializable: <message>]"`.
 */
export function toJson(value: unknown): string {
  let text: string | undefined;
  try {
    // A replacer function makes JSON.stringify about twice as slow; most results do not need one.
    text = needsReplacer(value, 0) ? JSON.stringify(value, replaceSpecial) : JSON.stringify(value);
  } catch {
    // Circular structures and throwing toJSON land here: the slow path copes with both.
    text = JSON.stringify(normalize(value, []));
  }
  return text === undefined ? 'null' : text;
}

/** Nesting past which the fast-path check gives up (and cycles are left to the careful path). */
const MAX_FAST_PATH_DEPTH = 32;

/** True when `value` holds something plain `JSON.stringify` would lose or choke on. */
function needsReplacer(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null) return typeof value === 'bigint';
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

/** Objects and BigInts need a look; other primitives never need the replacer. */
function mayNeedReplacer(value: unknown): boolean {
  return (typeof value === 'object' && value !== null) || typeof value === 'bigint';
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

/** Builds a JSON-safe copy, tracking the ancestor chain so shared (non-circular) objects survive. */
function normalize(value: unknown, ancestors: object[]): unknown {
  if (typeof value !== 'object' || value === null) {
    return typeof value === 'bigint' ? value.toString() : value;
  }
  if (ancestors.includes(value)) return CIRCULAR_MARKER;
  let current: unknown = value;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    try {
      current = toJSON.call(value);
    } catch (error) {
      return `[Unserializable: ${error instanceof Error ? error.message : String(error)}]`;
    }
    if (typeof current !== 'object' || current === null) return normalize(current, ancestors);
  }
  current = replaceSpecial('', current);
  if (typeof current !== 'object' || current === null) return current;
  ancestors.push(value);
  let copy: unknown;
  if (Array.isArray(current)) {
    copy = current.map((item) => normalize(item, ancestors));
  } else {
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(current)) {
      result[key] = normalize((current as Record<string, unknown>)[key], ancestors);
    }
    copy = result;
  }
  ancestors.pop();
  return copy;
}
