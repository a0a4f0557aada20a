import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  CloseCode,
  DEFAULT_CLOSE_TIMEOUT_MS,
  DEFAULT_IDLE_PING_MS,
  DEFAULT_MAX_FRAME_BYTES,
  DEFAULT_MAX_FRAMES_PER_SECOND,
  DEFAULT_MAX_MESSAGE_BYTES,
  MAX_16BIT_PAYLOAD_LENGTH,
  MAX_CLOSE_REASON_BYTES,
  MAX_CONTROL_PAYLOAD_BYTES,
  Opcode,
  WEBSOCKET_GUID,
  WEBSOCKET_VERSION,
} from '../../lib/websocket/constants.js';

/** The AgentCore platform's limit on one WebSocket frame. */
const PLATFORM_FRAME_LIMIT_BYTES = 64_000;
/** A server frame's header with a 16-bit extended length: two bytes plus two, unmasked. */
const HEADER_BYTES_16BIT = 4;

describe('the RFC 6455 constants', () => {
  it('use the GUID that turns the RFC\'s sample key into its sample accept value (§1.3)', () => {
    const accept = createHash('sha1').update(`dGhlIHNhbXBsZSBub25jZQ==${WEBSOCKET_GUID}`).digest('base64');
    assert.equal(accept, 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
    assert.equal(WEBSOCKET_VERSION, '13');
  });

  it('number the opcodes as §5.2 does', () => {
    assert.deepEqual({ ...Opcode }, { CONTINUATION: 0, TEXT: 1, BINARY: 2, CLOSE: 8, PING: 9, PONG: 10 });
  });

  it('number the close codes as §7.4.1 and the IANA registry do', () => {
    assert.deepEqual({ ...CloseCode }, {
      NORMAL: 1000,
      GOING_AWAY: 1001,
      PROTOCOL_ERROR: 1002,
      UNSUPPORTED_DATA: 1003,
      NO_STATUS: 1005,
      ABNORMAL: 1006,
      INVALID_PAYLOAD: 1007,
      POLICY_VIOLATION: 1008,
      MESSAGE_TOO_BIG: 1009,
      INTERNAL_ERROR: 1011,
      SERVICE_RESTART: 1012,
      TRY_AGAIN_LATER: 1013,
      BAD_GATEWAY: 1014,
    });
  });

  it('leave a close reason the 125 control bytes less the two-byte status code', () => {
    assert.equal(MAX_CONTROL_PAYLOAD_BYTES, 125);
    assert.equal(MAX_CLOSE_REASON_BYTES, 123);
  });
});

describe('the default WebSocket limits', () => {
  it('keep an outgoing frame, header included, under the platform\'s 64 KB frame limit', () => {
    assert.ok(DEFAULT_MAX_FRAME_BYTES <= MAX_16BIT_PAYLOAD_LENGTH, 'a full frame needs only the 16-bit length');
    assert.ok(DEFAULT_MAX_FRAME_BYTES + HEADER_BYTES_16BIT <= PLATFORM_FRAME_LIMIT_BYTES);
  });

  it('are the documented ones: 16 MiB messages, no pacing, no idle ping, 5 s to finish a close', () => {
    assert.equal(DEFAULT_MAX_MESSAGE_BYTES, 16 * 1024 * 1024);
    assert.equal(DEFAULT_MAX_FRAME_BYTES, 60 * 1024);
    assert.equal(DEFAULT_MAX_FRAMES_PER_SECOND, 0);
    assert.equal(DEFAULT_IDLE_PING_MS, 0);
    assert.equal(DEFAULT_CLOSE_TIMEOUT_MS, 5000);
  });
});
