/** The promise, or the signal's reason once it aborts, whichever comes first. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  // The promise is let go, but its failure is still handled: left alone, it would end the process as an unhandled rejection.
  if (signal.aborted) return (promise.catch(() => undefined), Promise.reject(signal.reason));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
