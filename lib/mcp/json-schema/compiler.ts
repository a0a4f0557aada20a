import { containsCheck, itemCountCheck, itemsCheck, uniqueItemsCheck } from './array-keywords.js';
import {
  constCheck, enumCheck, formatCheck, maxLengthCheck, maximumCheck, minimumCheck, minLengthCheck, multipleOfCheck, patternCheck, typeCheck,
} from './assertions.js';
import { allOfCheck, anyOfCheck, conditionalCheck, notCheck, oneOfCheck } from './combinators.js';
import { DEFAULT_DIALECT } from './dialects.js';
import { ignoresSiblings, type JsonSchema, SchemaDocument, type SchemaSite } from './document.js';
import { SchemaError } from './errors.js';
import { ALWAYS_VALID, type Check, describeValue, isObject, runChecks } from './evaluation.js';
import { FORMAT_TESTS } from './formats.js';
import {
  invalidKeyword, keywordValue, readBoolean, readCount, readNumber, readRegex, readString, readStringList, readSubschema, readSubschemaList,
  readSubschemaMap, readTypes,
} from './keyword-values.js';
import {
  dependentRequiredCheck, dependentSchemasCheck, type PatternProperty, propertiesCheck, propertyCountCheck, propertyNamesCheck, requiredCheck,
} from './object-keywords.js';
import { type SubschemaOrFalse, withUnevaluated } from './unevaluated.js';

/** How schemas are compiled. */
export interface CompilerSettings {
  /** Assert the formats of `FORMAT_TESTS` instead of treating `format` as an annotation. */
  readonly assertFormats: boolean;
}

/** A schema object compiled, or being compiled (a `$ref` to an enclosing schema). */
interface CompiledSchema {
  check: Check;
  ready: boolean;
  readonly site: SchemaSite;
  /** What it applies to the same value (`$ref`, `allOf`...): an infinite loop if this ever cycles. */
  readonly inPlace: CompiledSchema[];
}

/** The keywords that apply to one kind of value, run only for that kind. */
interface KeywordChecks {
  readonly any: Check[];
  readonly string: Check[];
  readonly number: Check[];
  readonly array: Check[];
  readonly object: Check[];
}

/** Up to this length, an `anyOf`/`oneOf` of `const` branches is described by its values. */
const MAX_DESCRIBED_CHARS = 160;

const FALSE_CHECK: Check = (_value, state) => state.fail('false', 'is not allowed (the schema is false)');

/**
 * Compiles a schema document into one check: every subschema once (a subschema reached twice,
 * or recursively through `$ref`, is shared), every keyword checked for its type on the way.
 * @throws SchemaError for a schema that is invalid or unsupported.
 */
export function compileDocument(schema: JsonSchema, settings: CompilerSettings): Check {
  const compiler = new SchemaCompiler(new SchemaDocument(schema, DEFAULT_DIALECT), settings);
  const root = compiler.compile(compiler.document.root);
  compiler.rejectInPlaceCycles();
  return root.check;
}

class SchemaCompiler {
  private readonly compiled = new Map<object, CompiledSchema[]>();

  constructor(readonly document: SchemaDocument, private readonly settings: CompilerSettings) {}

  /** The compiled form of the subschema at `site` (shared when it was compiled already). */
  compile(site: SchemaSite): CompiledSchema {
    const schema = site.schema;
    if (typeof schema === 'boolean') return { check: schema ? ALWAYS_VALID : FALSE_CHECK, ready: true, site, inPlace: [] };
    if (!isObject(schema)) throw new SchemaError(`${site.location}: a schema must be an object or a boolean`);
    const known = this.compiled.get(schema) ?? [];
    const existing = known.find((entry) => entry.site.base === site.base && entry.site.dialect === site.dialect);
    if (existing !== undefined) return existing;
    const entry: CompiledSchema = { check: ALWAYS_VALID, ready: false, site, inPlace: [] };
    this.compiled.set(schema, [...known, entry]);
    entry.check = this.build(entry);
    entry.ready = true;
    return entry;
  }

  /** @throws SchemaError when subschemas apply one another to the same value forever. */
  rejectInPlaceCycles(): void {
    const state = new Map<CompiledSchema, 'open' | 'done'>();
    const visit = (entry: CompiledSchema, trail: CompiledSchema[]): void => {
      state.set(entry, 'open');
      for (const next of entry.inPlace) {
        if (state.get(next) === 'open') {
          const cycle = [...trail.slice(trail.indexOf(next)), entry, next].map((item) => item.site.location).join(' -> ');
          throw new SchemaError(`${next.site.location}: the schema applies itself to the same value without end (${cycle})`);
        }
        if (state.get(next) === undefined) visit(next, [...trail, entry]);
      }
      state.set(entry, 'done');
    };
    for (const entries of this.compiled.values()) for (const entry of entries) if (state.get(entry) === undefined) visit(entry, []);
  }

