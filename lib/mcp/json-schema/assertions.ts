import { codePointLength, Equality, jsonEquality } from './equality.js';
import { type Check, describeValue, type EvaluationState } from './evaluation.js';
import type { FormatTest } from './formats.js';

/**
 * The assertion keywords: `type`, `enum`, `const`, and those that apply to one kind of value
 * (strings, numbers). Each builder takes the keyword's value, already checked by the compiler,
 * and returns a check that allocates nothing when the value passes.
 */

/** The JSON Schema type names. */
export const TYPE_NAMES = ['null', 'boolean', 'object', 'array', 'number', 'string', 'integer'] as const;

/** One of the JSON Schema type names. */
export type TypeName = (typeof TYPE_NAMES)[number];

/** Past this length an `enum` or `const` is described as "the allowed values" rather than listed. */
const MAX_DESCRIBED_CHARS = 160;

const TYPE_BITS: Readonly<Record<TypeName, number>> = { null: 1, boolean: 2, object: 4, array: 8, number: 16, string: 32, integer: 64 };

/**
 * The type bits of a value. A number is also `integer` when it has no fraction (`1.0` too);
 * what JSON cannot carry (`undefined`, functions, `NaN`, `Infinity`, BigInt) has none.
 */
function typeBitsOf(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return TYPE_BITS.string;
    case 'number':
      if (!Number.isFinite(value)) return 0;
      return Number.isInteger(value) ? TYPE_BITS.number | TYPE_BITS.integer : TYPE_BITS.number;
    case 'boolean':
      return TYPE_BITS.boolean;
    case 'object':
      return value === null ? TYPE_BITS.null : Array.isArray(value) ? TYPE_BITS.array : TYPE_BITS.object;
    default:
      return 0;
  }
}

/** `type`: one name or several. */
export function typeCheck(types: readonly TypeName[]): Check {
  let mask = 0;
  for (const type of types) mask |= TYPE_BITS[type];
  const message = `must be ${types.join(' or ')}`;
  return (value, state) => (typeBitsOf(value) & mask) !== 0 || state.fail('type', message);
}

/** `enum`: equal (as JSON) to one of `values`. */
export function enumCheck(values: readonly unknown[]): Check {
  const primitives = new Set(values.filter((value) => typeof value !== 'object' || value === null));
  const composites = values.filter((value) => typeof value === 'object' && value !== null);
  const described = values.map((value) => describeValue(value, MAX_DESCRIBED_CHARS));
  const listed = described.join(', ');
  const message = described.includes(undefined) || listed.length > MAX_DESCRIBED_CHARS || values.length === 0
    ? 'must be equal to one of the allowed values'
    : `must be one of ${listed}`;
  return (value, state) => {
    if (primitives.has(value)) return true;
    if (typeof value === 'object' && value !== null) {
      for (const allowed of composites) {
        const equality = jsonEquality(value, allowed, state.limits.maxDepth - state.depth);
        if (equality === Equality.Equal) return true;
      }
    }
    return state.fail('enum', message);
  };
}

/** `const`: equal (as JSON) to `expected`. */
export function constCheck(expected: unknown): Check {
  const described = describeValue(expected, MAX_DESCRIBED_CHARS);
  const message = described === undefined ? 'must be equal to the constant' : `must be equal to ${described}`;
  if (typeof expected !== 'object' || expected === null) return (value, state) => value === expected || state.fail('const', message);
  return (value, state) => jsonEquality(value, expected, state.limits.maxDepth - state.depth) === Equality.Equal || state.fail('const', message);
}

/** `minLength`, in code points. */
export function minLengthCheck(limit: number): Check {
  const message = `must NOT have fewer than ${limit} characters`;
  return (value, state) => {
    const text = value as string;
    // A code point is one or two UTF-16 units: count only when the units cannot tell.
    if (text.length >= 2 * limit) return true;
    return (text.length >= limit && codePointLength(text) >= limit) || state.fail('minLength', message);
  };
}

/** `maxLength`, in code points. */
export function maxLengthCheck(limit: number): Check {
  const message = `must NOT have more than ${limit} characters`;
  return (value, state) => {
    const text = value as string;
    if (text.length <= limit) return true;
    return (text.length <= 2 * limit && codePointLength(text) <= limit) || state.fail('maxLength', message);
  };
}

/** `pattern`: `regex` (compiled once by the compiler) matches somewhere in the string. */
export function patternCheck(regex: RegExp): Check {
  const message = `must match pattern ${JSON.stringify(regex.source)}`;
  return (value, state) => regex.test(value as string) || state.fail('pattern', message);
}

/** `format`, when asserted. */
export function formatCheck(name: string, test: FormatTest): Check {
  const message = `must match format ${JSON.stringify(name)}`;
  return (value, state) => test(value as string) || state.fail('format', message);
}

/** `minimum` (`exclusive`: `exclusiveMinimum`). */
export function minimumCheck(limit: number, exclusive: boolean): Check {
  if (exclusive) {
    const message = `must be > ${limit}`;
    return (value, state) => (value as number) > limit || state.fail('exclusiveMinimum', message);
  }
  const message = `must be >= ${limit}`;
  return (value, state) => (value as number) >= limit || state.fail('minimum', message);
}

/** `maximum` (`exclusive`: `exclusiveMaximum`). */
export function maximumCheck(limit: number, exclusive: boolean): Check {
  if (exclusive) {
    const message = `must be < ${limit}`;
    return (value, state) => (value as number) < limit || state.fail('exclusiveMaximum', message);
  }
  const message = `must be <= ${limit}`;
  return (value, state) => (value as number) <= limit || state.fail('maximum', message);
}

/** `multipleOf`: see `isMultipleOf`. */
export function multipleOfCheck(divisor: number): Check {
  const message = `must be a multiple of ${divisor}`;
  return (value, state: EvaluationState) => isMultipleOf(value as number, divisor) || state.fail('multipleOf', message);
}

/**
 * Whether `value` is a multiple of `divisor`, tolerant of binary floating point: `0.3` is a
 * multiple of `0.1` although `0.3 / 0.1` is `2.9999999999999996`. The quotient counts as whole
 * within a few units in the last place; when it overflows, the exact remainder decides.
 */
export function isMultipleOf(value: number, divisor: number): boolean {
  if (Number.isInteger(value) && Number.isInteger(divisor)) return value % divisor === 0;
  const quotient = value / divisor;
  if (!Number.isFinite(quotient)) return value % divisor === 0;
  return Math.abs(quotient - Math.round(quotient)) <= Math.abs(quotient) * 4 * Number.EPSILON;
}
