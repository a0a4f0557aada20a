import { ALWAYS_VALID, type Check, type EvaluationState, quoteName } from './evaluation.js';
import type { SubschemaOrFalse } from './unevaluated.js';

/**
 * The keywords that apply to objects. Every walk over an object's properties reads own
 * enumerable properties only (`Object.hasOwn`), so `__proto__` is an ordinary name and nothing
 * inherited is ever seen.
 */

/** One `patternProperties` entry: the compiled regular expression and its subschema. */
export interface PatternProperty {
  readonly regex: RegExp;
  readonly check: Check;
}

/**
 * `properties`, `patternProperties` and `additionalProperties` in one pass. Without patterns or
 * `additionalProperties` only the declared names are looked up; with them, the object's own
 * names are walked once. Every name a keyword applies to is recorded for
 * `unevaluatedProperties` when it is collecting.
 */
export function propertiesCheck(
  names: readonly string[],
  checks: readonly Check[],
  patterns: readonly PatternProperty[],
  additional: SubschemaOrFalse | undefined,
): Check {
  if (patterns.length === 0 && additional === undefined) return declaredPropertiesCheck(names, checks);
  const declared = new Map(names.map((name, index) => [name, checks[index]!]));
  return (value, state) => {
    const object = value as Record<string, unknown>;
    let valid = true;
    for (const name in object) {
      if (!Object.hasOwn(object, name)) continue;
      const check = declared.get(name);
      let matched = check !== undefined;
      if (matched) {
        state.properties?.add(name);
        if (check !== ALWAYS_VALID && !state.descend(check!, object[name], name)) {
          valid = false;
          if (state.muted > 0 || state.stopped) return false;
        }
      }
      for (let index = 0; index < patterns.length; index++) {
        const pattern = patterns[index]!;
        if (!pattern.regex.test(name)) continue;
        matched = true;
        state.properties?.add(name);
        if (!state.descend(pattern.check, object[name], name)) {
          valid = false;
          if (state.muted > 0 || state.stopped) return false;
        }
      }
      if (matched || additional === undefined) continue;
      state.properties?.add(name);
      const passed = additional === false
        ? state.fail('additionalProperties', `must NOT have additional properties (${quoteName(name)})`)
        : state.descend(additional, object[name], name);
      if (!passed) {
        valid = false;
        if (state.muted > 0 || state.stopped) return false;
      }
    }
    return valid;
  };
}

/** `properties` alone: each declared name the object has. */
function declaredPropertiesCheck(names: readonly string[], checks: readonly Check[]): Check {
  return (value, state) => {
    const object = value as Record<string, unknown>;
    let valid = true;
    for (let index = 0; index < names.length; index++) {
      const name = names[index]!;
      if (!Object.hasOwn(object, name)) continue;
      state.properties?.add(name);
      const check = checks[index]!;
      if (check !== ALWAYS_VALID && !state.descend(check, object[name], name)) {
        valid = false;
        if (state.muted > 0 || state.stopped) return false;
      }
    }
    return valid;
  };
}

/** `required`: each name is an own property. */
export function requiredCheck(names: readonly string[]): Check {
  const messages = names.map((name) => `must have required property ${quoteName(name)}`);
  return (value, state) => {
    const object = value as Record<string, unknown>;
    let valid = true;
    for (let index = 0; index < names.length; index++) {
      if (Object.hasOwn(object, names[index]!)) continue;
      valid = state.fail('required', messages[index]!);
      if (state.muted > 0 || state.stopped) return false;
    }
    return valid;
  };
}

/** `propertyNames`: every own property name, as a string, passes `check`. */
export function propertyNamesCheck(check: Check): Check {
  return (value, state) => {
    const object = value as Record<string, unknown>;
    let valid = true;
    for (const name in object) {
      if (!Object.hasOwn(object, name) || state.passes(check, name)) continue;
      valid = state.fail('propertyNames', `property name ${quoteName(name)} is invalid`);
      if (state.muted > 0 || state.stopped) return false;
    }
    return valid;
  };
}

/** `minProperties` and `maxProperties` (either may be undefined). */
export function propertyCountCheck(min: number | undefined, max: number | undefined): Check {
  return (value, state) => {
    const object = value as Record<string, unknown>;
    let count = 0;
    for (const name in object) if (Object.hasOwn(object, name)) count++;
    if (min !== undefined && count < min) return state.fail('minProperties', `must NOT have fewer than ${min} properties`);
    if (max !== undefined && count > max) return state.fail('maxProperties', `must NOT have more than ${max} properties`);
    return true;
  };
}

/** `dependentRequired` (and draft-07's `dependencies` with names): when `name` is present, so are `required`. */
export function dependentRequiredCheck(entries: readonly (readonly [name: string, required: readonly string[]])[]): Check {
  return (value, state) => {
    const object = value as Record<string, unknown>;
    let valid = true;
    for (const [name, required] of entries) {
      if (!Object.hasOwn(object, name)) continue;
      for (const other of required) {
        if (Object.hasOwn(object, other)) continue;
        valid = state.fail('dependentRequired', `must have property ${quoteName(other)} when property ${quoteName(name)} is present`);
        if (state.muted > 0 || state.stopped) return false;
      }
    }
    return valid;
  };
}

/** `dependentSchemas` (and draft-07's `dependencies` with schemas): when `name` is present, the object passes its schema. */
export function dependentSchemasCheck(entries: readonly (readonly [name: string, check: Check])[]): Check {
  return (value, state: EvaluationState) => {
    const object = value as Record<string, unknown>;
    let valid = true;
    for (const [name, check] of entries) {
      if (!Object.hasOwn(object, name) || check(object, state)) continue;
      valid = false;
      if (state.muted > 0 || state.stopped) return false;
    }
    return valid;
  };
}
