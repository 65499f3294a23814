/**
 * How a call is ended early: by its deadline, or by the caller's signal.
 *
 * A signal is the way every fetch can be cancelled, but undici pays for following one on each
 * Request (a controller of its own, a listener, a WeakRef and a finalizer), about as much as the
 * ≤1.1× allowance for a whole call (decision CLIENT-4). So on Node, a call that nothing else needs
 * a signal for is cancelled through the dispatcher its fetch goes out on (decision CLIENT-50): this
 * object is that dispatcher. It hands each exchange to the dispatcher Node's fetch would have used
 * and keeps the abort undici gives the exchange, to end it with. A signal is still made, on first
 * use, for whatever asks for one (a token request made on the call's behalf).
 *
 * The call's promise is raced against the abort too (`bound`), so the call ends on time even where
 * the exchange's abort never reaches this object: a dispatcher of the caller's that holds the
 * request, a connection not yet made, an undici whose handlers take neither known hook.
 */

type Abort = (reason: unknown) => void;

interface Handler {
  onConnect?: (abort: Abort, ...rest: unknown[]) => unknown;
  onRequestStart?: (controller: { abort: Abort }, ...rest: unknown[]) => unknown;
}

interface Dispatcher {
  dispatch(options: unknown, handler: Handler): boolean;
}

/**
 * Where the dispatcher Node's fetch uses is kept: undici 6 and 7 (Node 20 to 24) under the first
 * key, undici 8 (Node 26) under the second. Elsewhere (browsers, Deno, Bun, a later undici) calls
 * are cancelled by signal.
 */
function globalDispatcherKey(): symbol | undefined {
  const undici = (globalThis as { process?: { versions?: { undici?: string } } }).process?.versions?.undici;
  const major = Number(undici?.split('.')[0]);
  if (major === 6 || major === 7) return Symbol.for('undici.globalDispatcher.1');
  if (major === 8) return Symbol.for('undici.globalDispatcher.2');
  return undefined;
}

/** Where this runtime's fetch finds its dispatcher; undefined where calls are cancelled by signal. */
export const dispatcherKey = globalDispatcherKey();
/** False once an exchange came with a handler of neither known kind: later calls use signals. */
let hookable = dispatcherKey !== undefined;

/** The dispatcher Node's fetch would use, read at each use: a `setGlobalDispatcher` may replace it. */
const nodeDispatcher = () => (globalThis as Record<symbol, unknown>)[dispatcherKey!] as (Dispatcher & { isMockActive?: unknown }) | undefined;

/**
 * Whether the global fetch is Node's own, which alone is known to send through the dispatcher
 * kept under `dispatcherKey` with the handlers hooked here. One put in its place (another undici's fetch,
 * a test library's, a framework's wrapper) may read another dispatcher, or none: its calls are
 * cancelled by signal. Node's own is told by its source, which loads an internal module no
 * other code can; checked again only when the global is replaced.
 */
let knownFetch: unknown;
let nodeFetch = false;
function isNodeFetch(): boolean {
  const fetch = globalThis.fetch;
  if (fetch !== knownFetch) {
    knownFetch = fetch;
    nodeFetch = typeof fetch === 'function' && Function.prototype.toString.call(fetch).includes("require('internal/deps/undici/undici')");
  }
  return nodeFetch;
}

export class CallAbort {
  #aborted = false;
  #reason: unknown;
  #controller: AbortController | undefined;
  #exchange: Abort | undefined;
  #reject: Abort | undefined;

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  /** A signal that aborts with the call, made on first use. */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
    this.#exchange?.(reason);
    this.#reject?.(reason);
  }

  /**
   * This object as the `dispatcher` of a call sent with the global fetch, where that is Node's own
   * and its dispatcher exists (it is made by the process's first fetch); undefined where the call
   * needs its signal.
   */
  dispatcher(): this | undefined {
    return hookable && nodeDispatcher() && isNodeFetch() ? this : undefined;
  }

  /**
   * What fetch reads of its dispatcher besides `dispatch`: undici's MockAgent says it is active,
   * and fetch then hands it the body as text for its matchers, not as a stream.
   */
  get isMockActive(): unknown {
    return nodeDispatcher()?.isMockActive;
  }

  /** undici's dispatcher interface: the exchange goes on as fetch would have sent it, its abort kept. */
  dispatch(options: unknown, handler: Handler): boolean {
    // A handler the hook cannot go on: this exchange ends only with `bound`, and later calls use signals.
    if (!this.#hook(handler)) hookable = false;
    return nodeDispatcher()!.dispatch(options, handler);
  }

  /** Keeps the exchange's abort as fetch's handler receives it (undici 6 and 7: onConnect; 8: onRequestStart). */
  #hook(handler: Handler): boolean {
    const call = this;
    const { onConnect, onRequestStart } = handler;
    try {
      if (typeof onConnect === 'function') {
        handler.onConnect = function (this: unknown, abort, ...rest) {
          call.#exchange = abort;
          const result = onConnect.call(this, abort, ...rest);
          if (call.#aborted) abort(call.#reason);
          return result;
        };
        return true;
      }
      if (typeof onRequestStart === 'function') {
        handler.onRequestStart = function (this: unknown, controller, ...rest) {
          call.#exchange = (reason) => controller.abort(reason);
          const result = onRequestStart.call(this, controller, ...rest);
          if (call.#aborted) controller.abort(call.#reason);
          return result;
        };
        return true;
      }
    } catch {
      // A handler that cannot be changed (a frozen one) is passed on as it is.
    }
    return false;
  }

  /** The promise, or the abort's reason once the call is aborted, whichever comes first. */
  bound<T>(promise: Promise<T>): Promise<T> {
    if (this.#aborted) return (promise.catch(() => undefined), Promise.reject(this.#reason));
    return new Promise<T>((resolve, reject) => {
      this.#reject = reject;
      promise.then(resolve, reject);
    });
  }
}
