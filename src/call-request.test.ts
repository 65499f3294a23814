import { describe, expect, it } from 'vitest';
import { CallRequest, asRequest } from './call-request.js';

describe('CallRequest', () => {
  it('keeps what fetch(url, init) needs, the method upper-cased and the body as given', () => {
    const body = new URLSearchParams('a=1');
    const call = new CallRequest(new URL('http://x/p?q=1'), { method: 'post', headers: { 'X-A': '1' }, body, redirect: 'manual' });
    expect([call.url, call.method, call.body, call.signal]).toEqual(['http://x/p?q=1', 'POST', body, undefined]);
    expect(call.init()).toEqual({ method: 'POST', headers: { 'X-A': '1' }, body, redirect: 'manual' });
    expect(new CallRequest('http://x/').init()).toEqual({ method: 'GET', headers: undefined, body: null });
  });

  it("carries the call's signal unfollowed, into its copies and onto the Request it becomes", () => {
    const controller = new AbortController();
    const call = new CallRequest('http://x/', { signal: controller.signal });
    expect([call.signal, call.clone().signal, call.withUrl('http://y/').signal, call.init().signal]).toEqual(Array(4).fill(controller.signal));
    const request = call.toRequest();
    controller.abort();
    expect(request.signal.aborted).toBe(true);
  });

  it('sends the headers middleware changed', () => {
    const call = new CallRequest('http://x/', { headers: { 'X-A': '1' } });
    call.headers.set('Authorization', 'Bearer t');
    expect(Object.fromEntries(call.init().headers as Headers)).toEqual({ 'x-a': '1', authorization: 'Bearer t' });
  });

  it('copies to another URL with headers of its own and the same reusable body', () => {
    const call = new CallRequest('http://x/a', { method: 'PUT', headers: { 'X-A': '1' }, body: 'b=2' });
    const moved = call.withUrl('http://x/b?access_token=t');
    moved.headers.set('X-A', '2');
    const copy = call.clone();
    expect([moved.url, moved.method, moved.body, moved.headers.get('x-a')]).toEqual(['http://x/b?access_token=t', 'PUT', 'b=2', '2']);
    expect([copy.url, copy.method, copy.body, call.headers.get('x-a'), copy.headers.get('x-a')]).toEqual(['http://x/a', 'PUT', 'b=2', '1', '1']);
  });

  it('becomes a real Request for code that needs one, and tells itself from one', async () => {
    const call = new CallRequest('http://x/a', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'hi' });
    const request = asRequest(call as unknown as Request);
    expect(request).toBeInstanceOf(Request);
    expect([request.url, request.method, request.headers.get('content-type'), await request.text()]).toEqual(['http://x/a', 'POST', 'text/plain', 'hi']);
    const real = new Request('http://x/');
    expect(asRequest(real)).toBe(real);
    expect([CallRequest.of(call), CallRequest.of(real), CallRequest.of(null), CallRequest.of('http://x/')]).toEqual([call, undefined, undefined, undefined]);
  });
});
