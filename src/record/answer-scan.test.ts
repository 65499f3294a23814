/**
 * An answer over the recording's limit is read for the credentials it issues as it passes, as a
 * request's is (CLIENT-130): a token a large answer issued was unlearnt, and a later exchange
 * quoting it was recorded in clear.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JSON_PAIR, SCRIPT_PAIR, type HarEntry } from './har.js';
import { recordingFetch } from './recording-fetch.js';
import { recorded } from './recordings.js';
import { SCAN_OVERLAP } from './over-limit-scan.js';

/** Every text the over-limit scans hand the credential mask: the work they do, and the most they hold at once. */
const seen = vi.hoisted(() => ({ chars: 0, windows: [] as number[] }));
vi.mock('./over-limit-scan.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('./over-limit-scan.js')>();
  return {
    ...real,
    overLimitScan: (learnFrom: (text: string) => void, mimeType?: string) =>
      real.overLimitScan((text) => {
        seen.chars += text.length;
        seen.windows.push(text.length);
        learnFrom(text);
      }, mimeType),
  };
});

beforeEach(() => {
  seen.chars = 0;
  seen.windows = [];
});
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

const LIMIT = 1024;
const TOKEN = 'eyJhbGciOi.LARGE-ANSWER-access-7Qz';
const REFRESH = 'def50200-LARGE-ANSWER-refresh-9Kx';
/** A sign-up's answer: the tokens, then a profile far over the limit. */
const issuing = (profileChars: number) => `{"access_token":"${TOKEN}","token_type":"Bearer","refresh_token":"${REFRESH}","profile":{"bio":"${'b'.repeat(profileChars)}"}}`;

/** Records `requests` in turn through one recording (one credential mask), each body read as a caller would. */
async function recordAll(fetch: (request: Request) => Promise<Response>, requests: Request[]) {
  const entries: HarEntry[] = [];
  const recording = recordingFetch(fetch, (entry) => entries.push(entry), [], LIMIT);
  const bodies: Uint8Array[] = [];
  for (const request of requests) {
    const response = await recording(request);
    bodies.push(new Uint8Array(await response.arrayBuffer()));
    await recorded(response);
  }
  return { entries, bodies };
}

/** A later exchange quoting both tokens: in its URL, its body, and the answer. */
const quoting = () => new Request(`https://api.example.com/notes?ref=${REFRESH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"note":"${TOKEN}"}` });
const echo = async (request: Request) => new Response(JSON.stringify({ echo: await request.clone().text(), ref: new URL(request.url).searchParams.get('ref') }), { headers: { 'content-type': 'application/json' } });

