import { JsonRpcError, JsonRpcErrorCode } from '../json-rpc/errors.js';
import { describeThrown } from '../errors.js';
import type { Logger } from '../logger.js';
import { toJson } from '../serialize.js';
import type { McpContext } from './context.js';
import { InputRequiredSignal, McpErrorCode } from './errors.js';
import { paramHeadersOf, type ParamHeader } from './param-headers.js';
import { compileMcpSchema, type CompiledSchema, type McpSchema, type SchemaOutput } from './schema.js';
import type { CallToolResult, Icon, JsonObject, Meta, TaskSupport, Tool, ToolAnnotations } from './wire.js';

/** A tool's description: what `tools/list` shows, and how its input and output are checked. */
export interface ToolConfig<InputSchema extends McpSchema | undefined = McpSchema | undefined> {
  /** A display name. */
  title?: string;
  /** What the tool does, for the model (the conformance suite expects one on every tool). */
  description?: string;
  /**
   * Its arguments (a JSON Schema object, or a Standard Schema: see `McpSchema`). Arguments that
   * do not match get a tool error (`isError: true`) the model can correct. Default: no arguments
   * (`{ type: 'object', properties: {} }`). A string, integer or boolean property annotated
   * `"x-mcp-header": "Name"` is mirrored by 2026-07-28 clients into an `Mcp-Param-Name` header,
   * which must then match the argument.
   */
  inputSchema?: InputSchema;
  /** Its `structuredContent`; a result that does not match is a server error (-32603). */
  outputSchema?: McpSchema;
  /** Hints about its behaviour (untrusted by clients). */
  annotations?: ToolAnnotations;
  /**
   * Whether it may run as an MCP task: `forbidden` (default), `optional` or `required`. A
   * 2025-11-25 client asks for a task (`params.task`); under 2026-07-28 the server decides, for
   * clients that declare the tasks extension. A task is tracked like `runAsyncTask` work:
   * `/ping` says HealthyBusy while it runs.
   */
  execution?: { taskSupport?: TaskSupport };
  icons?: Icon[];
  _meta?: Meta;
}

/**
 * What a tool handler returns: a `CallToolResult` (`content`, optional `structuredContent` and
 * `isError`), or a string, sent as one text block. Whatever the handler throws becomes a tool
 * error result with its message, so the model can see what went wrong (an error the client
 * answered to `ctx.elicitInput()` included); except that a `JsonRpcError` is answered as that
 * protocol error when the legacy era has it (-32042, URL elicitation required), and always under
 * 2026-07-28 (where no client answer is one: -32021 from an ask the client cannot take, or the
 * tool's own), where it also fails a task.
 */
export type ToolResult = CallToolResult | string;

/** A tool's handler: its checked arguments and the call's context. */
export type ToolHandler<Args = Record<string, unknown>> = (args: Args, ctx: McpContext) => ToolResult | Promise<ToolResult>;

/** The arguments a handler gets for an input schema. */
export type ToolArgs<InputSchema> = InputSchema extends McpSchema ? SchemaOutput<InputSchema> : Record<string, unknown>;

/** A registered tool: `remove()` takes it off the list (clients are told in stateful mode). */
export interface RegisteredTool {
  readonly name: string;
  remove(): void;
}

/** One tool as the registry keeps it. */
export interface ToolEntry {
  readonly name: string;
  readonly descriptor: Tool;
  readonly input: CompiledSchema | undefined;
  readonly output: CompiledSchema | undefined;
  readonly taskSupport: TaskSupport;
  /** The arguments mirrored into `Mcp-Param-*` headers (2026-07-28). */
  readonly paramHeaders: readonly ParamHeader[];
  readonly handler: ToolHandler<unknown>;
}

/** Tool names, as the 2025-11-25 guidance has them: 1 to 128 of A-Z a-z 0-9 _ - . */
const TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/** The input schema of a tool without arguments. */
const NO_ARGUMENTS: JsonObject = Object.freeze({ type: 'object', properties: {} }) as JsonObject;

/**
 * The tools of a server, in registration order (`tools/list` order stays the same while the set
 * does). `onChange` runs after every change, for `notifications/tools/list_changed`.
 */
export class ToolRegistry {
  readonly #tools = new Map<string, ToolEntry>();
  readonly #onChange: () => void;
  readonly #onInvalidSchema: (message: string) => void;
  #list: Tool[] | undefined;
  #modernList: Tool[] | undefined;
  /** Once `prepare()` ran, a new tool's schemas are compiled when it is registered. */
  #eager = false;

