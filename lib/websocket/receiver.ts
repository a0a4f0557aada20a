/**
 * Incoming frame parser for server-side connections (RFC 6455 §5).
 *
 * The parser is an explicit state machine fed with the Buffers the TCP socket emits. Bytes are
 * kept as a list of chunks and only copied when a header field or payload straddles chunk
 * boundaries, so partial reads cost linear time. Limits are checked from the frame header,
 * before any payload is buffered.
 * @module
 */

import {
  CLOSE_CODE_BYTES,
  CloseCode,
  MASK_KEY_BYTES,
  MAX_CONTROL_PAYLOAD_BYTES,
  Opcode,
  PAYLOAD_LENGTH_16_MARKER,
  PAYLOAD_LENGTH_64_MARKER,
} from './constants.js';
import { WebSocketProtocolError } from './errors.js';
import { isValidCloseCode, isValidUtf8 } from './validation.js';

/** Bit masks of the first two header bytes (RFC 6455 §5.2). */
const FIN_BIT = 0x80;
const RSV_BITS = 0x70;
const OPCODE_BITS = 0x0f;
const MASK_BIT = 0x80;
const PAYLOAD_LENGTH_BITS = 0x7f;
/** Control opcodes (0x8-0xF) have this bit set; data opcodes (0x0-0x7) do not. */
const CONTROL_OPCODE_BIT = 0x08;

/** Bytes in each stage of the header. */
const INFO_BYTES = 2;
const PAYLOAD_LENGTH_16_BYTES = 2;
const PAYLOAD_LENGTH_64_BYTES = 8;
/** Multiplier that combines the two 32-bit halves of a 64-bit length. */
const UINT32_RANGE = 2 ** 32;
/** Bits of the high 32-bit half that fit into a safe integer (2^53 - 1). */
const MAX_SAFE_HIGH_WORD = 2 ** 21 - 1;
/** The most significant bit of a 64-bit length must be 0 (RFC 6455 §5.2). */
const UINT32_MSB = 0x80000000;

/** Parser states, named after what the parser is waiting for. */
const enum State {
  GET_INFO,
  GET_PAYLOAD_LENGTH_16,
  GET_PAYLOAD_LENGTH_64,
  GET_MASK,
  GET_DATA,
  /** A close frame or a protocol error ended parsing; further bytes are ignored. */
  HALTED,
}

/** What the receiver reports. Handlers run synchronously inside {@link Receiver.push}. */
export interface ReceiverHandlers {
  /** A complete data message: a string for text, a Buffer for binary. */
  onMessage(data: string | Buffer, isBinary: boolean): void;
  /** A ping frame and its payload (at most 125 bytes). */
  onPing(payload: Buffer): void;
  /** A pong frame and its payload. */
  onPong(payload: Buffer): void;
  /** A valid close frame; `code` is 1005 when the frame carried no status. */
  onClose(code: number, reason: string): void;
  /** A framing violation; parsing stops afterwards. */
  onError(error: WebSocketProtocolError): void;
}

/** Options for {@link Receiver}. */
export interface ReceiverOptions {
  /** Largest message in bytes, summed over its fragments; larger ones fail with 1009. */
  maxMessageBytes: number;
}

/**
 * Parses masked client frames into messages and control events.
 *
 * Feed it every chunk read from the socket with {@link Receiver.push}. After a close frame
 * or a protocol error it halts and ignores further input.
 */
export class Receiver {
  readonly #handlers: ReceiverHandlers;
  readonly #maxMessageBytes: number;

  #state: State = State.GET_INFO;
  /** Unparsed input, in arrival order; the first chunk may be partly consumed already. */
  readonly #chunks: Buffer[] = [];
  #bufferedBytes = 0;

  // The frame being parsed.
  #fin = false;
  #opcode = 0;
  #payloadLength = 0;
  #maskKey: Buffer = Buffer.alloc(0);

  // The data message being assembled from fragments.
  #messageOpcode = 0;
  #messageBytes = 0;
  #fragments: Buffer[] = [];

  /**
   * @param options - Limits.
   * @param handlers - Callbacks for messages, control frames and errors.
   */
  constructor(options: ReceiverOptions, handlers: ReceiverHandlers) {
    this.#maxMessageBytes = options.maxMessageBytes;
    this.#handlers = handlers;
  }

  /** `true` once a close frame or a protocol error stopped the parser. */
  get halted(): boolean {
    return this.#state === State.HALTED;
  }

