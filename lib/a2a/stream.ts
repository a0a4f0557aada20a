import type { ServerResponse } from 'node:http';
import type { JsonRpcError } from '../json-rpc/errors.js';
import type { JsonRpcId } from '../json-rpc/messages.js';
import { errorResponse, resultResponse } from '../json-rpc/wire.js';
import { onDemand } from '../on-demand.js';
import type { PipeFormat, PipeOutcome } from '../streaming/pipe.js';
import { SSE_CONTENT_TYPE, SSE_HEARTBEAT } from '../streaming/sse.js';
import type { PullSource } from '../streaming/streams.js';
import { A2AError } from './errors.js';
import { isSettled, type TaskEvent, type TaskRecord } from './task.js';
import type { Wire } from './versions.js';
import type { StreamResponse } from './wire-v1.js';

/** One thing a stream writes: an event (and whether the stream closes after it), or a last error. */
type StreamItem = { event: StreamResponse; final: boolean } | { error: JsonRpcError };

const DONE: IteratorResult<unknown> = Object.freeze({ done: true, value: undefined });

/** The pipe, loaded with the first stream: an agent that never streams does not pay for it at startup. */
const loadPipe = onDemand(() => import('../streaming/pipe.js'));

/**
 * A stream's events in order, as a `PullSource` for the pipe: `first` (the task as it was when
 * the stream began, or the agent's message), then every change of the task until a status that
 * ends the stream (terminal, or interrupted: the client answers with a new message). Events
 * wait here while the client reads; past `maxBacklog` waiting, the stream ends with an error
 * rather than hold more.
 */
export class TaskEventSource implements PullSource {
  readonly #queue: StreamItem[] = [];
  readonly #maxBacklog: number;
  #pending: ((result: IteratorResult<unknown>) => void) | undefined;
  #ended = false;
  #unlisten: (() => void) | undefined;

  /** `record` undefined: a stream of `first` alone (the agent answered with a message). */
  constructor(first: StreamResponse, record: TaskRecord | undefined, maxBacklog: number) {
    this.#maxBacklog = maxBacklog;
    const closes = record === undefined || isSettled(record.state);
    this.#push({ event: first, final: closes });
    if (closes) this.#ended = true;
    else this.#unlisten = record.listen(this.#onEvent);
  }

  next(): IteratorResult<unknown> | Promise<IteratorResult<unknown>> {
    const item = this.#queue.shift();
    if (item !== undefined) return { done: false, value: item };
    if (this.#ended) return DONE;
    return new Promise((resolve) => {
      this.#pending = resolve;
    });
  }

  cancel(): void {
    this.#end();
    this.#queue.length = 0;
    this.#pending?.(DONE);
    this.#pending = undefined;
  }

  readonly #onEvent = (record: TaskRecord, event: TaskEvent): void => {
    if (this.#ended) return;
    const final = 'statusUpdate' in event && isSettled(record.state);
    if (this.#queue.length >= this.#maxBacklog) {
      this.#queue.length = 0;
      this.#push({ error: A2AError.unavailable(`the client read too slowly: more than ${this.#maxBacklog} events waited; subscribe again`) });
      this.#end();
      return;
    }
    this.#push({ event, final });
    if (final) this.#end();
  };

  #push(item: StreamItem): void {
    const pending = this.#pending;
    if (pending !== undefined) {
      this.#pending = undefined;
      pending({ done: false, value: item });
    } else {
      this.#queue.push(item);
    }
  }

  #end(): void {
    this.#ended = true;
    this.#unlisten?.();
    this.#unlisten = undefined;
    const pending = this.#pending;
    if (pending !== undefined && this.#queue.length === 0) {
      this.#pending = undefined;
      pending(DONE);
    }
  }
}

/** How a stream is written: heartbeat and stall limits from the server's options. */
export interface StreamWriting {
  heartbeatMs: number;
  stallTimeoutMs: number;
}

/**
 * Answers a JSON-RPC call with a Server-Sent Events stream: each item one `data:` line holding
 * a JSON-RPC response with the call's `id` (the event in `wire`'s shape, or a last error).
 * Events that come while the pipe loads wait in `source`.
 */
export async function writeEventStream(
  response: ServerResponse,
  id: JsonRpcId,
  source: TaskEventSource,
  wire: Wire,
  signal: AbortSignal,
  writing: StreamWriting,
): Promise<PipeOutcome> {
  const { pipeSource } = await loadPipe();
  const format: PipeFormat = {
    head(target) {
      target.writeHead(200, ['content-type', SSE_CONTENT_TYPE, 'cache-control', 'no-cache', 'x-accel-buffering', 'no']);
    },
    encode(item) {
      const streamItem = item as StreamItem;
      const text = 'error' in streamItem ? errorResponse(id, wire.error(streamItem.error)) : resultResponse(id, wire.event(streamItem.event, streamItem.final));
      return `data: ${text}\n\n`;
    },
    failure: () => undefined,
    heartbeatMs: writing.heartbeatMs,
    heartbeat: SSE_HEARTBEAT,
    stallTimeoutMs: writing.stallTimeoutMs,
  };
  return pipeSource(response, source, signal, format);
}
