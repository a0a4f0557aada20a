/**
 * Child process for spec/websocket/memory.spec.ts and spec/examples/websocket.spec.ts, forked
 * with `--expose-gc`: serves WebSockets on 127.0.0.1 and answers each `'measure'` message with
 * its memory after forced garbage collection, so the parent (the misbehaving client) is measured
 * apart from the server.
 *
 *   fork('dist/spec/websocket/memory-probe.js', [JSON.stringify(config)], { execArgv: ['--expose-gc'] })
 *
 * `config.agent` is `'echo'` (acceptWebSocket with a handler that echoes every message and
 * ignores send()'s promise, as careless code does) or `'example'` (examples/websocket.ts).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebSocketOptions } from '../../lib/websocket/server.js';
import type { AgentCoreWebSocket } from '../../lib/websocket/socket.js';

/** What the parent asks for. */
export interface ProbeConfig {
  agent: 'echo' | 'example';
  options?: WebSocketOptions;
}

/** The answer to `'measure'`. */
export interface ProbeReport {
  rss: number;
  heapUsed: number;
  arrayBuffers: number;
  /** TCP connections still open (the net server stops counting a socket before its `'close'`). */
  connections: number;
  /** Echo sockets that have not emitted `'close'` yet (0 for the example). */
  open: number;
  /** Summed `bufferedAmount` of open echo sockets (0 for the example). */
  bufferedAmount: number;
  /** Close codes of echo sockets, in order. */
  closes: number[];
  /** Stable codes of errors reported to `onError` by echo sockets. */
  errors: string[];
}

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');
const config = JSON.parse(process.argv[2] ?? '{"agent":"echo"}') as ProbeConfig;

const open = new Set<AgentCoreWebSocket>();
const closes: number[] = [];
const errors: string[] = [];
let server: Server;

if (config.agent === 'example') {
  const { app } = await import('../../examples/websocket.js');
  await app.listen({ port: 0, host: '127.0.0.1' });
  server = app.server!;
} else {
  const { acceptWebSocket } = await import('../../lib/websocket/server.js');
  server = createServer();
  server.on('upgrade', (request, socket, head) => {
    const ws = acceptWebSocket(request, socket, head, {
      ...config.options,
      onError: (error) => errors.push(String((error as { code?: string }).code ?? error.message)),
    });
    if (ws === undefined) return;
    open.add(ws);
    ws.on('close', (code) => {
      open.delete(ws);
      closes.push(code);
    });
    ws.on('message', (data) => {
      void ws.send(data);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
}

function connections(): Promise<number> {
  return new Promise((resolve) => server.getConnections((_error, count) => resolve(count)));
}

async function measure(): Promise<ProbeReport> {
  // The state first: a close that lands during the collections below must not be reported with
  // memory sampled before it was let go.
  let bufferedAmount = 0;
  for (const ws of open) bufferedAmount += ws.bufferedAmount;
  const state = { connections: await connections(), open: open.size, bufferedAmount, closes: [...closes], errors: [...errors] };
  for (let i = 0; i < 3; i++) {
    gc!();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const memory = process.memoryUsage();
  return { rss: memory.rss, heapUsed: memory.heapUsed, arrayBuffers: memory.arrayBuffers, ...state };
}

process.on('message', (message) => {
  if (message === 'measure') void measure().then((report) => process.send!(report));
});
// The parent going away must not leave this server behind.
process.on('disconnect', () => process.exit(0));
process.send!({ port: (server.address() as AddressInfo).port });
