import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { notify } from './observer.js';

describe('notify', () => {
  it('hands the value to the callback, and does nothing without one', () => {
    const seen: number[] = [];
    notify('record', (n: number) => void seen.push(n), 7);
    notify('record', undefined, 8);
    expect(seen).toEqual([7]);
  });

  it("reports a callback's throw or rejection on the console, naming the callback, and never throws", async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(() => notify('record', () => { throw new Error('a'); }, 1)).not.toThrow();
      notify('onViolation', () => Promise.reject(new Error('b')), 1);
      await Promise.resolve();
      expect(spy.mock.calls.map(([message, error]) => `${message} ${(error as Error).message}`)).toEqual([
        'martech-contracts: your record callback failed; the call went on without it: a',
        'martech-contracts: your onViolation callback failed; the call went on without it: b',
      ]);
    } finally {
      spy.mockRestore();
    }
  });

  it("catches the rejection of another realm's promise (a vm context) and of a bare thenable, which are no instanceof Promise here", async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      notify('onViolation', runInNewContext('(async () => { throw new Error("sink down") })'), 1);
      notify('record', () => ({ then: (_: unknown, reject: (e: Error) => void) => reject(new Error('thenable')) }), 1);
      await new Promise((r) => setTimeout(r, 10));
      expect(spy.mock.calls.map(([, error]) => (error as Error).message).sort()).toEqual(['sink down', 'thenable']);
    } finally {
      spy.mockRestore();
    }
  });
});
