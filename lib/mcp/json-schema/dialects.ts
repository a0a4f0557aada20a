import { SchemaError } from './errors.js';

/**
 * The JSON Schema dialects the validator knows: 2020-12 (the default, as MCP 2025-11-25
 * requires) and draft-07 (what zod-to-json-schema and many older tools emit).
 */
export type Dialect = '2020-12' | 'draft-07';

/** Where, in a schema object of a dialect, subschemas are found. */
export interface SubschemaKeywords {
  /** Keywords whose value is one subschema. */
  readonly single: readonly string[];
  /** Keywords whose value is an array of subschemas. */
  readonly lists: readonly string[];
  /** Keywords whose value is an object of subschemas. */
  readonly maps: readonly string[];
}

const SUBSCHEMA_KEYWORDS: Readonly<Record<Dialect, SubschemaKeywords>> = {
  '2020-12': {
    single: ['additionalProperties', 'propertyNames', 'items', 'contains', 'not', 'if', 'then', 'else', 'unevaluatedItems', 'unevaluatedProperties'],
    lists: ['allOf', 'anyOf', 'oneOf', 'prefixItems'],
    maps: ['$defs', 'properties', 'patternProperties', 'dependentSchemas', 'dependencies'],
  },
  // items is one schema or a list; dependencies holds schemas and lists of names.
  'draft-07': {
    single: ['additionalProperties', 'propertyNames', 'items', 'additionalItems', 'contains', 'not', 'if', 'then', 'else'],
    lists: ['allOf', 'anyOf', 'oneOf', 'items'],
    maps: ['definitions', 'properties', 'patternProperties', 'dependencies'],
  },
};

/** The `$schema` URIs of the supported dialects, without the empty fragment and scheme-agnostic. */
const DIALECT_URIS: ReadonlyMap<string, Dialect> = new Map([
  ['json-schema.org/draft/2020-12/schema', '2020-12'],
  ['json-schema.org/draft-07/schema', 'draft-07'],
]);

/** The dialect without `$schema`. */
export const DEFAULT_DIALECT: Dialect = '2020-12';

/**
 * The dialect a `$schema` value names (`http` or `https`, with or without the empty fragment).
 * @throws SchemaError "unsupported dialect" for any other value.
 */
export function dialectOf(uri: unknown, location: string): Dialect {
  if (typeof uri !== 'string') throw new SchemaError(`${location}: $schema must be a string`);
  const dialect = DIALECT_URIS.get(uri.replace(/^https?:\/\//, '').replace(/#$/, ''));
  if (dialect === undefined) {
    throw new SchemaError(`${location}: unsupported dialect ${JSON.stringify(uri)}: JSON Schema 2020-12 (the default) and draft-07 are supported`);
  }
  return dialect;
}

/** Where subschemas are in a schema object of `dialect`. */
export function subschemaKeywords(dialect: Dialect): SubschemaKeywords {
  return SUBSCHEMA_KEYWORDS[dialect];
}
