import { type Check, type EvaluationState, isObject, quoteName } from './evaluation.js';

/**
 * The property names that keywords evaluated at one location of the value (the annotations of
 * `properties`, `patternProperties`, `additionalProperties` and `unevaluatedProperties`), kept
 * only while an `unevaluatedProperties` at that location needs them.
 */
export class EvaluatedProperties {
  /** Every property has been evaluated (an `unevaluatedProperties` below passed). */
  all = false;
  private names: Set<string> | null = null;

  /** Records that a keyword evaluated property `name`. */
  add(name: string): void {
    (this.names ??= new Set()).add(name);
  }

  /** Whether property `name` has been evaluated. */
  has(name: string): boolean {
    return this.all || (this.names !== null && this.names.has(name));
  }

  /** Takes in the annotations of a subschema that passed. */
  merge(other: EvaluatedProperties): void {
    if (other.all) this.all = true;
    else if (other.names !== null) for (const name of other.names) this.add(name);
  }
}

/**
 * The array items that keywords evaluated at one location of the value: the first `upTo`
 * (`prefixItems`, `items`, `unevaluatedItems`) and single indices (`contains`).
 */
export class EvaluatedItems {
  /** Every item before this index has been evaluated. */
  upTo = 0;
  private indices: Set<number> | null = null;

  /** Records that a keyword evaluated the item at `index`. */
  add(index: number): void {
    (this.indices ??= new Set()).add(index);
  }

  /** Whether the item at `index` has been evaluated. */
  has(index: number): boolean {
    return index < this.upTo || (this.indices !== null && this.indices.has(index));
  }

  /** Takes in the annotations of a subschema that passed. */
  merge(other: EvaluatedItems): void {
    if (other.upTo > this.upTo) this.upTo = other.upTo;
    if (other.indices !== null) for (const index of other.indices) this.add(index);
  }
}

/** What a branch of `anyOf`, `oneOf` or `if` replaced while it ran with annotations of its own. */
export interface BranchScope {
  readonly properties: EvaluatedProperties | null;
  readonly items: EvaluatedItems | null;
}

/**
 * Starts a branch whose annotations count only if it passes: fresh sets where the location
 * collects annotations, `undefined` (nothing to do) where it does not.
 */
export function openBranch(state: EvaluationState): BranchScope | undefined {
  if (state.properties === null && state.items === null) return undefined;
  const scope: BranchScope = { properties: state.properties, items: state.items };
  state.properties = scope.properties === null ? null : new EvaluatedProperties();
  state.items = scope.items === null ? null : new EvaluatedItems();
  return scope;
}

/** Ends a branch from `openBranch`: its annotations join the location's when it passed. */
export function closeBranch(state: EvaluationState, scope: BranchScope | undefined, passed: boolean): void {
  if (scope === undefined) return;
  if (passed) {
    if (scope.properties !== null) scope.properties.merge(state.properties!);
    if (scope.items !== null) scope.items.merge(state.items!);
  }
  state.properties = scope.properties;
  state.items = scope.items;
}

/** A keyword's subschema, or `false`: then anything it would apply to is an issue of its own. */
export type SubschemaOrFalse = Check | false;

/**
 * Wraps a schema's other keywords (`inner`) so that `unevaluatedProperties` and
 * `unevaluatedItems` run last, on what none of them (nor the subschemas they applied in place)
 * evaluated. On a valid result the location's enclosing collector learns that everything was
 * evaluated. Without either keyword at a location, nothing is collected there.
 */
export function withUnevaluated(inner: Check, properties: SubschemaOrFalse | undefined, items: SubschemaOrFalse | undefined): Check {
  return (value, state) => {
    if (properties !== undefined && isObject(value)) {
      const outer = state.properties;
      const own = new EvaluatedProperties();
      state.properties = own;
      let valid = inner(value, state);
      if (valid || (state.muted === 0 && !state.stopped)) valid = unevaluatedProperties(value, own, properties, state) && valid;
      state.properties = outer;
      if (valid && outer !== null) outer.all = true;
      return valid;
    }
    if (items !== undefined && Array.isArray(value)) {
      const outer = state.items;
      const own = new EvaluatedItems();
      state.items = own;
      let valid = inner(value, state);
      if (valid || (state.muted === 0 && !state.stopped)) valid = unevaluatedItems(value, own, items, state) && valid;
      state.items = outer;
      if (valid && outer !== null) outer.upTo = value.length;
      return valid;
    }
    return inner(value, state);
  };
}

function unevaluatedProperties(object: Record<string, unknown>, evaluated: EvaluatedProperties, check: SubschemaOrFalse, state: EvaluationState): boolean {
  let valid = true;
  for (const name in object) {
    if (!Object.hasOwn(object, name) || evaluated.has(name)) continue;
    const passed = check === false
      ? state.fail('unevaluatedProperties', `must NOT have unevaluated properties (${quoteName(name)})`)
      : state.descend(check, object[name], name);
    if (!passed) {
      valid = false;
      if (state.muted > 0 || state.stopped) return false;
    }
  }
  return valid;
}

function unevaluatedItems(array: readonly unknown[], evaluated: EvaluatedItems, check: SubschemaOrFalse, state: EvaluationState): boolean {
  let valid = true;
  for (let index = evaluated.upTo; index < array.length; index++) {
    if (evaluated.has(index)) continue;
    const passed = check === false
      ? state.fail('unevaluatedItems', `must NOT have unevaluated items (item ${index})`)
      : state.descend(check, array[index], index);
    if (!passed) {
      valid = false;
      if (state.muted > 0 || state.stopped) return false;
    }
  }
  return valid;
}
