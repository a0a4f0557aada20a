import type { IncomingHttpHeaders } from 'node:http';

/** Header carrying the runtime session id. */
export const SESSION_ID_HEADER = 'x-amzn-bedrock-agentcore-runtime-session-id';
/** Header carrying the platform's request id. */
export const REQUEST_ID_HEADER = 'x-amzn-bedrock-agentcore-runtime-request-id';
/** Header carrying the workload access token (identity chain between agents). */
export const IDENTITY_WAT_HEADER = 'x-amz-bedrock-agentcore-identity-wat';
/** Older header name for the workload access token, used by the Python SDK. */
export const WORKLOAD_ACCESS_TOKEN_HEADER = 'workloadaccesstoken';
/** Header carrying the OAuth2 callback URL. */
export const OAUTH2_CALLBACK_URL_HEADER = 'oauth2callbackurl';
/** Header telling the warmup hook's two calls apart: `memory` or `disk`. */
export const WARMUP_TYPE_HEADER = 'x-amzn-bedrock-agentcore-runtime-warmup-type';
/** Prefix of the custom headers that the platform forwards to the agent. */
export const CUSTOM_HEADER_PREFIX = 'x-amzn-bedrock-agentcore-runtime-custom-';

/**
 * Headers the AgentCore allowlist never forwards to agent code (lower case), grouped as in the
 * platform's header allowlist documentation.
 */
const RESTRICTED_HEADERS: ReadonlySet<string> = new Set([
  // authentication challenges and proxy credentials
  'proxy-authorization', 'www-authenticate', 'proxy-authenticate',
  // content negotiation and representation
  'accept', 'accept-charset', 'accept-encoding', 'accept-language', 'content-type', 'content-length',
  'content-encoding', 'content-language', 'content-location', 'content-range', 'content-md5',
  // caching and conditional requests
  'cache-control', 'etag', 'expires', 'if-match', 'if-modified-since', 'if-none-match', 'if-range',
  'if-unmodified-since', 'last-modified', 'pragma', 'vary', 'age',
  // connection management and hop-by-hop
  'connection', 'keep-alive', 'proxy-connection', 'upgrade', 'te', 'trailer', 'transfer-encoding',
  'expect', 'max-forwards', 'http2-settings',
  // request context
  'host', 'user-agent', 'referer', 'from', 'range', 'accept-ranges',
  // response-side headers that make no sense inbound
  'server', 'date', 'location', 'retry-after', 'set-cookie', 'link',
  // cookies
  'cookie',
  // security policies
  'content-security-policy', 'content-security-policy-report-only', 'strict-transport-security',
  'x-content-type-options', 'x-frame-options', 'x-xss-protection', 'referrer-policy',
  'permissions-policy', 'cross-origin-embedder-policy', 'cross-origin-opener-policy',
  'cross-origin-resource-policy', 'feature-policy', 'expect-ct', 'public-key-pins',
  'public-key-pins-report-only', 'clear-site-data',
  // CORS
  'origin', 'access-control-allow-origin', 'access-control-allow-methods', 'access-control-allow-headers',
  'access-control-allow-credentials', 'access-control-expose-headers', 'access-control-max-age',
  'access-control-request-method', 'access-control-request-headers',
  // client hints
  'accept-ch', 'accept-ch-lifetime', 'dpr', 'width', 'viewport-width', 'downlink', 'ect', 'rtt', 'save-data',
  // proxies, CDNs and client IP (spoofable)
  'via', 'forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port',
  'x-real-ip', 'x-requested-with', 'x-csrf-token', 'true-client-ip', 'x-client-ip', 'x-cluster-client-ip',
  'x-originating-ip', 'x-source-ip', 'x-original-url', 'x-original-host', 'x-rewrite-url', 'cf-ray',
  'cf-connecting-ip', 'x-cache', 'x-served-by',
  // WebSocket handshake
  'sec-websocket-key', 'sec-websocket-accept', 'sec-websocket-version', 'sec-websocket-protocol',
  'sec-websocket-extensions',
]);

/**
 * Returns whether a header (any case) may be handed to agent code under the AgentCore allowlist:
 * not restricted, no `x-amz-*` except the identity WAT header, no `x-amzn-*` except the custom
 * prefix. `Authorization` is always forwarded.
 */
export function isForwardableHeader(name: string): boolean {
  const lower = name.toLowerCase();
  if (RESTRICTED_HEADERS.has(lower)) return false;
  if (lower.startsWith('x-amz-')) return lower === IDENTITY_WAT_HEADER;
  if (lower.startsWith('x-amzn-')) return lower.startsWith(CUSTOM_HEADER_PREFIX);
  return true;
}

/** Joins a repeated header into one value; `undefined` when absent. */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The forwardable subset of a request's headers, keyed by lower-case name. */
export function forwardableHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const result: Record<string, string> = Object.create(null);
  for (const name of Object.keys(headers)) {
    const value = headerValue(headers[name]);
    if (value !== undefined && isForwardableHeader(name)) result[name] = value;
  }
  return result;
}
