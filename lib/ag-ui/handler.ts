import type { RequestContext } from '../http/context.js';
import { isThenable } from '../thenable.js';
import { parseRunAgentInput, type RunAgentInput } from './input.js';
import { agUiEventStream, type AgUiEventStream, type AgUiSource } from './run.js';

/**
 * An AG-UI agent: given the parsed run input and the request context, returns the run's source
 * (usually an async generator of text deltas and AG-UI events), or a promise of one.
 */
export type AgUiAgent = (input: RunAgentInput, context: RequestContext) => AgUiSource | PromiseLike<AgUiSource>;

/**
 * The entrypoint for an AG-UI agent: `app.entrypoint(agUiHandler(agent))`. Each invocation's
 * payload is checked with `parseRunAgentInput` (a bad body gets a 400 JSON answer naming the
 * field), then `agent`'s source becomes the run's event stream (`agUiEventStream`). What fails
 * before the stream starts (the body, `agent` throwing or its promise rejecting) is answered as
 * an HTTP error; an `HttpError` keeps its status. What fails after ends the stream with `RUN_ERROR`.
 * @throws TypeError when `agent` is not a function.
 */
export function agUiHandler(agent: AgUiAgent): (payload: unknown, context: RequestContext) => AgUiEventStream | Promise<AgUiEventStream> {
  if (typeof agent !== 'function') throw new TypeError('agUiHandler expects the agent function');
  return (payload, context) => {
    const input = parseRunAgentInput(payload);
    const source = agent(input, context);
    return isThenable(source) ? Promise.resolve(source as PromiseLike<AgUiSource>).then((resolved) => agUiEventStream(input, resolved)) : agUiEventStream(input, source);
  };
}
