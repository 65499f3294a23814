/**
 * startMocks' callbacks are the caller's code, run inside the mock's request handling: what one
 * throws must neither end the process nor be told as a fault of the mock's (MOCK-173).
 */
import { kindOf } from '../options.js';

/** What a callback threw, as text: anything may be thrown, and turning it to text may throw too. */
export function thrownText(error: unknown): string {
  return typeof (error as Error | undefined)?.message === 'string' ? (error as Error).message : `${kindOf(error)} was thrown`;
}

/**
 * A callback of the caller's failed on a request (`onChange` on a write the mock made). The engine
 * answers it with a 500 that names the option, not one that asks for a mock bug to be reported.
 */
export class CallbackFailure extends Error {
  constructor(option: string, vendor: string, error: unknown) {
    super(`option "${option}" failed on ${vendor}: ${thrownText(error)}`, { cause: error });
    this.name = 'CallbackFailure';
  }
}

/**
 * The caller's `log`, safe to call on any line. One that threw, or whose promise rejected, ended
 * the process from inside a request, which was never answered. It is told once, as a process
 * warning, since it cannot be told through itself; later lines are still offered to it.
 */
export function guardedLog(log: ((line: string) => void) | undefined): (line: string) => void {
  if (!log) return () => {};
  let told = false;
  const failed = (error: unknown) => {
    if (told) return;
    told = true;
    process.emitWarning(`mock: option "log" failed: ${thrownText(error)} (the mock serves on; said once)`, { code: 'MOCK_LOG_FAILED' });
  };
  return (line) => {
    try {
      // Typed as returning nothing, yet an async function fits the type.
      const result = log(line) as unknown;
      if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') (result as PromiseLike<unknown>).then(undefined, failed);
    } catch (error) {
      failed(error);
    }
  };
}
