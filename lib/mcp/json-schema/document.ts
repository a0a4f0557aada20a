import { type Dialect, dialectOf, subschemaKeywords } from './dialects.js';
import { SchemaError } from './errors.js';
import { isObject } from './evaluation.js';

/** A schema as JSON Schema defines it: an object of keywords, or `true` / `false`. */
export type JsonSchema = boolean | { readonly [keyword: string]: unknown };

/** A subschema in its context: the base URI its references resolve against, its dialect, where it is. */
export interface SchemaSite {
  readonly schema: JsonSchema;
  /** Absolute URI, without fragment, of the schema resource it belongs to. */
  readonly base: string;
  readonly dialect: Dialect;
  /** JSON Pointer from the document's root, as a fragment (`#/properties/age`): for messages. */
  readonly location: string;
}

/** The base URI of a document without `$id`: references within it resolve against this. */
const DOCUMENT_URI = 'json-schema:///document.json';
const ANCHOR_NAME = /^[A-Za-z_][-A-Za-z0-9._]*$/;
const ARRAY_INDEX = /^(?:0|[1-9][0-9]*)$/;

/**
 * One schema document: its schema resources (the root and every subschema with an `$id`), their
 * anchors, and every subschema by its JSON Pointer within each resource around it. Resolves
 * `$ref` within the document; a reference to anything outside it is a `SchemaError`.
 */
export class SchemaDocument {
  /** The root schema's site. */
  readonly root: SchemaSite;
  private readonly resources = new Map<string, SchemaSite>();
  private readonly anchors = new Map<string, SchemaSite>();
  private readonly pointers = new Map<string, SchemaSite>();

  /** @throws SchemaError for a `$schema`, `$id` or `$anchor` that is invalid or unsupported. */
  constructor(schema: JsonSchema, dialect: Dialect) {
    if (isObject(schema) && Object.hasOwn(schema, '$schema')) dialect = dialectOf(schema.$schema, '#');
    this.root = this.site(schema, DOCUMENT_URI, dialect, '#');
    this.resources.set(DOCUMENT_URI, this.root);
    this.index(this.root, [{ uri: DOCUMENT_URI, pointer: '' }], new Set());
  }

  /**
   * The site of `schema`, found in `parent` under the keyword path `segments`: a new base and
   * possibly a new dialect when it has an `$id` (and a `$schema`).
   * @throws SchemaError for an invalid `$id` or an unsupported `$schema`.
   */
  child(parent: SchemaSite, schema: JsonSchema, ...segments: (string | number)[]): SchemaSite {
    const location = parent.location + segments.map((segment) => `/${escapePointer(String(segment))}`).join('');
    return this.site(schema, parent.base, parent.dialect, location);
  }

  /**
   * The subschema `reference` (a `$ref`) names, resolved against the site it is in: the document,
   * a resource by its `$id`, a JSON Pointer within one (`~0`, `~1` and percent-escapes decoded),
   * or an anchor.
   * @throws SchemaError when it is not a URI reference or names nothing in the document.
   */
  resolve(reference: string, from: SchemaSite): SchemaSite {
    const unresolvable = (why: string): SchemaError =>
      new SchemaError(`${from.location}: $ref ${JSON.stringify(reference)} cannot be resolved: ${why}`);
    let url: URL;
    let fragment: string;
    try {
      url = new URL(reference, from.base);
      fragment = decodeURIComponent(url.hash.slice(1));
    } catch {
      throw unresolvable('it is not a valid URI reference');
    }
    url.hash = '';
    const resource = this.resources.get(url.href);
    if (resource === undefined) throw unresolvable('only references within the schema itself are supported');
    if (fragment === '') return resource;
    if (!fragment.startsWith('/')) {
      const anchored = this.anchors.get(`${url.href}#${fragment}`);
      if (anchored === undefined) throw unresolvable(`no anchor ${JSON.stringify(fragment)}`);
      return anchored;
    }
    const segments = fragment.slice(1).split('/').map((segment) => {
      if (/~[^01]|~$/.test(segment)) throw unresolvable('invalid JSON Pointer escape');
      return segment.replace(/~1/g, '/').replace(/~0/g, '~');
    });
    const indexed = this.pointers.get(`${url.href}#${segments.map(escapePointer).map((segment) => `/${segment}`).join('')}`);
    if (indexed !== undefined) return indexed;
    // A location no keyword of the dialect makes a subschema (under an unknown keyword, beside a draft-07 $ref).
    let target: unknown = resource.schema;
    for (const segment of segments) {
      if (Array.isArray(target) && ARRAY_INDEX.test(segment) && Number(segment) < target.length) target = target[Number(segment)];
      else if (isObject(target) && Object.hasOwn(target, segment)) target = target[segment];
      else throw unresolvable('nothing at that JSON Pointer');
    }
    if (typeof target !== 'boolean' && !isObject(target)) throw unresolvable('it points at something that is not a schema');
    return this.child(resource, target, ...segments);
  }

