import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { McpContext } from '../../lib/mcp/index.js';
import { ResourceRegistry, ResourceTemplate } from '../../lib/mcp/resources.js';

const ctx = {} as McpContext;

describe('ResourceRegistry', () => {
  it('reads a fixed resource by its exact URI, handing the reader a URL', async () => {
    const registry = new ResourceRegistry(() => undefined);
    let seen: URL | undefined;
    registry.register('a', 'test://a', { title: 'A' }, (uri: URL) => {
      seen = uri;
      return { contents: [{ uri: uri.href, text: 'a' }] };
    });
    assert.deepEqual(await registry.read('test://a', ctx), { contents: [{ uri: 'test://a', text: 'a' }] });
    assert.ok(seen instanceof URL);
    assert.equal(registry.has('test://a'), true);
  });

  it("reads through the first template that matches, with the template's variables", async () => {
    const registry = new ResourceRegistry(() => undefined);
    registry.register('user', new ResourceTemplate('users://{id}'), {}, (uri: URL, variables: Record<string, unknown>) => ({ contents: [{ uri: uri.href, text: JSON.stringify(variables) }] }));
    assert.equal((await registry.read('users://42', ctx)).contents[0]!.uri, 'users://42');
    assert.equal(((await registry.read('users://42', ctx)).contents[0] as { text: string }).text, '{"id":"42"}');
    assert.equal(registry.has('users://42'), true);
    assert.equal(registry.has('users://'), false);
    assert.equal(registry.has(`users://${'x'.repeat(20_000)}`), false);
  });

  it('refuses a URI that is not one (-32602), an unknown one (-32002) and a reader that returns no contents (-32603)', async () => {
    const registry = new ResourceRegistry(() => undefined);
    registry.register('bad', 'test://bad', {}, () => ({}) as never);
    await assert.rejects(registry.read('not a uri', ctx), { code: -32602 });
    await assert.rejects(registry.read(`test://${'x'.repeat(20_000)}`, ctx), { code: -32602 });
    await assert.rejects(registry.read('test://missing', ctx), { code: -32002, data: { uri: 'test://missing' } });
    await assert.rejects(registry.read('test://bad', ctx), { code: -32603 });
  });

  it("lists the fixed resources, then what templates' list callbacks name", async () => {
    const registry = new ResourceRegistry(() => undefined);
    registry.register('fixed', 'test://fixed', { mimeType: 'text/plain' }, () => ({ contents: [] }));
    registry.register('listed', new ResourceTemplate('files://{name}', { list: () => ({ resources: [{ uri: 'files://one', name: 'one' }] }) }), { mimeType: 'application/json' }, () => ({ contents: [] }));
    registry.register('unlisted', new ResourceTemplate('other://{x}'), {}, () => ({ contents: [] }));
    assert.deepEqual(await registry.list(ctx), [
      { uri: 'test://fixed', name: 'fixed', mimeType: 'text/plain' },
      { uri: 'files://one', name: 'one', mimeType: 'application/json' },
    ]);
    assert.deepEqual(registry.templates().map((template) => template.uriTemplate), ['files://{name}', 'other://{x}']);
  });

  it('refuses bad registrations and duplicates; removal tells about the change', () => {
    let changes = 0;
    const registry = new ResourceRegistry(() => changes++);
    const fixed = registry.register('a', 'test://a', {}, () => ({ contents: [] }));
    const template = registry.register('t', new ResourceTemplate('t://{x}'), {}, () => ({ contents: [] }));
    assert.throws(() => registry.register('', 'test://b', {}, () => ({ contents: [] })), TypeError);
    assert.throws(() => registry.register('b', 'not a uri', {}, () => ({ contents: [] })), TypeError);
    assert.throws(() => registry.register('b', 'test://b', {}, 'x' as never), TypeError);
    assert.throws(() => registry.register('a2', 'test://a', {}, () => ({ contents: [] })), /already registered/);
    assert.throws(() => registry.register('t2', new ResourceTemplate('t://{x}'), {}, () => ({ contents: [] })), /already registered/);
    assert.throws(() => new ResourceTemplate('t://{x}', { list: 'x' as never }), TypeError);
    fixed.remove();
    fixed.remove();
    template.remove();
    assert.equal(registry.size, 0);
    assert.equal(changes, 4);
  });

  it("gives the completer of a template's variable, and -32602 for an unknown template", () => {
    const registry = new ResourceRegistry(() => undefined);
    const complete = (): string[] => ['a'];
    registry.register('t', new ResourceTemplate('t://{x}', { complete: { x: complete } }), {}, () => ({ contents: [] }));
    assert.equal(registry.completer('t://{x}', 'x'), complete);
    assert.equal(registry.completer('t://{x}', 'y'), undefined);
    assert.throws(() => registry.completer('u://{x}', 'x'), { code: -32602 });
    assert.equal(registry.hasTemplates, true);
  });
});
