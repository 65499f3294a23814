import { spawnSync } from 'node:child_process';
import { getEventListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { WebhookError } from './errors.js';
import { ConfigError } from '../errors.js';
import { PLACEWISE_MAX_BODY_BYTES, placewiseWebhookExamples, validatePlacewisePayload, verifyPlacewiseWebhook } from './placewise.js';
import * as placewise from '../placewise.js';
import { MAX_ERRORS, validators } from '../../generated/placewise/webhooks.validate.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../contract-tests/fixtures/placewise/${name}`, import.meta.url), 'utf8'));
const vendorV2 = fixture('member-changes-v2.vendor-example.json');
const vendorV1 = fixture('member-changes-v1.vendor-example.json');
const SECRET = 's3cr3t-token';
const body = JSON.stringify(vendorV2);

function request(headers: Record<string, string>, payload: string = body): Request {
  return new Request('https://receiver.example/placewise', { method: 'POST', headers, body: payload });
}

async function refusal(promise: Promise<unknown>): Promise<WebhookError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebhookError);
  return error as WebhookError;
}

describe('the documented webhook examples', () => {
  it('the vendor v2 example validates against the spec', () => {
    expect(validatePlacewisePayload(vendorV2)).toEqual(vendorV2);
  });

  it('the vendor v1 (deprecated) example validates against the spec', () => {
    expect(validatePlacewisePayload(vendorV1)).toEqual(vendorV1);
  });

  it('the spec carries the vendor examples unchanged', () => {
    expect(placewiseWebhookExamples.memberChangesV2.update).toEqual(vendorV2);
    expect(placewiseWebhookExamples.memberChangesV1.update).toEqual(vendorV1);
  });

  it("the spec's import example reports every field the new member has as added, as the builder does (PLACEWISE-33)", () => {
    const [event] = (placewiseWebhookExamples.memberChangesV2.import as { events: { member: Record<string, unknown>; member_changes: Record<string, { change: string; is: unknown }> }[] }).events;
    for (const field of ['msisdn', 'email', 'sms_status', 'email_status', 'push_status', 'optin_channel', 'optin_subchannel']) {
      const value = event!.member[field];
      expect({ field, change: event!.member_changes[field] }).toEqual({ field, change: value === null ? undefined : { change: '+', was: null, is: value } });
    }
  });

  it('every example in the spec validates', () => {
    for (const examples of Object.values(placewiseWebhookExamples)) {
      for (const value of Object.values(examples)) expect(() => validatePlacewisePayload(value)).not.toThrow();
    }
  });
});

