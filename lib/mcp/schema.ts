import { JsonRpcError, JsonRpcErrorCode } from '../json-rpc/errors.js';
import { onDemand } from '../on-demand.js';
import { isThenable } from '../thenable.js';
import type { JsonSchema, SchemaIssue } from './json-schema.js';

/**
 * The JSON Schema validator (a dozen modules), loaded when a schema is first prepared or used, so
 * a server answers its first `/ping` without waiting for it, and one whose tools take Standard
 * Schemas never loads it.
 */
const loadValidator = onDemand(() => import('./json-schema.js'));
import type { JsonObject } from './wire.js';

// The Standard Schema (https://standardschema.dev) and Standard JSON Schema interfaces, as types
// only: zod 4, valibot and ArkType schemas carry a `~standard` property of this shape, so a tool
// can take one without this package depending on any of them.

/** One problem a Standard Schema validator found. */
export interface StandardSchemaIssue {
  readonly message: string;
  readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[] | undefined;
}

/** What a Standard Schema validator answers. */
export type StandardSchemaResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: readonly StandardSchemaIssue[] };

/** The `~standard` property of a Standard Schema (version 1). */
export interface StandardSchemaProps<Input = unknown, Output = Input> {
  readonly version: 1;
  readonly vendor: string;
  readonly validate: (value: unknown) => StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>;
  readonly types?: { readonly input: Input; readonly output: Output } | undefined;
}

/** A Standard Schema validator (zod 4, valibot, ArkType...). */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': StandardSchemaProps<Input, Output>;
}

/** The `jsonSchema` member of a Standard JSON Schema: the schema's JSON Schema, per target. */
export interface StandardJsonSchemaConverter {
  readonly input: (options: { readonly target: string }) => Record<string, unknown>;
  readonly output: (options: { readonly target: string }) => Record<string, unknown>;
}

/** A Standard Schema that can also describe itself as JSON Schema (Standard JSON Schema v1). */
export interface StandardJsonSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': StandardSchemaProps<Input, Output> & { readonly jsonSchema: StandardJsonSchemaConverter };
}

/** The output type of a Standard Schema. */
export type InferOutput<S> = S extends StandardSchemaV1<unknown, infer Output> ? Output : never;

/** The JSON Schema dialect MCP assumes when a schema names none (2025-11-25). */
export const JSON_SCHEMA_TARGET = 'draft-2020-12';

/**
 * A schema for a tool's input or output, or a prompt's arguments, in any of three forms:
 * - a JSON Schema object (`{ type: 'object', properties: {...} }`), sent to clients verbatim and
 *   checked by the built-in JSON Schema 2020-12 validator;
 * - a Standard Schema that describes itself as JSON Schema too (Standard JSON Schema: zod 4.2+,
 *   ArkType, valibot through its converter), checked by its own validator;
 * - `{ jsonSchema, validator }`: any Standard Schema validator with the JSON Schema you made for
 *   it (for example `{ validator: schema, jsonSchema: z.toJSONSchema(schema) }`).
 */
export type McpSchema<Output = Record<string, unknown>> =
  | JsonObject
  | StandardJsonSchemaV1<unknown, Output>
  | { readonly jsonSchema: JsonObject; readonly validator: StandardSchemaV1<unknown, Output> };

/** The value a schema's validator hands the handler: its output type, or a plain object for JSON Schema. */
export type SchemaOutput<S> = S extends { readonly validator: StandardSchemaV1 }
  ? InferOutput<S['validator']>
  : S extends StandardSchemaV1
    ? InferOutput<S>
    : Record<string, unknown>;

/** A checked value, or the readable reasons it is not one. */
export type Validation<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly string[] };

/** A schema ready to use: the JSON Schema clients see and the check applied to values. */
export interface CompiledSchema<T = unknown> {
  readonly jsonSchema: JsonObject;
  validate(value: unknown): Validation<T> | Promise<Validation<T>>;
  /** Compiles it now (a JSON Schema: loading the validator first), rather than on first use. Never rejects. */
  prepare(): Promise<void>;
}

