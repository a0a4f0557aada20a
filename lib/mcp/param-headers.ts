import type { JsonObject } from './wire.js';

/**
 * Tool arguments mirrored into headers (2026-07-28, SEP-2243): a property of a tool's input
 * schema annotated `"x-mcp-header": "Region"` travels, besides the body, as `Mcp-Param-Region`,
 * so that gateways can route on it. The annotations are read once, here, when the tool is
 * registered (an invalid one is refused there, as clients would drop the tool); every
 * 2026-07-28 call of the tool is checked against them before it runs (`checkParamHeaders` in
 * headers.ts, loaded with the modern era).
 */

/** The prefix of the headers mirroring tool arguments (lower case, as Node has them). */
export const PARAM_HEADER_PREFIX = 'mcp-param-';

/** The schema keyword that names a property's header. */
export const X_MCP_HEADER = 'x-mcp-header';

/** One annotated property. */
export interface ParamHeader {
  /** Property names from the root, through `properties` only. */
  readonly path: readonly string[];
  /** The name as declared (`Region`). */
  readonly name: string;
  /** The request header, lower case (`mcp-param-region`). */
  readonly header: string;
  readonly type: 'string' | 'integer' | 'boolean';
}

/** RFC 9110 `token`. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const ANNOTATABLE_TYPES: ReadonlySet<string> = new Set(['string', 'integer', 'boolean']);
/** Keywords whose values are data, not schemas: an `x-mcp-header` inside them is no annotation. */
const DATA_KEYWORDS: ReadonlySet<string> = new Set(['const', 'enum', 'default', 'examples']);
/** Deeper than this, a schema is not walked further (hand-written schemas are far shallower). */
const MAX_DEPTH = 64;

/**
 * The annotated properties of a tool's input schema.
 * @throws TypeError naming the tool for an annotation the specification makes invalid: not a
 * token, used twice (case-insensitively), on a property that is not a string, integer or
 * boolean, or not reachable from the root through `properties` alone.
 */
export function paramHeadersOf(schema: JsonObject, tool: string): ParamHeader[] {
  const found: ParamHeader[] = [];
  const seen = new Set<string>();
  const visit = (node: unknown, path: string[] | undefined, depth: number): void => {
    if (typeof node !== 'object' || node === null || depth > MAX_DEPTH) return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item, undefined, depth + 1);
      return;
    }
    const record = node as Record<string, unknown>;
    if (Object.hasOwn(record, X_MCP_HEADER)) found.push(annotation(record, path, tool, seen));
    for (const [key, value] of Object.entries(record)) {
      if (DATA_KEYWORDS.has(key) || key === X_MCP_HEADER) continue;
      if (key === 'properties' && path !== undefined && typeof value === 'object' && value !== null && !Array.isArray(value)) {
        for (const [property, subschema] of Object.entries(value)) visit(subschema, [...path, property], depth + 1);
      } else {
        visit(value, undefined, depth + 1);
      }
    }
  };
  visit(schema, [], 0);
  return found;
}

function annotation(property: Record<string, unknown>, path: string[] | undefined, tool: string, seen: Set<string>): ParamHeader {
  const name = property[X_MCP_HEADER];
  const where = `tool ${tool}: ${X_MCP_HEADER} ${JSON.stringify(name)}`;
  if (typeof name !== 'string' || !TOKEN.test(name)) throw new TypeError(`${where} must be a header name token`);
  if (path === undefined || path.length === 0) throw new TypeError(`${where} must be on a property reached from the root through properties alone`);
  if (typeof property.type !== 'string' || !ANNOTATABLE_TYPES.has(property.type)) throw new TypeError(`${where} must be on a string, integer or boolean property`);
  const header = `${PARAM_HEADER_PREFIX}${name.toLowerCase()}`;
  if (seen.has(header)) throw new TypeError(`${where} is used twice`);
  seen.add(header);
  return { path, name, header, type: property.type as ParamHeader['type'] };
}
