import type { CallAbort } from './call-abort.js';

/**
 * Which call the code running now works for, where Node can tell (AsyncLocalStorage; browsers
 * have none, and their calls are cancelled by signal alone).
 *
 * undici follows a signal from one Request to the next through a WeakRef only. A call whose
 * requests middleware rebuilt (a token put in the query, a resend after a 401, a caller's own
 * step) sends a Request whose signal hangs on Requests nothing holds any more, and a garbage
 * collection cut the call's abort off from its exchange: the call ended at its deadline, but the
 * connection stayed open until undici's own 300 s body timeout (CLIENT-54). The fetch at the end
 * of the chain reads the call from here and sends through its CallAbort, which holds the
 * exchange's own abort.
 */
type Storage = { run<R>(store: CallAbort, fn: () => R): R; getStore(): CallAbort | undefined };

const hooks = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.('node:async_hooks') as
  | { AsyncLocalStorage: new () => Storage }
  | undefined;
const storage = hooks ? new hooks.AsyncLocalStorage() : undefined;

/** Runs `fn` as work of the call `abort` ends (its exchanges, and whatever they wait on). */
export const inCall = <R>(abort: CallAbort, fn: () => R): R => (storage ? storage.run(abort, fn) : fn());

/** The dispatcher the running call's exchanges go out on, where it has one (see CallAbort.dispatcher). */
export const callDispatcher = (): CallAbort | undefined => storage?.getStore()?.dispatcher();
