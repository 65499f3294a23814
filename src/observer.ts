/**
 * Calls a callback the caller gave to watch calls (`onViolation`, `record`). Watching must not
 * change what a call does: a callback that throws, or returns a promise that rejects, is reported
 * on the console and the call goes on as if it had returned. (Failing the call instead would let
 * a broken logger stop production calls that were otherwise fine; letting the rejection go
 * unhandled would end a Node process.)
 */
export function notify<T>(name: string, callback: ((value: T) => unknown) | undefined, value: T): void {
  if (!callback) return;
  const report = (error: unknown) =>
    console.error(`martech-contracts: your ${name} callback failed; the call went on without it:`, error);
  try {
    const result = callback(value);
    // Any thenable: another realm's promise (a vm context, a test runner's) is no instanceof Promise here.
    if (typeof (result as PromiseLike<unknown> | null)?.then === 'function') Promise.resolve(result).catch(report);
  } catch (error) {
    report(error);
  }
}
