import { JsonRpcError, JsonRpcErrorCode } from '../json-rpc/errors.js';
import type { McpContext } from './context.js';
import { resourceNotFound } from './errors.js';
import { UriTemplate, type UriVariables } from './uri-template.js';
import type { ReadResourceResult, Resource, ResourceTemplateDescriptor } from './wire.js';

/** What `resources/list` and `resources/templates/list` show about a resource besides its URI and name. */
export type ResourceMetadata = Omit<Resource, 'uri' | 'name'>;

/** Suggests values for a template variable or a prompt argument (`completion/complete`). */
export type CompleteCallback = (value: string, context: { arguments: Record<string, string> }) => string[] | Promise<string[]>;

/** Reads a fixed resource: its URI (as a URL) and the call's context. */
export type ReadResourceCallback = (uri: URL, ctx: McpContext) => ReadResourceResult | Promise<ReadResourceResult>;

/** Reads a resource of a template: its URI, the template's variables and the call's context. */
export type ReadTemplateCallback = (uri: URL, variables: UriVariables, ctx: McpContext) => ReadResourceResult | Promise<ReadResourceResult>;

/** Lists the resources a template stands for, if it can (they join `resources/list`). */
export type ListResourcesCallback = (ctx: McpContext) => { resources: Resource[] } | Promise<{ resources: Resource[] }>;

/**
 * A family of resources behind one RFC 6570 URI template (`file:///logs/{date}`), as in the
 * official SDK: `list` (optional) names the resources it stands for, `complete` suggests values
 * for its variables.
 */
export class ResourceTemplate {
  readonly uriTemplate: UriTemplate;
  readonly list: ListResourcesCallback | undefined;
  readonly complete: Readonly<Record<string, CompleteCallback>>;

  /** @throws TypeError for a bad template or callbacks. */
  constructor(uriTemplate: string, callbacks: { list?: ListResourcesCallback | undefined; complete?: Record<string, CompleteCallback> } = {}) {
    this.uriTemplate = new UriTemplate(uriTemplate);
    if (callbacks.list !== undefined && typeof callbacks.list !== 'function') throw new TypeError('ResourceTemplate list must be a function');
    this.list = callbacks.list;
    this.complete = { ...callbacks.complete };
  }
}

/** A registered resource or template: `remove()` takes it off the lists. */
export interface RegisteredResource {
  readonly name: string;
  remove(): void;
}

interface FixedResource {
  readonly kind: 'fixed';
  readonly descriptor: Resource;
  readonly read: ReadResourceCallback;
}

interface TemplateResource {
  readonly kind: 'template';
  readonly template: ResourceTemplate;
  readonly descriptor: ResourceTemplateDescriptor;
  readonly read: ReadTemplateCallback;
}

/** The longest URI `resources/read` looks up: template matching is linear in it, not free. */
const MAX_URI_LENGTH = 16 * 1024;

/**
 * The resources and resource templates of a server, in registration order. `onChange` runs
 * after every change (`notifications/resources/list_changed`).
 */
export class ResourceRegistry {
  readonly #fixed = new Map<string, FixedResource>();
  readonly #templates = new Map<string, TemplateResource>();
  readonly #onChange: () => void;

  constructor(onChange: () => void) {
    this.#onChange = onChange;
  }

  /** Number of fixed resources and templates. */
  get size(): number {
    return this.#fixed.size + this.#templates.size;
  }

  /** True when there is a template (completion applies to them). */
  get hasTemplates(): boolean {
    return this.#templates.size > 0;
  }

