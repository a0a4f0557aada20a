import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALWAYS_VALID, type Check, describeValue, EvaluationState, isObject, NO_ISSUES, quoteName, runChecks } from '../../../lib/mcp/json-schema/evaluation.js';

const LIMITS = { maxDepth: 3, maxIssues: 4, maxEvaluations: 5 };
const failing = (keyword: string): Check => (_value, state) => state.fail(keyword, `failed ${keyword}`);

describe('EvaluationState', () => {
  it('records issues at the current JSON Pointer, escaped, and hands them over once', () => {
    const state = new EvaluationState(LIMITS);
    state.begin();
    state.descend((_value, inner) => inner.descend(failing('x'), 1, 0), {}, 'a/b~c');
    assert.deepEqual(state.finish(false), [{ path: '/a~1b~0c/0', keyword: 'x', message: 'failed x' }]);
    state.begin();
    assert.equal(state.finish(true), NO_ISSUES);
  });

  it('adds a generic issue when a failure left none (never an empty list for an invalid value)', () => {
    const state = new EvaluationState(LIMITS);
    state.begin();
    assert.deepEqual(state.finish(false), [{ path: '', keyword: 'schema', message: 'must match the schema' }]);
  });

  it('mutes failures inside branches and stops at maxIssues', () => {
    const state = new EvaluationState(LIMITS);
    state.begin();
    assert.equal(state.passes(failing('muted'), 1), false);
    const checks = [failing('a'), failing('b'), failing('c'), failing('d'), failing('e')];
    assert.equal(runChecks(checks, 1, state), false);
    assert.equal(state.stopped, true);
    assert.deepEqual(state.finish(false).map((issue) => issue.keyword), ['a', 'b', 'c', 'd']);
  });

  it('stops past maxDepth with one issue, even when muted', () => {
    const state = new EvaluationState(LIMITS);
    state.begin();
    state.muted++;
    const deeper: Check = (value, inner) => inner.descend(deeper, value, 'k');
    assert.equal(deeper(1, state), false);
    assert.equal(state.depth, 0);
    state.muted--;
    assert.deepEqual(state.finish(false), [{ path: '/k/k/k/k', keyword: 'maxDepth', message: 'is nested deeper than 3 levels' }]);
  });

  it('stops past maxEvaluations with one issue', () => {
    const state = new EvaluationState(LIMITS);
    state.begin();
    for (let index = 0; index < 5; index++) assert.equal(state.count(), true);
    assert.equal(state.count(), false);
    assert.equal(state.count(), false);
    assert.deepEqual(state.finish(false), [{ path: '', keyword: 'maxEvaluations', message: 'needs more than 5 schema evaluations' }]);
  });

  it('turns what a value threw into one issue, only the first time', () => {
    const state = new EvaluationState(LIMITS);
    state.begin();
    state.abort(new RangeError('Maximum call stack size exceeded'));
    state.abort(new Error('again'));
    assert.deepEqual(state.finish(false), [{ path: '', keyword: 'maxDepth', message: 'is nested too deeply to validate' }]);
    state.begin();
    state.abort('a string');
    assert.deepEqual(state.finish(false), [{ path: '', keyword: 'value', message: 'could not be read' }]);
  });

  it('is busy between begin and finish', () => {
    const state = new EvaluationState(LIMITS);
    assert.equal(state.busy, false);
    state.begin();
    assert.equal(state.busy, true);
    state.finish(true);
    assert.equal(state.busy, false);
  });
});

describe('evaluation helpers', () => {
  it('runChecks runs every check while collecting, and stops at the first failure when muted', () => {
    const ran: string[] = [];
    const track = (name: string, result: boolean): Check => (_value, state) => (ran.push(name), result || state.fail(name, name));
    const state = new EvaluationState({ maxDepth: 3, maxIssues: 10, maxEvaluations: 5 });
    state.begin();
    assert.equal(runChecks([track('a', false), track('b', true), track('c', false)], 1, state), false);
    assert.deepEqual(ran, ['a', 'b', 'c']);
    ran.length = 0;
    state.muted++;
    assert.equal(runChecks([track('a', false), track('b', true)], 1, state), false);
    assert.deepEqual(ran, ['a']);
    assert.equal(runChecks([ALWAYS_VALID], 1, state), true);
  });

  it('quoteName, describeValue and isObject', () => {
    assert.equal(quoteName('name'), "'name'");
    assert.equal(quoteName('x'.repeat(300)), `'${'x'.repeat(200)}…'`);
    assert.equal(describeValue({ a: [1] }, 20), '{"a":[1]}');
    assert.equal(describeValue('x'.repeat(30), 20), undefined);
    assert.equal(describeValue(10n, 20), undefined);
    assert.equal(describeValue(undefined, 20), undefined);
    assert.deepEqual([{}, [], null, 'x', Object.create(null)].map(isObject), [true, false, false, false, true]);
  });
});
