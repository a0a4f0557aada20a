import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { advertisedUrl, buildAgentCard, checkCardOptions, runtimeUrl } from '../../lib/a2a/card.js';
import { A2AServer } from '../../lib/a2a/index.js';
import { useA2A } from '../support/a2a.js';

const SERVED = { pushNotifications: false, extendedAgentCard: false };

describe('the agent card', () => {
  it('is served at /.well-known/agent-card.json with A2A 1.0 fields and 0.3’s, whatever A2A-Version says', async (t) => {
    const { url } = await useA2A(t, { card: { name: 'seed', description: 'the seed agent', skills: [{ id: 'process', name: 'process', description: 'works', tags: ['async'], examples: ['process d1 2'] }] } });
    const answers = await Promise.all(['1.0', '0.3', undefined].map((version) => fetch(`${url}/.well-known/agent-card.json`, { headers: version === undefined ? {} : { 'a2a-version': version } })));
    const texts = await Promise.all(answers.map((answer) => answer.text()));
    assert.equal(new Set(texts).size, 1);
    assert.equal(answers[0]!.headers.get('content-type'), 'application/json');
    assert.equal(answers[0]!.headers.get('cache-control'), 'public, max-age=300');
    const card = JSON.parse(texts[0]!) as Record<string, unknown>;
    assert.deepEqual(card, {
      name: 'seed',
      description: 'the seed agent',
      supportedInterfaces: [
        { url: `${url}/`, protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
        { url: `${url}/`, protocolBinding: 'JSONRPC', protocolVersion: '0.3' },
      ],
      version: '1.0.0',
      capabilities: { streaming: true, pushNotifications: false, extendedAgentCard: false },
      defaultInputModes: ['text/plain'],
      defaultOutputModes: ['text/plain'],
      skills: [{ id: 'process', name: 'process', description: 'works', tags: ['async'], examples: ['process d1 2'] }],
      url: `${url}/`,
      protocolVersion: '0.3.0',
      preferredTransport: 'JSONRPC',
      additionalInterfaces: [{ url: `${url}/`, transport: 'JSONRPC' }],
    });
  });

  it('answers a matching If-None-Match with 304, and HEAD with the headers alone', async (t) => {
    const { url } = await useA2A(t);
    const first = await fetch(`${url}/.well-known/agent-card.json`);
    const etag = first.headers.get('etag')!;
    assert.match(etag, /^W\/"[0-9a-f]+-[0-9a-f]+"$/);
    const again = await fetch(`${url}/.well-known/agent-card.json`, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), '');
    const head = await fetch(`${url}/.well-known/agent-card.json`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), first.headers.get('content-length'));
    assert.equal((await fetch(`${url}/.well-known/agent-card.json`, { method: 'POST' })).status, 405);
  });

  it('says what the server serves: push notifications, the extended card, streaming', () => {
    const card = buildAgentCard(
      { streaming: false, provider: { organization: 'Example', url: 'https://example.com' }, documentationUrl: 'https://example.com/docs', iconUrl: 'https://example.com/i.png', extensions: [{ uri: 'urn:x' }] },
      'https://agent.example.com/',
      { pushNotifications: true, extendedAgentCard: true },
    );
    assert.deepEqual(card.capabilities, { streaming: false, pushNotifications: true, extendedAgentCard: true, extensions: [{ uri: 'urn:x' }] });
    assert.equal(card.supportsAuthenticatedExtendedCard, true);
    assert.equal(card.provider?.organization, 'Example');
    assert.equal(card.documentationUrl, 'https://example.com/docs');
    assert.equal(card.iconUrl, 'https://example.com/i.png');
    assert.equal(card.name, 'agent');
    assert.equal(card.skills[0]!.id, 'main');
  });

  it('advertises AGENTCORE_RUNTIME_URL with its trailing slash, over the option and the address', () => {
    const runtime = 'https://bedrock-agentcore.us-east-1.amazonaws.com/runtimes/arn%3Aaws%3Abedrock-agentcore%3Aus-east-1%3A1%3Aruntime%2Fx/invocations';
    const env = { AGENTCORE_RUNTIME_URL: runtime };
    assert.equal(advertisedUrl('https://mine.example.com', undefined, env), `${runtime}/`);
    assert.equal(advertisedUrl(undefined, undefined, { AGENTCORE_RUNTIME_URL: `${runtime}/` }), `${runtime}/`);
    assert.equal(advertisedUrl('https://mine.example.com/a2a', undefined, {}), 'https://mine.example.com/a2a/');
    assert.equal(advertisedUrl(undefined, { address: '0.0.0.0', family: 'IPv4', port: 9000 }, {}), 'http://localhost:9000/');
    assert.equal(advertisedUrl(undefined, { address: '::', family: 'IPv6', port: 9000 }, {}), 'http://localhost:9000/');
    assert.equal(advertisedUrl(undefined, { address: '::1', family: 'IPv6', port: 9001 }, {}), 'http://[::1]:9001/');
    assert.equal(advertisedUrl(undefined, undefined, {}), 'http://localhost:9000/');
    assert.equal(advertisedUrl(undefined, undefined, { AGENTCORE_RUNTIME_URL: 'not a url' }), 'http://localhost:9000/');
    assert.equal(runtimeUrl({ AGENTCORE_RUNTIME_URL: 'ftp://x/' }), null);
    assert.equal(runtimeUrl({ AGENTCORE_RUNTIME_URL: ' ' }), undefined);
  });

  it('follows the environment in a running server, and says when the variable is not a URL', async (t) => {
    const previous = process.env.AGENTCORE_RUNTIME_URL;
    t.after(() => {
      if (previous === undefined) delete process.env.AGENTCORE_RUNTIME_URL;
      else process.env.AGENTCORE_RUNTIME_URL = previous;
    });
    process.env.AGENTCORE_RUNTIME_URL = 'https://runtime.example.com/invocations';
    const { url } = await useA2A(t, {}, () => undefined);
    const card = (await (await fetch(`${url}/.well-known/agent-card.json`)).json()) as { url: string };
    assert.equal(card.url, 'https://runtime.example.com/invocations/');
    process.env.AGENTCORE_RUNTIME_URL = 'nonsense';
    const { logs } = await useA2A(t, {}, () => undefined);
    assert.ok(logs.some((record) => record.level === 'warn' && /AGENTCORE_RUNTIME_URL is not an absolute http\(s\) URL/.test(record.message)));
  });

  it('is available before the server listens (for tests in process)', async () => {
    const server = new A2AServer({ logLevel: 'silent' });
    assert.equal(server.agentCard.url, 'http://localhost:9000/');
    const answer = await server.request('/.well-known/agent-card.json');
    assert.equal(((await answer.json()) as { url: string }).url, 'http://localhost:9000/');
  });

  it('refuses card options A2A does not allow, naming the field', () => {
    const cases: [unknown, RegExp][] = [
      [null, /card must be an object/],
      [{ name: '' }, /card\.name must be a non-empty string/],
      [{ version: 1 }, /card\.version/],
      [{ url: 'relative/path' }, /card\.url must be an absolute URL/],
      [{ url: 'ftp://x/' }, /card\.url must be an http or https URL/],
      [{ defaultInputModes: [] }, /card\.defaultInputModes must be a non-empty list/],
      [{ defaultOutputModes: [3] }, /card\.defaultOutputModes/],
      [{ skills: [] }, /card\.skills must be a non-empty list/],
      [{ skills: [{ id: 'a', name: 'a', description: 'a', tags: [] }] }, /card\.skills\[0\] needs/],
      [{ skills: [null] }, /card\.skills\[0\] needs/],
    ];
    for (const [options, message] of cases) assert.throws(() => checkCardOptions(options as never), message);
    assert.throws(() => new A2AServer({ card: { name: '' } }), TypeError);
    assert.throws(() => new A2AServer({ extendedCard: { skills: [] } }), /extendedCard\.skills/);
    checkCardOptions({ name: 'ok', skills: [{ id: 'a', name: 'a', description: 'a', tags: ['t'] }] });
    assert.equal(buildAgentCard({}, 'http://x/', SERVED).capabilities.streaming, true);
  });
});
