/**
 * Calls a callback the caller gave to watch calls (`onViolation`, `record`). Watching must not
 * change what a call does: a callback that throws, or returns a promise that rejects, is reported
 * on the console and the call goes on as if it had returned. (Failing the call instead would let
 * a broken logger stop production calls that were otherwise fine; letting the rejection go
 * unhandled would end a Node process.)
 */
export function notify<T>(name: string, callback: ((value: T) => unknown) | undefined, value: T): void {
  if (!callback) return;
  const report = (error: unknown) => failed(name, callback, error);
  try {
    const result = callback(value);
    // Any thenable: another realm's promise (a vm context, a test runner's) is no instanceof Promise here.
    if (typeof (result as PromiseLike<unknown> | null)?.then === 'function') Promise.resolve(result).catch(report);
  } catch (error) {
    report(error);
  }
}

interface Failures {
  name: string;
  callback: unknown;
  first: unknown;
  count: number;
}

/**
 * Failures not yet told. A response's violations are handed over one by one in one go, so a
 * callback that throws failed once per violation, and was reported each time with its stack:
 * four times for one call. Those of one go are told once, with their count and the first error.
 */
let untold: Failures[] | undefined;

function failed(name: string, callback: unknown, error: unknown): void {
  if (!untold) {
    untold = [];
    queueMicrotask(tell);
  }
  const same = untold.find((f) => f.name === name && f.callback === callback);
  if (same) same.count += 1;
  else untold.push({ name, callback, first: error, count: 1 });
}

function tell(): void {
  const failures = untold ?? [];
  untold = undefined;
  for (const { name, first, count } of failures) {
    const times = count === 1 ? '' : ` ${count} times (the first error below)`;
    const said = `martech-contracts: your ${name} callback failed${times}; the call went on without it:`;
    try {
      console.error(said, first);
    } catch (unshown) {
      // The error may throw when shown (a getter, a Proxy): thrown from here, in a microtask, it ended the process.
      console.error(said, `(an error that cannot be shown: ${unshown instanceof Error ? unshown.message : 'it throws when read'})`);
    }
  }
}
