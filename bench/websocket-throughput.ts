/**
 * WebSocket throughput on this machine: small messages per second and MB/s for 1 MB messages,
 * client → server (the server parses, unmasks and validates) and server → client (the server
 * frames and fragments under the 60 KiB frame limit). Loopback only, bounded in count.
 *
 *   npm run build && node dist/bench/websocket-throughput.js
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { AgentCoreApp } from 'agentcore-lite';

const SMALL_MESSAGES = 200_000;
const SMALL_PAYLOAD = 'x'.repeat(64);
const LARGE_MESSAGES = 200;
const LARGE_BYTES = 1024 * 1024;

function maskedFrame(opcode: number, payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const length = payload.length;
  const header = length < 126 ? Buffer.alloc(6) : length < 65536 ? Buffer.alloc(8) : Buffer.alloc(14);
  header[0] = 0x80 | opcode;
  if (length < 126) header[1] = 0x80 | length;
  else if (length < 65536) {
    header[1] = 0x80 | 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  mask.copy(header, header.length - 4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] ^= mask[i & 3]!;
  return Buffer.concat([header, body]);
}

/** Performs the upgrade; resolves with the paused socket and any frame bytes that came with the 101. */
async function upgrade(port: number): Promise<{ socket: Socket; rest: Buffer }> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write(
    'GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
  );
  let head = Buffer.alloc(0);
  while (head.indexOf('\r\n\r\n') === -1) head = Buffer.concat([head, (await once(socket, 'data'))[0] as Buffer]);
  socket.pause();
  return { socket, rest: head.subarray(head.indexOf('\r\n\r\n') + 4) };
}

async function main(): Promise<void> {
  let received = 0;
  let receivedBytes = 0;
  let wanted = 0;
  let onDone: () => void = () => undefined;
  let sendJob: { count: number; payload: string | Buffer } | undefined;
  // The client below writes in tight loops on the same thread: stall warnings would only be noise.
  const app = new AgentCoreApp({ logLevel: 'warn', stallWarningMs: 0 });
  app.websocket((socket) => {
    socket.on('message', (data) => {
      received++;
      receivedBytes += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
      if (received === wanted) onDone();
    });
    if (sendJob) {
      const job = sendJob;
      void (async () => {
        for (let i = 0; i < job.count; i++) await socket.send(job.payload);
      })();
    }
  });
  const { port } = await app.listen({ port: 0, host: '127.0.0.1' });
  const rows: string[] = [];

  async function inbound(label: string, count: number, frame: Buffer, bytesPerMessage: number): Promise<void> {
    received = 0;
    receivedBytes = 0;
    wanted = count;
    const { socket } = await upgrade(port);
    socket.resume();
    const done = new Promise<void>((resolve) => (onDone = resolve));
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      if (!socket.write(frame)) await once(socket, 'drain');
    }
    await done;
    const seconds = (performance.now() - started) / 1000;
    rows.push(`| ${label} | client → server | ${Math.round(count / seconds).toLocaleString('en')} msg/s | ${((count * bytesPerMessage) / seconds / 1e6).toFixed(1)} MB/s |`);
    socket.destroy();
  }

  /** `wireBytesPerMessage`: payload plus frame headers, so the client knows when all has arrived. */
  async function outbound(label: string, count: number, payload: string | Buffer, bytesPerMessage: number, wireBytesPerMessage: number): Promise<void> {
    sendJob = { count, payload };
    const started = performance.now();
    const { socket, rest } = await upgrade(port);
    const total = count * wireBytesPerMessage;
    let bytes = rest.length;
    await new Promise<void>((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes >= total) resolve();
      });
      socket.resume();
    });
    const seconds = (performance.now() - started) / 1000;
    rows.push(`| ${label} | server → client | ${Math.round(count / seconds).toLocaleString('en')} msg/s | ${((count * bytesPerMessage) / seconds / 1e6).toFixed(1)} MB/s |`);
    sendJob = undefined;
    socket.end();
  }

  const large = randomBytes(LARGE_BYTES);
  await inbound('64 B text', SMALL_MESSAGES, maskedFrame(1, Buffer.from(SMALL_PAYLOAD)), 64);
  await inbound('1 MiB binary', LARGE_MESSAGES, maskedFrame(2, large), LARGE_BYTES);
  // 64 B in one frame: 2 header bytes. 1 MiB in 60 KiB frames: 18 frames with 4 header bytes each.
  await outbound('64 B text', SMALL_MESSAGES, SMALL_PAYLOAD, 64, 66);
  await outbound('1 MiB binary (60 KiB frames)', LARGE_MESSAGES, large, LARGE_BYTES, LARGE_BYTES + 18 * 4);
  await app.close({ graceMs: 0 });
  console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
  console.log('| message | direction | messages/s | payload MB/s |\n| --- | --- | --- | --- |');
  console.log(rows.join('\n'));
}

await main();
