/**
 * The MCP wire types of the legacy era (protocol versions 2025-03-26, 2025-06-18 and
 * 2025-11-25): the shapes of the messages' `params` and `result` objects, with the
 * specification's names. Fields a later version added are optional; older clients ignore them.
 * Types only: nothing here runs.
 */

/** A JSON object as MCP carries it. */
export type JsonObject = { [key: string]: unknown };

/** `_meta` on params, results and most objects: reverse-DNS keys, values the spec does not type. */
export type Meta = { [key: string]: unknown };

/** An icon a client may show (2025-11-25). */
export interface Icon {
  src: string;
  mimeType?: string;
  sizes?: string[];
  theme?: 'light' | 'dark';
}

/** `serverInfo` and `clientInfo`. */
export interface Implementation {
  name: string;
  version: string;
  title?: string;
  description?: string;
  icons?: Icon[];
  websiteUrl?: string;
}

/** What the client can do, from its `initialize`; unknown keys are kept and ignored. */
export interface ClientCapabilities {
  roots?: { listChanged?: boolean };
  sampling?: { context?: JsonObject; tools?: JsonObject };
  elicitation?: { form?: JsonObject; url?: JsonObject };
  tasks?: JsonObject;
  experimental?: JsonObject;
  [key: string]: unknown;
}

/** What the server can do, answered to `initialize`. */
export interface ServerCapabilities {
  tools?: { listChanged?: boolean };
  resources?: { subscribe?: boolean; listChanged?: boolean };
  prompts?: { listChanged?: boolean };
  logging?: JsonObject;
  completions?: JsonObject;
  tasks?: { list?: JsonObject; cancel?: JsonObject; requests?: { tools?: { call?: JsonObject } } };
  experimental?: JsonObject;
}

/** `initialize` params. */
export interface InitializeParams {
  protocolVersion: string;
  capabilities: ClientCapabilities;
  clientInfo: Implementation;
}

/** The answer to `initialize`. */
export interface InitializeResult {
  protocolVersion: string;
  capabilities: ServerCapabilities;
  serverInfo: Implementation;
  instructions?: string;
}

/** The RFC 5424 levels of `logging/setLevel` and `notifications/message`, least severe first. */
export type LoggingLevel = 'debug' | 'info' | 'notice' | 'warning' | 'error' | 'critical' | 'alert' | 'emergency';

/** Who a piece of content is for, how important it is, when it changed. */
export interface Annotations {
  audience?: ('user' | 'assistant')[];
  priority?: number;
  lastModified?: string;
}

/** `{ type: "text" }` content. */
export interface TextContent {
  type: 'text';
  text: string;
  annotations?: Annotations;
  _meta?: Meta;
}

/** `{ type: "image" }` content: base64 `data`. */
export interface ImageContent {
  type: 'image';
  data: string;
  mimeType: string;
  annotations?: Annotations;
  _meta?: Meta;
}

/** `{ type: "audio" }` content (2025-03-26): base64 `data`. */
export interface AudioContent {
  type: 'audio';
  data: string;
  mimeType: string;
  annotations?: Annotations;
  _meta?: Meta;
}

/** A resource's text. */
export interface TextResourceContents {
  uri: string;
  mimeType?: string;
  text: string;
  _meta?: Meta;
}

/** A resource's bytes, base64. */
export interface BlobResourceContents {
  uri: string;
  mimeType?: string;
  blob: string;
  _meta?: Meta;
}

/** One item of a `resources/read` answer. */
export type ResourceContents = TextResourceContents | BlobResourceContents;

/** `{ type: "resource" }` content: a resource embedded whole. */
export interface EmbeddedResource {
  type: 'resource';
  resource: ResourceContents;
  annotations?: Annotations;
  _meta?: Meta;
}

/** `{ type: "resource_link" }` content (2025-06-18): a resource named, not embedded. */
export interface ResourceLink extends Resource {
  type: 'resource_link';
}

/** Any content a tool result or a prompt message can carry. */
export type ContentBlock = TextContent | ImageContent | AudioContent | ResourceLink | EmbeddedResource;

/** Hints about a tool's behaviour; a client must not trust them. */
export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** Whether a tool may, must or must not run as a task (2025-11-25). */
export type TaskSupport = 'forbidden' | 'optional' | 'required';

/** A tool as `tools/list` shows it. */
export interface Tool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: JsonObject;
  outputSchema?: JsonObject;
  annotations?: ToolAnnotations;
  execution?: { taskSupport?: TaskSupport };
  icons?: Icon[];
  _meta?: Meta;
}

/** The answer to `tools/call` (and what `tasks/result` returns for a task-augmented call). */
export interface CallToolResult {
  content: ContentBlock[];
  structuredContent?: JsonObject;
  isError?: boolean;
  _meta?: Meta;
}

/** A resource as `resources/list` shows it. */
export interface Resource {
  uri: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
  size?: number;
  annotations?: Annotations;
  icons?: Icon[];
  _meta?: Meta;
}

/** A resource template as `resources/templates/list` shows it. */
export interface ResourceTemplateDescriptor {
  uriTemplate: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
  annotations?: Annotations;
  icons?: Icon[];
  _meta?: Meta;
}

/** The answer to `resources/read`. */
export interface ReadResourceResult {
  contents: ResourceContents[];
  _meta?: Meta;
}