  /**
   * Adds a fixed resource (a URI) or a template.
   * @throws TypeError for a bad name, URI or callback; Error when the URI or template is taken.
   */
  register(name: string, target: string | ResourceTemplate, metadata: ResourceMetadata, read: ReadResourceCallback | ReadTemplateCallback): RegisteredResource {
    if (typeof name !== 'string' || name === '') throw new TypeError('A resource name must be a non-empty string');
    if (typeof read !== 'function') throw new TypeError(`The read callback of resource ${name} must be a function`);
    const extra = { ...metadata };
    if (target instanceof ResourceTemplate) {
      const key = target.uriTemplate.template;
      if (this.#templates.has(key)) throw new Error(`Resource template ${key} is already registered`);
      const entry: TemplateResource = { kind: 'template', template: target, descriptor: { uriTemplate: key, name, ...extra }, read: read as ReadTemplateCallback };
      this.#templates.set(key, entry);
      return this.#registered(name, () => this.#templates.get(key) === entry && this.#templates.delete(key));
    }
    if (typeof target !== 'string' || !URL.canParse(target)) throw new TypeError(`Resource ${name} needs an absolute URI, got ${JSON.stringify(target)}`);
    if (this.#fixed.has(target)) throw new Error(`Resource ${target} is already registered`);
    const entry: FixedResource = { kind: 'fixed', descriptor: { uri: target, name, ...extra }, read: read as ReadResourceCallback };
    this.#fixed.set(target, entry);
    return this.#registered(name, () => this.#fixed.get(target) === entry && this.#fixed.delete(target));
  }

  /** What `resources/list` shows: the fixed resources, then what each template's `list` names. */
  async list(ctx: McpContext): Promise<Resource[]> {
    const resources = [...this.#fixed.values()].map((entry) => entry.descriptor);
    for (const entry of this.#templates.values()) {
      if (entry.template.list === undefined) continue;
      const listed = await entry.template.list(ctx);
      for (const resource of listed.resources) resources.push({ ...resource, mimeType: resource.mimeType ?? entry.descriptor.mimeType });
    }
    return resources;
  }

  /** What `resources/templates/list` shows. */
  templates(): ResourceTemplateDescriptor[] {
    return [...this.#templates.values()].map((entry) => entry.descriptor);
  }

  /**
   * Reads `uri`: the fixed resource with exactly that URI, else the first template it matches.
   * @throws (rejects with) JsonRpcError -32602 for a URI that is not one; -32002 for an unknown
   * one; -32603 for a reader's result that is not `{ contents: [...] }`; whatever the reader threw.
   */
  async read(uri: string, ctx: McpContext): Promise<ReadResourceResult> {
    if (uri.length > MAX_URI_LENGTH || !URL.canParse(uri)) throw JsonRpcError.invalidParams('uri must be an absolute URI');
    const fixed = this.#fixed.get(uri);
    let result: ReadResourceResult | undefined;
    if (fixed !== undefined) {
      result = await fixed.read(new URL(uri), ctx);
    } else {
      for (const entry of this.#templates.values()) {
        const variables = entry.template.uriTemplate.match(uri);
        if (variables === undefined) continue;
        result = await entry.read(new URL(uri), variables, ctx);
        break;
      }
      if (result === undefined) throw resourceNotFound(uri);
    }
    if (typeof result !== 'object' || result === null || !Array.isArray(result.contents)) {
      throw new JsonRpcError(JsonRpcErrorCode.InternalError, `The reader of ${uri} returned no contents array`);
    }
    return result;
  }

  /** True when `uri` names a resource this server has (a fixed one or a template's). */
  has(uri: string): boolean {
    if (this.#fixed.has(uri)) return true;
    if (uri.length > MAX_URI_LENGTH) return false;
    for (const entry of this.#templates.values()) if (entry.template.uriTemplate.match(uri) !== undefined) return true;
    return false;
  }

  /**
   * The completer of variable `name` of the template `uriTemplate`.
   * @throws JsonRpcError -32602 when there is no such template.
   */
  completer(uriTemplate: string, name: string): CompleteCallback | undefined {
    const entry = this.#templates.get(uriTemplate);
    if (entry === undefined) throw JsonRpcError.invalidParams(`no resource template ${uriTemplate}`);
    return Object.hasOwn(entry.template.complete, name) ? entry.template.complete[name] : undefined;
  }

  #registered(name: string, remove: () => boolean): RegisteredResource {
    this.#onChange();
    return {
      name,
      remove: () => {
        if (remove()) this.#onChange();
      },
    };
  }
}