describe('verifyPlacewiseWebhook', () => {
  it('accepts a Request with the right token and returns the typed payload', async () => {
    const payload = await verifyPlacewiseWebhook(request({ 'X-Secret-Token': SECRET, 'Content-Type': 'application/json' }), SECRET);
    expect(payload.version).toBe(2);
    if (payload.version === 2) expect(payload.events[0]?.member.email).toBe('john@example.com');
  });

  it('accepts raw headers (any case, as Node gives them) and a Buffer body', async () => {
    const payload = await verifyPlacewiseWebhook({ headers: { 'x-secret-token': SECRET }, body: Buffer.from(body) }, SECRET);
    expect(payload).toEqual(vendorV2);
  });

  it('takes a secret read from a file (a newline at its end) as the sender sends it: trimmed', async () => {
    expect(await verifyPlacewiseWebhook({ headers: { 'x-secret-token': SECRET }, body }, `${SECRET}\n`)).toEqual(vendorV2);
    expect(await verifyPlacewiseWebhook({ headers: { 'x-secret-token': ` ${SECRET}\t` }, body }, SECRET)).toEqual(vendorV2);
    const inside = await verifyPlacewiseWebhook({ headers: { 'x-secret-token': SECRET }, body }, `${SECRET.slice(0, 2)} ${SECRET.slice(2)}`).catch((e: unknown) => e);
    expect(inside).toMatchObject({ reason: 'wrong-token' });
  });

  it('accepts a Headers object with a string body, and a v1 payload', async () => {
    const payload = await verifyPlacewiseWebhook({ headers: new Headers({ 'X-Secret-Token': SECRET }), body: JSON.stringify(vendorV1) }, SECRET);
    expect(payload.version).toBe(1);
  });

  it('refuses a missing token (401)', async () => {
    const error = await refusal(verifyPlacewiseWebhook(request({}), SECRET));
    expect(error.reason).toBe('missing-token');
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/X-Secret-Token header is missing/);
  });

  it('refuses an empty token as missing', async () => {
    const error = await refusal(verifyPlacewiseWebhook({ headers: { 'x-secret-token': '' }, body }, SECRET));
    expect(error.reason).toBe('missing-token');
  });

  it('refuses a wrong token, also one that only differs in length or by a prefix', async () => {
    for (const token of ['wrong', `${SECRET}x`, SECRET.slice(0, -1), SECRET.toUpperCase()]) {
      const error = await refusal(verifyPlacewiseWebhook({ headers: { 'X-Secret-Token': token }, body }, SECRET));
      expect(error.reason).toBe('wrong-token');
      expect(error.status).toBe(401);
    }
  });

  it('refuses a token sent twice', async () => {
    const error = await refusal(verifyPlacewiseWebhook({ headers: { 'x-secret-token': [SECRET, SECRET] }, body }, SECRET));
    expect(error.reason).toBe('wrong-token');
  });

  it('checks the token before reading the body', async () => {
    const error = await refusal(verifyPlacewiseWebhook({ headers: { 'X-Secret-Token': 'nope' }, body: 'not json' }, SECRET));
    expect(error.reason).toBe('wrong-token');
  });

  it('refuses a body that is not JSON (400), quoting it', async () => {
    const error = await refusal(verifyPlacewiseWebhook(request({ 'X-Secret-Token': SECRET }, 'version=2&events='), SECRET));
    expect(error.reason).toBe('not-json');
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/not JSON.*"version=2&events="/);
  });

  it('refuses bytes that are not UTF-8 as not-json', async () => {
    const error = await refusal(verifyPlacewiseWebhook({ headers: { 'X-Secret-Token': SECRET }, body: new Uint8Array([0xff, 0xfe, 0x7b]) }, SECRET));
    expect(error.reason).toBe('not-json');
  });

  it('refuses a payload that breaks the schema, naming the pointer and the rule', async () => {
    const broken = structuredClone(vendorV2) as { events: { event: { type: string } }[] };
    broken.events[0]!.event.type = 'created';
    const error = await refusal(verifyPlacewiseWebhook({ headers: { 'X-Secret-Token': SECRET }, body: JSON.stringify(broken) }, SECRET));
    expect(error.reason).toBe('schema');
    expect(error.status).toBe(400);
    expect(error.message).toContain('memberChangesV2 schema at /events/0/event/type');
    expect(error.message).toContain('(rule enum)');
    expect(error.problems[0]).toMatchObject({ pointer: '/events/0/event/type', rule: 'enum' });
  });

  it('names a missing required field by its pointer', async () => {
    const broken = structuredClone(vendorV2) as { events: { loyalty_club?: unknown }[] };
    delete broken.events[0]!.loyalty_club;
    const error = await refusal(verifyPlacewiseWebhook({ headers: { 'X-Secret-Token': SECRET }, body: JSON.stringify(broken) }, SECRET));
    expect(error.problems).toContainEqual(expect.objectContaining({ pointer: '/events/0/loyalty_club', rule: 'required' }));
  });

  it('checks formats (a date that is not a date-time)', async () => {
    const broken = structuredClone(vendorV2) as { events: { event: { date: string } }[] };
    broken.events[0]!.event.date = 'yesterday';
    const error = await refusal(verifyPlacewiseWebhook({ headers: { 'X-Secret-Token': SECRET }, body: JSON.stringify(broken) }, SECRET));
    expect(error.problems[0]).toMatchObject({ pointer: '/events/0/event/date', rule: 'format' });
  });

  it('refuses dates out of range, numbers JSON cannot hold, and nesting a receiver cannot write back (CLIENT-86)', async () => {
    const withDate = (date: string) => JSON.stringify({ ...vendorV2 as object, events: [{ ...(vendorV2 as { events: object[] }).events[0], event: { type: 'update', date } }] });
    for (const date of ['2020-99-99T99:99:99Z', '0000-00-00T00:00:00+99', '2021-02-10T25:61:61.5z']) {
      const error = await refusal(verifyPlacewiseWebhook(request({ 'X-Secret-Token': SECRET }, withDate(date)), SECRET));
      expect(error.problems[0]).toMatchObject({ pointer: '/events/0/event/date', rule: 'format' });
    }
    await expect(verifyPlacewiseWebhook(request({ 'X-Secret-Token': SECRET }, withDate('2021-12-31T23:59:60+01:00')), SECRET)).resolves.toBeDefined();
    const infinite = body.replace(/"id":\s*\d+/, '"id":1e400');
    expect((await refusal(verifyPlacewiseWebhook(request({ 'X-Secret-Token': SECRET }, infinite), SECRET))).problems[0]).toMatchObject({ rule: 'type' });
    const deep = body.replace('"properties":{', `"properties":{"x":${'['.repeat(100)}${']'.repeat(100)},`);
    expect(deep).not.toBe(body);
    expect(await refusal(verifyPlacewiseWebhook(request({ 'X-Secret-Token': SECRET }, deep), SECRET))).toMatchObject({ reason: 'too-large', status: 413 });
  });

  it('walks the parsed body no further than the schema reads it: nesting is measured on the text', async () => {
    // A second walk of every parsed object, only to measure nesting, cost a million consents 2 s of 6.
    const keyListings = async (consents: number): Promise<number> => {
      const event = structuredClone((vendorV2 as { events: { member: { consents: Record<string, unknown> } }[] }).events[0]!);
      for (let i = 0; i < consents; i++) event.member.consents[`c${i}`] = { value: true };
      let listed = 0;
      const watched = (value: unknown): unknown => typeof value !== 'object' || value === null ? value : new Proxy(value, {
        ownKeys: (target) => (listed++, Reflect.ownKeys(target)),
        get: (target, key) => watched(Reflect.get(target, key)),
      });
      const parse = JSON.parse;
      const spy = vi.spyOn(JSON, 'parse').mockImplementation((text: string) => watched(parse(text)));
      try {
        await verifyPlacewiseWebhook({ headers: { 'X-Secret-Token': SECRET }, body: JSON.stringify({ version: 2, events: [event] }) }, SECRET);
      } finally {
        spy.mockRestore();
      }
      return listed;
    };
    expect(await keyListings(1000)).toBe(await keyListings(10));
  });

  it('refuses days that do not exist: Feb 30, Apr 31, Feb 29 outside a leap year, hour 24', async () => {
    const withDate = (date: string) => JSON.stringify({ ...vendorV2 as object, events: [{ ...(vendorV2 as { events: object[] }).events[0], event: { type: 'update', date } }] });
    for (const day of ['2024-02-30', '2024-02-31', '2024-04-31', '2024-06-31', '2024-09-31', '2024-11-31', '2023-02-29', '1900-02-29', '2100-02-29']) {
      const error = await refusal(verifyPlacewiseWebhook({ headers: { 'X-Secret-Token': SECRET }, body: withDate(`${day}T10:00:00Z`) }, SECRET));
      expect({ day, problem: error.problems[0] }).toMatchObject({ day, problem: { pointer: '/events/0/event/date', rule: 'format' } });
    }
    await expect(verifyPlacewiseWebhook({ headers: { 'X-Secret-Token': SECRET }, body: withDate('2024-01-01T24:00:00Z') }, SECRET)).rejects.toMatchObject({ reason: 'schema' });
    for (const day of ['2024-02-29', '2000-02-29', '1996-02-29', '2023-02-28', '2024-04-30', '2024-01-31', '2024-03-31', '2024-05-31', '2024-07-31', '2024-08-31', '2024-10-31', '2024-12-31']) {
      await expect(verifyPlacewiseWebhook({ headers: { 'X-Secret-Token': SECRET }, body: withDate(`${day}T23:59:59.999+01:00`) }, SECRET)).resolves.toBeDefined();
    }
  });

  it('refuses an integer JSON.parse rounds (past 2^53 − 1) where the spec says integer, naming the field and the rule', async () => {
    // 9007199254740993 was read as 9007199254740992, an integer still, and passed.
    const withId = (id: string) => body.replace(/("member":\{"id":)\d+/, `$1${id}`);
    expect(withId('1')).not.toBe(body);
    for (const id of ['9007199254740993', '-9007199254740993', '9007199254740992', '1e20']) {
      const error = await refusal(verifyPlacewiseWebhook(request({ 'X-Secret-Token': SECRET }, withId(id)), SECRET));
      expect(error.problems).toEqual([{ pointer: '/events/0/member/id', rule: 'x-safe-integer', message: expect.stringMatching(/at most 2\^53 − 1 \(9007199254740991\).*rounded/) }]);
    }
    for (const id of ['9007199254740991', '-9007199254740991']) await expect(verifyPlacewiseWebhook(request({ 'X-Secret-Token': SECRET }, withId(id)), SECRET)).resolves.toBeDefined();
    // A value the spec leaves free (a member's own properties) is the receiver's to read.
    const free = body.replace('"properties":{', '"properties":{"big":9007199254740993,');
    expect(free).not.toBe(body);
    await expect(verifyPlacewiseWebhook(request({ 'X-Secret-Token': SECRET }, free), SECRET)).resolves.toBeDefined();
    expect(() => validatePlacewisePayload({ version: 1, bulk: [{ ...(vendorV1 as { bulk: object[] }).bulk[0], external_id: 2 ** 60 }] })).toThrow(/\/bulk\/0\/external_id: must be an integer JSON.parse reads exactly.*\(rule x-safe-integer\)/);
  });

  it('refuses a JSON body without a version or events', async () => {
    const error = await refusal(verifyPlacewiseWebhook({ headers: { 'X-Secret-Token': SECRET }, body: '[]' }, SECRET));
    expect(error.reason).toBe('schema');
    expect(error.problems[0]).toMatchObject({ pointer: '', rule: 'type' });
  });

  it('rejects programming mistakes with a TypeError: empty secret, parsed body', async () => {
    await expect(verifyPlacewiseWebhook({ headers: {}, body }, '')).rejects.toThrow(TypeError);
    await expect(verifyPlacewiseWebhook({ headers: {}, body: vendorV2 as never }, SECRET)).rejects.toThrow(/raw body/);
    await expect(verifyPlacewiseWebhook(null as never, SECRET)).rejects.toThrow(/Request or \{ headers, body \}/);
  });

  it('is exported from martech-contracts/placewise with WebhookError', () => {
    expect(placewise.verifyPlacewiseWebhook).toBe(verifyPlacewiseWebhook);
    expect(placewise.WebhookError).toBe(WebhookError);
  });
});

