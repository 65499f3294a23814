import { describe, expect, it } from 'vitest';
import { MAX_HEAD_BYTES, withoutFileContent } from './file-parts.js';
import { type HarEntry } from './har.js';
import { recordingFetch } from './recording-fetch.js';
import { recorded } from './recordings.js';
import { overLimitScan } from './over-limit-scan.js';

const BOUNDARY = '----formdata-b0UnD4ry';
const TYPE = `multipart/form-data; boundary=${BOUNDARY}`;
const bytesOf = (text: string) => new TextEncoder().encode(text);
const part = (head: string, content: string) => `--${BOUNDARY}\r\nContent-Disposition: form-data; ${head}\r\n\r\n${content}\r\n`;
/** What a file's content holds that a scan must not trip on: a line break and dashes, most of a delimiter, pairs. */
const TRICKY = `a\r\n--${BOUNDARY.slice(0, -1)}x\r\n\r\npassword=in-FILE-pw1&"password":"in-FILE-pw2",\n--`;

/** Every byte that passes the filter, the body given in chunks of `size`. */
function filtered(body: Uint8Array, size: number): string {
  const out: number[] = [];
  const filter = withoutFileContent(BOUNDARY, (bytes) => out.push(...bytes), () => undefined);
  for (let at = 0; at < body.length; at += size) filter.take(body.subarray(at, at + size));
  filter.end();
  return new TextDecoder().decode(new Uint8Array(out));
}

describe('an over-limit multipart body is read without its files', () => {
  it("passes every byte but a file part's content, however the chunks cut a delimiter or a head", () => {
    const text = part('name="note"', 'before ü') + part('name="file"; filename="a.txt"', TRICKY.repeat(3)) + part('name="password"', 'pässwört-after') + `--${BOUNDARY}--\r\n`;
    // The file's content and the line break before the next delimiter are left out, nothing else.
    const wanted = part('name="note"', 'before ü') + `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n` + part('name="password"', 'pässwört-after') + `--${BOUNDARY}--\r\n`;
    const body = bytesOf(text);
    for (let size = 1; size <= BOUNDARY.length + 8; size++) expect(filtered(body, size)).toBe(wanted);
    expect(filtered(body, body.length)).toBe(wanted);
  });

  it('reads a head longer than MAX_HEAD_BYTES, and a body whose delimiter never comes, as text', () => {
    const long = part(`name="x"; x="${'h'.repeat(MAX_HEAD_BYTES)}"; filename="f"`, 'kept-as-text');
    expect(filtered(bytesOf(long), 4096)).toBe(long);
    // Not held back to the end: memory is bounded whatever the head's length.
    let passed = 0;
    const filter = withoutFileContent(BOUNDARY, (bytes) => (passed += bytes.length), () => undefined);
    filter.take(bytesOf(`--${BOUNDARY}\r\nX: ${'h'.repeat(4 * MAX_HEAD_BYTES)}`));
    expect(passed).toBeGreaterThan(3 * MAX_HEAD_BYTES);
    const noDelimiter = 'password=plain-NO-DELIMITER-1';
    expect(filtered(bytesOf(noDelimiter), 5)).toBe(noDelimiter);
  });

  it('hands the pair patterns a bounded text for a file of megabytes, and still the text field after it', () => {
    const file = new Uint8Array(12 * 1024 * 1024);
    for (let i = 0; i < file.length; i++) file[i] = (i * 2654435761) >>> 24;
    file.set(bytesOf(TRICKY), 5_000_000);
    const head = bytesOf(part('name="file"; filename="big.bin"', '').slice(0, -2));
    const tail = bytesOf(`\r\n${part('name="password"', 'after-BIG-FILE-pw')}--${BOUNDARY}--\r\n`);
    let seen = 0;
    const texts: string[] = [];
    const scan = overLimitScan((text) => {
      seen += text.length;
      texts.push(text);
    }, TYPE);
    for (const piece of [head, file, tail]) for (let at = 0; at < piece.length; at += 65_537) scan.take(piece.subarray(at, at + 65_537));
    scan.end();
    expect(texts.join('')).toContain('after-BIG-FILE-pw');
    expect(texts.join('')).not.toContain('in-FILE-pw');
    expect(seen).toBeLessThan(1024);
  });

  it('learns a credential field sent after a large file, so an answer quoting it is masked', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(3 * 1024 * 1024).fill(0x2d)]), 'dashes.bin');
    form.append('password', 'after-FILE-secret-9');
    const request = new Request('https://api.example.com/upload', { method: 'POST', body: form });
    const entries: HarEntry[] = [];
    const quote = async () => new Response('{"error":"after-FILE-secret-9 is too common"}', { status: 422, headers: { 'content-type': 'application/json' } });
    const response = await recordingFetch(quote, (e) => entries.push(e), [], 1024)(request);
    await recorded(response);
    expect(entries[0]!.request.postData).toMatchObject({ text: '', _notRecorded: expect.stringContaining('maxBodyBytes') });
    expect(entries[0]!.response.content.text).toBe('{"error":"[redacted] is too common"}');
  });
});
