/**
 * Ending a call through the dispatcher its fetch goes out on (call-abort.ts): against a real
 * local server, which reports whether an exchange was cut off before its answer was sent.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallAbort, dispatcherKey } from './call-abort.js';
import { TimeoutError } from './errors.js';
import { createXonvoClient } from './xonvo.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
  vi.restoreAllMocks();
});

/** A server that never answers a path with "hang" in it, sends half a body on `/stall`, and answers the rest. */
async function server() {
  const sockets = new Set<Socket>();
  const cut: string[] = [];
  const seen: string[] = [];
  const exchanges: { over: boolean }[] = [];
  const http = createServer((req, res: ServerResponse) => {
    seen.push(req.url!);
    const exchange = { over: false };
    exchanges.push(exchange);
    res.on('close', () => ((exchange.over = true), !res.writableFinished && cut.push(req.url!)));
    if (req.url === '/stall') return res.writeHead(200, { 'Content-Type': 'application/json' }), res.write('{"a":');
    if (!req.url!.includes('hang')) res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
  });
  http.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  stops.push(() => new Promise<void>((resolve) => (sockets.forEach((s) => s.destroy()), http.close(() => resolve()))));
  const url = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
  // Node's fetch makes its dispatcher on first use.
  await (await fetch(`${url}/ok`)).text();
  seen.length = 0;
  exchanges.length = 0;
  // An exchange reaches this end, and its abort after it, on later turns of the loop than the call's:
  // under load a fixed pause could end first (TEST-75). Waits for `count` exchanges, and for every one seen to be over.
  const until = async (what: string, done: () => boolean) => {
    for (const end = performance.now() + 10_000; !done(); await pause(10)) if (performance.now() > end) throw new Error(`${what} within 10 s; seen ${JSON.stringify(seen)}, cut ${JSON.stringify(cut)}`);
  };
  const arrived = (count: number) => until(`expected ${count} exchanges to arrive`, () => seen.length >= count);
  const ended = (count: number) => until(`expected ${count} exchanges, all over,`, () => seen.length >= count && exchanges.every((e) => e.over));
  return { url, cut, seen, arrived, ended };
}

/**
 * The deadline of a call that must reach the hung server before it ends, for the test to see that
 * exchange cut: at 100 ms a request on a loaded machine sometimes had not arrived (TEST-75).
 */
const REACHES_SERVER_MS = 1000;

const settled = (promise: Promise<unknown>) => promise.then((value) => ({ value }), (error: unknown) => ({ error }));
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Puts a dispatcher of the test's own where Node's fetch looks for one, for one test. */
function dispatcherIs(dispatcher: { dispatch: (options: unknown, handler: any) => boolean }) {
  const slot = globalThis as Record<symbol, unknown>;
  const real = slot[dispatcherKey!];
  slot[dispatcherKey!] = dispatcher;
  stops.push(async () => void (slot[dispatcherKey!] = real));
}

