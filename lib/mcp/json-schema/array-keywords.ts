import { canonicalKey, Equality, jsonEquality } from './equality.js';
import { type Check, type EvaluationState } from './evaluation.js';
import type { SubschemaOrFalse } from './unevaluated.js';

/** The keywords that apply to arrays. */

/** Up to this many items, `uniqueItems` compares pairs (no allocation); beyond, it hashes. */
const PAIRWISE_UNIQUE_MAX = 16;

/**
 * `prefixItems` and `items` (draft-07: `items` as a list and `additionalItems`): the first
 * items each pass their own schema, the others `rest` (`false`: there must be no others).
 * What they evaluate is recorded for `unevaluatedItems` when it is collecting.
 */
export function itemsCheck(prefix: readonly Check[], rest: SubschemaOrFalse | undefined, restKeyword: string): Check {
  return (value, state) => {
    const array = value as readonly unknown[];
    let valid = true;
    const prefixed = Math.min(prefix.length, array.length);
    for (let index = 0; index < prefixed; index++) {
      if (state.descend(prefix[index]!, array[index], index)) continue;
      valid = false;
      if (state.muted > 0 || state.stopped) return false;
    }
    if (state.items !== null && state.items.upTo < prefixed) state.items.upTo = prefixed;
    if (rest === undefined || array.length <= prefix.length) return valid;
    if (rest === false) return state.fail(restKeyword, `must NOT have more than ${prefix.length} items`);
    for (let index = prefix.length; index < array.length; index++) {
      if (state.descend(rest, array[index], index)) continue;
      valid = false;
      if (state.muted > 0 || state.stopped) return false;
    }
    if (state.items !== null) state.items.upTo = array.length;
    return valid;
  };
}

/** `contains` with `minContains` (default 1) and `maxContains`; the matching items are recorded for `unevaluatedItems`. */
export function containsCheck(check: Check, min: number, max: number | undefined): Check {
  const tooFew = `must contain at least ${min} matching item${min === 1 ? '' : 's'}`;
  const tooMany = `must contain at most ${max} matching item${max === 1 ? '' : 's'}`;
  return (value, state) => {
    const array = value as readonly unknown[];
    let count = 0;
    for (let index = 0; index < array.length; index++) {
      state.muted++;
      const matches = state.descend(check, array[index], index);
      state.muted--;
      if (state.stopped) return false;
      if (!matches) continue;
      count++;
      state.items?.add(index);
      // Without max and without anyone collecting, the answer is known at min.
      if (count >= min && max === undefined && state.items === null) return true;
    }
    if (count < min) return state.fail(min === 1 ? 'contains' : 'minContains', tooFew);
    if (max !== undefined && count > max) return state.fail('maxContains', tooMany);
    return true;
  };
}

/** `minItems` and `maxItems` (either may be undefined). */
export function itemCountCheck(min: number | undefined, max: number | undefined): Check {
  return (value, state) => {
    const length = (value as readonly unknown[]).length;
    if (min !== undefined && length < min) return state.fail('minItems', `must NOT have fewer than ${min} items`);
    if (max !== undefined && length > max) return state.fail('maxItems', `must NOT have more than ${max} items`);
    return true;
  };
}

/**
 * `uniqueItems: true`: no two items are equal as JSON. Short arrays compare pairs; long ones
 * key every item once (objects with sorted keys), linear in the array's size.
 */
export const uniqueItemsCheck: Check = (value, state: EvaluationState) => {
  const array = value as readonly unknown[];
  const depthLeft = state.limits.maxDepth - state.depth;
  if (array.length <= PAIRWISE_UNIQUE_MAX) {
    for (let second = 1; second < array.length; second++) {
      for (let first = 0; first < second; first++) {
        const equality = jsonEquality(array[first], array[second], depthLeft);
        if (equality === Equality.Equal) return duplicate(state, first, second);
      }
    }
    return true;
  }
  // Primitives are their own keys (a Map's SameValueZero: -0 is 0, 1 is not '1'); composites get a canonical key.
  const primitives = new Map<unknown, number>();
  const composites = new Map<string, number>();
  for (let index = 0; index < array.length; index++) {
    const item = array[index];
    const composite = typeof item === 'object' && item !== null;
    const key = composite ? canonicalKey(item, depthLeft) : item;
    if (composite && key === undefined) continue; // deeper than the depth limit: not compared
    const seen = composite ? composites : primitives;
    const first = seen.get(key);
    if (first !== undefined) return duplicate(state, first, index);
    seen.set(key, index);
  }
  return true;
};

function duplicate(state: EvaluationState, first: number, second: number): false {
  return state.fail('uniqueItems', `must NOT have duplicate items (items ${first} and ${second} are identical)`);
}
