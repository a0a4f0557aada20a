import type { IncomingMessage, ServerResponse } from 'node:http';
import { MethodNotAllowedError, NotFoundError } from '../errors.js';

/** Where the platform polls health; fixed by the contract, on every protocol's port. */
export const PING_PATH = '/ping';
/** Where invocations arrive unless the runtime's protocol configuration moves them. */
export const DEFAULT_INVOCATION_PATH = '/invocations';
/** Where WebSocket connections are accepted; fixed by the contract. */
export const WEBSOCKET_PATH = '/ws';

/** Answers the requests of one route. */
export type RouteHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** A path the server answers, with its methods and its handler. */
export interface Route {
  /** What the route is, for messages: `ping`, `invocations`, `mcp`... */
  readonly name: string;
  readonly path: string;
  /** In the order `Allow` reports them. */
  readonly methods: readonly string[];
  readonly serve: RouteHandler;
  /** Browser pages may call it when the server has a `cors` option (preflights answered). */
  readonly cors: boolean;
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
 * The server's routing table: exact paths (the query string ignored), each with its methods and
 * handler. The core adds `/ping` (and the warmup hook's path); a protocol adds its own.
 */
export class Router {
  readonly #routes = new Map<string, Route>();

  /**
   * Serves `path` for `methods` with `serve`; `name` says what the route is in messages.
   * @throws Error when another route already has `path`.
   */
  add(name: string, path: string, methods: readonly string[], serve: RouteHandler, options: { cors?: boolean } = {}): void {
    const taken = this.#routes.get(path);
    if (taken !== undefined) throw new Error(`${path} is already the ${taken.name} path`);
    this.#routes.set(path, { name, path, methods, serve, cors: options.cors === true });
  }

  /**
   * The route of a request path, ignoring the query string.
   * @throws NotFoundError for an unknown path.
   */
  find(url: string): Route {
    const path = pathOf(url);
    const route = this.#routes.get(path);
    if (route === undefined) throw new NotFoundError(path);
    return route;
  }

  /**
   * Matches a request to a route, ignoring the query string.
   * @throws NotFoundError for an unknown path; MethodNotAllowedError (with `Allow`) for a known
   * path and the wrong method.
   */
  match(method: string, url: string): Route {
    const route = this.find(url);
    checkMethod(route, method);
    return route;
  }
}

/** @throws MethodNotAllowedError (with `Allow`) when `route` does not serve `method`. */
export function checkMethod(route: Route, method: string): void {
  if (!route.methods.includes(method)) throw new MethodNotAllowedError(method, route.methods);
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
