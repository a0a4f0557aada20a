import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toJsonStrict } from '../serialize.js';
import { PROTOCOL_VERSION_V03 } from './wire-v0-3.js';
import type { AgentCard, AgentExtension, AgentProvider, AgentSkill } from './wire-v1.js';

/** Where the agent card is served, relative to the agent's URL (the A2A well-known path). */
export const AGENT_CARD_PATH = '/.well-known/agent-card.json';
/** The variable AgentCore sets to the runtime's invocation URL (without its trailing slash). */
export const RUNTIME_URL_VARIABLE = 'AGENTCORE_RUNTIME_URL';
/** The port A2A runs on in the AgentCore contract. */
export const A2A_PORT = 9000;
/** How long clients may cache the card: five minutes. */
export const CARD_MAX_AGE_SECONDS = 300;
/** The transport the card declares (JSON-RPC 2.0 over HTTP), at both versions. */
const JSONRPC = 'JSONRPC';

/** What the agent card says about the agent; every field has a default. */
export interface AgentCardOptions {
  /** Default `agent`. */
  name?: string | undefined;
  /** Default: an A2A agent on the AgentCore Runtime. */
  description?: string | undefined;
  /** The agent's own version. Default `1.0.0`. */
  version?: string | undefined;
  /**
   * The URL clients call. Default: `AGENTCORE_RUNTIME_URL` (which the platform sets, and which
   * wins over this option, as in AWS's SDKs), else this option, else the listening address
   * (`http://localhost:<port>/` when listening on every interface). A trailing slash is added.
   */
  url?: string | undefined;
  /** At least one. Default: one skill, `main`. */
  skills?: AgentSkill[] | undefined;
  /** Media types the agent accepts. Default `['text/plain']`. */
  defaultInputModes?: string[] | undefined;
  /** Media types the agent answers with. Default `['text/plain']`. */
  defaultOutputModes?: string[] | undefined;
  provider?: AgentProvider | undefined;
  documentationUrl?: string | undefined;
  iconUrl?: string | undefined;
  /** Whether the streaming methods are served. Default `true`. */
  streaming?: boolean | undefined;
  /** Protocol extensions the agent supports. */
  extensions?: AgentExtension[] | undefined;
}

const DEFAULT_SKILL: AgentSkill = Object.freeze({
  id: 'main',
  name: 'main',
  description: 'The agent’s main skill',
  tags: ['agent'],
}) as AgentSkill;

/** What the card says besides the options: what the server serves. */
export interface CardCapabilities {
  pushNotifications: boolean;
  extendedAgentCard: boolean;
}

/**
 * Checks card options once, when the server is made.
 * @throws TypeError naming the first field that is not what A2A requires.
 */
export function checkCardOptions(options: AgentCardOptions, what = 'card'): void {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${what} must be an object`);
  for (const field of ['name', 'description', 'version', 'url', 'documentationUrl', 'iconUrl'] as const) {
    const value = options[field];
    if (value !== undefined && (typeof value !== 'string' || value === '')) throw new TypeError(`${what}.${field} must be a non-empty string`);
  }
  if (options.url !== undefined) absoluteUrl(options.url, `${what}.url`);
  for (const field of ['defaultInputModes', 'defaultOutputModes'] as const) {
    const value = options[field];
    if (value !== undefined && (!Array.isArray(value) || value.length === 0 || !value.every((mode) => typeof mode === 'string'))) {
      throw new TypeError(`${what}.${field} must be a non-empty list of media types`);
    }
  }
  if (options.skills !== undefined) {
    if (!Array.isArray(options.skills) || options.skills.length === 0) throw new TypeError(`${what}.skills must be a non-empty list`);
    options.skills.forEach((skill, index) => {
      const ok =
        typeof skill === 'object' && skill !== null && [skill.id, skill.name, skill.description].every((text) => typeof text === 'string' && text !== '');
      if (!ok || !Array.isArray(skill.tags) || skill.tags.length === 0) {
        throw new TypeError(`${what}.skills[${index}] needs an id, a name, a description and at least one tag`);
      }
    });
  }
}

/** `text` as an absolute http(s) URL ending with `/`. @throws TypeError naming `what` otherwise. */
function absoluteUrl(text: string, what: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(`${what} must be an absolute URL, got ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`${what} must be an http or https URL`);
  return text.endsWith('/') ? text : `${text}/`;
}

/**
 * `AGENTCORE_RUNTIME_URL` with the trailing slash clients need to resolve the card's path
 * against it; `undefined` when it is not set, `null` when it is not an absolute http(s) URL.
 */
export function runtimeUrl(env: NodeJS.ProcessEnv = process.env): string | null | undefined {
  const value = env[RUNTIME_URL_VARIABLE]?.trim();
  if (value === undefined || value === '') return undefined;
  try {
    return absoluteUrl(value, RUNTIME_URL_VARIABLE);
  } catch {
    return null;
  }
}

