import type { IncomingMessage } from 'node:http';
import { MethodNotAllowedError, NotFoundError } from '../errors.js';

/** The endpoints the app serves. */
export type RouteName = 'ping' | 'invocations' | 'ws' | 'warmup';

/** Where the platform polls health; fixed by the contract. */
export const PING_PATH = '/ping';
/** Where invocations arrive unless the runtime's protocol configuration moves them. */
export const DEFAULT_INVOCATION_PATH = '/invocations';
/** Where WebSocket connections are accepted; fixed by the contract. */
export const WEBSOCKET_PATH = '/ws';

interface RouteEntry {
  readonly name: RouteName;
  readonly methods: readonly string[];
}

/** An absolute path of URL path characters (RFC 3986 pchar and `/`), no query or fragment. */
const PATH_PATTERN = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;
const MAX_PATH_LENGTH = 1024;

/**
 * Returns `path` when it is usable as a route: a string starting with `/`, made of URL path
 * characters only.
 * @throws TypeError naming `option` otherwise.
 */
export function checkPath(option: string, path: unknown): string {
  if (typeof path !== 'string' || path.length > MAX_PATH_LENGTH || !PATH_PATTERN.test(path)) {
    throw new TypeError(`${option} must be an absolute URL path such as "/invocations" (no query, fragment or spaces), got ${JSON.stringify(path)}`);
  }
  return path;
}

/**
 * The app's routing table: exact paths (the query string ignored), each with its methods in
 * the order `Allow` reports them. `/ping` and `/ws` are fixed; the invocation path and the
 * warmup hook's path are the app's to choose.
 */
export class Router {
  readonly #routes = new Map<string, RouteEntry>();

  constructor(invocationPath: string) {
    this.add('ping', PING_PATH, ['GET', 'HEAD']);
    this.add('ws', WEBSOCKET_PATH, ['GET']);
    this.add('invocations', invocationPath, ['POST']);
  }

  /**
   * Serves `name` on `path` for `methods`.
   * @throws Error when another route already has `path`.
   */
  add(name: RouteName, path: string, methods: readonly string[]): void {
    const taken = this.#routes.get(path);
    if (taken !== undefined) throw new Error(`${path} is already the ${taken.name} path`);
    this.#routes.set(path, { name, methods });
  }

  /**
   * Matches a request to a route, ignoring the query string.
   * @throws NotFoundError for an unknown path; MethodNotAllowedError (with `Allow`) for a known
   * path and the wrong method.
   */
  match(method: string, url: string): RouteName {
    const path = pathOf(url);
    const route = this.#routes.get(path);
    if (route === undefined) throw new NotFoundError(path);
    if (!route.methods.includes(method)) throw new MethodNotAllowedError(method, route.methods);
    return route.name;
  }
}

/**
 * Whether a request is a WebSocket handshake: only `Upgrade: websocket` on the WebSocket path.
 * Any other request that carries an `Upgrade` header (`curl --http2` sends `Upgrade: h2c` with
 * every request) is an ordinary HTTP request: RFC 9110 §7.8 lets a server ignore an upgrade.
 */
export function isWebSocketUpgrade(request: IncomingMessage, websocketPath: string): boolean {
  const upgrade = request.headers.upgrade;
  if (upgrade === undefined || pathOf(request.url!) !== websocketPath) return false;
  return upgrade.split(',').some((token) => token.trim().toLowerCase() === 'websocket');
}

/** The path part of a request target, without query string or fragment. */
export function pathOf(url: string): string {
  let end = url.length;
  const query = url.indexOf('?');
  if (query !== -1) end = query;
  const hash = url.indexOf('#');
  if (hash !== -1 && hash < end) end = hash;
  return end === url.length ? url : url.slice(0, end);
}
