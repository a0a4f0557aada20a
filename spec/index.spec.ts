import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as app from '../lib/app.js';
import * as context from '../lib/http/context.js';
import * as errors from '../lib/errors.js';
import * as library from '../lib/index.js';
import * as random from '../lib/random.js';
import * as status from '../lib/ping/status.js';
import * as constants from '../lib/websocket/constants.js';

describe('the public surface (lib/index.ts)', () => {
  it('exports exactly the documented names', () => {
    assert.deepEqual(Object.keys(library).sort(), [
      'AgentCoreApp',
      'AgentCoreServer',
      'BedrockAgentCoreApp',
      'BodyTooLargeError',
      'CloseCode',
      'DEFAULT_CORS_MAX_AGE_SECONDS',
      'DEFAULT_HEADERS_TIMEOUT_MS',
      'DEFAULT_INVOCATION_PATH',
      'DEFAULT_KEEP_ALIVE_TIMEOUT_MS',
      'DEFAULT_MAX_BODY_BYTES',
      'DEFAULT_MAX_HEADER_BYTES',
      'DEFAULT_PING_HANDLER_TIMEOUT_MS',
      'DEFAULT_REQUEST_TIMEOUT_MS',
      'DEFAULT_SHUTDOWN_GRACE_MS',
      'DEFAULT_SSE_HEARTBEAT_MS',
      'DEFAULT_STALL_WARNING_MS',
      'DEFAULT_STREAM_STALL_TIMEOUT_MS',
      'DEFAULT_WARMUP_PATH',
      'EmptyBodyError',
      'HttpError',
      'InvalidJsonError',
      'InvalidUtf8Error',
      'Logger',
      'MethodNotAllowedError',
      'NotFoundError',
      'PLATFORM_WARMUP_LIMIT_MS',
      'PingStatus',
      'SSE_CONTENT_TYPE',
      'SSE_HEARTBEAT',
      'SSE_MAX_EVENT_BYTES',
      'STREAM_ERROR_EVENT',
      'SseEvent',
      'SseRaw',
      'UnsupportedCharsetError',
      'WARMUP_TYPES',
      'getRequestContext',
      'isMainModule',
      'isPingStatus',
      'randomUUID',
      'sseEvent',
      'sseRaw',
      'toJson',
      'toWireTaskInfo',
      'withStreamErrorEvent',
    ]);
  });

  it('re-exports the modules\' own objects, so instanceof and the request context work across imports', () => {
    assert.equal(library.AgentCoreApp, app.AgentCoreApp);
    assert.equal(library.BedrockAgentCoreApp, app.AgentCoreApp);
    assert.equal(library.HttpError, errors.HttpError);
    assert.ok(new errors.BodyTooLargeError(1) instanceof library.HttpError);
    assert.equal(library.getRequestContext, context.getRequestContext);
    assert.equal(library.PingStatus, status.PingStatus);
    assert.equal(library.randomUUID, random.randomUUID);
    assert.equal(library.CloseCode, constants.CloseCode);
  });

  it('freezes PingStatus, so no one can change what the statuses are called', () => {
    assert.ok(Object.isFrozen(library.PingStatus));
    assert.deepEqual({ ...library.PingStatus }, { Healthy: 'Healthy', HealthyBusy: 'HealthyBusy' });
  });
});