describe('verifyPlacewiseWebhook: what a refusal tells the receiver', () => {
  it('names the vendor and the header in token refusals', async () => {
    const missing = await refusal(verifyPlacewiseWebhook({ headers: {}, body }, SECRET));
    expect(missing.vendor).toBe('placewise');
    expect(missing.message).toBe('placewise webhook refused (missing-token): the X-Secret-Token header is missing');
    const wrong = await refusal(verifyPlacewiseWebhook({ headers: { 'X-Secret-Token': 'nope' }, body }, SECRET));
    expect(wrong.vendor).toBe('placewise');
    expect(wrong.message).toBe('placewise webhook refused (wrong-token): the X-Secret-Token header does not match the secret');
  });

  it('does not take a token sent twice as the two values run together', async () => {
    // Node hands a repeated header over as an array; joined without a separator it would match.
    const error = await refusal(verifyPlacewiseWebhook({ headers: { 'x-secret-token': ['abcd', 'efgh'] }, body }, 'abcdefgh'));
    expect(error.reason).toBe('wrong-token');
  });

  it('takes the token under two spellings in one object as sent twice, whichever comes first (CLIENT-86)', async () => {
    for (const headers of [{ 'x-secret-token': SECRET, 'X-Secret-Token': 'wrong' }, { 'X-Secret-Token': 'wrong', 'x-secret-token': SECRET }]) {
      expect((await refusal(verifyPlacewiseWebhook({ headers, body }, SECRET))).reason).toBe('wrong-token');
    }
  });

  it('reads a token of a million blanks in linear time (CLIENT-86)', () => {
    // Trimmed by /[\t\n\r ]+$/, a 64,000-blank token held the event loop 6 s before its 401, and no
    // secret was needed. A child process, so that a regression fails at its timeout, not by hanging the suite.
    const module = JSON.stringify(fileURLToPath(new URL('./placewise.ts', import.meta.url)));
    const script = `import { verifyPlacewiseWebhook } from ${module}; verifyPlacewiseWebhook({ headers: { 'x-secret-token': 'x' + ' '.repeat(1e6) + 'x' }, body: '{}' }, 's').catch((e) => console.log(e.reason));`;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(result.signal).toBeNull();
    expect(result.stdout.trim()).toBe('wrong-token');
  });

  it('accepts a token sent once as a one-element array (as some frameworks hand it over)', async () => {
    await expect(verifyPlacewiseWebhook({ headers: { 'x-secret-token': [SECRET] }, body }, SECRET)).resolves.toEqual(vendorV2);
  });

  it('skips a header entry that has no value and finds the token under another spelling', async () => {
    const headers = { 'x-secret-token': undefined, 'X-Secret-Token': SECRET };
    await expect(verifyPlacewiseWebhook({ headers, body }, SECRET)).resolves.toEqual(vendorV2);
  });

  it('reads a plain Uint8Array body (not only a Buffer) as UTF-8 text', async () => {
    const bytes = new TextEncoder().encode(body);
    await expect(verifyPlacewiseWebhook({ headers: { 'X-Secret-Token': SECRET }, body: bytes }, SECRET)).resolves.toEqual(vendorV2);
  });

  it('says bytes that are not UTF-8 are not text, keeping the decoder error as the cause', async () => {
    const error = await refusal(verifyPlacewiseWebhook({ headers: { 'X-Secret-Token': SECRET }, body: new Uint8Array([0x7b, 0xff, 0x7d]) }, SECRET));
    expect(error.vendor).toBe('placewise');
    expect(error.status).toBe(400);
    expect(error.message).toBe('placewise webhook refused (not-json): the body is not UTF-8 text');
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it('quotes a body that is not JSON in full up to 40 characters, and cut with … beyond', async () => {
    const forty = 'a'.repeat(40);
    const short = await refusal(verifyPlacewiseWebhook({ headers: { 'X-Secret-Token': SECRET }, body: forty }, SECRET));
    expect(short.vendor).toBe('placewise');
    expect(short.message).toMatch(new RegExp(`^placewise webhook refused \\(not-json\\): the body is not JSON \\(.+\\): "${forty}"$`));
    expect(short.cause).toBeInstanceOf(SyntaxError);
    const long = await refusal(verifyPlacewiseWebhook({ headers: { 'X-Secret-Token': SECRET }, body: `${forty}bcd` }, SECRET));
    expect(long.message).toMatch(new RegExp(`: "${forty}…"$`));
  });

  it('refuses a missing or blank secret with a ConfigError naming it and the variable to set', async () => {
    for (const [secret, got] of [[undefined, 'nothing'], ['', 'a blank string'], [' \n', 'a blank string']] as const) {
      const error = await verifyPlacewiseWebhook({ headers: { 'X-Secret-Token': SECRET }, body }, secret as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toMatchObject({
        option: 'secret',
        message: `placewise webhook: option "secret" must be the subscription's secret token, a non-empty string (got ${got}): set PLACEWISE_WEBHOOK_SECRET, or whichever variable your receiver reads it from`,
      });
    }
    // A blank secret matched a blank token, whitespace being trimmed from both as a header's is.
    await expect(verifyPlacewiseWebhook({ headers: { 'x-secret-token': ' ' }, body }, '  ')).rejects.toBeInstanceOf(ConfigError);
  });

  it('explains programming mistakes: the secret, the input and the body given', async () => {
    await expect(verifyPlacewiseWebhook({ headers: {}, body }, 42 as never)).rejects.toThrow('placewise webhook: option "secret" must be the subscription\'s secret token, a non-empty string (got a number)');
    await expect(verifyPlacewiseWebhook('raw body' as never, SECRET)).rejects.toThrow(new TypeError('placewise webhook: pass a Request or { headers, body }'));
    await expect(verifyPlacewiseWebhook({ headers: {} } as never, SECRET)).rejects.toThrow(/pass a Request or \{ headers, body \}/);
    await expect(verifyPlacewiseWebhook({ body } as never, SECRET)).rejects.toThrow(/pass a Request or \{ headers, body \}/);
    // A node:http receiver passing its request as it comes is told what to pass instead.
    const server = createServer((request, response) => {
      verifyPlacewiseWebhook(request as never, SECRET).then(
        () => response.end('verified'),
        (error: Error) => response.end(`${error.constructor.name}: ${error.message}`),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const answer = await (await fetch(`http://127.0.0.1:${port}/hooks`, { method: 'POST', headers: { 'X-Secret-Token': SECRET }, body })).text();
      expect(answer).toBe('TypeError: placewise webhook: a Node request (IncomingMessage) is not a fetch Request: pass { headers: req.headers, body } with its raw body read to the end (a Buffer)');
    } finally {
      server.close();
    }
    await expect(verifyPlacewiseWebhook({ headers: {}, body: null } as never, SECRET)).rejects.toThrow(/raw body \(string, Buffer or Uint8Array\), got null; read it before any JSON body parser/);
    await expect(verifyPlacewiseWebhook({ headers: {}, body: 7 } as never, SECRET)).rejects.toThrow(/got number;/);
    // A route handler that read the body first (await request.json()) leaves nothing to verify.
    const read = new Request('http://receiver.example/hooks', { method: 'POST', headers: { 'X-Secret-Token': SECRET }, body });
    await read.json();
    await expect(verifyPlacewiseWebhook(read, SECRET)).rejects.toThrow(
      new TypeError('placewise webhook: the Request body was already read; verify the Request before reading its body (or pass { headers, body } with the raw body)'),
    );
    // One whose stream a middleware took a reader of: it threw a bare "Invalid state: ReadableStream is locked" (found 2026-12-03).
    const held = new Request('http://receiver.example/hooks', { method: 'POST', headers: { 'X-Secret-Token': SECRET }, body });
    held.body!.getReader();
    await expect(verifyPlacewiseWebhook(held, SECRET)).rejects.toThrow(
      new TypeError('placewise webhook: the Request body is locked to another reader (something called getReader() on it); verify the Request before anything reads its body (or pass { headers, body } with the raw body)'),
    );
  });
});

/** A body streamed in 64 KiB chunks of spaces, pulled only when read; `pulled` counts the chunks read. */
function streamed(chunks: number) {
  const counter = { pulled: 0 };
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  const stream = new ReadableStream<Uint8Array>({ pull: (c) => (counter.pulled++ < chunks ? c.enqueue(chunk) : c.close()) }, { highWaterMark: 0 });
  return { stream, counter };
}
const streamedRequest = (headers: Record<string, string>, stream: ReadableStream<Uint8Array>) =>
  new Request('https://receiver.example/placewise', { method: 'POST', headers, body: stream, duplex: 'half' } as RequestInit);

describe('verifyPlacewiseWebhook: what it reads of a request', () => {
  it('refuses a request without the right token from its headers, reading none of its body', async () => {
    for (const headers of [{}, { 'X-Secret-Token': 'nope' }] as Record<string, string>[]) {
      const { stream, counter } = streamed(32);
      const error = await refusal(verifyPlacewiseWebhook(streamedRequest(headers, stream), SECRET));
      expect(error.status).toBe(401);
      expect(counter.pulled).toBe(0);
    }
  });

  it('keeps a streamed body only up to maxBodyBytes; past it, reads the rest to its end, dropping it, and refuses it as too-large (413)', async () => {
    // MPC does not retry a 4xx and sets no limit on a notification's events: the default is far above any.
    expect(PLACEWISE_MAX_BODY_BYTES).toBe(64 * 1024 * 1024);
    const { stream, counter } = streamed(48);
    const error = await refusal(verifyPlacewiseWebhook(streamedRequest({ 'X-Secret-Token': SECRET }, stream), SECRET, { maxBodyBytes: 1024 * 1024 }));
    expect(error).toMatchObject({ reason: 'too-large', status: 413, message: 'placewise webhook refused (too-large): the body is larger than 1048576 bytes' });
    // Read to its end (48 chunks, then the pull that closes it), not cancelled: see the test below.
    expect(counter.pulled).toBe(49);
  });

  // A second round found a receiver built as @hono/node-server builds one (Readable.toWeb) crashed
  // on a body over the limit: cancelled, the stream threw "Controller is already closed" uncaught.
  it('answers a chunked body over the limit with a 413 on a real server whose Request body is Readable.toWeb(req), and stays up', async () => {
    const server = createServer(async (req, res) => {
      const request = new Request('http://receiver.example/placewise', { method: 'POST', headers: req.headers as Record<string, string>, body: Readable.toWeb(req) as ReadableStream, duplex: 'half' } as RequestInit);
      try {
        await verifyPlacewiseWebhook(request, SECRET, { maxBodyBytes: Buffer.byteLength(body) });
        res.writeHead(204).end();
      } catch (error) {
        res.writeHead((error as WebhookError).status ?? 500).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
      for (let i = 0; i < 5; i++) {
        const chunks = new ReadableStream<Uint8Array>({ start: (c) => { for (let k = 0; k < 20; k++) c.enqueue(new Uint8Array(1000).fill(0x20)); c.close(); } });
        const answer = await fetch(url, { method: 'POST', headers: { 'X-Secret-Token': SECRET }, body: chunks, duplex: 'half' } as RequestInit);
        expect(answer.status).toBe(413);
      }
      expect((await fetch(url, { method: 'POST', headers: { 'X-Secret-Token': SECRET }, body })).status).toBe(204);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('stops reading a body that never ends 16 MiB past the limit, refusing it as too-large (CLIENT-86)', async () => {
    // Read to its end, a body that never ended held the verification for ever (188 MiB in 5 s with a 1 KiB limit).
    // Each chunk a turn of the event loop later, so that a regression fails at the test's timeout rather than holding the process.
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const stream = new ReadableStream<Uint8Array>({ pull: (c) => new Promise<void>((done) => setImmediate(() => (pulled++, c.enqueue(chunk), done()))) }, { highWaterMark: 0 });
    const error = await refusal(verifyPlacewiseWebhook(streamedRequest({ 'X-Secret-Token': SECRET }, stream), SECRET, { maxBodyBytes: 1024 }));
    expect(error).toMatchObject({ reason: 'too-large', status: 413 });
    expect(pulled).toBe(257);
    // A Node stream (another fetch library's body) likewise, and it is let go.
    const endless = new Readable({ read() { setImmediate(() => this.push(Buffer.alloc(64 * 1024, 0x20))); } });
    const nodeError = await refusal(verifyPlacewiseWebhook({ headers: { get: () => SECRET }, body: endless, text: async () => '' }, SECRET, { maxBodyBytes: 1024 }));
    expect(nodeError.reason).toBe('too-large');
    await new Promise((next) => setImmediate(next));
    expect(endless.destroyed).toBe(true);
  });

  it('ends the wait for a body that trickles or stalls when its signal aborts, with the signal\'s reason (CLIENT-86)', async () => {
    const stalled = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => undefined) }, { highWaterMark: 0 });
    const signal = AbortSignal.timeout(50);
    const error = await verifyPlacewiseWebhook(streamedRequest({ 'X-Secret-Token': SECRET }, stalled), SECRET, { signal }).catch((e: unknown) => e);
    expect(error).toBe(signal.reason);
    expect((error as Error).name).toBe('TimeoutError');
    const config = await verifyPlacewiseWebhook(request({ 'X-Secret-Token': SECRET }), SECRET, { signal: 'soon' as never }).catch((e: unknown) => e);
    expect(config).toBeInstanceOf(ConfigError);
  });

  it.each([0, 1, 2, 3])('ends the wait when its signal aborts %i microtasks after a chunk is handed over, then the body stalls', async (depth) => {
    // Aborted between two reads, the one listener fired with no read to reject: the next waited for ever (found 2026-12-02).
    const controller = new AbortController();
    const reason = new Error('receiver gave up');
    let reads = 0;
    const body: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({
        next: () => {
          if (reads++ > 0) return new Promise<IteratorResult<Uint8Array>>(() => undefined);
          let later = Promise.resolve();
          for (let i = 0; i < depth; i++) later = later.then(() => undefined);
          void later.then(() => controller.abort(reason));
          return Promise.resolve({ done: false, value: new TextEncoder().encode('{"version"') });
        },
      }),
    };
    let outcome: unknown = 'waiting';
    void verifyPlacewiseWebhook({ headers: { get: () => SECRET }, body, text: async () => '' }, SECRET, { signal: controller.signal }).then((v) => (outcome = v), (e: unknown) => (outcome = e));
    while (!controller.signal.aborted) await new Promise((next) => setImmediate(next));
    await new Promise((next) => setImmediate(next));
    expect(outcome).toBe(reason);
  });

  it('reads a body sent a byte at a time, with a signal or without, into the payload sent (CLIENT-87)', async () => {
    // Each byte was kept as a chunk of its own (240 bytes each), and with a signal every chunk until the body ended.
    const bytes = new TextEncoder().encode(body);
    for (const signal of [undefined, new AbortController().signal]) {
      const oneByOne = new ReadableStream<Uint8Array>({ start(c) { for (const byte of bytes) c.enqueue(Uint8Array.of(byte)); c.close(); } });
      expect(await verifyPlacewiseWebhook(streamedRequest({ 'X-Secret-Token': SECRET }, oneByOne), SECRET, { signal })).toEqual(vendorV2);
    }
  });

  it('leaves no listener on a signal that serves many verifications (CLIENT-86)', async () => {
    // One listener was left per call: past 60,000 calls each took seconds.
    const signal = new AbortController().signal;
    for (let i = 0; i < 20; i++) {
      await verifyPlacewiseWebhook(streamedRequest({ 'X-Secret-Token': SECRET }, new Blob([body]).stream()), SECRET, { signal });
      await refusal(verifyPlacewiseWebhook(streamedRequest({ 'X-Secret-Token': SECRET }, streamed(32).stream), SECRET, { signal, maxBodyBytes: 1024 }));
    }
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('rejects with the reason of a signal aborted already, whatever the body, as fetch does', async () => {
    // A body given as text or bytes was verified as if no signal had been given.
    const reason = new Error('request timed out');
    const signal = AbortSignal.abort(reason);
    for (const raw of [body, Buffer.from(body)]) {
      await expect(verifyPlacewiseWebhook({ headers: { 'x-secret-token': SECRET }, body: raw }, SECRET, { signal })).rejects.toBe(reason);
    }
    await expect(verifyPlacewiseWebhook(request({ 'X-Secret-Token': SECRET }), SECRET, { signal })).rejects.toBe(reason);
    await expect(verifyPlacewiseWebhook({ headers: { get: () => SECRET }, body: null, text: async () => '' }, SECRET, { signal })).rejects.toBe(reason);
  });

  it('keeps one listener on a signal however many verifications use it at once, so Node warns of no leak, and aborts them all', async () => {
    // A listener each: past 10 at once Node printed a MaxListenersExceededWarning, though none leaked.
    const warnings: Error[] = [];
    const warned = (warning: Error) => warnings.push(warning);
    process.on('warning', warned);
    try {
      const controller = new AbortController();
      let reading = 0;
      const stalled = () => new ReadableStream<Uint8Array>({ pull: () => (reading++, new Promise(() => undefined)) }, { highWaterMark: 0 });
      const calls = Array.from({ length: 30 }, () => verifyPlacewiseWebhook(streamedRequest({ 'X-Secret-Token': SECRET }, stalled()), SECRET, { signal: controller.signal }).catch((e: unknown) => e));
      while (reading < 30) await new Promise((next) => setImmediate(next));
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
      const reason = new Error('receiver shutting down');
      controller.abort(reason);
      expect(await Promise.all(calls)).toEqual(Array.from({ length: 30 }, () => reason));
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
      // Done with, the shared listener goes with the last call using it.
      const signal = new AbortController().signal;
      await Promise.all(Array.from({ length: 30 }, () => verifyPlacewiseWebhook(streamedRequest({ 'X-Secret-Token': SECRET }, new Blob([body]).stream()), SECRET, { signal })));
      expect(getEventListeners(signal, 'abort')).toHaveLength(0);
      await new Promise((next) => setImmediate(next));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', warned);
    }
  });

  it('takes a raw body (text or bytes) whatever its size: it is in memory already, refusing it bounds nothing', async () => {
    const big = ' '.repeat(2 * 1024 * 1024) + body;
    await expect(verifyPlacewiseWebhook({ headers: { 'x-secret-token': SECRET }, body: big }, SECRET, { maxBodyBytes: 1024 })).resolves.toEqual(vendorV2);
    await expect(verifyPlacewiseWebhook({ headers: { 'x-secret-token': SECRET }, body: Buffer.from(big) }, SECRET, { maxBodyBytes: 1024 })).resolves.toEqual(vendorV2);
  });

  it('takes another limit from maxBodyBytes, and refuses one that is no whole number of bytes as a ConfigError', async () => {
    const request = () => new Request('https://receiver.example/placewise', { method: 'POST', headers: { 'X-Secret-Token': SECRET }, body });
    await expect(verifyPlacewiseWebhook(request(), SECRET, { maxBodyBytes: Buffer.byteLength(body) - 1 })).rejects.toMatchObject({ reason: 'too-large' });
    await expect(verifyPlacewiseWebhook(request(), SECRET, { maxBodyBytes: Buffer.byteLength(body) })).resolves.toEqual(vendorV2);
    for (const maxBodyBytes of [0, 1.5, Number.NaN, '1' as never]) {
      await expect(verifyPlacewiseWebhook({ headers: { 'x-secret-token': SECRET }, body }, SECRET, { maxBodyBytes })).rejects.toThrow(ConfigError);
    }
    await expect(verifyPlacewiseWebhook({ headers: { 'x-secret-token': SECRET }, body }, SECRET, { maxBodyBytes: 0 })).rejects.toThrow('placewise webhook: option "maxBodyBytes" must be a whole number of bytes, 1 or more (got 0)');
  });

  it("accepts a Request of another fetch library: its Headers' get() and a Node stream body", async () => {
    class OtherHeaders {
      constructor(private readonly values: Record<string, string>) {}
      get(name: string) {
        return Object.entries(this.values).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1] ?? null;
      }
    }
    class OtherRequest {
      readonly headers: OtherHeaders;
      readonly body: Readable;
      bodyUsed = false;
      constructor(headers: Record<string, string>, text: string) {
        this.headers = new OtherHeaders(headers);
        this.body = Readable.from([Buffer.from(text.slice(0, 10)), text.slice(10)]);
      }
      async text(): Promise<string> {
        throw new Error('not to be called: it reads the body whatever its size');
      }
    }
    await expect(verifyPlacewiseWebhook(new OtherRequest({ 'X-Secret-Token': SECRET }, body), SECRET)).resolves.toEqual(vendorV2);
    await expect(verifyPlacewiseWebhook(new OtherRequest({}, body), SECRET)).rejects.toMatchObject({ reason: 'missing-token' });
    const big = new OtherRequest({ 'X-Secret-Token': SECRET }, body);
    await expect(verifyPlacewiseWebhook(big, SECRET, { maxBodyBytes: 100 })).rejects.toMatchObject({ reason: 'too-large' });
    // Read to its end, not ended early: a Node stream destroyed mid-body took the sender's connection, which got a reset, not the 413.
    expect(big.body.readableEnded).toBe(true);
  });

  it('reads the token from a Map (any case) or anything with get(), as from a Headers', async () => {
    await expect(verifyPlacewiseWebhook({ headers: new Map([['X-Secret-Token', SECRET]]), body }, SECRET)).resolves.toEqual(vendorV2);
    await expect(verifyPlacewiseWebhook({ headers: new Map([['x-secret-token', 'nope']]), body }, SECRET)).rejects.toMatchObject({ reason: 'wrong-token' });
    await expect(verifyPlacewiseWebhook({ headers: { get: (name: string) => (name.toLowerCase() === 'x-secret-token' ? SECRET : null) }, body }, SECRET)).resolves.toEqual(vendorV2);
  });

  it('says what is wrong with headers that are no headers, or a header value that is no text, naming them', async () => {
    await expect(verifyPlacewiseWebhook({ headers: null as never, body }, SECRET)).rejects.toThrow(new TypeError('placewise webhook: headers must be a Headers, a Map or an object of header names to values (got null)'));
    // A list of headers was read as an object with no X-Secret-Token in it: missing-token, a 401 MPC drops for good (found 2026-12-03).
    for (const list of [['X-Secret-Token', SECRET], [['X-Secret-Token', SECRET]]]) {
      await expect(verifyPlacewiseWebhook({ headers: list as never, body }, SECRET)).rejects.toThrow(
        new TypeError('placewise webhook: headers must be a Headers, a Map or an object of header names to values (got an array; pass req.headers, not req.rawHeaders, or new Headers(pairs))'),
      );
    }
    await expect(verifyPlacewiseWebhook({ headers: { 'x-secret-token': 123 } as never, body }, SECRET)).rejects.toThrow(
      new TypeError('placewise webhook: header X-Secret-Token must be a string or a list of strings (got a number)'),
    );
    await expect(verifyPlacewiseWebhook({ headers: { 'x-secret-token': [SECRET, 5] } as never, body }, SECRET)).rejects.toThrow(/header X-Secret-Token must be a string or a list of strings \(got an array\)/);
  });

  it('reads a string body that starts with a byte order mark as the same bytes in a Buffer are read', async () => {
    await expect(verifyPlacewiseWebhook({ headers: { 'x-secret-token': SECRET }, body: `\uFEFF${body}` }, SECRET)).resolves.toEqual(vendorV2);
    await expect(verifyPlacewiseWebhook({ headers: { 'x-secret-token': SECRET }, body: Buffer.from(`\uFEFF${body}`) }, SECRET)).resolves.toEqual(vendorV2);
  });

  it('refuses at once a secret no sender can put in a header, never quoting it', async () => {
    for (const secret of ['pa\u20acss', 'ab\ncd', 'abc\x01def', 'abc\x7fdef']) {
      const error = await verifyPlacewiseWebhook({ headers: { 'x-secret-token': 'whatever' }, body }, secret).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toBe(
        'placewise webhook: option "secret" must be usable in a header: no control characters other than tab, and none above U+00FF; no sender can send it as X-Secret-Token',
      );
    }
    // Latin-1 and tabs inside can be sent; whitespace at the ends is trimmed on both sides.
    await expect(verifyPlacewiseWebhook({ headers: { 'x-secret-token': 'caf\u00e9\tx' }, body }, 'caf\u00e9\tx\n')).resolves.toEqual(vendorV2);
  });
});

describe('validatePlacewisePayload', () => {
  it('names the first broken rule and counts the others in the message, listing all in problems', () => {
    let error: unknown;
    try {
      validatePlacewisePayload({ version: 2, events: [{}] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WebhookError);
    const { message, problems, vendor, reason } = error as WebhookError;
    expect({ vendor, reason }).toEqual({ vendor: 'placewise', reason: 'schema' });
    expect(message).toBe(
      'placewise webhook refused (schema): payload breaks the memberChangesV2 schema at /events/0/event: is required but missing (rule required) (and 3 more)',
    );
    expect(problems.map((p) => p.pointer)).toEqual(['/events/0/event', '/events/0/loyalty_club', '/events/0/member', '/events/0/member_changes']);
  });

  it('stops at 100 problems, reading a long list a thousand items at a time, each item named where it is (CLIENT-86)', () => {
    const good = (vendorV2 as { events: unknown[] }).events[0];
    // A million empty events made four million errors (1 GB, 22 s): the count stops at 100.
    const many = (() => { try { validatePlacewisePayload({ version: 2, events: Array.from({ length: 50_000 }, () => ({})) }); } catch (e) { return e as WebhookError; } })()!;
    expect(many.problems).toHaveLength(100);
    expect(many.message).toMatch(/\(and 99 more, counting stopped there\)$/);
    // An item past the first thousand is named by its own index, and the payload's own fields once.
    const late = (() => { try { validatePlacewisePayload({ version: 'two', events: [...Array.from({ length: 2500 }, () => good), {}] }); } catch (e) { return e as WebhookError; } })()!;
    expect(late.problems.map((p) => p.pointer)).toEqual(['/version', '/version', '/events/2500/event', '/events/2500/loyalty_club', '/events/2500/member', '/events/2500/member_changes']);
    expect(validatePlacewisePayload({ version: 2, events: Array.from({ length: 2500 }, () => good) })).toBeDefined();
  });

  it('judges a payload beside 50,000 other fields and a long list it does not read, in a child process so that a regression fails at its timeout (CLIENT-86)', () => {
    // Read in parts, such a list was split and the fields copied for each part: 80 s for 2.4 MiB.
    const module = JSON.stringify(fileURLToPath(new URL('./placewise.ts', import.meta.url)));
    const script = `import { validatePlacewisePayload } from ${module}; const p = { version: 2, events: [], x: new Array(1e6).fill(0) }; for (let i = 0; i < 50000; i++) p['k' + i] = 0; console.log(validatePlacewisePayload(p) === p);`;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(result.signal).toBeNull();
    expect(result.stdout.trim()).toBe('true');
  });

  it('stops collecting errors at 100 inside one event, in the generated validator itself', () => {
    // Every error was made first and cut after: one event of 5 million bad consents made 5 million (1 GB, 10 s).
    const event = structuredClone((vendorV2 as { events: { member: { consents: Record<string, unknown> } }[] }).events[0]!);
    for (let i = 0; i < 50_000; i++) event.member.consents[`c${i}`] = { value: 'yes' };
    const payload = { version: 2, events: [event] };
    expect(validators.memberChangesV2(payload)).toBe(false);
    expect(validators.memberChangesV2.errors).toHaveLength(MAX_ERRORS);
    const error = (() => { try { validatePlacewisePayload(payload); } catch (e) { return e as WebhookError; } })()!;
    expect(error.problems).toHaveLength(100);
    expect(error.problems[0]).toMatchObject({ pointer: '/events/0/member/consents/c0/value', rule: 'type' });
  });

  it('holds to 100 errors when they come from several events at once, as its type promises', () => {
    // Each event's errors are added at once: four events of 60 bad consents made 120 (found 2026-12-02).
    const event = structuredClone((vendorV2 as { events: { member: { consents: Record<string, unknown> } }[] }).events[0]!);
    for (let i = 0; i < 60; i++) event.member.consents[`c${i}`] = { value: 'yes' };
    const payload = { version: 2, events: [event, event, event, event] };
    expect(validators.memberChangesV2(payload)).toBe(false);
    expect(validators.memberChangesV2.errors).toHaveLength(MAX_ERRORS);
    const error = (() => { try { validatePlacewisePayload(payload); } catch (e) { return e as WebhookError; } })()!;
    expect(error.problems.map((p) => p.pointer).slice(59, 61)).toEqual(['/events/0/member/consents/c59/value', '/events/1/member/consents/c0/value']);
    expect(error.message).toMatch(/\(and 99 more, counting stopped there\)$/);
  });

  it('says nothing of more problems when there is one, and names the root as (root)', () => {
    expect(() => validatePlacewisePayload('x')).toThrow(/^placewise webhook refused \(schema\): payload breaks the memberChangesV2 schema at \(root\): must be object \(rule type\)$/);
  });

  it('refuses null and undefined as payloads that are not objects (v2 assumed)', () => {
    for (const payload of [null, undefined]) {
      expect(() => validatePlacewisePayload(payload)).toThrow(WebhookError);
      expect(() => validatePlacewisePayload(payload)).toThrow(/memberChangesV2 schema at \(root\): must be object/);
    }
  });

  it('checks a payload with version 1 against the v1 schema', () => {
    expect(() => validatePlacewisePayload({ version: 1, events: [{}] })).toThrow(/memberChangesV1 schema at \/bulk/);
  });
});
