/**
 * What a caller's `fetch` option threw, fit to pass on: node-fetch's errors quote the URL, and
 * Footprints' token with it; a wrapper's error may carry it in its `cause` or on a `request`.
 */

// Node's util, where there is one: what a logger prints of an error is what util.inspect shows.
const util = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.('node:util') as typeof import('node:util') | undefined;

/** Masks the message and stack of an error and of its causes, in place, where they can be changed. */
function maskStrings(error: object, mask: (text: string) => string, depth: number): void {
  for (const key of ['message', 'stack'] as const) {
    const text = (error as Record<string, unknown>)[key];
    if (typeof text !== 'string') continue;
    const shown = mask(text);
    try {
      if (shown !== text) (error as Record<string, unknown>)[key] = shown;
    } catch {
      // A message with a getter only (a DOMException's), or a frozen error: `stillShows` finds it.
    }
  }
  const { cause } = error as { cause?: unknown };
  if (depth < 5 && typeof cause === 'object' && cause !== null) maskStrings(cause, mask, depth + 1);
}

/** Whether the error still shows a credential where a log would print it. */
function stillShows(error: object, mask: (text: string) => string): boolean {
  let text: string;
  try {
    // The message too: util.inspect shows a DOMException's stack, not its message, which code reads.
    text = `${String((error as Error).message)}\n${util ? util.inspect(error, { depth: 5 }) : String((error as Error).stack)}`;
  } catch {
    // An error whose inspection throws cannot be shown to be clean.
    return true;
  }
  return mask(text) !== text;
}

/**
 * The error, with the credentials it quotes masked: the same object (a caller's `instanceof`
 * still holds) when masking its message, stack and causes in place cleans it; otherwise a new
 * error saying what it said, masked: a DOMException of the same name (code checks for
 * 'AbortError'), or what `replace` makes.
 */
export function maskedError(error: unknown, mask: (text: string) => string, replace: (message: string) => Error): unknown {
  if (typeof error !== 'object' || error === null) return error;
  maskStrings(error, mask, 0);
  if (!stillShows(error, mask)) return error;
  const message = mask(String((error as Error).message));
  if (typeof DOMException !== 'undefined' && error instanceof DOMException) return new DOMException(message, error.name);
  return replace(message);
}