/**
 * The URL the card advertises: `AGENTCORE_RUNTIME_URL` (the platform's), else `configured`,
 * else the listening address, else `http://localhost:9000/` (a server used in process only).
 */
export function advertisedUrl(configured: string | undefined, address: AddressInfo | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const fromPlatform = runtimeUrl(env);
  if (typeof fromPlatform === 'string') return fromPlatform;
  if (configured !== undefined) return absoluteUrl(configured, 'card.url');
  if (address === undefined) return `http://localhost:${A2A_PORT}/`;
  const host = address.address === '0.0.0.0' || address.address === '::' ? 'localhost' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}/`;
}

/**
 * One card for both versions: A2A 1.0's fields, with `supportedInterfaces` listing JSON-RPC at
 * 1.0 (first: preferred) and 0.3 at the same URL, plus 0.3's top-level `url`,
 * `protocolVersion`, `preferredTransport` and `additionalInterfaces`. 1.0 clients use the
 * former, 0.3 clients the latter.
 */
export function buildAgentCard(options: AgentCardOptions, url: string, served: CardCapabilities): AgentCard {
  const card: AgentCard = {
    name: options.name ?? 'agent',
    description: options.description ?? 'An A2A agent on the Amazon Bedrock AgentCore Runtime',
    supportedInterfaces: [
      { url, protocolBinding: JSONRPC, protocolVersion: '1.0' },
      { url, protocolBinding: JSONRPC, protocolVersion: '0.3' },
    ],
    version: options.version ?? '1.0.0',
    capabilities: {
      streaming: options.streaming !== false,
      pushNotifications: served.pushNotifications,
      extendedAgentCard: served.extendedAgentCard,
    },
    defaultInputModes: options.defaultInputModes ?? ['text/plain'],
    defaultOutputModes: options.defaultOutputModes ?? ['text/plain'],
    skills: options.skills ?? [DEFAULT_SKILL],
    url,
    protocolVersion: PROTOCOL_VERSION_V03,
    preferredTransport: JSONRPC,
    additionalInterfaces: [{ url, transport: JSONRPC }],
  };
  if (options.extensions !== undefined) card.capabilities.extensions = options.extensions;
  if (options.provider !== undefined) card.provider = options.provider;
  if (options.documentationUrl !== undefined) card.documentationUrl = options.documentationUrl;
  if (options.iconUrl !== undefined) card.iconUrl = options.iconUrl;
  if (served.extendedAgentCard) card.supportsAuthenticatedExtendedCard = true;
  return card;
}

/** A weak ETag from the text: FNV-1a, 32 bits, and the length. */
function etagOf(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return `W/"${(hash >>> 0).toString(16)}-${text.length.toString(16)}"`;
}

/**
 * `GET /.well-known/agent-card.json`: the card, built once per advertised URL, with an ETag
 * (`If-None-Match` gets 304) and a cache lifetime. The `A2A-Version` header does not matter:
 * the one document serves both versions.
 */
export class AgentCardEndpoint {
  readonly #options: AgentCardOptions;
  readonly #served: CardCapabilities;
  readonly #address: () => AddressInfo | undefined;
  #cached: { url: string; card: AgentCard; text: string; etag: string } | undefined;

  constructor(options: AgentCardOptions, served: CardCapabilities, address: () => AddressInfo | undefined) {
    this.#options = options;
    this.#served = served;
    this.#address = address;
  }

  /** The card as served now. */
  get card(): AgentCard {
    return this.#current().card;
  }

  /** The card built from `options` over the public card's, for the extended card. */
  extended(options: AgentCardOptions): AgentCard {
    return buildAgentCard({ ...this.#options, ...options }, this.#current().url, this.#served);
  }

  serve(request: IncomingMessage, response: ServerResponse): void {
    const { text, etag } = this.#current();
    const headers = ['content-type', 'application/json', 'cache-control', `public, max-age=${CARD_MAX_AGE_SECONDS}`, 'etag', etag];
    if (request.headers['if-none-match'] === etag) {
      response.writeHead(304, headers);
      response.end();
      return;
    }
    headers.push('content-length', String(Buffer.byteLength(text)));
    response.writeHead(200, headers);
    response.end(request.method === 'HEAD' ? undefined : text);
  }

  #current(): { url: string; card: AgentCard; text: string; etag: string } {
    const url = advertisedUrl(this.#options.url, this.#address());
    if (this.#cached?.url !== url) {
      const card = buildAgentCard(this.#options, url, this.#served);
      const text = toJsonStrict(card);
      this.#cached = { url, card, text, etag: etagOf(text) };
    }
    return this.#cached;
  }
}