  /**
   * Parses as many frames as the buffered bytes allow. Handlers are called synchronously.
   * Never throws for bad input: violations are reported through `onError`.
   */
  push(chunk: Buffer): void {
    if (this.#state === State.HALTED || chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#bufferedBytes += chunk.length;
    try {
      while (this.#step()) {
        // Each step consumes one header field or one payload; loop until input runs out.
      }
    } catch (error) {
      if (!(error instanceof WebSocketProtocolError)) throw error;
      this.halt();
      this.#handlers.onError(error);
    }
  }

  /** Stops parsing and drops buffered input and partial messages; later input is ignored. */
  halt(): void {
    this.#state = State.HALTED;
    this.#chunks.length = 0;
    this.#bufferedBytes = 0;
    this.#fragments = [];
  }

  /** Runs one state; returns `false` when more input is needed or parsing has stopped. */
  #step(): boolean {
    switch (this.#state) {
      case State.GET_INFO:
        return this.#getInfo();
      case State.GET_PAYLOAD_LENGTH_16:
        return this.#getPayloadLength16();
      case State.GET_PAYLOAD_LENGTH_64:
        return this.#getPayloadLength64();
      case State.GET_MASK:
        return this.#getMask();
      case State.GET_DATA:
        return this.#getData();
      default:
        return false; // HALTED
    }
  }

  #getInfo(): boolean {
    if (this.#bufferedBytes < INFO_BYTES) return false;
    const header = this.#consume(INFO_BYTES);
    const first = header[0]!;
    const second = header[1]!;

    if ((first & RSV_BITS) !== 0) {
      throw protocolError('RSV bits must be clear: no extension was negotiated', 'WS_ERR_UNEXPECTED_RSV');
    }
    this.#fin = (first & FIN_BIT) !== 0;
    this.#opcode = first & OPCODE_BITS;
    const length = second & PAYLOAD_LENGTH_BITS;

    if ((this.#opcode & CONTROL_OPCODE_BIT) !== 0) {
      this.#checkControlFrame(length);
    } else {
      this.#checkDataFrame();
    }
    if ((second & MASK_BIT) === 0) {
      throw protocolError('Client frames must be masked', 'WS_ERR_UNMASKED_FRAME');
    }

    if (length === PAYLOAD_LENGTH_16_MARKER) {
      this.#state = State.GET_PAYLOAD_LENGTH_16;
    } else if (length === PAYLOAD_LENGTH_64_MARKER) {
      this.#state = State.GET_PAYLOAD_LENGTH_64;
    } else {
      this.#setPayloadLength(length);
    }
    return true;
  }

  #checkControlFrame(length: number): void {
    if (this.#opcode !== Opcode.CLOSE && this.#opcode !== Opcode.PING && this.#opcode !== Opcode.PONG) {
      throw protocolError(`Invalid opcode ${this.#opcode}`, 'WS_ERR_INVALID_OPCODE');
    }
    if (!this.#fin) {
      throw protocolError('Control frames must not be fragmented', 'WS_ERR_FRAGMENTED_CONTROL_FRAME');
    }
    if (length > MAX_CONTROL_PAYLOAD_BYTES) {
      throw protocolError('Control frame payload exceeds 125 bytes', 'WS_ERR_CONTROL_FRAME_TOO_BIG');
    }
  }