describe('CallAbort', () => {
  it('is the dispatcher of a call on this Node, once fetch has made its own', async () => {
    await server();
    const abort = new CallAbort();
    expect(abort.dispatcher()).toBe(abort);
  });

  it('ends the exchange itself, before its answer and in the middle of its body', async () => {
    const { url, cut, arrived, ended } = await server();
    const reason = new Error('deadline');
    const hung = new CallAbort();
    const waiting = settled(hung.bound(fetch(`${url}/hang`, { dispatcher: hung.dispatcher() } as RequestInit)));
    await arrived(1);
    hung.abort(reason);
    expect(await waiting).toEqual({ error: reason });

    const stalled = new CallAbort();
    const response = await fetch(`${url}/stall`, { dispatcher: stalled.dispatcher() } as RequestInit);
    const reading = settled(response.text());
    stalled.abort(reason);
    expect(((await reading) as { error: Error }).error).toMatchObject({ message: 'terminated', cause: reason });
    await ended(2);
    // Only the exchange's own abort tells the server: racing the promise alone leaves it open.
    expect(cut.sort()).toEqual(['/hang', '/stall']);
  });

  it('ends an exchange that starts after the call was aborted, as it starts', async () => {
    const { url, cut, seen, ended } = await server();
    const abort = new CallAbort();
    abort.abort(new Error('deadline'));
    const sent = await settled(fetch(`${url}/hang`, { dispatcher: abort } as RequestInit));
    expect((sent as { error: Error }).error).toMatchObject({ message: 'fetch failed', cause: { message: 'deadline' } });
    // Time for a request that was written to arrive (none may have been), then for what arrived to be over.
    await pause(100);
    await ended(seen.length);
    // Ended before it was written, or cut off once it was: never left waiting on the server.
    expect(cut).toEqual(seen);
  });

  it('makes its signal on first use, aborted with the call', () => {
    const before = new CallAbort();
    const signal = before.signal;
    expect(signal.aborted).toBe(false);
    before.abort('why');
    expect([signal.aborted, signal.reason]).toEqual([true, 'why']);
    const after = new CallAbort();
    after.abort('late');
    expect([after.signal.aborted, after.signal.reason]).toEqual([true, 'late']);
  });

  it("undici 8's handlers (onRequestStart): the exchange's controller is aborted, now or as it starts", async () => {
    await server();
    const aborted: unknown[] = [];
    const started: unknown[] = [];
    dispatcherIs({
      dispatch: (_options, handler) => {
        handler.onRequestStart({ abort: (reason: unknown) => aborted.push(reason) }, { context: true });
        return true;
      },
    });
    const handler = { onRequestStart: (...args: unknown[]) => void started.push(args.length) };
    const running = new CallAbort();
    running.dispatch({}, handler);
    running.abort('deadline');
    const late = new CallAbort();
    late.abort('earlier');
    late.dispatch({}, { onRequestStart: () => undefined });
    expect(aborted).toEqual(['deadline', 'earlier']);
    expect(started).toEqual([2]); // the original hook still runs, with what it was given
  });

  it('a dispatcher that never starts the exchange: the call still ends at its deadline', async () => {
    const { url } = await server();
    dispatcherIs({ dispatch: () => true });
    const xonvo = createXonvoClient({ baseUrl: url, username: 'u', password: 'p', timeoutMs: 100 });
    const dispatched = vi.spyOn(CallAbort.prototype, 'dispatch');
    const started = performance.now();
    const outcome = await settled(xonvo.GET('/accounts/{accountId}/statistics', { params: { path: { accountId: 1 }, query: {} } }));
    expect((outcome as { error: unknown }).error).toBeInstanceOf(TimeoutError);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(dispatched).toHaveBeenCalledTimes(1);
  }, 5_000);

  it("a typed call goes out on its CallAbort; one given the caller's signal goes out with it instead", async () => {
    const { url } = await server();
    const dispatched = vi.spyOn(CallAbort.prototype, 'dispatch');
    const xonvo = createXonvoClient({ baseUrl: url, username: 'u', password: 'p' });
    const stats = (signal?: AbortSignal) => xonvo.GET('/accounts/{accountId}/statistics', { params: { path: { accountId: 1 }, query: {} }, signal });
    await stats();
    expect(dispatched).toHaveBeenCalledTimes(1);
    await stats(new AbortController().signal);
    expect(dispatched).toHaveBeenCalledTimes(1);
  });

  it('a global fetch put in place of Node\'s own: calls go out with their signal, and still end at their deadline', async () => {
    const { url, cut, ended } = await server();
    const nodeFetch = globalThis.fetch;
    const seen: (AbortSignal | null | undefined)[] = [];
    globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => (seen.push(init?.signal), nodeFetch(input, init));
    stops.push(async () => void (globalThis.fetch = nodeFetch));
    expect(new CallAbort().dispatcher()).toBeUndefined();
    const dispatched = vi.spyOn(CallAbort.prototype, 'dispatch');
    const xonvo = createXonvoClient({ baseUrl: url, username: 'u', password: 'p', timeoutMs: REACHES_SERVER_MS });
    const stats = (accountId: string) => xonvo.GET('/accounts/{accountId}/statistics', { params: { path: { accountId } as never, query: {} } });
    expect((await stats('1')).response.status).toBe(200);
    expect(await settled(stats('hang'))).toMatchObject({ error: { name: 'TimeoutError' } });
    expect(seen.map((signal) => signal instanceof AbortSignal)).toEqual([true, true]);
    expect(dispatched).not.toHaveBeenCalled();
    globalThis.fetch = nodeFetch;
    expect(new CallAbort().dispatcher()).toBeDefined();
    await ended(2);
    expect(cut).toEqual(['/accounts/hang/statistics']); // ended by its signal
  });

  it("a dispatcher that says it is a mock (undici's MockAgent) is handed the body as text, as fetch hands it without the hook", async () => {
    const { url } = await server();
    const bodies: unknown[] = [];
    dispatcherIs({ isMockActive: true, dispatch: (options: { body?: unknown }) => (bodies.push(options.body), true) } as never);
    const dispatched = vi.spyOn(CallAbort.prototype, 'dispatch');
    const xonvo = createXonvoClient({ baseUrl: url, username: 'u', password: 'p', timeoutMs: 100 });
    await settled(xonvo.POST('/lead', { body: { accountId: 1, externalId: 'ann-1', name: 'Ann' } as never }));
    expect(dispatched).toHaveBeenCalledTimes(1);
    expect(bodies).toEqual([JSON.stringify({ accountId: 1, externalId: 'ann-1', name: 'Ann' })]);
  });

  it("a call given a Request class of its own goes out with its signal: what middleware rebuilds from that Request follows it", async () => {
    const { url, cut, ended } = await server();
    const dispatched = vi.spyOn(CallAbort.prototype, 'dispatch');
    const xonvo = createXonvoClient({ baseUrl: url, username: 'u', password: 'p', timeoutMs: REACHES_SERVER_MS });
    const outcome = await settled(xonvo.GET('/accounts/{accountId}/statistics', { params: { path: { accountId: 'hang' } as never, query: {} }, Request: globalThis.Request } as never));
    expect(outcome).toMatchObject({ error: { name: 'TimeoutError' } });
    expect(dispatched).not.toHaveBeenCalled();
    await ended(1);
    expect(cut).toEqual(['/accounts/hang/statistics']);
  });

  /** A handler the hook cannot go on, passed to a CallAbort of a module of its own (what it learns must not reach the other tests). */
  async function unhookable(handler: object) {
    await server();
    const passed: unknown[] = [];
    dispatcherIs({ dispatch: (_options, given) => (passed.push(given), true) });
    vi.resetModules();
    const { CallAbort: Fresh } = await import('./call-abort.js');
    const first = new Fresh();
    expect(first.dispatcher()).toBe(first);
    expect(() => first.dispatch({}, handler as never)).not.toThrow();
    return { passed, later: new Fresh().dispatcher() };
  }

  it('a handler that cannot be hooked (frozen): that exchange goes on as it is, and later calls are cancelled by signal', async () => {
    const handler = Object.freeze({ onConnect: () => undefined });
    expect(await unhookable(handler)).toEqual({ passed: [handler], later: undefined });
  });

  it('a handler of neither known kind: that exchange goes on, and later calls are cancelled by signal', async () => {
    const handler = { onResponseStart: () => undefined };
    expect(await unhookable(handler)).toEqual({ passed: [handler], later: undefined });
  });
});