/**
 * Makes any `McpSchema` form ready to use. A JSON Schema is compiled on `prepare()` or on first
 * use, whichever comes first; one that turns out invalid is reported to `onInvalid` and every
 * value is then refused with `-32603`, naming what is wrong.
 * @throws TypeError naming `what` when it is none of the forms.
 */
export function compileMcpSchema<T>(schema: McpSchema<T>, what: string, onInvalid: (message: string) => void = () => undefined): CompiledSchema<T> {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) throw new TypeError(`${what} must be a JSON Schema object or a Standard Schema`);
  const standard = (schema as Partial<StandardJsonSchemaV1>)['~standard'];
  if (standard !== undefined) {
    if (typeof standard.validate !== 'function' || typeof standard.jsonSchema?.input !== 'function') {
      throw new TypeError(`${what}: a Standard Schema needs its JSON Schema too; pass { jsonSchema, validator }`);
    }
    return fromStandard(objectSchema(standard.jsonSchema.input({ target: JSON_SCHEMA_TARGET }), what), schema as StandardSchemaV1<unknown, T>);
  }
  const pair = schema as { jsonSchema?: unknown; validator?: Partial<StandardSchemaV1> };
  if (pair.validator !== undefined && typeof pair.validator === 'object' && pair.validator !== null && '~standard' in pair.validator) {
    return fromStandard(objectSchema(pair.jsonSchema, what), pair.validator as StandardSchemaV1<unknown, T>);
  }
  return fromJsonSchema(schema as JsonObject, what, onInvalid);
}

function fromJsonSchema<T>(jsonSchema: JsonObject, what: string, onInvalid: (message: string) => void): CompiledSchema<T> {
  let check: ((value: unknown) => readonly SchemaIssue[]) | undefined;
  let invalid: JsonRpcError | undefined;
  let compiling: Promise<void> | undefined;
  const prepare = (): Promise<void> =>
    (compiling ??= loadValidator().then(({ compileSchema }) => {
      try {
        check = compileSchema(jsonSchema as JsonSchema);
      } catch (error) {
        const message = `${what} is not a valid JSON Schema: ${(error as Error).message}`;
        invalid = new JsonRpcError(JsonRpcErrorCode.InternalError, message);
        onInvalid(message);
      }
    }));
  const validate = (value: unknown): Validation<T> => {
    if (invalid !== undefined) throw invalid;
    const issues = check!(value);
    if (issues.length === 0) return { ok: true, value: value as T };
    return { ok: false, issues: issues.map((issue) => `${issue.path === '' ? '(root)' : issue.path}: ${issue.message}`) };
  };
  return {
    jsonSchema,
    validate: (value) => (check !== undefined || invalid !== undefined ? validate(value) : prepare().then(() => validate(value))),
    prepare,
  };
}

function fromStandard<T>(jsonSchema: JsonObject, validator: StandardSchemaV1<unknown, T>): CompiledSchema<T> {
  return {
    jsonSchema,
    prepare: () => Promise.resolve(),
    validate(value) {
      const result = validator['~standard'].validate(value);
      return isThenable(result) ? Promise.resolve(result).then(fromStandardResult) : fromStandardResult(result);
    },
  };
}

function fromStandardResult<T>(result: StandardSchemaResult<T>): Validation<T> {
  if (result.issues === undefined) return { ok: true, value: result.value };
  return { ok: false, issues: result.issues.map(describeIssue) };
}

function describeIssue(issue: StandardSchemaIssue): string {
  const path = issue.path?.map((segment) => String(typeof segment === 'object' ? segment.key : segment)).join('/');
  return path === undefined || path === '' ? `(root): ${issue.message}` : `/${path}: ${issue.message}`;
}

function objectSchema(value: unknown, what: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError(`${what}: the JSON Schema must be an object`);
  return value as JsonObject;
}
