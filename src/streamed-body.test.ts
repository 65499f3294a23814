import { describe, expect, it } from 'vitest';
import { streamedBody } from './streamed-body.js';

const bytes = (text: string) => new TextEncoder().encode(text);

/** A body fed by hand, and the stream the call hands back over it. */
function fixture() {
  let feed!: ReadableStreamDefaultController<Uint8Array>;
  let cancelled: unknown = 'not cancelled';
  const body = new ReadableStream<Uint8Array>({
    start: (c) => void (feed = c),
    cancel: (reason) => void (cancelled = reason),
  });
  const ends: string[] = [];
  const call = new AbortController();
  const stream = streamedBody(body, {
    signal: call.signal,
    end: () => ends.push('end'),
    failure: (error) => new Error(`mapped: ${(error as Error).message}`),
    abort: (reason) => call.abort(reason),
  });
  return { feed, stream, ends, call, cancelledWith: () => cancelled };
}

describe('streamedBody', () => {
  it('passes the body through and ends the call once, when it is read to the end', async () => {
    const { feed, stream, ends } = fixture();
    const reader = stream.getReader();
    feed.enqueue(bytes('ab'));
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('ab');
    expect(ends).toEqual([]);
    feed.close();
    expect(await reader.read()).toEqual({ done: true, value: undefined });
    expect(ends).toEqual(['end']);
  });

  it('reads from the body only as the caller reads', async () => {
    const { feed, stream } = fixture();
    feed.enqueue(bytes('a'));
    feed.enqueue(bytes('b'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    // Nothing was pulled ahead: both chunks still wait in the body's own queue.
    expect(feed.desiredSize).toBe(-1);
    await stream.getReader().read();
    expect(feed.desiredSize).toBe(0);
  });

  it("ends the call when the body fails, with the failure as the call's error", async () => {
    const { feed, stream, ends } = fixture();
    feed.error(new Error('aborted'));
    await expect(stream.getReader().read()).rejects.toThrow('mapped: aborted');
    expect(ends).toEqual(['end']);
  });

  it('ends the call, the exchange and the body when the caller cancels, even with a read pending', async () => {
    const { stream, ends, call, cancelledWith } = fixture();
    const reader = stream.getReader();
    const pending = reader.read();
    await reader.cancel('no longer needed');
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(cancelledWith()).toBe('no longer needed');
    expect(call.signal.reason).toBe('no longer needed');
    expect(ends).toEqual(['end']);
  });

  it("ends a read the body never answers when the call's signal aborts (a fetch that ignored it)", async () => {
    const { stream, ends, call, cancelledWith } = fixture();
    const reader = stream.getReader();
    const pending = reader.read();
    call.abort(new Error('deadline'));
    await expect(pending).rejects.toThrow('mapped: deadline');
    expect(ends).toEqual(['end']);
    expect(cancelledWith()).toMatchObject({ message: 'deadline' });
  });
});