  /** @param onInvalidSchema - Told when a schema turns out invalid (it is compiled once the validator loads). */
  constructor(onChange: () => void, onInvalidSchema: (message: string) => void = () => undefined) {
    this.#onChange = onChange;
    this.#onInvalidSchema = onInvalidSchema;
  }

  /** Number of tools. */
  get size(): number {
    return this.#tools.size;
  }

  /** True when some tool may run as a task. */
  get anyTaskSupport(): boolean {
    for (const tool of this.#tools.values()) if (tool.taskSupport !== 'forbidden') return true;
    return false;
  }

  /**
   * Adds a tool.
   * @throws TypeError for a bad name, handler, a schema that is none at all (an invalid JSON
   * Schema is reported once compiled) or an invalid `x-mcp-header`; Error when the name is taken.
   */
  register(name: string, config: ToolConfig, handler: ToolHandler<never>): RegisteredTool {
    if (typeof name !== 'string' || !TOOL_NAME.test(name)) throw new TypeError(`Tool name must be 1 to 128 characters of A-Z, a-z, 0-9, _, - and ., got ${JSON.stringify(name)}`);
    if (this.#tools.has(name)) throw new Error(`Tool ${name} is already registered`);
    if (typeof handler !== 'function') throw new TypeError(`The handler of tool ${name} must be a function`);
    if (typeof config !== 'object' || config === null) throw new TypeError(`The config of tool ${name} must be an object`);
    const input = config.inputSchema === undefined ? undefined : compileMcpSchema(config.inputSchema, `The inputSchema of tool ${name}`, this.#onInvalidSchema);
    const output = config.outputSchema === undefined ? undefined : compileMcpSchema(config.outputSchema, `The outputSchema of tool ${name}`, this.#onInvalidSchema);
    const taskSupport = config.execution?.taskSupport ?? 'forbidden';
    if (!['forbidden', 'optional', 'required'].includes(taskSupport)) throw new TypeError(`execution.taskSupport of tool ${name} must be forbidden, optional or required`);
    const descriptor: Tool = { name, inputSchema: input?.jsonSchema ?? NO_ARGUMENTS };
    if (config.title !== undefined) descriptor.title = config.title;
    if (config.description !== undefined) descriptor.description = config.description;
    if (output !== undefined) descriptor.outputSchema = output.jsonSchema;
    if (config.annotations !== undefined) descriptor.annotations = config.annotations;
    if (config.execution !== undefined) descriptor.execution = { taskSupport };
    if (config.icons !== undefined) descriptor.icons = config.icons;
    if (config._meta !== undefined) descriptor._meta = config._meta;
    const paramHeaders = paramHeadersOf(descriptor.inputSchema, name);
    const entry: ToolEntry = { name, descriptor, input, output, taskSupport, paramHeaders, handler: handler as ToolHandler<unknown> };
    this.#tools.set(name, entry);
    if (this.#eager) void prepareEntry(entry);
    this.#changed();
    return {
      name,
      remove: () => {
        if (this.#tools.get(name) !== entry) return;
        this.#tools.delete(name);
        this.#changed();
      },
    };
  }

  /** Compiles every tool's schemas now, and those of tools registered later as they come. */
  async prepare(): Promise<void> {
    this.#eager = true;
    await Promise.all([...this.#tools.values()].map(prepareEntry));
  }

  /** The tool named `name`, if any. */
  get(name: string): ToolEntry | undefined {
    return this.#tools.get(name);
  }

  /** What `tools/list` shows, in registration order (the same order while the set is the same). */
  list(): Tool[] {
    this.#list ??= [...this.#tools.values()].map((tool) => tool.descriptor);
    return this.#list;
  }

  /** What 2026-07-28's `tools/list` shows: the same, without 2025-11-25's `execution` (tasks are an extension there). */
  modernList(): Tool[] {
    this.#modernList ??= this.list().map((tool) => {
      if (tool.execution === undefined) return tool;
      const { execution: _execution, ...rest } = tool;
      return rest;
    });
    return this.#modernList;
  }

  #changed(): void {
    this.#list = undefined;
    this.#modernList = undefined;
    this.#onChange();
  }
}

function prepareEntry(tool: ToolEntry): Promise<unknown> {
  return Promise.all([tool.input?.prepare(), tool.output?.prepare()]);
}

/**
 * Runs a tool: checks its arguments (a mismatch is a tool error the model can correct), calls
 * its handler, shapes its result and checks it against the output schema.
 * @throws (rejects with) JsonRpcError as `invokeTool`.
 */
export async function runTool(tool: ToolEntry, args: JsonObject, ctx: McpContext, logger: Logger): Promise<CallToolResult> {
  // Without a schema the handler starts at once, in the caller's turn.
  const checked = tool.input === undefined ? { ok: true as const, value: args } : await checkToolArguments(tool, args);
  return checked.ok ? invokeTool(tool, checked.value, ctx, logger) : checked.result;
}

/** The arguments the handler gets (its schema's output), or the tool error a mismatch is answered with. */
export async function checkToolArguments(tool: ToolEntry, args: JsonObject): Promise<{ ok: true; value: unknown } | { ok: false; result: CallToolResult }> {
  if (tool.input === undefined) return { ok: true, value: args };
  const checked = await tool.input.validate(args);
  if (!checked.ok) return { ok: false, result: toolError(`Invalid arguments for tool ${tool.name}: ${checked.issues.join('; ')}`) };
  return { ok: true, value: checked.value };
}

/**
 * Calls a tool's handler with checked arguments and shapes its result.
 * @throws (rejects with) JsonRpcError: the one the handler threw when it stays a protocol error
 * (see `ToolResult`); `-32603` for a result that is not a `CallToolResult` or does not match the
 * output schema (the server's bug, logged); `InputRequiredSignal` as the handler threw it.
 */
export async function invokeTool(tool: ToolEntry, value: unknown, ctx: McpContext, logger: Logger): Promise<CallToolResult> {
  let returned: ToolResult;
  try {
    returned = await tool.handler(value, ctx);
  } catch (error) {
    if (error instanceof InputRequiredSignal || (error instanceof JsonRpcError && staysProtocolError(error, ctx))) throw error;
    logger.warn('tool failed', { tool: tool.name, error });
    return toolError(describeThrown(error).message);
  }
  const result = toCallToolResult(returned, tool.name);
  if (tool.output !== undefined && result.isError !== true) await checkOutput(tool, result, logger);
  return result;
}

/** Legacy: only -32042 (URL elicitation required); 2026-07-28: every code but that one, which the revision dropped. */
function staysProtocolError(error: JsonRpcError, ctx: McpContext): boolean {
  return ctx.era === 'modern' ? error.code !== McpErrorCode.UrlElicitationRequired : error.code === McpErrorCode.UrlElicitationRequired;
}

/** A tool error result: one text block, `isError: true`. */
export function toolError(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

function toCallToolResult(returned: ToolResult, name: string): CallToolResult {
  if (typeof returned === 'string') return { content: [{ type: 'text', text: returned }] };
  if (typeof returned !== 'object' || returned === null) throw invalidResult(name, 'it must be an object with content, or a string');
  const result = returned as Partial<CallToolResult>;
  if (result.content !== undefined && !Array.isArray(result.content)) throw invalidResult(name, 'content must be an array');
  if (result.structuredContent !== undefined && (typeof result.structuredContent !== 'object' || result.structuredContent === null)) {
    throw invalidResult(name, 'structuredContent must be an object');
  }
  if (result.content !== undefined && result.content.length > 0) return result as CallToolResult;
  // Structured content without text: also send it as text, for clients that read only content.
  const content = result.structuredContent === undefined ? [] : [{ type: 'text' as const, text: toJson(result.structuredContent) }];
  return { ...result, content };
}

async function checkOutput(tool: ToolEntry, result: CallToolResult, logger: Logger): Promise<void> {
  const structured = result.structuredContent;
  const checked = structured === undefined ? { ok: false as const, issues: ['structuredContent is missing'] } : await tool.output!.validate(structured);
  if (checked.ok) return;
  logger.error('tool result does not match its outputSchema', { tool: tool.name, issues: checked.issues });
  throw new JsonRpcError(JsonRpcErrorCode.InternalError, `Tool ${tool.name} returned a result that does not match its outputSchema`, { issues: checked.issues });
}

function invalidResult(name: string, reason: string): JsonRpcError {
  return new JsonRpcError(JsonRpcErrorCode.InternalError, `Tool ${name} returned an invalid result: ${reason}`);
}
