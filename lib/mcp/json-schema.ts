import { checkLimit, DEFAULT_SCHEMA_MAX_DEPTH, DEFAULT_SCHEMA_MAX_EVALUATIONS, DEFAULT_SCHEMA_MAX_ISSUES } from '../limits.js';
import { compileDocument } from './json-schema/compiler.js';
import type { JsonSchema } from './json-schema/document.js';
import { SchemaError } from './json-schema/errors.js';
import { type Check, EvaluationState, type SchemaIssue } from './json-schema/evaluation.js';

/**
 * A small JSON Schema validator for what MCP carries: tool `inputSchema`/`outputSchema` and
 * elicitation `requestedSchema`. `compileSchema()` checks a schema once and returns a validator
 * that is cheap to call and safe on values from untrusted clients: it never throws, goes no
 * deeper than `maxDepth`, reports at most `maxIssues` issues and does at most `maxEvaluations`
 * work. The full reference is docs/json-schema.md; in short:
 *
 * - Dialect: JSON Schema 2020-12 without `$schema` (as MCP 2025-11-25 requires); draft-07
 *   (`http://json-schema.org/draft-07/schema#`) with its own rules (`definitions`, `items` as a
 *   list with `additionalItems`, `dependencies`, keywords beside `$ref` ignored, draft-04's
 *   boolean `exclusiveMinimum`/`exclusiveMaximum` tolerated). Any other `$schema` is refused.
 * - References: `$ref` within the schema (JSON Pointers, `$id`-based URIs, `$anchor`), recursion
 *   included; remote references and `$dynamicRef` are refused when compiling.
 * - Every assertion and applicator of 2020-12, `unevaluatedProperties`/`unevaluatedItems`
 *   included; `format` is an annotation unless `assertFormats` is set; annotations and unknown
 *   keywords (`x-mcp-header`...) are ignored.
 */

export type { JsonSchema } from './json-schema/document.js';
export { SchemaError };
export type { SchemaIssue } from './json-schema/evaluation.js';

/** Validates one value: the issues found, an empty (shared, frozen) array when it is valid. Never throws. */
export interface SchemaValidator {
  (value: unknown): readonly SchemaIssue[];
}

/** Options of `compileSchema`; every limit has a safe default (`lib/limits.ts`). */
export interface CompileOptions {
  /**
   * How deep into the value validation goes (default 64): a part nested deeper is not
   * evaluated, and the value fails with a `maxDepth` issue ("is nested deeper than 64 levels").
   */
  maxDepth?: number;
  /** Issues reported before validation stops (default 20). */
  maxIssues?: number;
  /**
   * Schema objects applied to one value before validation gives up with a `maxEvaluations`
   * issue (default 1,000,000): a bound on the work a hostile value can cause.
   */
  maxEvaluations?: number;
  /**
   * Assert `format` for `date-time`, `date`, `time`, `email`, `uri` and `uuid` (default false:
   * `format` is an annotation, as in JSON Schema 2020-12; other formats always are).
   */
  assertFormats?: boolean;
}

/**
 * Compiles `schema` once (resolves `$ref`/`$defs`, checks every keyword) into a validator to
 * call many times. JSON Schema 2020-12 unless `$schema` names draft-07.
 * @throws SchemaError for an invalid or unsupported schema: another `$schema` dialect, a `$ref`
 * that cannot be resolved within the schema, a keyword of the wrong type, a regular expression
 * that does not compile, `$dynamicRef`, subschemas that apply each other to the same value forever.
 * @throws RangeError for a limit that is not a positive integer.
 */
export function compileSchema(schema: JsonSchema, options: CompileOptions = {}): SchemaValidator {
  const limits = {
    maxDepth: checkLimit('maxDepth', options.maxDepth, DEFAULT_SCHEMA_MAX_DEPTH),
    maxIssues: checkLimit('maxIssues', options.maxIssues, DEFAULT_SCHEMA_MAX_ISSUES),
    maxEvaluations: checkLimit('maxEvaluations', options.maxEvaluations, DEFAULT_SCHEMA_MAX_EVALUATIONS),
  };
  let check: Check;
  try {
    check = compileDocument(schema, { assertFormats: options.assertFormats === true });
  } catch (error) {
    // Only a schema nested thousands of levels deep (or a cycle of objects built in code) gets here.
    if (error instanceof RangeError) throw new SchemaError('the schema is nested too deeply to compile');
    throw error;
  }
  const shared = new EvaluationState(limits);
  return (value) => {
    // A getter in the value may validate again while this runs: it gets a state of its own.
    const state = shared.busy ? new EvaluationState(limits) : shared;
    state.begin();
    let valid: boolean;
    try {
      valid = check(value, state);
    } catch (thrown) {
      state.abort(thrown); // a getter or proxy in a value built in code, or the stack at a maxDepth set too high
      valid = false;
    }
    return state.finish(valid);
  };
}

/**
 * The issues as one line for an error message: `/address/city: must be string; must have
 * required property 'name'` (an issue at the root has no path prefix).
 */
export function formatSchemaIssues(issues: readonly SchemaIssue[]): string {
  return issues.map((issue) => (issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`)).join('; ');
}