  private build(self: CompiledSchema): Check {
    const site = self.site;
    const checks: KeywordChecks = { any: [], string: [], number: [], array: [], object: [] };
    const reference = readString(site, '$ref');
    if (reference !== undefined) checks.any.push(this.applyInPlace(self, this.document.resolve(reference, site)));
    // Compiled even when nothing refers to them: an invalid definition is an invalid schema.
    const definitions = site.dialect === 'draft-07' ? 'definitions' : '$defs';
    for (const [name, schema] of readSubschemaMap(site, definitions) ?? []) this.compile(this.document.child(site, schema, definitions, name));
    if (ignoresSiblings(site.schema as Record<string, unknown>, site.dialect)) return node(checks);
    if (site.dialect !== 'draft-07' && keywordValue(site, '$dynamicRef') !== undefined) {
      throw new SchemaError(`${site.location}: unsupported keyword $dynamicRef (use $ref)`);
    }
    this.addAssertions(site, checks);
    this.addCombinators(self, checks);
    this.addArrayKeywords(site, checks);
    this.addObjectKeywords(self, checks);
    if (site.dialect === 'draft-07') return node(checks);
    const unevaluatedProperties = this.subschemaOrFalse(site, 'unevaluatedProperties');
    const unevaluatedItems = this.subschemaOrFalse(site, 'unevaluatedItems');
    if (unevaluatedProperties === undefined && unevaluatedItems === undefined) return node(checks);
    return withUnevaluated(node(checks), unevaluatedProperties, unevaluatedItems);
  }

  private addAssertions(site: SchemaSite, checks: KeywordChecks): void {
    const types = readTypes(site);
    if (types !== undefined) checks.any.push(typeCheck(types));
    const allowed = keywordValue(site, 'enum');
    if (allowed !== undefined) {
      if (!Array.isArray(allowed)) throw invalidKeyword(site, 'enum', 'an array');
      checks.any.push(enumCheck(allowed));
    }
    if (Object.hasOwn(site.schema as object, 'const')) checks.any.push(constCheck(keywordValue(site, 'const')));
    const minLength = readCount(site, 'minLength');
    if (minLength !== undefined && minLength > 0) checks.string.push(minLengthCheck(minLength));
    const maxLength = readCount(site, 'maxLength');
    if (maxLength !== undefined) checks.string.push(maxLengthCheck(maxLength));
    const pattern = readString(site, 'pattern');
    if (pattern !== undefined) checks.string.push(patternCheck(readRegex(site, 'pattern', pattern)));
    const format = readString(site, 'format');
    const formatTest = format === undefined || !this.settings.assertFormats ? undefined : FORMAT_TESTS.get(format);
    if (formatTest !== undefined) checks.string.push(formatCheck(format!, formatTest));
    this.addBounds(site, checks, 'minimum', 'exclusiveMinimum', minimumCheck);
    this.addBounds(site, checks, 'maximum', 'exclusiveMaximum', maximumCheck);
    const multipleOf = readNumber(site, 'multipleOf');
    if (multipleOf !== undefined) {
      if (multipleOf <= 0) throw invalidKeyword(site, 'multipleOf', 'a number greater than 0');
      checks.number.push(multipleOfCheck(multipleOf));
    }
  }

  /** `minimum`/`exclusiveMinimum` (or the maxima); draft-07 also takes draft-04's boolean `exclusive*`. */
  private addBounds(site: SchemaSite, checks: KeywordChecks, inclusive: string, exclusive: string, bound: (limit: number, exclusive: boolean) => Check): void {
    const limit = readNumber(site, inclusive);
    const exclusiveValue = keywordValue(site, exclusive);
    if (typeof exclusiveValue === 'boolean' && site.dialect === 'draft-07') {
      if (limit !== undefined) checks.number.push(bound(limit, exclusiveValue));
      return;
    }
    if (typeof exclusiveValue === 'boolean') {
      throw invalidKeyword(site, exclusive, `a number in JSON Schema 2020-12 (the boolean form is draft-04's: write "${exclusive}": <limit>)`);
    }
    if (limit !== undefined) checks.number.push(bound(limit, false));
    const exclusiveLimit = readNumber(site, exclusive);
    if (exclusiveLimit !== undefined) checks.number.push(bound(exclusiveLimit, true));
  }

