/**
 * TEMPORARY STUB (must not ship): the JSON Schema 2020-12 validator is written on branch
 * `mcp-schema`; this stands in with the same API until that branch is merged.
 */

/** A JSON Schema: a boolean or an object of keywords. */
export type JsonSchema = boolean | { readonly [keyword: string]: unknown };

/** One reason a value does not match. */
export interface SchemaIssue {
  readonly path: string;
  readonly keyword: string;
  readonly message: string;
}

/** A schema that cannot be compiled. */
export class SchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaError';
  }
}

/** Compiles `schema` into a check returning the issues of a value (empty when it matches). */
export function compileSchema(schema: JsonSchema, _options?: unknown): (value: unknown) => readonly SchemaIssue[] {
  if (typeof schema !== 'boolean' && (typeof schema !== 'object' || schema === null || Array.isArray(schema))) {
    throw new SchemaError('A schema must be a boolean or an object');
  }
  return (value) => check(schema, value, '');
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function check(schema: JsonSchema, value: unknown, path: string): SchemaIssue[] {
  if (schema === true) return [];
  if (schema === false) return [{ path, keyword: 'false', message: 'no value is allowed' }];
  const issues: SchemaIssue[] = [];
  const type = schema.type;
  if (typeof type === 'string') {
    const actual = typeOf(value);
    if (!(actual === type || (type === 'number' && actual === 'integer'))) {
      issues.push({ path, keyword: 'type', message: `must be ${type}` });
      return issues;
    }
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((item) => JSON.stringify(item) === JSON.stringify(value))) {
    issues.push({ path, keyword: 'enum', message: 'must be one of the allowed values' });
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    if (Array.isArray(schema.required)) {
      for (const name of schema.required as string[]) {
        if (!Object.hasOwn(object, name)) issues.push({ path, keyword: 'required', message: `must have property ${name}` });
      }
    }
    for (const name of Object.keys(object)) {
      if (Object.hasOwn(properties, name)) issues.push(...check(properties[name]!, object[name], `${path}/${name}`));
      else if (schema.additionalProperties === false) issues.push({ path: `${path}/${name}`, keyword: 'additionalProperties', message: 'is not allowed' });
    }
  }
  return issues;
}
