import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { describe, it } from 'node:test';
import { hostName, isLoopbackAddress, OriginGuard } from '../../lib/mcp/origin.js';
import { resolveMcpOptions } from '../../lib/mcp/options.js';
import { initialize, post, request, useMcpServer } from '../support/mcp.js';
import { rawExchange } from '../support/raw.js';

const withHeaders = (headers: Record<string, string>): IncomingMessage => ({ headers }) as unknown as IncomingMessage;
const guard = (option: Parameters<typeof resolveMcpOptions>[0]['dnsRebindingProtection'], server?: () => Server | undefined): OriginGuard =>
  new OriginGuard(resolveMcpOptions({ dnsRebindingProtection: option }).dnsRebinding, server ?? (() => undefined));

describe('DNS-rebinding protection', () => {
  it('refuses a hostile Host or Origin with 403 when on, and accepts loopback names with any port', () => {
    const on = guard(true);
    assert.equal(on.active, true);
    for (const host of ['localhost', '127.0.0.1:8000', '[::1]:8000', 'LOCALHOST:1']) on.check(withHeaders({ host }));
    on.check(withHeaders({ host: 'localhost:8000', origin: 'http://localhost:6274' }));
    assert.throws(() => on.check(withHeaders({ host: 'evil.example.com' })), { status: 403, message: 'Invalid Host: evil.example.com' });
    assert.throws(() => on.check(withHeaders({})), { status: 403 });
    assert.throws(() => on.check(withHeaders({ host: 'localhost', origin: 'http://evil.example.com' })), { status: 403, message: 'Invalid Origin: http://evil.example.com' });
    assert.throws(() => on.check(withHeaders({ host: 'localhost', origin: 'null' })), { status: 403 });
    assert.throws(() => on.check(withHeaders({ host: 'localhost', origin: 'file://localhost' })), { status: 403 });
  });

  it('accepts the hosts and origins it is given besides loopback', () => {
    const allowing = guard({ allowedHosts: ['Dev.Example'], allowedOrigins: ['https://ui.example'] });
    allowing.check(withHeaders({ host: 'dev.example:8000', origin: 'https://ui.example' }));
    allowing.check(withHeaders({ host: 'localhost', origin: 'http://dev.example:3000' }));
    assert.throws(() => allowing.check(withHeaders({ host: 'other.example' })), { status: 403 });
  });

  it('checks nothing when off', () => {
    const off = guard(false);
    assert.equal(off.active, false);
    off.check(withHeaders({ host: 'evil.example.com', origin: 'http://evil.example.com' }));
  });

  it("is on, in 'auto' mode, only for a server bound to a loopback address (and never in process)", async (t) => {
    assert.equal(guard('auto').active, false);
    const loopback = createServer();
    const everywhere = createServer();
    await new Promise<void>((resolve) => loopback.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => everywhere.listen(0, '0.0.0.0', resolve));
    t.after(() => {
      loopback.close();
      everywhere.close();
    });
    let current: Server = loopback;
    const auto = guard('auto', () => current);
    assert.equal(auto.active, true);
    current = everywhere;
    assert.equal(auto.active, false);
  });

  it('refuses a rebinding request on a loopback-bound server, as the conformance suite checks', async (t) => {
    const { url, port } = await useMcpServer(t);
    const init = request(0, 'initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c', version: '1' } });
    const body = JSON.stringify(init);
    const hostile = await rawExchange(
      port,
      `POST /mcp HTTP/1.1\r\nHost: evil.example.com\r\nOrigin: http://evil.example.com\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    assert.match(hostile, /^HTTP\/1\.1 403/);
    assert.ok(hostile.endsWith('{"jsonrpc":"2.0","id":null,"error":{"code":-32000,"message":"Invalid Host: evil.example.com"}}'));
    const friendly = await post(url, init, { origin: `http://127.0.0.1:${port}` });
    assert.equal(friendly.status, 200);
    assert.ok((await initialize(url)).result.protocolVersion);
  });

  it('reads host names and loopback addresses', () => {
    assert.equal(hostName('Example.COM:80'), 'example.com');
    assert.equal(hostName('[::1]:8000'), '[::1]');
    assert.equal(hostName('[::1'), '[::1');
    assert.deepEqual(['127.0.0.1', '127.8.9.1', '::1', '::ffff:127.0.0.1', 'localhost', '10.0.0.1', '0.0.0.0', '::'].map(isLoopbackAddress), [true, true, true, true, true, false, false, false]);
  });
});
