import type { IncomingMessage, Server } from 'node:http';
import { McpHttpError } from './errors.js';
import type { ResolvedMcpOptions } from './options.js';

/** Host names that always mean this machine. */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * DNS-rebinding protection (MCP Streamable HTTP, "Security Warning"; 403 for a bad `Origin` since
 * 2025-11-25): a page on a hostile name that resolves to 127.0.0.1 reaches a local server with
 * that name in `Host` and its own `Origin`. When on, `Host` must be a loopback name (or an
 * allowed one) and `Origin`, when sent, a loopback origin (or an allowed one). Node clients send
 * no `Origin`; browsers always do.
 */
export class OriginGuard {
  readonly #mode: 'auto' | 'on' | 'off';
  readonly #allowedHosts: ReadonlySet<string>;
  readonly #allowedOrigins: ReadonlySet<string>;
  readonly #server: () => Server | undefined;
  /** `auto`: the listening server the decision was made for, and the decision. */
  #decidedFor: Server | undefined;
  #active = false;

  /** @param server - The listening server, once there is one (its address decides `auto`). */
  constructor(options: ResolvedMcpOptions['dnsRebinding'], server: () => Server | undefined) {
    this.#mode = options.mode;
    this.#allowedHosts = options.allowedHosts;
    this.#allowedOrigins = options.allowedOrigins;
    this.#server = server;
  }

  /** Whether requests are checked: always, never, or (`auto`) when bound to a loopback address. */
  get active(): boolean {
    if (this.#mode !== 'auto') return this.#mode === 'on';
    const server = this.#server();
    // In process (no socket) nothing can rebind.
    if (server === undefined) return false;
    if (server !== this.#decidedFor) {
      const address = server.address();
      this.#active = typeof address === 'object' && address !== null && isLoopbackAddress(address.address);
      this.#decidedFor = server;
    }
    return this.#active;
  }

  /** @throws McpHttpError 403 for a `Host` or `Origin` this server must not answer. */
  check(request: IncomingMessage): void {
    if (!this.active) return;
    const host = request.headers.host;
    if (host === undefined || !this.#hostAllowed(hostName(host))) throw new McpHttpError(403, `Invalid Host: ${host ?? '(none)'}`);
    const origin = request.headers.origin;
    if (origin !== undefined && !this.#originAllowed(origin)) throw new McpHttpError(403, `Invalid Origin: ${origin}`);
  }

  #hostAllowed(name: string): boolean {
    return LOOPBACK_HOSTS.has(name) || this.#allowedHosts.has(name);
  }

  #originAllowed(origin: string): boolean {
    const lower = origin.toLowerCase();
    if (this.#allowedOrigins.has(lower)) return true;
    let url: URL;
    try {
      url = new URL(lower);
    } catch {
      return false;
    }
    return (url.protocol === 'http:' || url.protocol === 'https:') && this.#hostAllowed(url.hostname);
  }
}

/** The host name of a `Host` header, lower case, without its port (`[::1]` keeps its brackets). */
export function hostName(host: string): string {
  const lower = host.trim().toLowerCase();
  if (lower.startsWith('[')) {
    const end = lower.indexOf(']');
    return end === -1 ? lower : lower.slice(0, end + 1);
  }
  const colon = lower.indexOf(':');
  return colon === -1 ? lower : lower.slice(0, colon);
}

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback addresses. */
export function isLoopbackAddress(address: string): boolean {
  return address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.') || address === 'localhost';
}