  private site(schema: JsonSchema, base: string, dialect: Dialect, location: string): SchemaSite {
    if (!isObject(schema) || ignoresSiblings(schema, dialect)) return { schema, base, dialect, location };
    if (location !== '#' && Object.hasOwn(schema, '$schema') && Object.hasOwn(schema, '$id')) dialect = dialectOf(schema.$schema, location);
    if (Object.hasOwn(schema, '$id')) {
      const id = schema.$id;
      if (typeof id !== 'string') throw new SchemaError(`${location}: $id must be a string`);
      if (!(dialect === 'draft-07' && id.startsWith('#'))) {
        try {
          const url = new URL(id, base);
          url.hash = '';
          base = url.href;
        } catch {
          throw new SchemaError(`${location}: $id ${JSON.stringify(id)} is not a valid URI reference`);
        }
      }
    }
    return { schema, base, dialect, location };
  }

  /** Records the resources, anchors and pointers of `site` and of every subschema under it. */
  private index(site: SchemaSite, around: { uri: string; pointer: string }[], seen: Set<object>): void {
    const schema = site.schema;
    for (const resource of around) this.pointers.set(`${resource.uri}#${resource.pointer}`, site);
    if (!isObject(schema) || seen.has(schema)) return;
    seen.add(schema);
    if (site.base !== around[around.length - 1]!.uri) {
      this.resources.set(site.base, site);
      around = [...around, { uri: site.base, pointer: '' }];
      this.pointers.set(`${site.base}#`, site);
    }
    this.indexAnchors(site, schema);
    const keywords = subschemaKeywords(site.dialect);
    const visit = (subschema: unknown, ...segments: string[]): void => {
      if (typeof subschema !== 'boolean' && !isObject(subschema)) return; // the compiler reports it
      const suffix = segments.map((segment) => `/${escapePointer(segment)}`).join('');
      const inside = around.map((resource) => ({ uri: resource.uri, pointer: resource.pointer + suffix }));
      this.index(this.child(site, subschema, ...segments), inside, seen);
    };
    const siblingsIgnored = ignoresSiblings(schema, site.dialect);
    for (const keyword of keywords.single) {
      if (!siblingsIgnored && Object.hasOwn(schema, keyword)) visit(schema[keyword], keyword);
    }
    for (const keyword of keywords.lists) {
      const list = schema[keyword];
      if (siblingsIgnored || !Object.hasOwn(schema, keyword) || !Array.isArray(list)) continue;
      list.forEach((subschema, index) => visit(subschema, keyword, String(index)));
    }
    for (const keyword of keywords.maps) {
      const map = schema[keyword];
      if ((siblingsIgnored && keyword !== 'definitions') || !Object.hasOwn(schema, keyword) || !isObject(map)) continue;
      for (const name of Object.keys(map)) visit(map[name], keyword, name);
    }
  }

  private indexAnchors(site: SchemaSite, schema: Readonly<Record<string, unknown>>): void {
    if (ignoresSiblings(schema, site.dialect)) return;
    const names: string[] = [];
    if (site.dialect === 'draft-07') {
      if (typeof schema.$id === 'string' && schema.$id.includes('#')) names.push(schema.$id.slice(schema.$id.indexOf('#') + 1));
    } else {
      for (const keyword of ['$anchor', '$dynamicAnchor']) {
        if (!Object.hasOwn(schema, keyword)) continue;
        const name = schema[keyword];
        if (typeof name !== 'string' || !ANCHOR_NAME.test(name)) {
          throw new SchemaError(`${site.location}: ${keyword} must be a string that starts with a letter or '_' (letters, digits, '-', '_', '.')`);
        }
        names.push(name);
      }
    }
    for (const name of names) if (name !== '') this.anchors.set(`${site.base}#${name}`, site);
  }
}

/** A draft-07 `$ref` makes the other keywords beside it inert (draft-07 §8.3). */
export function ignoresSiblings(schema: Readonly<Record<string, unknown>>, dialect: Dialect): boolean {
  return dialect === 'draft-07' && Object.hasOwn(schema, '$ref');
}

/** A JSON Pointer segment with `~` and `/` escaped. */
export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
