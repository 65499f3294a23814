/**
 * Prism's verdict (security, validation, the example it picks) is a pure function of the request
 * when responses come from examples: the same request always gets the same answer. Frontends poll
 * the same URLs, so remembering the last few hundred verdicts spares Prism's pipeline on repeats.
 * State is applied after this, on every request, so remembered verdicts never serve stale data.
 */
const IGNORED = new Set(['host', 'connection', 'content-length', 'keep-alive', 'accept-encoding', 'x-mock-session']);
const MAX_ENTRIES = 512;
const MAX_BODY = 4096;

export function memoKey(method: string, path: string, query: string, headers: Record<string, string | undefined>, body: string | undefined): string | undefined {
  if (body !== undefined && body.length > MAX_BODY) return undefined;
  let key = `${method} ${path}?${query}`;
  for (const name of Object.keys(headers).sort()) if (!IGNORED.has(name) && headers[name] !== undefined) key += `\n${name}:${headers[name]}`;
  return body === undefined ? key : `${key}\n\n${body}`;
}

export function createMemo<T>() {
  const entries = new Map<string, T>();
  const set = (key: string, value: T) => {
    if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
    entries.set(key, value);
  };
  return {
    get: (key: string) => entries.get(key),
    set,
    /** The value kept for the key (undefined too), else the one `make` gives, kept. */
    remembered(key: string, make: () => T): T {
      if (entries.has(key)) return entries.get(key) as T;
      const value = make();
      set(key, value);
      return value;
    },
  };
}
