/**
 * The baselines every client figure is a ratio to: a raw fetch of the URL, body parsed, and the
 * same fetch made cancellable with a 30 s timeout, as every typed call is (what a timeout costs
 * by itself, before any client code). `fetch` is looked up per call, so a stand-in installed on
 * globalThis (client-cpu.ts) is the one used.
 */
export function rawFetches(url: string, headers: Record<string, string>) {
  return {
    raw: async () => (await fetch(url, { headers })).json() as Promise<unknown>,
    rawTimeout: async () => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 30_000);
      try {
        return (await (await fetch(url, { headers, signal: controller.signal })).json()) as unknown;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