  private addCombinators(self: CompiledSchema, checks: KeywordChecks): void {
    const site = self.site;
    const branches = (keyword: string): Check[] | undefined =>
      readSubschemaList(site, keyword)?.map((schema, index) => this.applyInPlace(self, this.document.child(site, schema, keyword, index)));
    const allOf = branches('allOf');
    if (allOf !== undefined) checks.any.push(allOfCheck(allOf));
    const anyOf = branches('anyOf');
    if (anyOf !== undefined) checks.any.push(anyOfCheck(anyOf, branchesMessage(site, 'anyOf', 'must match a schema in anyOf')));
    const oneOf = branches('oneOf');
    if (oneOf !== undefined) checks.any.push(oneOfCheck(oneOf, branchesMessage(site, 'oneOf', 'must match exactly one schema in oneOf')));
    const inPlace = (keyword: string): Check | undefined => {
      const schema = readSubschema(site, keyword);
      return schema === undefined ? undefined : this.applyInPlace(self, this.document.child(site, schema, keyword));
    };
    const not = inPlace('not');
    if (not !== undefined) checks.any.push(notCheck(not));
    const condition = inPlace('if');
    const then = condition === undefined ? undefined : inPlace('then');
    const otherwise = condition === undefined ? undefined : inPlace('else');
    if (condition !== undefined) checks.any.push(conditionalCheck(condition, then, otherwise));
  }

  private addArrayKeywords(site: SchemaSite, checks: KeywordChecks): void {
    const draft07 = site.dialect === 'draft-07';
    const itemsValue = keywordValue(site, 'items');
    if (!draft07 && Array.isArray(itemsValue)) {
      throw invalidKeyword(site, 'items', 'a schema in JSON Schema 2020-12 (an array of schemas is the draft-07 form: use prefixItems)');
    }
    const prefixSchemas = draft07 ? (Array.isArray(itemsValue) ? readSubschemaList(site, 'items') : undefined) : readSubschemaList(site, 'prefixItems');
    const prefixKeyword = draft07 ? 'items' : 'prefixItems';
    const prefix = (prefixSchemas ?? []).map((schema, index) => this.compileChild(site, schema, prefixKeyword, index));
    const restKeyword = draft07 && prefixSchemas !== undefined ? 'additionalItems' : 'items';
    const rest = this.subschemaOrFalse(site, restKeyword);
    if (prefix.length > 0 || rest !== undefined) checks.array.push(itemsCheck(prefix, rest, restKeyword));
    const contains = readSubschema(site, 'contains');
    if (contains !== undefined) {
      const min = draft07 ? 1 : readCount(site, 'minContains') ?? 1;
      const max = draft07 ? undefined : readCount(site, 'maxContains');
      checks.array.push(containsCheck(this.compileChild(site, contains, 'contains'), min, max));
    }
    const minItems = readCount(site, 'minItems');
    const maxItems = readCount(site, 'maxItems');
    if (minItems !== undefined || maxItems !== undefined) checks.array.push(itemCountCheck(minItems, maxItems));
    if (readBoolean(site, 'uniqueItems') === true) checks.array.push(uniqueItemsCheck);
  }

