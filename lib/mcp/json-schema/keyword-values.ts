import { TYPE_NAMES, type TypeName } from './assertions.js';
import type { JsonSchema, SchemaSite } from './document.js';
import { SchemaError } from './errors.js';
import { isObject } from './evaluation.js';

/**
 * Reading a keyword's value from a schema object and checking its type, so that a schema that
 * is invalid for its dialect fails when it is compiled, with a message that says where, never
 * later on some value. Each reader returns `undefined` when the keyword is absent.
 */

/** A keyword's raw value, or `undefined` when the schema object has no such own property. */
export function keywordValue(site: SchemaSite, keyword: string): unknown {
  const schema = site.schema as Readonly<Record<string, unknown>>;
  return Object.hasOwn(schema, keyword) ? schema[keyword] : undefined;
}

/** The error for a keyword whose value is not what the dialect allows. */
export function invalidKeyword(site: SchemaSite, keyword: string, expected: string): SchemaError {
  return new SchemaError(`${site.location}: ${keyword} must be ${expected}`);
}

/** A finite number. */
export function readNumber(site: SchemaSite, keyword: string): number | undefined {
  const value = keywordValue(site, keyword);
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidKeyword(site, keyword, 'a number');
  return value;
}

/** A whole number, 0 or more (`2.0` is one). */
export function readCount(site: SchemaSite, keyword: string): number | undefined {
  const value = keywordValue(site, keyword);
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw invalidKeyword(site, keyword, 'a non-negative integer');
  return value;
}

/** A boolean. */
export function readBoolean(site: SchemaSite, keyword: string): boolean | undefined {
  const value = keywordValue(site, keyword);
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw invalidKeyword(site, keyword, 'a boolean');
  return value;
}

/** A string. */
export function readString(site: SchemaSite, keyword: string): string | undefined {
  const value = keywordValue(site, keyword);
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidKeyword(site, keyword, 'a string');
  return value;
}

/** An array of strings (`required`, a `dependentRequired` entry). */
export function readStringList(site: SchemaSite, keyword: string, value = keywordValue(site, keyword)): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw invalidKeyword(site, keyword, 'an array of strings');
  return value as string[];
}

/** `type`: a type name, or a non-empty array of distinct ones. */
export function readTypes(site: SchemaSite): readonly TypeName[] | undefined {
  const value = keywordValue(site, 'type');
  if (value === undefined) return undefined;
  const types = Array.isArray(value) ? value : [value];
  const known = (type: unknown): type is TypeName => TYPE_NAMES.includes(type as TypeName);
  if (types.length === 0 || !types.every(known) || new Set(types).size !== types.length) {
    throw invalidKeyword(site, 'type', `one of ${TYPE_NAMES.map((name) => `"${name}"`).join(', ')}, or an array of distinct ones`);
  }
  return types;
}

/** A subschema: an object or a boolean. */
export function readSubschema(site: SchemaSite, keyword: string): JsonSchema | undefined {
  const value = keywordValue(site, keyword);
  if (value === undefined) return undefined;
  if (!isSchema(value)) throw invalidKeyword(site, keyword, 'a schema (an object or a boolean)');
  return value;
}

/** A non-empty array of subschemas (`allOf`, `anyOf`, `oneOf`, `prefixItems`). */
export function readSubschemaList(site: SchemaSite, keyword: string): readonly JsonSchema[] | undefined {
  const value = keywordValue(site, keyword);
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0 || !value.every(isSchema)) throw invalidKeyword(site, keyword, 'a non-empty array of schemas');
  return value;
}

/** An object of subschemas (`properties`, `$defs`, ...), as its own entries. */
export function readSubschemaMap(site: SchemaSite, keyword: string): readonly (readonly [string, JsonSchema])[] | undefined {
  const value = keywordValue(site, keyword);
  if (value === undefined) return undefined;
  if (!isObject(value)) throw invalidKeyword(site, keyword, 'an object of schemas');
  const entries = Object.entries(value);
  for (const [name, subschema] of entries) {
    if (!isSchema(subschema)) throw invalidKeyword(site, `${keyword}/${name}`, 'a schema (an object or a boolean)');
  }
  return entries as [string, JsonSchema][];
}

/**
 * A regular expression of the schema, compiled once with the `u` flag, as JSON Schema asks
 * (ECMA-262 with Unicode semantics). A pattern only valid without it (identity escapes like
 * `\-` or `\@`, common in generated schemas) is compiled without it rather than refused.
 * @throws SchemaError when it compiles neither way.
 */
export function readRegex(site: SchemaSite, keyword: string, source: string): RegExp {
  try {
    return new RegExp(source, 'u');
  } catch {
    try {
      return new RegExp(source);
    } catch (error) {
      throw new SchemaError(`${site.location}: ${keyword} ${JSON.stringify(source)} is not a valid regular expression (${(error as Error).message})`);
    }
  }
}

/** True for what can be a schema: an object (not an array) or a boolean. */
export function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'boolean' || isObject(value);
}
