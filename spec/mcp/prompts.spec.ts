import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { McpContext } from '../../lib/mcp/index.js';
import { PromptRegistry } from '../../lib/mcp/prompts.js';

const ctx = {} as McpContext;

describe('PromptRegistry', () => {
  it('derives the arguments list from the schema: names, titles, descriptions, required', () => {
    const registry = new PromptRegistry(() => undefined);
    registry.register(
      'review',
      {
        title: 'Review',
        description: 'Reviews code',
        argsSchema: { type: 'object', properties: { code: { type: 'string', title: 'Code', description: 'What to review' }, style: { type: 'string' }, odd: true }, required: ['code'] },
        icons: [{ src: 'data:,' }],
        _meta: { 'x.example/k': true },
      },
      () => ({ messages: [] }),
    );
    assert.deepEqual(registry.list(), [
      {
        name: 'review',
        title: 'Review',
        description: 'Reviews code',
        arguments: [{ name: 'code', title: 'Code', description: 'What to review', required: true }, { name: 'style' }, { name: 'odd' }],
        icons: [{ src: 'data:,' }],
        _meta: { 'x.example/k': true },
      },
    ]);
  });

  it('gets a prompt with checked string arguments', async () => {
    const registry = new PromptRegistry(() => undefined);
    registry.register(
      'echo',
      { argsSchema: { type: 'object', properties: { word: { type: 'string', enum: ['yes', 'no'] } }, required: ['word'] } },
      (args: Record<string, string>) => ({ description: 'echo', messages: [{ role: 'user', content: { type: 'text', text: String(args.word) } }] }),
    );
    assert.equal((await registry.get('echo', { word: 'yes' }, ctx)).messages[0]!.content.type, 'text');
    await assert.rejects(registry.get('missing', {}, ctx), { code: -32602, message: /Unknown prompt/ });
    await assert.rejects(registry.get('echo', undefined, ctx), { code: -32602, message: /Missing required arguments/ });
    await assert.rejects(registry.get('echo', { word: 1 }, ctx), { code: -32602, message: /object of strings/ });
    await assert.rejects(registry.get('echo', ['yes'], ctx), { code: -32602 });
    await assert.rejects(registry.get('echo', { word: 'maybe' }, ctx), { code: -32602, message: /Invalid arguments for prompt echo/ });
  });

  it('answers -32603 when a handler returns no messages, and passes its errors on', async () => {
    const registry = new PromptRegistry(() => undefined);
    registry.register('empty', {}, () => ({}) as never);
    registry.register('throws', {}, () => {
      throw new Error('nope');
    });
    await assert.rejects(registry.get('empty', {}, ctx), { code: -32603 });
    await assert.rejects(registry.get('throws', {}, ctx), /nope/);
  });

  it('refuses bad registrations and duplicates; removal tells about the change', () => {
    let changes = 0;
    const registry = new PromptRegistry(() => changes++);
    const prompt = registry.register('p', {}, () => ({ messages: [] }));
    assert.throws(() => registry.register('', {}, () => ({ messages: [] })), TypeError);
    assert.throws(() => registry.register('p', {}, () => ({ messages: [] })), /already registered/);
    assert.throws(() => registry.register('q', {}, 'x' as never), TypeError);
    assert.throws(() => registry.register('q', null as never, () => ({ messages: [] })), TypeError);
    prompt.remove();
    prompt.remove();
    assert.deepEqual([registry.size, changes], [0, 2]);
  });

  it('compiles every schema on prepare(), and a later one at once, reporting the invalid ones', async () => {
    const reported: string[] = [];
    const registry = new PromptRegistry(() => undefined, (message) => reported.push(message));
    registry.register('early', { argsSchema: { type: 'object', properties: { a: { type: 'nope' } } } }, () => ({ messages: [] }));
    await registry.prepare();
    assert.equal(reported.length, 1);
    registry.register('late', { argsSchema: { type: 'object', required: 'a' } }, () => ({ messages: [] }));
    for (let tries = 0; reported.length < 2 && tries < 100; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.match(reported[1]!, /The argsSchema of prompt late is not a valid JSON Schema/);
  });

  it('gives the completer of an argument, and -32602 for an unknown prompt', () => {
    const registry = new PromptRegistry(() => undefined);
    const complete = (): string[] => [];
    registry.register('p', { complete: { a: complete } }, () => ({ messages: [] }));
    assert.equal(registry.completer('p', 'a'), complete);
    assert.equal(registry.completer('p', 'b'), undefined);
    assert.throws(() => registry.completer('q', 'a'), { code: -32602 });
  });
});
