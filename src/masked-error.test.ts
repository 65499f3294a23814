import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { maskedError } from './masked-error.js';

const mask = (text: string) => text.replace(/access_token=[^&\s'"]+/g, 'access_token=[redacted]');
const replace = (message: string) => Object.assign(new Error(message), { name: 'Replaced' });
const url = 'https://api.example.com/api/lead?access_token=tok_9f8e7d6c';

describe('maskedError', () => {
  it('passes an error that quotes no credential on as it is', () => {
    const error = new TypeError('socket hang up');
    expect(maskedError(error, mask, replace)).toBe(error);
    expect(maskedError('a string', mask, replace)).toBe('a string');
  });

  // A fetch option that rejects with text quoting the URL passed Footprints' token on in clear (found 2026-12-02).
  it('masks a thrown text, and passes it on as text', () => {
    expect(maskedError(`request to ${url} failed`, mask, replace)).toBe('request to https://api.example.com/api/lead?access_token=[redacted] failed');
  });

  it("passes on an error holding a fetch RequestInit: its credentials mode ('include') is not a credential", () => {
    const error = Object.assign(new TypeError('fetch failed'), { init: { method: 'GET', credentials: 'include' } });
    expect(maskedError(error, mask, replace)).toBe(error);
    // CORS's allow-credentials header says whether cookies go; a wrapper's HttpError carrying the answer's headers stays itself.
    const cors = Object.assign(new Error('HTTP 429'), { headers: { 'access-control-allow-credentials': 'true', 'retry-after': '5' } });
    expect(maskedError(cors, mask, replace)).toBe(cors);
    const carrying = Object.assign(new TypeError('fetch failed'), { init: { credentials: 'hunter2-secret' } });
    expect(maskedError(carrying, mask, replace)).not.toBe(carrying);
  });

  it('masks the message and the stack of the same object, so instanceof still holds', () => {
    class FetchError extends Error {}
    const error = new FetchError(`request to ${url} failed`);
    const passed = maskedError(error, mask, replace) as Error;
    expect(passed).toBe(error);
    expect(passed.message).toBe('request to https://api.example.com/api/lead?access_token=[redacted] failed');
    expect(inspect(passed)).not.toContain('tok_9f8e7d6c');
  });

  it('masks a stack that still quotes the URL after the message was changed, and the causes', () => {
    const error = new Error(`request to ${url} failed`);
    error.message = 'request failed';
    const wrapped = new Error('upstream request failed', { cause: new Error(`request to ${url} failed`) });
    for (const e of [error, wrapped]) {
      expect(maskedError(e, mask, replace)).toBe(e);
      expect(inspect(e)).not.toContain('tok_9f8e7d6c');
    }
  });

  it('replaces an error that carries the credential where it cannot be masked (a request object)', () => {
    const error = Object.assign(new Error(`timed out: ${url}`), { request: new Request(url) });
    const passed = maskedError(error, mask, replace) as Error;
    expect(passed.name).toBe('Replaced');
    expect(passed.message).toBe('timed out: https://api.example.com/api/lead?access_token=[redacted]');
    expect(inspect(passed)).not.toContain('tok_9f8e7d6c');
  });

  it('keeps a DOMException a DOMException of the same name (an AbortError stays one)', () => {
    const passed = maskedError(new DOMException(`aborted: ${url}`, 'AbortError'), mask, replace) as DOMException;
    expect(passed).toBeInstanceOf(DOMException);
    expect(passed.name).toBe('AbortError');
    expect(passed.message).toBe('aborted: https://api.example.com/api/lead?access_token=[redacted]');
    const clean = new DOMException('aborted', 'AbortError');
    expect(maskedError(clean, mask, replace)).toBe(clean);
  });

  it('replaces a frozen error that quotes one, by one saying what it said, masked', () => {
    const passed = maskedError(Object.freeze(new Error(`request to ${url} failed`)), mask, replace) as Error;
    expect(passed.name).toBe('Replaced');
    expect(passed.message).toBe('request to https://api.example.com/api/lead?access_token=[redacted] failed');
  });

  it('masks a cause however deep, and ends on a cycle', () => {
    let error = new Error(`inner ${url}`);
    for (let i = 0; i < 12; i++) error = new Error(`wrap ${i}`, { cause: error });
    expect(maskedError(error, mask, replace)).toBe(error);
    expect(inspect(error, { depth: Infinity })).not.toContain('tok_9f8e7d6c');
    const cyclic = new Error(`request to ${url}`) as Error & { cause?: unknown };
    cyclic.cause = new Error('again', { cause: cyclic });
    expect(maskedError(cyclic, mask, replace)).toBe(cyclic);
    expect(cyclic.message).not.toContain('tok_9f8e7d6c');
  });

  it('judges values, not names: a credential equal to a property name (code, port) replaces nothing', () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED', port: 1 }) });
    const secretIsAName = (text: string) => text.replace(/\bport\b|\bcode\b/g, '[redacted]');
    expect(maskedError(refused, secretIsAName, replace)).toBe(refused);
  });

  it("keeps the original's code on a replacement", () => {
    const error = Object.freeze(Object.assign(new Error(`request to ${url} failed`), { code: 'ECONNRESET' }));
    expect(maskedError(error, mask, replace)).toMatchObject({ name: 'Replaced', code: 'ECONNRESET' });
  });

  it('replaces an error that cannot be read through (a getter that throws, a revoked Proxy) instead of throwing', () => {
    const hostile = Object.defineProperty(new TypeError('boom'), 'cause', {
      get() {
        throw new Error('getter threw');
      },
    });
    expect(maskedError(hostile, mask, replace)).toMatchObject({ name: 'Replaced', message: 'boom' });
    const { proxy, revoke } = Proxy.revocable(new Error('x'), {});
    revoke();
    expect(maskedError(proxy, mask, replace)).toMatchObject({ name: 'Replaced' });
  });

  it('changes nothing but the error and its causes: settings or process.env it points to keep their values', () => {
    const settings = { token: 'placewise-live-token' };
    const env = { PLACEWISE_TOKEN: 'placewise-live-token' };
    const secretMask = (text: string) => text.replaceAll('placewise-live-token', '[redacted]');
    const error = Object.assign(new Error('upstream failed'), { settings, env });
    const passed = maskedError(error, secretMask, replace) as Error;
    expect(settings.token).toBe('placewise-live-token');
    expect(env.PLACEWISE_TOKEN).toBe('placewise-live-token');
    // It shows them, and cannot change them: replaced.
    expect(passed.name).toBe('Replaced');
    expect(passed.message).toBe('upstream failed');
  });

  it('sees a credential in Headers, a Map, a Set or under a symbol, and replaces the error that carries it', () => {
    const bearer = 'Bearer learnt-token-123';
    const carriers = [
      { request: new Request('https://api.example.com/v4/rewards', { headers: { authorization: bearer } }) },
      { cause: { headers: new Headers({ authorization: bearer }) } },
      { options: new Map([['authorization', bearer]]) },
      { seen: new Set([`request to ${url}`]) },
      { [Symbol('request')]: { url } },
    ];
    for (const carrier of carriers) expect((maskedError(Object.assign(new Error('Request failed'), carrier), mask, replace) as Error).name).toBe('Replaced');
    const clean = Object.assign(new Error('Request failed'), { options: new Map([['accept', 'application/json']]) });
    expect(maskedError(clean, mask, replace)).toBe(clean);
  });

  it('looks through a big error that holds no credential, and one too big to look through is replaced with its message and code', () => {
    const big = Object.assign(new Error('Request failed with status code 422'), { code: 'ERR_BAD_RESPONSE', data: { errors: Array.from({ length: 600 }, (_, i) => `field ${i} is wrong`) } });
    expect(maskedError(big, mask, replace)).toBe(big);
    const huge = Object.assign(new Error('Request failed with status code 422'), { code: 'ERR_BAD_RESPONSE', data: { errors: Array.from({ length: 20_000 }, (_, i) => `field ${i} is wrong`) } });
    expect(maskedError(huge, mask, replace)).toMatchObject({ name: 'Replaced', message: 'Request failed with status code 422', code: 'ERR_BAD_RESPONSE' });
  });

  it("never changes a cause that is not an error (the caller's settings), and replaces the error instead", () => {
    const settings = { apiKey: 'k', url };
    const passed = maskedError(new Error('config rejected', { cause: settings }), mask, replace) as Error;
    expect(settings.url).toBe(url);
    expect(passed.name).toBe('Replaced');
  });

  it('ends on a cause that is a new error on every read, and on lists too long to look through', () => {
    class Lazy extends Error {
      override get cause() {
        return new Lazy('inner');
      }
    }
    expect(maskedError(new Lazy('outer'), mask, replace)).toMatchObject({ name: 'Replaced', message: 'outer' });
    const numbers = Object.assign(new Error('too much'), { body: { bytes: new Array(5_000_000).fill(7) } });
    expect(maskedError(numbers, mask, replace)).toMatchObject({ name: 'Replaced', message: 'too much' });
  });

  it("sees what an AggregateError holds, and a Map's keys", () => {
    for (const error of [
      new AggregateError([new Error(`request to ${url} failed`)], 'all failed'),
      Object.assign(new Error('x'), { seen: new Map([[`request to ${url}`, 1]]) }),
      Object.assign(new Error('x'), { seen: new Map([[{ url }, 1]]) }),
    ]) {
      expect((maskedError(error, mask, replace) as Error).name).toBe('Replaced');
    }
  });

  it('replaces, never throws or runs out of memory, for a message that cannot be made text, an endless iterator, a boxed string', () => {
    expect(maskedError({ message: Object.create(null) }, mask, replace)).toMatchObject({ name: 'Replaced', message: 'an error that could not be read' });
    class Endless extends Map<string, string> {
      override *entries(): MapIterator<[string, string]> {
        for (let i = 0; ; i++) yield [String(i), 'v'];
      }
    }
    expect(maskedError(Object.assign(new Error('x'), { m: new Endless() }), mask, replace)).toMatchObject({ name: 'Replaced', message: 'x' });
    const boxed = Object.assign(new Error('x'), { text: new String(`request to ${url}`) });
    expect((maskedError(boxed, mask, replace) as Error).name).toBe('Replaced');
  });
});
