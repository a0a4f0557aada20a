/**
 * JSON equality (`const`, `enum`, `uniqueItems`) and string length in code points. Every walk
 * into a value is bounded by a depth budget, so a hostile value costs what its size costs and
 * never overflows the stack.
 */

/** The answer of a bounded comparison. */
export const enum Equality {
  Different = 0,
  Equal = 1,
  /** The values go deeper than the budget allowed: not compared. */
  TooDeep = 2,
}

/**
 * Compares two values as JSON: numbers by value (`1` equals `1.0`), arrays item by item,
 * objects by their own enumerable properties in any order. Gives up with `TooDeep` past
 * `depthLeft` levels of nesting.
 */
export function jsonEquality(a: unknown, b: unknown, depthLeft: number): Equality {
  if (a === b) return Equality.Equal;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Equality.Different;
  if (depthLeft <= 0) return Equality.TooDeep;
  const isArray = Array.isArray(a);
  if (isArray !== Array.isArray(b)) return Equality.Different;
  if (isArray) {
    const left = a as readonly unknown[];
    const right = b as readonly unknown[];
    if (left.length !== right.length) return Equality.Different;
    for (let index = 0; index < left.length; index++) {
      const equality = jsonEquality(left[index], right[index], depthLeft - 1);
      if (equality !== Equality.Equal) return equality;
    }
    return Equality.Equal;
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  let count = 0;
  for (const name in left) {
    if (!Object.hasOwn(left, name)) continue;
    if (!Object.hasOwn(right, name)) return Equality.Different;
    const equality = jsonEquality(left[name], right[name], depthLeft - 1);
    if (equality !== Equality.Equal) return equality;
    count++;
  }
  for (const name in right) if (Object.hasOwn(right, name)) count--;
  return count === 0 ? Equality.Equal : Equality.Different;
}

/**
 * A string that is the same for JSON-equal values and different otherwise (object keys sorted),
 * to find duplicates among many items in one pass; `undefined` past `depthLeft` levels.
 */
export function canonicalKey(value: unknown, depthLeft: number): string | undefined {
  if (typeof value !== 'object' || value === null) {
    // -0 and 0 are one JSON number; a string and a number never share a key (strings are quoted).
    return typeof value === 'string' ? JSON.stringify(value) : typeof value === 'number' ? String(value + 0) : String(value);
  }
  if (depthLeft <= 0) return undefined;
  let key: string;
  if (Array.isArray(value)) {
    key = '[';
    for (let index = 0; index < value.length; index++) {
      const item = canonicalKey(value[index], depthLeft - 1);
      if (item === undefined) return undefined;
      key += `${item},`;
    }
    return `${key}]`;
  }
  const object = value as Record<string, unknown>;
  key = '{';
  for (const name of Object.keys(object).sort()) {
    const item = canonicalKey(object[name], depthLeft - 1);
    if (item === undefined) return undefined;
    key += `${JSON.stringify(name)}:${item},`;
  }
  return `${key}}`;
}

/** The length of `text` in Unicode code points (a surrogate pair counts once), as JSON Schema counts. */
export function codePointLength(text: string): number {
  let length = text.length;
  for (let index = 0; index < text.length - 1; index++) {
    const unit = text.charCodeAt(index);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length--;
        index++;
      }
    }
  }
  return length;
}
