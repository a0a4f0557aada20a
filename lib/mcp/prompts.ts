import { JsonRpcError, JsonRpcErrorCode } from '../json-rpc/errors.js';
import type { McpContext } from './context.js';
import type { CompleteCallback } from './resources.js';
import { compileMcpSchema, type CompiledSchema, type McpSchema, type SchemaOutput } from './schema.js';
import type { GetPromptResult, Icon, JsonObject, Meta, Prompt, PromptArgument } from './wire.js';

/** A prompt's description: what `prompts/list` shows and how its arguments are checked. */
export interface PromptConfig<ArgsSchema extends McpSchema | undefined = McpSchema | undefined> {
  title?: string;
  /** What the prompt is for (the conformance suite expects one on every prompt). */
  description?: string;
  /**
   * Its arguments: an object schema whose properties are the arguments (strings on the wire),
   * their `description` shown to clients, `required` ones marked so. Arguments that do not match
   * are refused with -32602.
   */
  argsSchema?: ArgsSchema;
  /** Suggestions for argument values (`completion/complete`), by argument name. */
  complete?: Record<string, CompleteCallback>;
  icons?: Icon[];
  _meta?: Meta;
}

/** A prompt's handler: its checked arguments and the call's context. */
export type PromptHandler<Args = Record<string, string>> = (args: Args, ctx: McpContext) => GetPromptResult | Promise<GetPromptResult>;

/** The arguments a handler gets for an argument schema. */
export type PromptArgs<ArgsSchema> = ArgsSchema extends McpSchema ? SchemaOutput<ArgsSchema> : Record<string, string>;

/** A registered prompt: `remove()` takes it off the list. */
export interface RegisteredPrompt {
  readonly name: string;
  remove(): void;
}

interface PromptEntry {
  readonly descriptor: Prompt;
  readonly args: CompiledSchema | undefined;
  readonly required: readonly string[];
  readonly complete: Readonly<Record<string, CompleteCallback>>;
  readonly handler: PromptHandler<unknown>;
}

/** The prompts of a server, in registration order; `onChange` runs after every change. */
export class PromptRegistry {
  readonly #prompts = new Map<string, PromptEntry>();
  readonly #onChange: () => void;
  readonly #onInvalidSchema: (message: string) => void;
  /** Once `prepare()` ran, a new prompt's schema is compiled when it is registered. */
  #eager = false;

  /** @param onInvalidSchema - Told when a schema turns out invalid (it is compiled once the validator loads). */
  constructor(onChange: () => void, onInvalidSchema: (message: string) => void = () => undefined) {
    this.#onChange = onChange;
    this.#onInvalidSchema = onInvalidSchema;
  }

  get size(): number {
    return this.#prompts.size;
  }

  /**
   * Adds a prompt.
   * @throws TypeError for a bad name, schema or handler; Error when the name is taken.
   */
  register(name: string, config: PromptConfig, handler: PromptHandler<never>): RegisteredPrompt {
    if (typeof name !== 'string' || name === '') throw new TypeError('A prompt name must be a non-empty string');
    if (this.#prompts.has(name)) throw new Error(`Prompt ${name} is already registered`);
    if (typeof handler !== 'function') throw new TypeError(`The handler of prompt ${name} must be a function`);
    if (typeof config !== 'object' || config === null) throw new TypeError(`The config of prompt ${name} must be an object`);
    const args = config.argsSchema === undefined ? undefined : compileMcpSchema(config.argsSchema, `The argsSchema of prompt ${name}`, this.#onInvalidSchema);
    const descriptor: Prompt = { name };
    if (config.title !== undefined) descriptor.title = config.title;
    if (config.description !== undefined) descriptor.description = config.description;
    const required = Array.isArray(args?.jsonSchema.required) ? (args.jsonSchema.required as unknown[]).filter((item): item is string => typeof item === 'string') : [];
    if (args !== undefined) descriptor.arguments = argumentsOf(args.jsonSchema, required);
    if (config.icons !== undefined) descriptor.icons = config.icons;
    if (config._meta !== undefined) descriptor._meta = config._meta;
    const entry: PromptEntry = { descriptor, args, required, complete: { ...config.complete }, handler: handler as PromptHandler<unknown> };
    this.#prompts.set(name, entry);
    if (this.#eager) void args?.prepare();
    this.#onChange();
    return {
      name,
      remove: () => {
        if (this.#prompts.get(name) !== entry) return;
        this.#prompts.delete(name);
        this.#onChange();
      },
    };
  }

  /** Compiles every prompt's schema now, and those of prompts registered later as they come. */
  async prepare(): Promise<void> {
    this.#eager = true;
    await Promise.all([...this.#prompts.values()].map((entry) => entry.args?.prepare()));
  }

  /** What `prompts/list` shows, in registration order. */
  list(): Prompt[] {
    return [...this.#prompts.values()].map((entry) => entry.descriptor);
  }

  /**
   * Gets prompt `name` with `args`.
   * @throws (rejects with) JsonRpcError -32602 for an unknown prompt, arguments that are not
   * strings, a missing required one or a mismatch with the schema; -32603 for a handler result
   * without `messages`; whatever the handler threw.
   */
  async get(name: string, args: unknown, ctx: McpContext): Promise<GetPromptResult> {
    const entry = this.#prompts.get(name);
    if (entry === undefined) throw JsonRpcError.invalidParams(`Unknown prompt: ${name}`);
    const given = args === undefined ? {} : args;
    if (typeof given !== 'object' || given === null || Array.isArray(given) || !Object.values(given).every((value) => typeof value === 'string')) {
      throw JsonRpcError.invalidParams('arguments must be an object of strings');
    }
    const missing = entry.required.filter((argument) => !Object.hasOwn(given, argument));
    if (missing.length > 0) throw JsonRpcError.invalidParams(`Missing required arguments of prompt ${name}: ${missing.join(', ')}`);
    let value: unknown = given;
    if (entry.args !== undefined) {
      const checked = await entry.args.validate(given);
      if (!checked.ok) throw JsonRpcError.invalidParams(`Invalid arguments for prompt ${name}: ${checked.issues.join('; ')}`, { issues: checked.issues });
      value = checked.value;
    }
    const result = await entry.handler(value, ctx);
    if (typeof result !== 'object' || result === null || !Array.isArray(result.messages)) {
      throw new JsonRpcError(JsonRpcErrorCode.InternalError, `Prompt ${name} returned no messages array`);
    }
    return result;
  }

  /**
   * The completer of argument `argument` of prompt `name`.
   * @throws JsonRpcError -32602 for an unknown prompt.
   */
  completer(name: string, argument: string): CompleteCallback | undefined {
    const entry = this.#prompts.get(name);
    if (entry === undefined) throw JsonRpcError.invalidParams(`Unknown prompt: ${name}`);
    return Object.hasOwn(entry.complete, argument) ? entry.complete[argument] : undefined;
  }
}

/** The `arguments` list of a prompt, from its schema's properties. */
function argumentsOf(schema: JsonObject, required: readonly string[]): PromptArgument[] {
  const properties = typeof schema.properties === 'object' && schema.properties !== null ? (schema.properties as Record<string, unknown>) : {};
  return Object.keys(properties).map((name) => {
    const property = properties[name];
    const argument: PromptArgument = { name };
    if (typeof property === 'object' && property !== null) {
      const { title, description } = property as { title?: unknown; description?: unknown };
      if (typeof title === 'string') argument.title = title;
      if (typeof description === 'string') argument.description = description;
    }
    if (required.includes(name)) argument.required = true;
    return argument;
  });
}
