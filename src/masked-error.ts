/**
 * What a caller's `fetch` option threw, fit to pass on: node-fetch's errors quote the URL, and
 * Footprints' token with it; a wrapper's error may carry it in a `cause`, or on a `request`.
 */

// Read where a log may print them even when they are not own enumerable properties.
const SHOWN = ['message', 'stack', 'url', 'href', 'cause'] as const;
// An error graph bigger than this is not walked to its end: it cannot be shown to be clean.
const MOST_OBJECTS = 2000;

class Unreadable extends Error {}

/** A property's value; a getter that throws, or a revoked Proxy, makes the error unreadable. */
function read(holder: object, key: string): unknown {
  try {
    return (holder as Record<string, unknown>)[key];
  } catch {
    throw new Unreadable();
  }
}

function ownKeys(holder: object): string[] {
  let keys: string[];
  try {
    // Bytes hold no text a log prints as text; a long list is not walked through.
    if (ArrayBuffer.isView(holder) || holder instanceof ArrayBuffer) return [];
    keys = Object.keys(holder);
  } catch {
    throw new Unreadable();
  }
  if (keys.length > 500) throw new Unreadable();
  return keys;
}

/** Every object the error holds (itself, its causes, what they carry), each once. */
function objectsOf(error: object): object[] {
  const seen = new Set<object>([error]);
  const queue: object[] = [error];
  for (let next = 0; next < queue.length; next++) {
    if (queue.length > MOST_OBJECTS) throw new Unreadable();
    const holder = queue[next]!;
    for (const key of new Set([...SHOWN, ...ownKeys(holder)])) {
      const value = read(holder, key);
      if (typeof value === 'object' && value !== null && !seen.has(value)) {
        seen.add(value);
        queue.push(value);
      }
    }
  }
  return queue;
}

/** Masks the texts each object shows, in place where they can be changed. */
function maskTexts(objects: object[], mask: (text: string) => string): void {
  for (const holder of objects) {
    for (const key of new Set([...SHOWN, ...ownKeys(holder)])) {
      const text = read(holder, key);
      if (typeof text !== 'string') continue;
      const shown = mask(text);
      try {
        if (shown !== text) (holder as Record<string, unknown>)[key] = shown;
      } catch {
        // A getter-only message (a DOMException's), a Request's url, a frozen error: `stillShows` finds it.
      }
    }
  }
}

/** Whether any text the objects show still holds a credential (values only: names are not credentials). */
function stillShows(objects: object[], mask: (text: string) => string): boolean {
  return objects.some((holder) =>
    [...new Set([...SHOWN, ...ownKeys(holder)])].some((key) => {
      const text = read(holder, key);
      return typeof text === 'string' && mask(text) !== text;
    }),
  );
}

function isDomException(error: object): boolean {
  try {
    return typeof DOMException !== 'undefined' && error instanceof DOMException;
  } catch {
    return false;
  }
}

/** The first error `code` (ECONNREFUSED, …) along the cause chain, which a replacement keeps. */
function codeOf(objects: object[]): string | undefined {
  for (const holder of objects) {
    const code = read(holder, 'code');
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/**
 * The error, with the credentials it quotes masked: the same object (a caller's `instanceof`
 * still holds) when masking the texts it and what it carries show, in place, cleans it; otherwise
 * a new error saying what it said, masked: a DOMException of the same name (code checks for
 * 'AbortError'), or what `replace` makes, with the original's `code`. An error that cannot be
 * read through (a getter that throws, a revoked Proxy) is replaced too.
 */
export function maskedError(error: unknown, mask: (text: string) => string, replace: (message: string) => Error): unknown {
  if (typeof error !== 'object' || error === null) return error;
  let message = '';
  let code: string | undefined;
  try {
    const objects = objectsOf(error);
    maskTexts(objects, mask);
    if (!stillShows(objects, mask)) return error;
    message = mask(String(read(error, 'message')));
    code = codeOf(objects);
  } catch (unreadable) {
    if (!(unreadable instanceof Unreadable)) throw unreadable;
    message = 'an error that could not be read';
  }
  if (isDomException(error)) return new DOMException(message, (error as DOMException).name);
  const replacement = replace(message);
  return code === undefined ? replacement : Object.assign(replacement, { code });
}
