/**
 * How a call's signal (its timeout, the caller's abort) reaches the fetch and the token wait.
 *
 * It is not put on the Request openapi-fetch builds: undici makes each Request follow the
 * signal it is built with, and fetch() builds a second Request from the first, so a signal on
 * the first is followed twice (measured: the costliest part of a typed call after the network).
 * Instead each call gets its own fetch, bound to its signal; openapi-fetch hands that fetch to
 * middleware as `options.fetch`, where `signalOf` finds the signal again.
 */

/** A fetch handed the call's signal beside the request, as fetch(request, { signal }) takes it. */
export type Send = (request: Request, init?: { signal?: AbortSignal }) => Promise<Response>;

const SIGNAL = Symbol('call signal');
type Bound = ((request: Request) => Promise<Response>) & { [SIGNAL]?: AbortSignal };

/** A fetch for one call: every request it sends carries the call's signal. */
export function bindSignal(send: Send, signal: AbortSignal): Bound {
  const init = { signal };
  const bound: Bound = (request) => send(request, init);
  bound[SIGNAL] = signal;
  return bound;
}

/** The signal of the call a fetch was bound to by `bindSignal`. */
export const signalOf = (fetch: unknown): AbortSignal | undefined => (typeof fetch === 'function' ? (fetch as Bound)[SIGNAL] : undefined);
