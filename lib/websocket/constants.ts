/**
 * Protocol constants and default limits for the RFC 6455 WebSocket server.
 *
 * Every number the WebSocket modules rely on is declared here once, so a reader can find
 * a limit by name and a user can see the defaults in one place.
 * @module
 */

/** The GUID that RFC 6455 §1.3 appends to `Sec-WebSocket-Key` before hashing. */
export const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** The only protocol version this server speaks (RFC 6455 §4.1). */
export const WEBSOCKET_VERSION = '13';

/** Frame opcodes (RFC 6455 §5.2). */
export const Opcode = {
  /** Continues a fragmented data message. */
  CONTINUATION: 0x0,
  /** A UTF-8 text message (or its first fragment). */
  TEXT: 0x1,
  /** A binary message (or its first fragment). */
  BINARY: 0x2,
  /** Starts or answers the closing handshake. */
  CLOSE: 0x8,
  /** Asks the peer for a pong. */
  PING: 0x9,
  /** Answers a ping, or serves as a unidirectional heartbeat. */
  PONG: 0xa,
} as const;

/** A frame opcode value. */
export type Opcode = (typeof Opcode)[keyof typeof Opcode];

/** Close status codes used by this server (RFC 6455 §7.4.1). */
export const CloseCode = {
  /** The purpose of the connection has been fulfilled. */
  NORMAL: 1000,
  /** The server is going away (shutdown) or the peer navigated away. */
  GOING_AWAY: 1001,
  /** The peer broke the framing protocol. */
  PROTOCOL_ERROR: 1002,
  /** The peer sent a kind of data this endpoint cannot accept. */
  UNSUPPORTED_DATA: 1003,
  /** Reported (never sent) when a close frame carried no status code. */
  NO_STATUS: 1005,
  /** Reported (never sent) when the TCP connection ended without a close frame. */
  ABNORMAL: 1006,
  /** A text message or close reason was not valid UTF-8. */
  INVALID_PAYLOAD: 1007,
  /** A policy (for example a platform limit) was violated. */
  POLICY_VIOLATION: 1008,
  /** A message exceeded `maxMessageBytes`. */
  MESSAGE_TOO_BIG: 1009,
  /** The server hit an unexpected condition (for example a handler threw). */
  INTERNAL_ERROR: 1011,
  /** The service is restarting; the client may reconnect (IANA registry). */
  SERVICE_RESTART: 1012,
  /** The service is overloaded for now; the client may retry later (IANA registry). */
  TRY_AGAIN_LATER: 1013,
  /** A gateway or proxy got an invalid answer from the server behind it (IANA registry). */
  BAD_GATEWAY: 1014,
} as const;

/** Largest payload a control frame (close, ping, pong) may carry (RFC 6455 §5.5). */
export const MAX_CONTROL_PAYLOAD_BYTES = 125;

/** Bytes taken by the status code at the start of a close payload. */
export const CLOSE_CODE_BYTES = 2;

/** Longest close reason in UTF-8 bytes: the control limit minus the status code. */
export const MAX_CLOSE_REASON_BYTES = MAX_CONTROL_PAYLOAD_BYTES - CLOSE_CODE_BYTES;

/** Bytes in a frame's masking key. */
export const MASK_KEY_BYTES = 4;

/** Largest payload length expressed in the 7-bit length field. */
export const MAX_7BIT_PAYLOAD_LENGTH = 125;

/** 7-bit length value announcing a 16-bit extended payload length. */
export const PAYLOAD_LENGTH_16_MARKER = 126;

/** 7-bit length value announcing a 64-bit extended payload length. */
export const PAYLOAD_LENGTH_64_MARKER = 127;

/** Largest payload length expressed in the 16-bit extended length field. */
export const MAX_16BIT_PAYLOAD_LENGTH = 0xffff;

/** Subprotocol that browsers use to carry a bearer token in the handshake. */
export const BEARER_PROTOCOL = 'base64UrlBearerAuthorization';

/** Prefix of the offered subprotocol whose remainder is the base64url bearer token. */
export const BEARER_PROTOCOL_PREFIX = `${BEARER_PROTOCOL}.`;

/** Default largest incoming message, summed over its fragments: 16 MiB. */
export const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/**
 * Default largest payload of one outgoing frame: 60 KiB, so that payload plus header stays
 * under the AgentCore platform's 64 KB per-frame limit.
 */
export const DEFAULT_MAX_FRAME_BYTES = 60 * 1024;

/**
 * Default outgoing frame rate limit per connection; `0` disables pacing. The AgentCore
 * platform allows 250 frames per second per connection.
 */
export const DEFAULT_MAX_FRAMES_PER_SECOND = 0;

/** Default idle time before a keepalive ping is sent, in ms; `0` disables keepalive. */
export const DEFAULT_IDLE_PING_MS = 0;

/** Default time to wait for the peer to finish the closing handshake before destroying, in ms. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 5_000;

/**
 * Default send backlog (bytes) above which a connection stops reading from the peer: 16 MiB, as
 * much as the largest incoming message and about a second of the platform's fastest outgoing
 * rate (250 frames of 64 KB per second).
 */
export const DEFAULT_MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/**
 * Default time (ms) a peer may take none of our bytes while the backlog pauses reading, before it
 * is closed with 1008; `0` never closes. 30 s outlasts a client's GC pause and TCP's
 * retransmission backoff (1 + 2 + 4 + 8 + 16 s), and frees a stalled backlog within half a minute.
 */
export const DEFAULT_SLOW_PEER_TIMEOUT_MS = 30_000;

/** Bytes each queued message counts for on top of its payload: its promises and closures (measured 250-450). */
export const QUEUED_MESSAGE_OVERHEAD_BYTES = 512;

/**
 * Messages the async iterator may hold before the TCP socket is paused. Reading stops,
 * so TCP flow control pushes back on the client instead of memory growing.
 */
export const ITERATOR_HIGH_WATER_MARK = 16;

/** How long a rejected handshake's socket may linger half-closed before it is destroyed, in ms. */
export const HANDSHAKE_FAILURE_LINGER_MS = 1_000;

/** The window over which `maxFramesPerSecond` is counted, in ms. */
export const PACING_WINDOW_MS = 1_000;
