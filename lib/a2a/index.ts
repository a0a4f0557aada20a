/**
 * A2A on the AgentCore Runtime (`agentcore-lite/a2a`): an A2A 1.0 and 0.3 JSON-RPC server on
 * the same core as the HTTP app (tasks, `/ping`, lifecycle, limits, logging), whose working
 * tasks are tracked tasks. No dependencies: the types follow the A2A specification's JSON.
 */
export { A2AServer, A2A_PATH, type A2AServerOptions } from './server.js';
export type { A2ACall, ExtendedAgentCard } from './dispatch.js';
export { AGENT_FAILED_TEXT, type AgentExecutor, type AgentMessageInit, type ArtifactInit, type ArtifactUpdateOptions, type TaskContext } from './executor.js';
export { A2A_PORT, AGENT_CARD_PATH, CARD_MAX_AGE_SECONDS, RUNTIME_URL_VARIABLE, type AgentCardOptions } from './card.js';
export type { PushNotificationOptions } from './push.js';
export { A2AError, A2AErrorCode, TaskStateError } from './errors.js';
export type { A2AVersion } from './versions.js';
export {
  isInterrupted,
  isTerminal,
  MethodV1,
  Role,
  TaskState,
  type A2AMethod,
  type AgentCapabilities,
  type AgentCard,
  type AgentExtension,
  type AgentInterface,
  type AgentProvider,
  type AgentSkill,
  type Artifact,
  type AuthenticationInfo,
  type DataPart,
  type ListTasksResponse,
  type Message,
  type Metadata,
  type Part,
  type PartFields,
  type RawPart,
  type SendMessageConfiguration,
  type SendMessageResponse,
  type StreamResponse,
  type Task,
  type TaskArtifactUpdateEvent,
  type TaskPushNotificationConfig,
  type TaskStatus,
  type TaskStatusUpdateEvent,
  type TextPart,
  type UrlPart,
} from './wire-v1.js';
export { JsonRpcError } from '../json-rpc/errors.js';
export {
  DEFAULT_A2A_FINISHED_TASK_TTL_MS,
  DEFAULT_A2A_MAX_FINISHED_TASKS,
  DEFAULT_A2A_MAX_OPEN_TASKS,
  DEFAULT_A2A_MAX_STREAM_BACKLOG,
  DEFAULT_A2A_MAX_TASK_HISTORY,
  DEFAULT_A2A_PUSH_MAX_ATTEMPTS,
  DEFAULT_A2A_PUSH_MAX_CONFIGS_PER_TASK,
  DEFAULT_A2A_PUSH_MAX_QUEUED,
  DEFAULT_A2A_PUSH_RETRY_DELAY_MS,
  DEFAULT_A2A_PUSH_TIMEOUT_MS,
} from '../limits.js';
