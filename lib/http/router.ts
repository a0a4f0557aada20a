import type { IncomingMessage } from 'node:http';
import { MethodNotAllowedError, NotFoundError } from '../errors.js';

/** The endpoints of the AgentCore contract. */
export type RouteName = 'ping' | 'invocations' | 'ws';

interface RouteEntry {
  readonly name: RouteName;
  readonly methods: readonly string[];
}

/** Path → route; methods listed in the order `Allow` reports them. */
const ROUTES: ReadonlyMap<string, RouteEntry> = new Map([
  ['/ping', { name: 'ping', methods: ['GET', 'HEAD'] }],
  ['/invocations', { name: 'invocations', methods: ['POST'] }],
  ['/ws', { name: 'ws', methods: ['GET'] }],
]);

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

/**
 * Matches a request to a route, ignoring the query string.
 * @throws NotFoundError for an unknown path; MethodNotAllowedError (with `Allow`) for a known
 * path and the wrong method.
 */
export function matchRoute(method: string, url: string): RouteName {
  const path = pathOf(url);
  const route = ROUTES.get(path);
  if (route === undefined) throw new NotFoundError(path);
  if (!route.methods.includes(method)) throw new MethodNotAllowedError(method, route.methods);
  return route.name;
}
