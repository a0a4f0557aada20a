import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UriTemplate } from '../../lib/mcp/uri-template.js';

describe('UriTemplate: which URIs a template stands for', () => {
  it('matches simple expressions, percent-decoded, and nothing across a slash', () => {
    const template = new UriTemplate('test://template/{id}/data');
    assert.deepEqual(template.variables, ['id']);
    assert.deepEqual(template.match('test://template/123/data'), { id: '123' });
    assert.deepEqual(template.match('test://template/a%20b/data'), { id: 'a b' });
    assert.equal(template.match('test://template/1/2/data'), undefined);
    assert.equal(template.match('test://template//data'), undefined);
    assert.equal(template.match('test://other/1/data'), undefined);
  });

  it('matches reserved and fragment expressions across slashes', () => {
    assert.deepEqual(new UriTemplate('file:///{+path}').match('file:///a/b/c.txt'), { path: 'a/b/c.txt' });
    assert.deepEqual(new UriTemplate('doc://x{#section}').match('doc://x#intro'), { section: 'intro' });
  });

  it('matches path, label and exploded list expressions', () => {
    assert.deepEqual(new UriTemplate('repo://r{/owner,name}').match('repo://r/ada/engine'), { owner: 'ada', name: 'engine' });
    assert.deepEqual(new UriTemplate('file://f/x{.ext}').match('file://f/x.json'), { ext: 'json' });
    assert.deepEqual(new UriTemplate('list://l{/items*}').match('list://l/a/b/c'), { items: ['a', 'b', 'c'] });
  });

  it('matches query expressions in any order, leaving out what is absent', () => {
    const template = new UriTemplate('search://s{?q,page}');
    assert.deepEqual(template.match('search://s?page=2&q=a%26b'), { q: 'a&b', page: '2' });
    assert.deepEqual(template.match('search://s'), {});
    assert.deepEqual(template.match('search://s?q'), { q: '' });
    assert.deepEqual(new UriTemplate('search://s?fixed=1{&more}').match('search://s?fixed=1&more=x'), { more: 'x' });
  });

  it('keeps a value that is not valid percent-encoding as it is', () => {
    assert.deepEqual(new UriTemplate('t://{id}').match('t://%E0%A4%A'), { id: '%E0%A4%A' });
  });

  it('refuses templates that are not strings, too long, unclosed or with bad names', () => {
    assert.throws(() => new UriTemplate(5 as never), TypeError);
    assert.throws(() => new UriTemplate('x'.repeat(2000)), TypeError);
    assert.throws(() => new UriTemplate('t://{id'), /Unclosed/);
    assert.throws(() => new UriTemplate('t://{a b}'), /Invalid URI template expression/);
  });

  it('matches long hostile URIs in linear time', () => {
    const template = new UriTemplate('t://x{.a,b}{/c*}');
    const started = performance.now();
    assert.equal(template.match(`t://x.${'a.'.repeat(5000)}!`), undefined);
    assert.ok(performance.now() - started < 1000);
  });
});
