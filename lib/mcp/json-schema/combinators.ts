import { type Check, type EvaluationState, runChecks } from './evaluation.js';
import { closeBranch, openBranch } from './unevaluated.js';

/**
 * The keywords that apply subschemas to the same value: `allOf`, `anyOf`, `oneOf`, `not`,
 * `if`/`then`/`else`. The failures of a branch that may fail (`anyOf`, `oneOf`, `not`, `if`) are
 * muted: the keyword reports one issue of its own. Where `unevaluated*` collects annotations,
 * every branch runs (annotations come from all that pass); elsewhere `anyOf` stops at the first
 * branch that passes and `oneOf` at the second.
 */

/** `allOf`: every subschema; their failures are the value's own. */
export function allOfCheck(checks: readonly Check[]): Check {
  return (value, state) => runChecks(checks, value, state);
}

/** `anyOf`: at least one subschema. */
export function anyOfCheck(checks: readonly Check[], message: string): Check {
  return (value, state) => {
    let passed = false;
    for (let index = 0; index < checks.length; index++) {
      const scope = openBranch(state);
      state.muted++;
      const valid = checks[index]!(value, state);
      state.muted--;
      closeBranch(state, scope, valid);
      if (state.stopped) return false;
      if (!valid) continue;
      passed = true;
      if (scope === undefined) return true;
    }
    return passed || state.fail('anyOf', message);
  };
}

/** `oneOf`: exactly one subschema. */
export function oneOfCheck(checks: readonly Check[], message: string): Check {
  return (value, state) => {
    let first = -1;
    for (let index = 0; index < checks.length; index++) {
      const scope = openBranch(state);
      state.muted++;
      const valid = checks[index]!(value, state);
      state.muted--;
      // Only the one that passes may leave annotations; a second one fails the keyword anyway.
      closeBranch(state, scope, valid && first === -1);
      if (state.stopped) return false;
      if (!valid) continue;
      if (first !== -1) return state.fail('oneOf', `must match exactly one schema in oneOf (matches ${first} and ${index})`);
      first = index;
    }
    return first !== -1 || state.fail('oneOf', message);
  };
}

/** `not`: the subschema fails. */
export function notCheck(check: Check): Check {
  return (value, state) => !state.passes(check, value) || state.fail('not', 'must NOT be valid against the schema in not');
}

/**
 * `if`/`then`/`else`: `then` when the value passes `if`, `else` when it does not; either may be
 * missing. `if` alone asserts nothing and only runs where its annotations are collected.
 */
export function conditionalCheck(condition: Check, then: Check | undefined, otherwise: Check | undefined): Check {
  return (value, state: EvaluationState) => {
    if (then === undefined && otherwise === undefined && state.properties === null && state.items === null) return true;
    const scope = openBranch(state);
    state.muted++;
    const matched = condition(value, state);
    state.muted--;
    closeBranch(state, scope, matched);
    if (state.stopped) return false;
    const branch = matched ? then : otherwise;
    return branch === undefined || branch(value, state);
  };
}
