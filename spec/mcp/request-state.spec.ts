import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonRpcError } from '../../lib/json-rpc/errors.js';
import { digestArguments, randomSecret, RequestStateCodec } from '../../lib/mcp/request-state.js';

const binding = { method: 'tools/call', name: 'ask', argumentsDigest: digestArguments({ a: 1 }) };

function codec(now = (): number => 1_000, maxBytes = 4096, secret = randomSecret()): RequestStateCodec {
  return new RequestStateCodec({ secret, ttlMs: 60_000, maxBytes, now });
}

function refusal(open: () => unknown): JsonRpcError {
  try {
    open();
  } catch (error) {
    return error as JsonRpcError;
  }
  assert.fail('the state was accepted');
}

describe('RequestStateCodec: requestState signed, bound, expiring', () => {
  it('opens what it minted: the answers and the round', () => {
    const states = codec();
    const state = states.mint(binding, { answers: { name: { action: 'accept', content: { name: 'Ada' } } }, round: 2 });
    assert.match(state, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(states.open(state, binding), { answers: { name: { action: 'accept', content: { name: 'Ada' } } }, round: 2 });
  });

  it('makes every state different, even for the same answers', () => {
    const states = codec();
    assert.notEqual(states.mint(binding, { answers: {}, round: 1 }), states.mint(binding, { answers: {}, round: 1 }));
  });

  it('refuses a state changed anywhere, or made with another key, with -32602', () => {
    const states = codec();
    const state = states.mint(binding, { answers: { a: { action: 'accept' } }, round: 1 });
    const [body, mac] = state.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), a: { a: { action: 'decline' } } })).toString('base64url');
    for (const changed of [`${state}-TAMPERED`, `${forged}.${mac}`, `${body}.${mac.slice(0, -2)}xx`, mac, '.', '', 42]) {
      const error = refusal(() => states.open(changed, binding));
      assert.equal(error.code, -32602, String(changed));
    }
    assert.match(refusal(() => codec().open(state, binding)).message, /failed verification/);
    assert.match(refusal(() => states.open(42, binding)).message, /must be a string/);
  });

  it('refuses a signed body that is not a state of this format', () => {
    const secret = randomSecret();
    const states = codec(undefined, undefined, secret);
    const hmac = (body: string): string => process.getBuiltinModule('node:crypto').createHmac('sha256', secret).update(body).digest('base64url');
    for (const payload of ['not json', JSON.stringify({ v: 2, a: {}, r: 1 }), JSON.stringify({ v: 1, a: null, r: 1 })]) {
      const body = Buffer.from(payload).toString('base64url');
      assert.match(refusal(() => states.open(`${body}.${hmac(body)}`, binding)).message, /failed verification/, payload);
    }
  });

  it('refuses a state once it expired, and one made for another method, name or arguments', () => {
    let now = 1_000;
    const states = codec(() => now);
    const state = states.mint(binding, { answers: {}, round: 1 });
    assert.match(refusal(() => states.open(state, { ...binding, name: 'other' })).message, /belongs to another request/);
    assert.match(refusal(() => states.open(state, { ...binding, argumentsDigest: digestArguments({ a: 2 }) })).message, /another request/);
    assert.match(refusal(() => states.open(state, { ...binding, method: 'prompts/get' })).message, /another request/);
    now += 60_000;
    assert.match(refusal(() => states.open(state, binding)).message, /expired/);
  });

  it('refuses to make a state larger than maxBytes (-32603), and a key shorter than 32 bytes', () => {
    const error = refusal(() => codec(undefined, 200).mint(binding, { answers: { big: 'x'.repeat(500) }, round: 1 }));
    assert.equal(error.code, -32603);
    assert.throws(() => new RequestStateCodec({ secret: new Uint8Array(16), ttlMs: 1, maxBytes: 1, now: Date.now }), RangeError);
  });
});

describe('digestArguments', () => {
  it('is short, stable for the same arguments, different for others; -32602 for arguments JSON cannot carry', () => {
    assert.equal(digestArguments({ a: 1 }), digestArguments({ a: 1 }));
    assert.notEqual(digestArguments({ a: 1 }), digestArguments({ a: 2 }));
    assert.equal(digestArguments(undefined).length, 22);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.equal(refusal(() => digestArguments(cyclic)).code, -32602);
  });
});
