import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonRpcError } from '../../lib/json-rpc/errors.js';
import { answerProblem, InputRequiredSignal, InputRound, MAX_INPUT_REQUESTS_PER_ROUND } from '../../lib/mcp/input-required.js';
import { randomSecret, RequestStateCodec } from '../../lib/mcp/request-state.js';

const codec = new RequestStateCodec({ secret: randomSecret(), ttlMs: 60_000, maxBytes: 65_536, now: Date.now });
const bound = { method: 'tools/call', name: 'ask', argumentsDigest: 'd' };
const binding = (): typeof bound => bound;
const accept = (content: Record<string, unknown>): unknown => ({ action: 'accept', content });

describe('InputRound: one run of a handler in a multi round-trip request', () => {
  it('resolves asks the client answered, rejects the others with InputRequiredSignal and lists them in the input_required answer', async () => {
    const round = new InputRound({ inputResponses: { name: accept({ name: 'Ada' }), extra: { ignored: true } } }, codec, binding);
    assert.deepEqual(await round.ask('elicitation/create', { message: 'Name?' }, 'name'), accept({ name: 'Ada' }));
    assert.equal(round.pending, false);
    await assert.rejects(round.ask('sampling/createMessage', { maxTokens: 5 }), (error: InputRequiredSignal) => error instanceof InputRequiredSignal && error.key === 'input_2');
    await assert.rejects(round.ask('roots/list', undefined, 'roots'), InputRequiredSignal);
    assert.equal(round.pending, true);
    const result = round.result();
    assert.equal(result.resultType, 'input_required');
    assert.deepEqual(result.inputRequests, { input_2: { method: 'sampling/createMessage', params: { maxTokens: 5 } }, roots: { method: 'roots/list' } });
    assert.deepEqual(codec.open(result.requestState!, bound), { answers: { name: accept({ name: 'Ada' }) }, round: 1 }, 'the state carries the answers used, not the unknown key');
  });

  it('carries answers from round to round in the signed state, which wins over a re-sent answer', async () => {
    const first = new InputRound({}, codec, binding);
    await assert.rejects(first.ask('elicitation/create', {}, 'step1'), InputRequiredSignal);
    const second = new InputRound({ requestState: first.result().requestState, inputResponses: { step1: accept({ name: 'Ada' }) } }, codec, binding);
    await second.ask('elicitation/create', {}, 'step1');
    await assert.rejects(second.ask('elicitation/create', {}, 'step2'), InputRequiredSignal);
    const state2 = second.result().requestState;
    const third = new InputRound({ requestState: state2, inputResponses: { step1: accept({ name: 'Changed' }), step2: accept({ color: 'blue' }) } }, codec, binding);
    assert.deepEqual(await third.ask('elicitation/create', {}, 'step1'), accept({ name: 'Ada' }));
    assert.deepEqual(await third.ask('elicitation/create', {}, 'step2'), accept({ color: 'blue' }));
    assert.equal(third.pending, false);
    assert.equal(codec.open(state2, bound).round, 2);
  });

  it('refuses inputResponses that is no object, and a state that does not verify, before anything runs', () => {
    for (const inputResponses of [null, [], 'x', 5]) assert.throws(() => new InputRound({ inputResponses }, codec, binding), (error: JsonRpcError) => error.code === -32602);
    assert.throws(() => new InputRound({ requestState: 'forged.state' }, codec, binding), (error: JsonRpcError) => error.code === -32602);
  });

  it('rejects an answer of the wrong shape with -32602 and remembers it as the round\'s error', async () => {
    const round = new InputRound({ inputResponses: { user_name: 12345 } }, codec, binding);
    await assert.rejects(round.ask('elicitation/create', {}, 'user_name'), (error: JsonRpcError) => error.code === -32602 && /user_name/.test(error.message));
    assert.equal(round.invalid?.code, -32602);
    await new Promise<void>((resolve) => round.onNeedsInput(resolve));
  });

  it('signals, one turn after the first unanswered ask, that the round needs input', async () => {
    const round = new InputRound({}, codec, binding);
    let signalled = false;
    round.onNeedsInput(() => (signalled = true));
    round.ask('elicitation/create', {}).catch(() => undefined);
    round.ask('elicitation/create', {}).catch(() => undefined);
    await Promise.resolve();
    assert.equal(signalled, false, 'not before the handler could ask its other things');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(signalled, true);
    const late = new InputRound({}, codec, binding);
    late.ask('roots/list', {}).catch(() => undefined);
    await new Promise<void>((resolve) => late.onNeedsInput(resolve));
  });

  it('stops a handler asking more than a round may hold', async () => {
    const round = new InputRound({}, codec, binding);
    for (let index = 0; index < MAX_INPUT_REQUESTS_PER_ROUND; index++) round.ask('roots/list', {}).catch(() => undefined);
    await assert.rejects(round.ask('roots/list', {}), (error: JsonRpcError) => error.code === -32603);
    assert.equal(round.invalid?.code, -32603);
  });

  it('makes a channel: asks through the round, notifications where it is told, no stream to close', async () => {
    const sent: unknown[] = [];
    const channel = new InputRound({ inputResponses: { k: { roots: [] } } }, codec, binding).channel((method, params) => sent.push([method, params]) > 0);
    assert.deepEqual(await channel.request('roots/list', {}, { key: 'k' }), { roots: [] });
    assert.equal(channel.notify('notifications/progress', { progress: 1 }), true);
    assert.deepEqual(sent, [['notifications/progress', { progress: 1 }]]);
    assert.equal(channel.closeStream(), false);
  });
});

describe('answerProblem: the shape of each kind of answer', () => {
  it('accepts the results of elicitation, sampling and roots, and anything of another method that is an object', () => {
    assert.equal(answerProblem('elicitation/create', { action: 'decline' }), undefined);
    assert.equal(answerProblem('sampling/createMessage', { role: 'assistant', content: { type: 'text', text: 'x' }, model: 'm' }), undefined);
    assert.equal(answerProblem('roots/list', { roots: [{ uri: 'file:///a' }] }), undefined);
    assert.equal(answerProblem('other/method', {}), undefined);
  });

  it('says what is wrong otherwise', () => {
    assert.match(answerProblem('elicitation/create', null)!, /object/);
    assert.match(answerProblem('elicitation/create', { action: 'yes' })!, /action/);
    assert.match(answerProblem('elicitation/create', { action: 'accept', content: [] })!, /content/);
    assert.match(answerProblem('sampling/createMessage', { role: 'system' })!, /role/);
    assert.match(answerProblem('sampling/createMessage', { role: 'user', content: 'x' })!, /content/);
    assert.match(answerProblem('sampling/createMessage', { role: 'user', content: {} })!, /model/);
    assert.match(answerProblem('roots/list', { roots: [{ name: 'x' }] })!, /uri/);
  });
});