describe('an answer over maxBodyBytes', () => {
  it('teaches the mask the tokens it issues, so a later exchange quoting them is masked; the caller gets the answer as sent', async () => {
    const body = issuing(20 * SCAN_OVERLAP);
    const fetch = async (request: Request) =>
      request.url.endsWith('/signup') ? new Response(body, { status: 201, headers: { 'content-type': 'application/json' } }) : echo(request);
    const { entries, bodies } = await recordAll(fetch, [new Request('https://api.example.com/signup', { method: 'POST' }), quoting()]);
    expect(new TextDecoder().decode(bodies[0])).toBe(body);
    expect(entries[0]!.response.content).toMatchObject({ text: '', _notRecorded: expect.stringContaining('maxBodyBytes') });
    const har = JSON.stringify(entries);
    expect(har).not.toContain(TOKEN);
    expect(har).not.toContain(REFRESH);
    expect(entries[1]!.request.url).toBe('https://api.example.com/notes?ref=[redacted]');
    expect(entries[1]!.response.content.text).toBe('{"echo":"{\\"note\\":\\"[redacted]\\"}","ref":"[redacted]"}');
    // Every character read once or in an overlap, never more than three windows at once.
    expect(seen.chars).toBeLessThan(2 * body.length);
    expect(Math.max(...seen.windows)).toBeLessThanOrEqual(3 * SCAN_OVERLAP);
  });

  it('reads an answer in the charset its type names, as UTF-8 too: a UTF-16 answer\'s tokens were unlearnt (found 2026-12-02)', async () => {
    // Read as UTF-8, each letter of a UTF-16 answer had a NUL after it: no credential's name was found.
    const body = Buffer.from(issuing(4 * SCAN_OVERLAP), 'utf16le');
    const fetch = async (request: Request) =>
      request.url.endsWith('/signup') ? new Response(body, { status: 201, headers: { 'content-type': 'application/json; charset=utf-16' } }) : echo(request);
    const { entries } = await recordAll(fetch, [new Request('https://api.example.com/signup', { method: 'POST' }), quoting()]);
    expect(entries[0]!.response.content).toMatchObject({ _notRecorded: expect.stringContaining('maxBodyBytes') });
    expect(entries[1]!.request.url).toBe('https://api.example.com/notes?ref=[redacted]');
    expect(JSON.stringify(entries)).not.toContain(TOKEN);
  });

  it('runs the pair patterns only on windows that may name a credential, and still learns the tokens', async () => {
    // Loyalty data: values full of the credential words (`shipping`, `keywords`, a `pass`), names none.
    const item = '{"id":"m-1","name":"Shipping keywords","note":"a pin for the pass key","points":12,"tags":["shipping","keywords"]}';
    const body = `{"access_token":"${TOKEN}","refresh_token":"${REFRESH}","items":[${Array(Math.ceil((16 * SCAN_OVERLAP) / item.length)).fill(item).join(',')}]}`;
    const runs = { json: 0, script: 0 };
    const replace = RegExp.prototype[Symbol.replace];
    const spy = vi.spyOn(RegExp.prototype, Symbol.replace).mockImplementation(function (this: RegExp, ...args: Parameters<typeof replace>) {
      if (this === JSON_PAIR) runs.json += 1;
      if (this === SCRIPT_PAIR) runs.script += 1;
      return replace.apply(this, args);
    });
    const fetch = async (request: Request) => (request.url.endsWith('/members') ? new Response(body, { headers: { 'content-type': 'application/json' } }) : echo(request));
    let counted: typeof runs;
    try {
      const signup = recordingFetch(fetch, () => undefined, [], LIMIT);
      const response = await signup(new Request('https://api.example.com/members'));
      await response.arrayBuffer();
      await recorded(response);
      counted = { ...runs };
    } finally {
      spy.mockRestore();
    }
    // The one window that holds the tokens' names, of the 16 the answer is read in; before, each was read by both patterns.
    expect(seen.windows.length).toBeGreaterThan(12);
    expect(counted).toEqual({ json: 1, script: 0 });
    const { entries } = await recordAll(fetch, [new Request('https://api.example.com/members'), quoting()]);
    expect(JSON.stringify(entries)).not.toContain(TOKEN);
    expect(JSON.stringify(entries)).not.toContain(REFRESH);
  });

  it("learns no message an answer lists under a credential's name, as for an answer within the limit", async () => {
    const refusal = `{"errors":{"password":["is too short"]},"detail":"${'d'.repeat(4 * LIMIT)}"}`;
    const fetch = async (request: Request) =>
      request.url.endsWith('/members') ? new Response(refusal, { status: 422, headers: { 'content-type': 'application/json' } }) : new Response('{"hint":"is too short"}', { headers: { 'content-type': 'application/json' } });
    const { entries } = await recordAll(fetch, [new Request('https://api.example.com/members', { method: 'POST' }), new Request('https://api.example.com/hint')]);
    expect(entries[1]!.response.content.text).toBe('{"hint":"is too short"}');
  });

  it('is read decoded when it came gzip-compressed (fetch decodes it), streamed in chunks, and a JSON answer labelled as bytes too', async () => {
    const body = issuing(8 * SCAN_OVERLAP);
    const server = createServer((req, res) => {
      if (req.url === '/gzip') {
        const gz = gzipSync(body);
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        // In pieces: the answer reaches the recording chunk by chunk.
        for (let at = 0; at < gz.length; at += 1000) res.write(gz.subarray(at, at + 1000));
        res.end();
      } else res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (const path of ['/gzip', '/bytes']) {
      const fetchOrEcho = (request: Request) => (request.url.startsWith(base) ? fetch(request) : echo(request));
      const { entries, bodies } = await recordAll(fetchOrEcho, [new Request(`${base}${path}`), quoting()]);
      expect(new TextDecoder().decode(bodies[0])).toBe(body);
      expect(entries[0]!.response.content._notRecorded).toContain('maxBodyBytes');
      expect(JSON.stringify(entries)).not.toContain(TOKEN);
      expect(JSON.stringify(entries)).not.toContain(REFRESH);
    }
  });

  it('hands the scan nothing of an image, or of bytes still in a coding fetch does not decode (zstd): no text to learn from', async () => {
    const image = new Uint8Array(4 * 1024 * 1024).fill(0x7b, 1);
    image[0] = 0x89;
    const zstd = new TextEncoder().encode(issuing(4 * SCAN_OVERLAP));
    const fetch = async (request: Request) =>
      request.url.endsWith('/image')
        ? new Response(image, { headers: { 'content-type': 'image/png' } })
        : new Response(zstd, { headers: { 'content-type': 'application/json', 'content-encoding': 'zstd' } });
    const { entries } = await recordAll(fetch, [new Request('https://api.example.com/image'), new Request('https://api.example.com/zstd')]);
    expect(entries.map((entry) => entry.response.content.size)).toEqual([image.length, zstd.length]);
    expect(seen.chars).toBe(0);
  });
});
