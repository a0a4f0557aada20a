import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { startApp, type TestServer } from '../support/server.js';

async function invoke(server: TestServer, body: unknown, headers: Record<string, string>): Promise<{ status: number; text: string; json: () => unknown }> {
  const response = await fetch(`${server.url}${PATH}`, { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) };
}

/** Every secret the request below carries; none may appear in a log line or a serialized context. */
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLTY';
const SECRETS = [
  'wat-secret-1',
  'legacy-wat-2',
  'abc.def.ghi',
  'sid=cookie-3',
  'custom-token-4',
  'k-5',
  JWT,
  'oauth-code-7',
  'hunter8',
  'openai-9',
  'subscription-10',
  'passphrase-11',
  '123412',
  'query-key-13',
  'amz-signature-14',
];

const HEADERS = {
  'content-type': 'application/json',
  'X-Amzn-Bedrock-AgentCore-Runtime-Session-Id': 'session-1',
  'X-Amzn-Bedrock-AgentCore-Runtime-Request-Id': 'request-1',
  'X-Amz-Bedrock-AgentCore-Identity-WAT': 'wat-secret-1',
  WorkloadAccessToken: 'legacy-wat-2',
  Authorization: 'Bearer abc.def.ghi',
  Cookie: 'sid=cookie-3',
  'X-Amzn-Bedrock-AgentCore-Runtime-Custom-Api-Token': 'custom-token-4',
  'X-Api-Key': 'k-5',
  'X-Amzn-Bedrock-AgentCore-Runtime-Custom-Tenant': 'acme',
  OAuth2CallbackUrl: 'https://app.example.com/callback?code=oauth-code-7&state=s1',
  'X-Upstream': 'https://agent:hunter8@upstream.example.com/v1',
  'X-Forwarded-Identity': JWT,
  'X-OpenAI-Key': 'openai-9',
  'Ocp-Apim-Subscription-Key': 'subscription-10',
  'X-Passphrase': 'passphrase-11',
  'X-Bank-Otp': '123412',
};

/** The request target: secrets in the query string too. */
const PATH = '/invocations?api_key=query-key-13&X-Amz-Signature=amz-signature-14&page=2';

function assertNoSecret(text: string, where: string): void {
  for (const secret of SECRETS) assert.equal(text.includes(secret), false, `${where} contains ${secret}: ${text}`);
}

describe('secrets of a request', () => {
  let server: TestServer;
  let lines: string[];
  before(async () => {
    lines = [];
    server = await startApp({ logSink: (line) => lines.push(line) }, (app) =>
      app.entrypoint((payload: { kind: string }, context) => {
        switch (payload.kind) {
          case 'log-context':
            app.logger.info('context', { context });
            return 'logged';
          case 'log-request':
            app.logger.info('request', { request: context.request, headers: context.request.headers, raw: context.request.rawHeaders });
            return 'logged';
          case 'log-containers':
            app.logger.info('containers', {
              wrapped: new (class Wrapper { constructor(readonly inner: unknown) {} })({ context }),
              map: new Map<string, unknown>([['authorization', context.request.headers.authorization], ['inner', { context }]]),
              set: new Set([context]),
              list: [[[[[[{ deep: context }]]]]]],
            });
            return 'logged';
          case 'inspect':
            return { inspected: inspect(context, { depth: 10 }) };
          default:
            return { serialized: JSON.stringify(context), context };
        }
      }),
    );
  });
  after(() => server.close());

  it('are left out of context.toJSON(), and so of a result that returns the context', async () => {
    const response = await invoke(server, { kind: 'serialize' }, HEADERS);
    assertNoSecret(response.text, 'the answer');
    const { serialized } = response.json() as { serialized: string };
    const json = JSON.parse(serialized) as Record<string, unknown>;
    assert.equal(json.requestId, 'request-1');
    assert.equal(json.sessionId, 'session-1');
    assert.equal(json.workloadAccessToken, '[REDACTED]');
    const headers = json.requestHeaders as Record<string, string>;
    assert.equal(headers.authorization, '[REDACTED]');
    assert.equal(headers['x-amz-bedrock-agentcore-identity-wat'], '[REDACTED]');
    assert.equal(headers['x-amzn-bedrock-agentcore-runtime-custom-api-token'], '[REDACTED]');
    assert.equal(headers['x-amzn-bedrock-agentcore-runtime-custom-tenant'], 'acme', 'other headers stay');
    assert.equal(json.oauth2CallbackUrl, 'https://app.example.com/callback?code=[REDACTED]&state=s1');
    assert.equal(headers['x-upstream'], 'https://[REDACTED]@upstream.example.com/v1');
    assert.equal(headers['x-forwarded-identity'], '[REDACTED]');
    for (const name of ['x-openai-key', 'ocp-apim-subscription-key', 'x-passphrase', 'x-bank-otp']) assert.equal(headers[name], '[REDACTED]', name);
  });

  it("are left out of a logged request's URL", async () => {
    lines.length = 0;
    await invoke(server, { kind: 'log-request' }, HEADERS);
    const logged = JSON.parse(lines.find((line) => line.includes('"message":"request"'))!) as { request: { url: string } };
    assert.equal(logged.request.url, '/invocations?api_key=[REDACTED]&X-Amz-Signature=[REDACTED]&page=2');
  });

  it('are not shown by console.log(context) (util.inspect)', async () => {
    const response = await invoke(server, { kind: 'inspect' }, HEADERS);
    const { inspected } = response.json() as { inspected: string };
    assertNoSecret(inspected, 'inspect(context)');
    assert.match(inspected, /request-1/);
  });

  for (const kind of ['log-context', 'log-request', 'log-containers']) {
    it(`never reach a log line (${kind})`, async () => {
      lines.length = 0;
      const response = await invoke(server, { kind }, HEADERS);
      assert.equal(response.status, 200);
      const logged = lines.filter((line) => !line.includes('"invocation completed"'));
      assert.equal(logged.length, 1, lines.join('\n'));
      assertNoSecret(logged[0]!, 'the log line');
      assert.match(logged[0]!, /\[REDACTED\]/);
    });
  }
});