  private addObjectKeywords(self: CompiledSchema, checks: KeywordChecks): void {
    const site = self.site;
    const required = readStringList(site, 'required');
    if (required !== undefined && required.length > 0) checks.object.push(requiredCheck(required));
    const properties = readSubschemaMap(site, 'properties') ?? [];
    const patterns: PatternProperty[] = (readSubschemaMap(site, 'patternProperties') ?? []).map(([source, schema]) => ({
      regex: readRegex(site, 'patternProperties', source),
      check: this.compileChild(site, schema, 'patternProperties', source),
    }));
    const additional = this.subschemaOrFalse(site, 'additionalProperties');
    if (properties.length > 0 || patterns.length > 0 || additional !== undefined) {
      const names = properties.map(([name]) => name);
      const subschemas = properties.map(([name, schema]) => this.compileChild(site, schema, 'properties', name));
      checks.object.push(propertiesCheck(names, subschemas, patterns, additional));
    }
    const propertyNames = readSubschema(site, 'propertyNames');
    if (propertyNames !== undefined) checks.object.push(propertyNamesCheck(this.compileChild(site, propertyNames, 'propertyNames')));
    const minProperties = readCount(site, 'minProperties');
    const maxProperties = readCount(site, 'maxProperties');
    if (minProperties !== undefined || maxProperties !== undefined) checks.object.push(propertyCountCheck(minProperties, maxProperties));
    const dependentRequired: [string, readonly string[]][] = [];
    const dependentSchemas: [string, Check][] = [];
    // 2020-12 split draft-07's dependencies in two; the old keyword keeps working (as the suite's optional tests allow).
    const dependencies = site.dialect === 'draft-07' ? ['dependencies'] : ['dependentRequired', 'dependentSchemas', 'dependencies'];
    for (const keyword of dependencies) {
      const map = keywordValue(site, keyword);
      if (map === undefined) continue;
      if (!isObject(map)) throw invalidKeyword(site, keyword, 'an object');
      for (const [name, value] of Object.entries(map)) {
        if (keyword !== 'dependentSchemas' && (keyword === 'dependentRequired' || Array.isArray(value))) {
          dependentRequired.push([name, readStringList(site, `${keyword}/${name}`, value)!]);
        } else if (typeof value === 'boolean' || isObject(value)) {
          dependentSchemas.push([name, this.applyInPlace(self, this.document.child(site, value, keyword, name))]);
        } else {
          throw invalidKeyword(site, `${keyword}/${name}`, 'a schema (an object or a boolean)');
        }
      }
    }
    if (dependentRequired.length > 0) checks.object.push(dependentRequiredCheck(dependentRequired));
    if (dependentSchemas.length > 0) checks.any.push(onObjects(dependentSchemasCheck(dependentSchemas)));
  }

  /** A subschema applied to children of the value. */
  private compileChild(site: SchemaSite, schema: JsonSchema, ...segments: (string | number)[]): Check {
    return checkOf(this.compile(this.document.child(site, schema, ...segments)));
  }

  /** A subschema applied to the value itself, remembered to find cycles. */
  private applyInPlace(self: CompiledSchema, target: SchemaSite): Check {
    const compiled = this.compile(target);
    self.inPlace.push(compiled);
    return checkOf(compiled);
  }

  /** A subschema keyword, with `false` kept apart so the keyword can say what it forbids. */
  private subschemaOrFalse(site: SchemaSite, keyword: string): SubschemaOrFalse | undefined {
    const schema = readSubschema(site, keyword);
    if (schema === undefined || schema === true) return schema === true ? ALWAYS_VALID : undefined;
    return schema === false ? false : this.compileChild(site, schema, keyword);
  }
}

/** The check of a compiled schema; one that calls through while it is still being compiled. */
function checkOf(compiled: CompiledSchema): Check {
  return compiled.ready ? compiled.check : (value, state) => compiled.check(value, state);
}

/**
 * One schema object: its keywords for any value first (in-place applicators among them, so
 * their annotations are in before `unevaluated*`), then those for the value's kind.
 */
function node(checks: KeywordChecks): Check {
  const any = combine(checks.any);
  const string = combine(checks.string);
  const number = combine(checks.number);
  const array = combine(checks.array);
  const object = combine(checks.object);
  if (any === undefined && string === undefined && number === undefined && array === undefined && object === undefined) return ALWAYS_VALID;
  return (value, state) => {
    if (!state.count()) return false;
    const valid = any === undefined || any(value, state);
    if (!valid && (state.muted > 0 || state.stopped)) return false;
    let kind: Check | undefined;
    switch (typeof value) {
      case 'string':
        kind = string;
        break;
      case 'number':
        kind = number;
        break;
      case 'object':
        kind = value === null ? undefined : Array.isArray(value) ? array : object;
        break;
      default:
        return valid;
    }
    return (kind === undefined || kind(value, state)) && valid;
  };
}

/** Several checks as one: the check itself when there is one, `undefined` when none. */
function combine(checks: readonly Check[]): Check | undefined {
  if (checks.length <= 1) return checks[0];
  return (value, state) => runChecks(checks, value, state);
}

function onObjects(check: Check): Check {
  return (value, state) => !isObject(value) || check(value, state);
}

/** The failure message of `anyOf`/`oneOf`: its values when every branch is a `const`. */
function branchesMessage(site: SchemaSite, keyword: string, fallback: string): string {
  const branches = keywordValue(site, keyword) as readonly JsonSchema[];
  if (!branches.every((branch) => isObject(branch) && Object.hasOwn(branch, 'const'))) return fallback;
  const described = branches.map((branch) => describeValue((branch as Record<string, unknown>).const, MAX_DESCRIBED_CHARS));
  const listed = described.join(', ');
  return described.includes(undefined) || listed.length > MAX_DESCRIBED_CHARS ? fallback : `must be one of ${listed}`;
}
