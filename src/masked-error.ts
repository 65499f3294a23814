/**
 * What a caller's `fetch` option threw, fit to pass on: node-fetch's errors quote the URL, and
 * Footprints' token with it; a wrapper's error may carry it in a `cause`, or on a `request`
 * whose headers hold the Authorization a log would print.
 */
import { isCredentialName } from './record/har.js';

// Read where a log may print them even when they are not own enumerable properties.
const SHOWN = ['message', 'stack', 'url', 'href', 'cause', 'errors'] as const;
// How much of what an error holds is looked through. Past it, the error cannot be shown to be
// clean, and is replaced: what a log prints of a bigger one is not ours to vouch for.
const BUDGET = { objects: 2000, values: 20_000, texts: 5000, chars: 1_000_000, causes: 50 } as const;

// A RequestInit's `credentials` is fetch's cookie mode, not a credential: a wrapper's error that holds its init is passed on as it is.
const FETCH_CREDENTIALS_MODES = new Set(['omit', 'same-origin', 'include']);

class Unreadable extends Error {}
class TooBig extends Error {}

/** A property's value; a getter that throws, or a revoked Proxy, makes the error unreadable. */
function read(holder: object, key: PropertyKey): unknown {
  try {
    return (holder as Record<PropertyKey, unknown>)[key];
  } catch {
    throw new Unreadable();
  }
}

/**
 * What an object shows a log, as name and value: its properties (symbols too), and a Map's, a
 * Set's or a Headers' entries (a Map's keys as values too, for a key may be a credential).
 */
function shownBy(holder: object): [string, unknown][] {
  try {
    if (ArrayBuffer.isView(holder) || holder instanceof ArrayBuffer) return [];
    // A boxed string is one text, not a property per character.
    if (holder instanceof String) return [['', holder.valueOf()]];
    // Counted before anything is listed: a list of millions is not walked through.
    const size = Array.isArray(holder) ? holder.length : holder instanceof Map || holder instanceof Set ? holder.size : 0;
    if (size > BUDGET.values) throw new TooBig();
    const out: [string, unknown][] = [];
    const add = (name: string, value: unknown) => {
      // Counted as they come: an iterator need not end.
      if (out.push([name, value]) > BUDGET.values) throw new TooBig();
    };
    for (const key of new Set<string>([...SHOWN, ...Object.keys(holder)])) add(key, read(holder, key));
    for (const symbol of Object.getOwnPropertySymbols(holder)) add(String(symbol.description ?? ''), read(holder, symbol));
    if (holder instanceof Map || holder instanceof Headers || holder instanceof URLSearchParams) {
      for (const [key, value] of (holder as Map<unknown, unknown>).entries()) {
        add('', key);
        add(typeof key === 'string' ? key : '', value);
      }
    } else if (holder instanceof Set) for (const value of holder) add('', value);
    return out;
  } catch (error) {
    if (error instanceof Unreadable || error instanceof TooBig) throw error;
    throw new Unreadable();
  }
}

/**
 * Whether anything the error holds shows a credential: a text the mask changes, or a value under
 * a credential's name (an `authorization` header). Read only, within BUDGET.
 */
function stillShows(error: object, mask: (text: string) => string): boolean {
  const seen = new Set<object>([error]);
  const queue: object[] = [error];
  let texts = 0;
  let chars = 0;
  let values = 0;
  for (let next = 0; next < queue.length; next++) {
    if (queue.length > BUDGET.objects) throw new TooBig();
    const shown = shownBy(queue[next]!);
    values += shown.length;
    if (values > BUDGET.values) throw new TooBig();
    for (const [name, value] of shown) {
      if (typeof value === 'string') {
        texts += 1;
        chars += value.length;
        if (texts > BUDGET.texts || chars > BUDGET.chars) throw new TooBig();
        if ((value !== '' && value !== '[redacted]' && isCredentialName(name) && !FETCH_CREDENTIALS_MODES.has(value)) || mask(value) !== value) return true;
      } else if (typeof value === 'object' && value !== null && !seen.has(value)) {
        seen.add(value);
        queue.push(value);
      }
    }
  }
  return false;
}

/** Whether a value is an error (another realm's too): what may be masked in place. */
function isError(value: unknown): value is object {
  try {
    return value instanceof Error || Object.prototype.toString.call(value) === '[object Error]';
  } catch {
    return false;
  }
}

/**
 * The error and the errors it was caused by, each once: the only objects masked in place. A
 * cause that is not an error (the caller's settings) is the caller's, and is never changed.
 */
function chainOf(error: object): object[] {
  const chain = [error];
  for (let cause = read(error, 'cause'); isError(cause) && !chain.includes(cause); cause = read(cause, 'cause')) {
    // A `cause` getter may make a new error on every read.
    if (chain.length >= BUDGET.causes) throw new TooBig();
    chain.push(cause);
  }
  return chain;
}

/** Masks the texts an error of the chain holds itself, in place where they can be changed. */
function maskOwnTexts(holder: object, mask: (text: string) => string): void {
  let keys: string[];
  try {
    keys = [...new Set<string>(['message', 'stack', ...Object.keys(holder)])];
  } catch {
    throw new Unreadable();
  }
  for (const key of keys) {
    const text = read(holder, key);
    if (typeof text !== 'string') continue;
    const shown = mask(text);
    try {
      if (shown !== text) (holder as Record<string, unknown>)[key] = shown;
    } catch {
      // A getter-only message (a DOMException's), a frozen error: `stillShows` finds it.
    }
  }
}

/** The first error `code` (ECONNREFUSED, …) along the chain, which a replacement keeps. */
function codeOf(chain: object[]): string | undefined {
  for (const holder of chain) {
    const code = read(holder, 'code');
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function isDomException(error: object): boolean {
  try {
    return typeof DOMException !== 'undefined' && error instanceof DOMException;
  } catch {
    return false;
  }
}

/**
 * The error, with the credentials it quotes masked: the same object (a caller's `instanceof`
 * still holds) when masking the texts of it and its causes, in place, leaves nothing it holds
 * showing one. Otherwise (a credential on a `request` it carries, a frozen error, one too big to
 * look through, one that cannot be read) a new error saying what it said, masked: a DOMException
 * of the same name (code checks for 'AbortError'), or what `replace` makes, with the original's
 * `code`. Nothing but the error and its causes is changed.
 */
export function maskedError(error: unknown, mask: (text: string) => string, replace: (message: string) => Error): unknown {
  // A thrown text (`throw \`${request.url} failed\``) is what a log prints: passed on as text, masked.
  if (typeof error === 'string') return mask(error);
  if (typeof error !== 'object' || error === null) return error;
  let message = 'an error that could not be read';
  let code: string | undefined;
  try {
    message = mask(String(read(error, 'message')));
    code = codeOf([error]);
    const chain = chainOf(error);
    for (const holder of chain) maskOwnTexts(holder, mask);
    code = codeOf(chain);
    if (!stillShows(error, mask)) return error;
  } catch {
    // Unreadable, too big, or something in it that throws when read as text (a message whose
    // toString throws): it cannot be shown to be clean, and the caller gets the replacement.
  }
  if (isDomException(error)) return new DOMException(message, (error as DOMException).name);
  const replacement = replace(message);
  return code === undefined ? replacement : Object.assign(replacement, { code });
}
