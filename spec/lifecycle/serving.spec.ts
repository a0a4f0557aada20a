import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AgentCoreApp, AgentCoreServer, type LogRecord } from '../../lib/index.js';
import { RequestLifetime } from '../../lib/http/context.js';

describe('the server lifecycle', () => {
  it('refuses a second listen() while serving', async (t) => {
    const app = new AgentCoreApp({ logLevel: 'silent' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    t.after(() => app.close({ graceMs: 0 }));
    await assert.rejects(app.listen({ port: 0, host: '127.0.0.1' }), /already listening/);
  });

  it('writes an IPv6 host in brackets in the listening line', async (t) => {
    const logs: LogRecord[] = [];
    const app = new AgentCoreApp({ logSink: (_line, record) => logs.push(record) });
    app.entrypoint(() => 1);
    try {
      await app.listen({ port: 0, host: '::1' });
    } catch {
      t.skip('no IPv6 loopback here');
      return;
    }
    t.after(() => app.close({ graceMs: 0 }));
    assert.match(String(logs.find((record) => /Server listening/.test(String(record.message)))?.message), /^Server listening on http:\/\/\[::1\]:\d+$/);
  });

  it('answers request() from a server that never listens on a port', async () => {
    const app = new AgentCoreApp({ logLevel: 'silent' });
    assert.equal((await app.request('/ping')).status, 200);
    assert.equal(app.server, undefined);
  });

  it('closes every answer’s connection while close() runs, and serves again after listen()', async (t) => {
    const app = new AgentCoreApp({ logLevel: 'silent' });
    let release!: () => void;
    app.entrypoint(() => new Promise((resolve) => (release = () => resolve(1))));
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const answer = fetch(`http://127.0.0.1:${address.port}/invocations`, { method: 'POST', body: '{}' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = app.close({ graceMs: 2000 });
    const duringClose = await app.request('/ping');
    assert.equal(duringClose.headers.get('connection'), 'close');
    release();
    await answer;
    await closed;
    await app.listen({ port: 0, host: '127.0.0.1' });
    t.after(() => app.close({ graceMs: 0 }));
    assert.equal((app.server as { listening: boolean } | undefined)?.listening, true);
  });

  it('says it is closing from the first step of close(): an answer ended as shutdown starts sees it', async () => {
    class Probe extends AgentCoreServer {
      readonly seen: boolean[] = [];
      constructor() {
        super({ logLevel: 'silent' }, { defaultPort: 0 });
        this.route('stream', '/stream', ['GET'], (_request, response) => {
          const lifetime = new RequestLifetime();
          this.inflight.track(response, lifetime, { endAtShutdown: true });
          lifetime.signal.addEventListener('abort', () => {
            this.seen.push(this.closing);
            response.end();
          });
          response.writeHead(200).write('open');
        });
      }
    }
    const probe = new Probe();
    const address = await probe.listen({ port: 0, host: '127.0.0.1' });
    const response = await fetch(`http://127.0.0.1:${address.port}/stream`);
    const body = response.text();
    await probe.close({ graceMs: 1000 });
    assert.equal(await body, 'open');
    assert.deepEqual(probe.seen, [true]);
  });
});