  #checkDataFrame(): void {
    const inMessage = this.#messageOpcode !== 0;
    if (this.#opcode === Opcode.CONTINUATION) {
      if (!inMessage) {
        throw protocolError('Continuation frame without a message in progress', 'WS_ERR_UNEXPECTED_CONTINUATION');
      }
    } else if (this.#opcode === Opcode.TEXT || this.#opcode === Opcode.BINARY) {
      if (inMessage) {
        throw protocolError('New data frame while a fragmented message is in progress', 'WS_ERR_EXPECTED_CONTINUATION');
      }
    } else {
      throw protocolError(`Invalid opcode ${this.#opcode}`, 'WS_ERR_INVALID_OPCODE');
    }
  }

  #getPayloadLength16(): boolean {
    if (this.#bufferedBytes < PAYLOAD_LENGTH_16_BYTES) return false;
    this.#setPayloadLength(this.#consume(PAYLOAD_LENGTH_16_BYTES).readUInt16BE(0));
    return true;
  }

  #getPayloadLength64(): boolean {
    if (this.#bufferedBytes < PAYLOAD_LENGTH_64_BYTES) return false;
    const field = this.#consume(PAYLOAD_LENGTH_64_BYTES);
    const high = field.readUInt32BE(0);
    if ((high & UINT32_MSB) !== 0) {
      throw protocolError('64-bit payload length has its most significant bit set', 'WS_ERR_UNSUPPORTED_PAYLOAD_LENGTH');
    }
    if (high > MAX_SAFE_HIGH_WORD) {
      // Legal on the wire, but no message this large can fit under any configurable limit.
      throw new WebSocketProtocolError('Payload length exceeds 2^53 - 1', CloseCode.MESSAGE_TOO_BIG, 'WS_ERR_MESSAGE_TOO_BIG');
    }
    this.#setPayloadLength(high * UINT32_RANGE + field.readUInt32BE(4));
    return true;
  }

  /** Records the frame length and enforces the message limit before buffering any payload. */
  #setPayloadLength(length: number): void {
    this.#payloadLength = length;
    const isData = (this.#opcode & CONTROL_OPCODE_BIT) === 0;
    if (isData && this.#messageBytes + length > this.#maxMessageBytes) {
      throw new WebSocketProtocolError(
        `Message exceeds the ${this.#maxMessageBytes}-byte limit`,
        CloseCode.MESSAGE_TOO_BIG,
        'WS_ERR_MESSAGE_TOO_BIG',
      );
    }
    this.#state = State.GET_MASK;
  }

  #getMask(): boolean {
    if (this.#bufferedBytes < MASK_KEY_BYTES) return false;
    this.#maskKey = this.#consume(MASK_KEY_BYTES);
    this.#state = State.GET_DATA;
    return true;
  }

  #getData(): boolean {
    if (this.#bufferedBytes < this.#payloadLength) return false;
    const payload = this.#consume(this.#payloadLength);
    unmask(payload, this.#maskKey);
    this.#state = State.GET_INFO;

    if ((this.#opcode & CONTROL_OPCODE_BIT) !== 0) {
      this.#handleControl(payload);
      return true;
    }
    if (this.#opcode !== Opcode.CONTINUATION) this.#messageOpcode = this.#opcode;
    this.#messageBytes += payload.length;
    if (payload.length > 0) this.#fragments.push(payload);
    if (this.#fin) this.#completeMessage();
    return true;
  }

  #handleControl(payload: Buffer): void {
    if (this.#opcode === Opcode.PING) {
      this.#handlers.onPing(payload);
    } else if (this.#opcode === Opcode.PONG) {
      this.#handlers.onPong(payload);
    } else {
      const [code, reason] = parseClosePayload(payload);
      this.halt();
      this.#handlers.onClose(code, reason);
    }
  }

  #completeMessage(): void {
    const fragments = this.#fragments;
    const data = fragments.length === 1 ? fragments[0]! : Buffer.concat(fragments, this.#messageBytes);
    const isBinary = this.#messageOpcode === Opcode.BINARY;
    this.#messageOpcode = 0;
    this.#messageBytes = 0;
    this.#fragments = [];
    if (isBinary) {
      this.#handlers.onMessage(data, true);
      return;
    }
    if (!isValidUtf8(data)) {
      throw new WebSocketProtocolError('Text message is not valid UTF-8', CloseCode.INVALID_PAYLOAD, 'WS_ERR_INVALID_UTF8');
    }
    this.#handlers.onMessage(data.toString('utf8'), false);
  }

  /** Removes and returns the next `length` buffered bytes; copies only across chunk boundaries. */
  #consume(length: number): Buffer {
    this.#bufferedBytes -= length;
    const first = this.#chunks[0];
    if (first === undefined) return Buffer.alloc(0);
    if (length === first.length) return this.#chunks.shift()!;
    if (length < first.length) {
      this.#chunks[0] = first.subarray(length);
      return first.subarray(0, length);
    }
    const out = Buffer.allocUnsafe(length);
    let offset = 0;
    while (offset < length) {
      const chunk = this.#chunks[0]!;
      const take = Math.min(chunk.length, length - offset);
      chunk.copy(out, offset, 0, take);
      offset += take;
      if (take === chunk.length) this.#chunks.shift();
      else this.#chunks[0] = chunk.subarray(take);
    }
    return out;
  }
}

/** A 1002 protocol error with the given stable code. */
function protocolError(message: string, code: WebSocketProtocolError['code']): WebSocketProtocolError {
  return new WebSocketProtocolError(message, CloseCode.PROTOCOL_ERROR, code);
}

/** XORs a payload with the 4-byte masking key in place (RFC 6455 §5.3). */
function unmask(payload: Buffer, maskKey: Buffer): void {
  for (let i = 0; i < payload.length; i++) {
    payload[i] = payload[i]! ^ maskKey[i & 3]!;
  }
}

/**
 * Reads a close frame's status code and reason.
 * @returns `[1005, '']` for an empty payload.
 * @throws WebSocketProtocolError 1002 for a 1-byte payload or a code that may not be sent,
 * 1007 for a reason that is not UTF-8.
 */
function parseClosePayload(payload: Buffer): [number, string] {
  if (payload.length === 0) return [CloseCode.NO_STATUS, ''];
  if (payload.length < CLOSE_CODE_BYTES) {
    throw protocolError('Close payload of 1 byte', 'WS_ERR_INVALID_CLOSE_PAYLOAD');
  }
  const code = payload.readUInt16BE(0);
  if (!isValidCloseCode(code)) {
    throw protocolError(`Invalid close code ${code}`, 'WS_ERR_INVALID_CLOSE_CODE');
  }
  const reason = payload.subarray(CLOSE_CODE_BYTES);
  if (!isValidUtf8(reason)) {
    throw new WebSocketProtocolError('Close reason is not valid UTF-8', CloseCode.INVALID_PAYLOAD, 'WS_ERR_INVALID_UTF8');
  }
  return [code, reason.toString('utf8')];
}
