import { randomUUID } from '../random.js';
import { STREAM_ERROR_EVENT } from '../streaming/stream-error.js';
import { checkEvent } from './check-event.js';
import {
  EventType,
  runErrorEvent,
  runFinishedEvent,
  runStartedEvent,
  textMessageContentEvent,
  textMessageEndEvent,
  textMessageStartEvent,
  type AgUiEvent,
  type RunErrorEvent,
  type RunFinishedEvent,
  type RunStartedEvent,
} from './events.js';

/** `RUN_FINISHED` as a source may yield it: the run's ids are filled in when left out. */
export type RunFinishedInit = Omit<RunFinishedEvent, 'threadId' | 'runId'> & Partial<Pick<RunFinishedEvent, 'threadId' | 'runId'>>;

/**
 * What a run's source yields: a string is a piece of the assistant's reply text (a delta); an
 * object is an AG-UI event passed through as it is. `RUN_STARTED` is the stream's own.
 */
export type AgUiStreamItem = string | Exclude<AgUiEvent, RunStartedEvent | RunFinishedEvent> | RunFinishedInit;

/** A run's source: an async generator (or any async or sync iterable) of stream items. */
export type AgUiSource = AsyncIterable<AgUiStreamItem> | Iterable<AgUiStreamItem>;

/** Which run a stream is: the ids `RUN_STARTED` and `RUN_FINISHED` carry. A `RunAgentInput` is one. */
export interface RunIdentity {
  /** The conversation; generated when absent. */
  threadId?: string;
  /** The run; generated when absent. */
  runId?: string;
  /** The run that spawned this one, if any. */
  parentRunId?: string;
}

/**
 * A complete AG-UI event stream for one run, ready to return from an entrypoint (the app sends
 * each event as `data: <json>`). If the source fails, `next()` rejects, and the app, reading the
 * stream's `STREAM_ERROR_EVENT`, ends the response with a `RUN_ERROR` event.
 */
export interface AgUiEventStream extends AsyncIterableIterator<AgUiEvent> {
  /** The thread `RUN_STARTED` names. */
  readonly threadId: string;
  /** The run `RUN_STARTED` names. */
  readonly runId: string;
  /** Stops the stream and its source (calls the source's `return()`); later `next()`s are done. */
  return(): Promise<IteratorReturnResult<undefined>>;
  /** How a failure of this stream is written: `runErrorEvent(error)`. */
  [STREAM_ERROR_EVENT](error: unknown): RunErrorEvent;
}

/**
 * Where a stream is in its run: `RUN_STARTED` not yet handed out; pulling the source; or over
 * (the source ended, failed, yielded the run's last event, or the stream was closed), with at
 * most the run's last events still pending.
 */
const RunState = Object.freeze({ NotStarted: 'not-started', Streaming: 'streaming', Over: 'over' } as const);
type RunState = (typeof RunState)[keyof typeof RunState];

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * Source items pulled in a row without an event (empty deltas) before `next()` lets the event
 * loop run: a sync source of millions of empty strings would otherwise keep it (and `/ping`)
 * waiting for seconds, since the writer sees no item to count against its own budget.
 */
export const MAX_SILENT_PULLS = 1024;

/** A turn of the event loop: timers, I/O and `/ping` run before it resolves. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Turns `source` into a complete AG-UI event stream for the run `run` names:
 * 1. `RUN_STARTED` (with `threadId` and `runId` from `run`, each generated with `randomUUID()`
 *    when absent) before the source is first pulled;
 * 2. each string the source yields as `TEXT_MESSAGE_CONTENT` of an assistant message: a run of
 *    strings in a row is one message, opened with `TEXT_MESSAGE_START` (a fresh `randomUUID()`
 *    id) and closed with `TEXT_MESSAGE_END` by the next event object or the end; empty strings
 *    are skipped (after `MAX_SILENT_PULLS` of them in a row, the event loop gets a turn);
 * 3. each event object as it is, after a check that it is an AG-UI event (`checkEvent`);
 * 4. `RUN_FINISHED` when the source ends. A source that yields `RUN_FINISHED` (say, with a
 *    `result` or an interrupt `outcome`; its ids are filled in) or `RUN_ERROR` ends the run with
 *    it, and the source is closed.
 * When the source throws, or yields something that is not a string or an AG-UI event (or a
 * second `RUN_STARTED`), `next()` rejects with that error: served by the app, the response then
 * ends with `RUN_ERROR` (see `STREAM_ERROR_EVENT`) and the error is logged with the request id.
 * @throws TypeError when `source` is not an iterable object or a given id is not a string.
 */
export function agUiEventStream(run: RunIdentity, source: AgUiSource): AgUiEventStream {
  return new RunStream(run, source);
}

class RunStream implements AgUiEventStream {
  readonly threadId: string;
  readonly runId: string;
  readonly #parentRunId: string | undefined;
  readonly #source: AgUiSource;
  #iterator: AsyncIterator<unknown> | Iterator<unknown> | undefined;
  #state: RunState = RunState.NotStarted;
  /** Events decided but not handed out yet (at most the ones a single source item makes). */
  readonly #pending: AgUiEvent[] = [];
  /** The assistant message the strings go into, while one is open. */
  #messageId: string | undefined;

