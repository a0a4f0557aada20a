import { JsonRpcError } from '../json-rpc/errors.js';
import { randomUUID } from '../random.js';
import { McpErrorCode } from './errors.js';
import { MIN_REQUEST_STATE_SECRET_BYTES } from './limits.js';

// Read without an `import` (see environment.ts): node:crypto loads only with the first codec.
const getCrypto = (): typeof import('node:crypto') => process.getBuiltinModule('node:crypto');

/** What a state is good for: one method on one tool, prompt or resource, with the same arguments. */
export interface RequestStateBinding {
  readonly method: string;
  /** The tool or prompt name, or the resource URI. */
  readonly name: string;
  /** `digestArguments()` of the call's arguments. */
  readonly argumentsDigest: string;
}

/** What a state carries from one round to the next. */
export interface RequestStatePayload {
  /** The client's answers the handler used in earlier rounds, by key. */
  readonly answers: Readonly<Record<string, unknown>>;
  /** How many rounds came before (1 after the first `input_required`). */
  readonly round: number;
}

/** The codec's settings. */
export interface RequestStateCodecOptions {
  /** The HMAC-SHA256 key (32 bytes or more). */
  readonly secret: Uint8Array;
  /** How long a state stays valid after it was made. */
  readonly ttlMs: number;
  /** The longest state made; more answers than fit are refused (-32603). */
  readonly maxBytes: number;
  readonly now: () => number;
}

const FORMAT_VERSION = 1;

/**
 * The `requestState` of multi round-trip requests (2026-07-28): the answers a handler was given
 * in earlier rounds, carried by the client from one round to the next instead of kept on the
 * server, so any instance that holds the key can continue the call and nothing is stored per
 * call. The client must not be able to change it (the specification treats it as
 * attacker-controlled), so it is signed: `base64url(JSON payload) . base64url(HMAC-SHA256)`.
 * The payload also binds it to its method, name and arguments, and expires; a random nonce
 * makes every state different. It is signed, not encrypted: it only carries what the client
 * itself answered.
 */
export class RequestStateCodec {
  readonly #options: RequestStateCodecOptions;

  /** @throws RangeError for a secret shorter than 32 bytes. */
  constructor(options: RequestStateCodecOptions) {
    if (options.secret.byteLength < MIN_REQUEST_STATE_SECRET_BYTES) throw new RangeError(`requestState.secret must be at least ${MIN_REQUEST_STATE_SECRET_BYTES} bytes`);
    this.#options = options;
  }

  /**
   * A new state for the next round.
   * @throws JsonRpcError -32603 when the answers do not fit in `maxBytes`.
   */
  mint(binding: RequestStateBinding, payload: RequestStatePayload): string {
    const body = Buffer.from(
      JSON.stringify({
        v: FORMAT_VERSION,
        m: binding.method,
        n: binding.name,
        d: binding.argumentsDigest,
        a: payload.answers,
        r: payload.round,
        e: this.#options.now() + this.#options.ttlMs,
        i: randomUUID(),
      }),
    ).toString('base64url');
    const state = `${body}.${this.#sign(body)}`;
    if (state.length > this.#options.maxBytes) {
      throw new JsonRpcError(McpErrorCode.InternalError, `The answers gathered so far do not fit in a requestState of ${this.#options.maxBytes} bytes`);
    }
    return state;
  }

  /**
   * What a state the client echoed carries.
   * @throws JsonRpcError -32602 for a state that is not a string, was not made by this key (or
   * was changed), has expired, or was made for another method, name or arguments.
   */
  open(state: unknown, binding: RequestStateBinding): RequestStatePayload {
    if (typeof state !== 'string') throw invalidState('requestState must be a string');
    const dot = state.lastIndexOf('.');
    const body = state.slice(0, dot);
    if (dot <= 0 || !this.#verify(body, state.slice(dot + 1))) throw invalidState('requestState failed verification');
    let payload: { v?: unknown; m?: unknown; n?: unknown; d?: unknown; a?: unknown; r?: unknown; e?: unknown };
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as typeof payload;
    } catch {
      throw invalidState('requestState failed verification');
    }
    if (payload.v !== FORMAT_VERSION || typeof payload.a !== 'object' || payload.a === null || typeof payload.r !== 'number') {
      throw invalidState('requestState failed verification');
    }
    if (typeof payload.e !== 'number' || payload.e <= this.#options.now()) throw invalidState('requestState has expired; call again without it');
    if (payload.m !== binding.method || payload.n !== binding.name || payload.d !== binding.argumentsDigest) {
      throw invalidState('requestState belongs to another request (method, name or arguments differ)');
    }
    return { answers: payload.a as Record<string, unknown>, round: payload.r };
  }

  #sign(body: string): string {
    return getCrypto().createHmac('sha256', this.#options.secret).update(body).digest('base64url');
  }

  #verify(body: string, signature: string): boolean {
    const expected = Buffer.from(this.#sign(body));
    const given = Buffer.from(signature);
    return given.length === expected.length && getCrypto().timingSafeEqual(given, expected);
  }
}

/** A fresh random key for a process that was given none. */
export function randomSecret(): Uint8Array {
  return getCrypto().randomBytes(MIN_REQUEST_STATE_SECRET_BYTES);
}

/**
 * A short digest of a call's arguments, to bind a state to them (the client retries with the
 * same arguments, serialized in the same order).
 */
export function digestArguments(args: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(args) ?? '';
  } catch {
    throw JsonRpcError.invalidParams('arguments cannot be serialized');
  }
  return getCrypto().createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

function invalidState(detail: string): JsonRpcError {
  return JsonRpcError.invalidParams(detail);
}