/** One argument of a prompt. */
export interface PromptArgument {
  name: string;
  title?: string;
  description?: string;
  required?: boolean;
}

/** A prompt as `prompts/list` shows it. */
export interface Prompt {
  name: string;
  title?: string;
  description?: string;
  arguments?: PromptArgument[];
  icons?: Icon[];
  _meta?: Meta;
}

/** One message of a prompt. */
export interface PromptMessage {
  role: 'user' | 'assistant';
  content: ContentBlock;
}

/** The answer to `prompts/get`. */
export interface GetPromptResult {
  description?: string;
  messages: PromptMessage[];
  _meta?: Meta;
}

/** The answer to `completion/complete`. */
export interface CompleteResult {
  completion: { values: string[]; total?: number; hasMore?: boolean };
}

/** A task's status (2025-11-25); the last three are terminal. */
export type TaskStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';

/** A task as `tasks/get`, `tasks/list` and `notifications/tasks/status` show it. */
export interface Task {
  taskId: string;
  status: TaskStatus;
  statusMessage?: string;
  createdAt: string;
  lastUpdatedAt: string;
  /** Milliseconds from creation the task and its result are kept; `null` for unlimited. */
  ttl: number | null;
  pollInterval?: number;
}

/** The immediate answer to a task-augmented request. */
export interface CreateTaskResult {
  task: Task;
  _meta?: Meta;
}

/** The `_meta` key tying a message to a task. */
export const RELATED_TASK_META = 'io.modelcontextprotocol/related-task';

/** A primitive property of an elicitation form (string, number, boolean, enum). */
export type PrimitiveSchemaDefinition = JsonObject;

/** `elicitation/create` params in form mode. */
export interface ElicitRequestFormParams {
  mode?: 'form';
  message: string;
  requestedSchema: { type: 'object'; properties: { [name: string]: PrimitiveSchemaDefinition }; required?: string[] };
  _meta?: Meta;
}

/** `elicitation/create` params in URL mode (2025-11-25). */
export interface ElicitRequestUrlParams {
  mode: 'url';
  message: string;
  elicitationId: string;
  url: string;
  _meta?: Meta;
}

/** `elicitation/create` params. */
export type ElicitRequestParams = ElicitRequestFormParams | ElicitRequestUrlParams;

/** The client's answer to `elicitation/create`. */
export interface ElicitResult {
  action: 'accept' | 'decline' | 'cancel';
  content?: { [name: string]: string | number | boolean | string[] };
  _meta?: Meta;
}

/** A message of a sampling conversation. */
export interface SamplingMessage {
  role: 'user' | 'assistant';
  content: JsonObject | JsonObject[];
}

/** `sampling/createMessage` params. */
export interface CreateMessageRequestParams {
  messages: SamplingMessage[];
  maxTokens: number;
  systemPrompt?: string;
  includeContext?: 'none' | 'thisServer' | 'allServers';
  temperature?: number;
  stopSequences?: string[];
  metadata?: JsonObject;
  modelPreferences?: JsonObject;
  tools?: JsonObject[];
  toolChoice?: JsonObject;
  _meta?: Meta;
}

/** The client's answer to `sampling/createMessage`. */
export interface CreateMessageResult {
  role: 'user' | 'assistant';
  content: JsonObject | JsonObject[];
  model: string;
  stopReason?: string;
  _meta?: Meta;
}

/** A root the client exposes. */
export interface Root {
  uri: string;
  name?: string;
  _meta?: Meta;
}

/** The client's answer to `roots/list`. */
export interface ListRootsResult {
  roots: Root[];
  _meta?: Meta;
}

/** The method names of the legacy era, client to server and server to client. */
export const Method = Object.freeze({
  Initialize: 'initialize',
  Ping: 'ping',
  ToolsList: 'tools/list',
  ToolsCall: 'tools/call',
  ResourcesList: 'resources/list',
  ResourcesTemplatesList: 'resources/templates/list',
  ResourcesRead: 'resources/read',
  ResourcesSubscribe: 'resources/subscribe',
  ResourcesUnsubscribe: 'resources/unsubscribe',
  PromptsList: 'prompts/list',
  PromptsGet: 'prompts/get',
  CompletionComplete: 'completion/complete',
  LoggingSetLevel: 'logging/setLevel',
  TasksGet: 'tasks/get',
  TasksResult: 'tasks/result',
  TasksList: 'tasks/list',
  TasksCancel: 'tasks/cancel',
  ElicitationCreate: 'elicitation/create',
  SamplingCreateMessage: 'sampling/createMessage',
  RootsList: 'roots/list',
} as const);

/** The notification names of the legacy era. */
export const Notification = Object.freeze({
  Initialized: 'notifications/initialized',
  Cancelled: 'notifications/cancelled',
  Progress: 'notifications/progress',
  Message: 'notifications/message',
  RootsListChanged: 'notifications/roots/list_changed',
  ToolsListChanged: 'notifications/tools/list_changed',
  ResourcesListChanged: 'notifications/resources/list_changed',
  PromptsListChanged: 'notifications/prompts/list_changed',
  ResourceUpdated: 'notifications/resources/updated',
  TaskStatus: 'notifications/tasks/status',
  ElicitationComplete: 'notifications/elicitation/complete',
} as const);