  constructor(run: RunIdentity, source: AgUiSource) {
    if (typeof run !== 'object' || run === null) throw new TypeError('agUiEventStream expects the run (a RunAgentInput or { threadId, runId })');
    if (!isIterable(source)) throw new TypeError('agUiEventStream expects an async generator or another iterable of strings and AG-UI events');
    this.threadId = optionalId(run.threadId, 'threadId') ?? randomUUID();
    this.runId = optionalId(run.runId, 'runId') ?? randomUUID();
    this.#parentRunId = optionalId(run.parentRunId, 'parentRunId');
    this.#source = source;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  [STREAM_ERROR_EVENT](error: unknown): RunErrorEvent {
    return runErrorEvent(error);
  }

  async next(): Promise<IteratorResult<AgUiEvent, undefined>> {
    let silentPulls = 0;
    while (this.#pending.length === 0) {
      if (this.#state === RunState.NotStarted) {
        this.#state = RunState.Streaming;
        return { done: false, value: runStartedEvent(this.threadId, this.runId, this.#parentRunId) };
      }
      if (this.#state === RunState.Over) return DONE;
      if (++silentPulls > MAX_SILENT_PULLS) {
        silentPulls = 0;
        await nextTurn();
        continue;
      }
      await this.#pull();
    }
    return { done: false, value: this.#pending.shift()! };
  }

  async return(): Promise<IteratorReturnResult<undefined>> {
    this.#pending.length = 0;
    this.#stop();
    return DONE;
  }

  /** Pulls one item from the source and turns it into pending events (or ends the run). */
  async #pull(): Promise<void> {
    let result: IteratorResult<unknown>;
    try {
      this.#iterator ??= openIterator(this.#source);
      result = await this.#iterator.next();
    } catch (error) {
      // Closed already (the client went away): the failure, likely that very abort, concerns nobody.
      if (this.#state === RunState.Over) return;
      // The source failed: it has ended itself, there is nothing to close.
      this.#state = RunState.Over;
      throw error;
    }
    // Closed (the client went away) while the source was working on this item: drop it.
    if (this.#state !== RunState.Streaming) return;
    if (result.done === true) {
      this.#closeMessage();
      this.#pending.push(runFinishedEvent(this.threadId, this.runId));
      this.#state = RunState.Over;
      return;
    }
    try {
      this.#accept(result.value);
    } catch (error) {
      this.#stop();
      throw error;
    }
  }

  #accept(item: unknown): void {
    if (typeof item === 'string') {
      if (item === '') return;
      if (this.#messageId === undefined) {
        this.#messageId = randomUUID();
        this.#pending.push(textMessageStartEvent(this.#messageId));
      }
      this.#pending.push(textMessageContentEvent(this.#messageId, item));
      return;
    }
    if (typeof item !== 'object' || item === null) {
      throw new TypeError(`An AG-UI run source yields text deltas (strings) or AG-UI event objects, got ${item === null ? 'null' : typeof item}`);
    }
    const event = checkEvent(this.#withRunIds(item));
    if (event.type === EventType.RUN_STARTED) throw new TypeError('An AG-UI run source must not yield RUN_STARTED: agUiEventStream sends it');
    this.#closeMessage();
    this.#pending.push(event);
    if (event.type === EventType.RUN_FINISHED || event.type === EventType.RUN_ERROR) this.#stop();
  }

  /** A `RUN_FINISHED` from the source names this run unless it names one itself. */
  #withRunIds(item: object): object {
    if ((item as { type?: unknown }).type !== EventType.RUN_FINISHED) return item;
    const init = item as RunFinishedInit;
    return { ...init, threadId: init.threadId ?? this.threadId, runId: init.runId ?? this.runId };
  }

  #closeMessage(): void {
    if (this.#messageId === undefined) return;
    this.#pending.push(textMessageEndEvent(this.#messageId));
    this.#messageId = undefined;
  }

  /** Ends the run here and closes the source; events already pending are still handed out. */
  #stop(): void {
    if (this.#state === RunState.Over) return;
    this.#state = RunState.Over;
    if (this.#iterator !== undefined) closeIterator(this.#iterator);
  }
}

function isIterable(value: unknown): value is AgUiSource {
  return (
    typeof value === 'object' &&
    value !== null &&
    (typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function' ||
      typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function')
  );
}

function openIterator(source: AgUiSource): AsyncIterator<unknown> | Iterator<unknown> {
  const asyncIterable = source as AsyncIterable<unknown>;
  if (typeof asyncIterable[Symbol.asyncIterator] === 'function') return asyncIterable[Symbol.asyncIterator]();
  return (source as Iterable<unknown>)[Symbol.iterator]();
}

/**
 * Calls the source's `return()` without waiting: an async generator busy with an item runs it
 * only once that item is done, and the stream must not wait for that. A failing cleanup ends
 * nothing but itself.
 */
function closeIterator(iterator: AsyncIterator<unknown> | Iterator<unknown>): void {
  try {
    const closing: unknown = iterator.return?.();
    if (typeof (closing as PromiseLike<unknown> | undefined)?.then === 'function') Promise.resolve(closing).catch(ignore);
  } catch {
    // The source is being dropped either way.
  }
}

function optionalId(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new TypeError(`agUiEventStream: ${name} must be a string`);
  return value;
}

function ignore(): void {}
