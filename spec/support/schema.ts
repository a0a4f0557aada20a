import assert from 'node:assert/strict';
import { type CompileOptions, compileSchema, type JsonSchema, type SchemaIssue } from '../../lib/mcp/json-schema.js';

/** The issues `schema` finds in `value`. */
export function issuesOf(schema: JsonSchema, value: unknown, options?: CompileOptions): readonly SchemaIssue[] {
  return compileSchema(schema, options)(value);
}

/** Asserts that every one of `values` passes `schema`. */
export function assertValid(schema: JsonSchema, values: readonly unknown[], options?: CompileOptions): void {
  const validate = compileSchema(schema, options);
  for (const value of values) {
    const issues = validate(value);
    if (issues.length > 0) assert.fail(`${describe(value)} should be valid: ${JSON.stringify(issues)}`);
  }
}

/** Asserts that every one of `values` fails `schema`. */
export function assertInvalid(schema: JsonSchema, values: readonly unknown[], options?: CompileOptions): void {
  const validate = compileSchema(schema, options);
  for (const value of values) if (validate(value).length === 0) assert.fail(`${describe(value)} should be invalid`);
}

/** Asserts the exact issues (`path: keyword: message`) `schema` finds in `value`. */
export function assertIssues(schema: JsonSchema, value: unknown, expected: readonly string[], options?: CompileOptions): void {
  const found = issuesOf(schema, value, options).map((issue) => `${issue.path}: ${issue.keyword}: ${issue.message}`);
  assert.deepEqual(found, expected);
}

/** A value for a failure message; a deep one is only named. */
function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return `a ${typeof value} too deep to print`;
  }
}
