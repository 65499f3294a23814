import { describe, expect, it } from 'vitest';
import { bindSignal, signalOf } from './call-signal.js';

describe('bindSignal', () => {
  it('hands every request the call signal beside it, and signalOf finds it again', async () => {
    const signal = new AbortController().signal;
    const seen: unknown[] = [];
    const bound = bindSignal(async (request, init) => (seen.push([request.url, init?.signal]), new Response('')), signal);
    await bound(new Request('http://x/a'));
    expect(seen).toEqual([['http://x/a', signal]]);
    expect(signalOf(bound)).toBe(signal);
  });

  it('finds no signal on a fetch it did not bind, or on what is not a fetch', () => {
    expect(signalOf(globalThis.fetch)).toBeUndefined();
    expect(signalOf(undefined)).toBeUndefined();
  });
});
