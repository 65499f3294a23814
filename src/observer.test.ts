import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { format } from 'node:util';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { notify } from './observer.js';
import { createXonvoClient } from './xonvo.js';

/** console.error's calls as `message error-message`, once what is pending is told. */
async function told(run: () => unknown): Promise<string[]> {
  const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    await run();
    await new Promise((r) => setTimeout(r, 10));
    return spy.mock.calls.map(([message, error]) => `${message} ${(error as Error).message}`);
  } finally {
    spy.mockRestore();
  }
}

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
      await new Promise((r) => setTimeout(r, 0));
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

  it('tells the failures of one go once, with their count and the first error: a throw per violation was a message and a stack each', async () => {
    const boom = () => { throw new Error('boom'); };
    const rejects = async (n: number) => { throw new Error(`sink ${n}`); };
    expect(await told(() => { for (const n of [1, 2, 3, 4]) notify('onViolation', boom, n); })).toEqual([
      'martech-contracts: your onViolation callback failed 4 times (the first error below); the call went on without it: boom',
    ]);
    expect(await told(() => { for (const n of [1, 2, 3]) notify('onViolation', rejects, n); })).toEqual([
      'martech-contracts: your onViolation callback failed 3 times (the first error below); the call went on without it: sink 1',
    ]);
    // Each callback, and each go, is told on its own.
    const other = () => { throw new Error('other'); };
    expect(await told(async () => {
      notify('onViolation', boom, 1);
      notify('onViolation', other, 1);
      notify('onViolation', boom, 2);
      await new Promise((r) => setTimeout(r, 0));
      notify('onViolation', boom, 3);
    })).toEqual([
      'martech-contracts: your onViolation callback failed 2 times (the first error below); the call went on without it: boom',
      'martech-contracts: your onViolation callback failed; the call went on without it: other',
      'martech-contracts: your onViolation callback failed; the call went on without it: boom',
    ]);
  });

  it('a call whose answer breaks the contract four ways tells a throwing onViolation once', async () => {
    const fetch = async () => new Response(JSON.stringify({ leadCount: 'many', engagedCount: 0 }), { headers: { 'content-type': 'application/json' } });
    const seen: unknown[] = [];
    const xonvo = createXonvoClient({ baseUrl: 'http://xonvo.test', username: 'u', password: 'p', fetch, validate: 'report', onViolation: (v) => { seen.push(v); throw new Error('boom'); } });
    const lines = await told(async () => {
      const { response } = await xonvo.GET('/accounts/{accountId}/statistics', { params: { path: { accountId: 21 } } });
      expect(response.status).toBe(200);
    });
    expect(seen.length).toBeGreaterThan(1);
    expect(lines).toEqual([`martech-contracts: your onViolation callback failed ${seen.length} times (the first error below); the call went on without it: boom`]);
  });

  it('tells a failure whose error cannot be shown (its message a getter that throws) without throwing from the report, which ended the process', async () => {
    const unshowable = new Error('x');
    Object.defineProperty(unshowable, 'message', { get: () => { throw new Error('getter'); } });
    const lines: string[] = [];
    // console.error formats its arguments as the real one does: util.inspect reads the error.
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void lines.push(format(...args)));
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => void uncaught.push(error);
    process.prependListener('uncaughtException', onUncaught);
    try {
      // A real vendor's answer, one violation (leadCount as text), and an onViolation that throws the error.
      const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"engagedCount":0,"leadCount":"1","unsubscribeCount":0,"deliveredCount":0,"ctr":3}'));
      await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
      try {
        const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const xonvo = createXonvoClient({ baseUrl, username: 'u', password: 'p', validate: 'report', onViolation: () => { throw unshowable; } });
        const { response } = await xonvo.GET('/accounts/{accountId}/statistics', { params: { path: { accountId: 21 } } });
        expect(response.status).toBe(200);
        await new Promise((r) => setTimeout(r, 10));
      } finally {
        server.close();
      }
    } finally {
      process.removeListener('uncaughtException', onUncaught);
      spy.mockRestore();
    }
    expect(uncaught).toEqual([]);
    expect(lines).toEqual([
      'martech-contracts: your onViolation callback failed; the call went on without it: (an error that cannot be shown: getter)',
    ]);
  });
});
