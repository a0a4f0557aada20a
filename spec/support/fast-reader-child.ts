/**
 * A separate process that reads one streamed invocation as fast as loopback allows (what
 * `curl -N` does) and meanwhile times `GET /ping` on a second connection, so the timings come
 * from an event loop the server cannot block. Run by `fast-reader.ts`; prints one JSON line.
 */
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

interface Options {
  port: number;
  body: string;
  /** Stop reading (close the connection) this long after the first bytes, if it has not ended. */
  readForMs: number;
  pingEveryMs: number;
}

interface PingTiming {
  latencyMs: number;
  /** Sent after the stream's first bytes and answered before it ended or was closed. */
  duringStream: boolean;
}

const options = JSON.parse(process.argv[2]!) as Options;
const pings: PingTiming[] = [];
let streamStarted = false;
let streamOver = false;
let streamBytes = 0;
let ended = false;
let finished = false;
let readTimer: NodeJS.Timeout | undefined;
let pingTimer: NodeJS.Timeout | undefined;

const pinger: Socket = connect(options.port, '127.0.0.1');
pinger.setNoDelay(true);
let pending: { sentAt: number; startedDuring: boolean } | undefined;
let received = '';
pinger.setEncoding('latin1');
pinger.on('data', (chunk: string) => {
  received += chunk;
  const headEnd = received.indexOf('\r\n\r\n');
  if (headEnd === -1 || pending === undefined) return;
  const length = Number(/content-length: (\d+)/i.exec(received.slice(0, headEnd))?.[1] ?? 0);
  if (received.length < headEnd + 4 + length) return;
  received = received.slice(headEnd + 4 + length);
  pings.push({ latencyMs: performance.now() - pending.sentAt, duringStream: pending.startedDuring && !streamOver });
  pending = undefined;
  if (streamOver) finish();
  else pingTimer = setTimeout(sendPing, options.pingEveryMs);
});

function sendPing(): void {
  if (finished) return;
  pending = { sentAt: performance.now(), startedDuring: streamStarted && !streamOver };
  pinger.write('GET /ping HTTP/1.1\r\nHost: x\r\n\r\n');
}

const stream = connect(options.port, '127.0.0.1', () => {
  stream.write(
    `POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(options.body)}\r\n\r\n${options.body}`,
  );
});
let tail = '';
stream.on('data', (chunk: Buffer) => {
  if (!streamStarted) {
    streamStarted = true;
    readTimer = setTimeout(stopReading, options.readForMs);
  }
  streamBytes += chunk.length;
  tail = (tail + chunk.toString('latin1', Math.max(0, chunk.length - 16))).slice(-16);
  if (tail.endsWith('\r\n0\r\n\r\n')) {
    ended = true;
    stopReading();
  }
});
stream.on('error', () => undefined);
stream.on('close', stopReading);

function stopReading(): void {
  if (streamOver) return;
  streamOver = true;
  stream.destroy();
  if (pending === undefined) finish();
}

function finish(): void {
  if (finished) return;
  finished = true;
  clearTimeout(readTimer);
  clearTimeout(pingTimer);
  process.stdout.write(JSON.stringify({ pings, streamBytes, ended }) + '\n');
  pinger.destroy();
}

sendPing();
