/**
 * The recording fetch: every exchange handed to `record` as a HAR entry, credentials masked. Loaded
 * by a client on its first exchange once `record` is set, and by the recording proxy: a client that
 * records nothing does not ship it (CLIENT-231).
 */
import { untilAborted } from '../abortable.js';
import { base64Bytes, byteString, stringBytes } from '../auth/base64.js';
import type { Fetch } from '../call-request.js';
import { mediaTypeOf } from '../guard/documented.js';
import { noAnswerCause } from '../no-answer.js';
import { notify } from '../observer.js';
import { operationTest, type SpecOperation } from '../spec-operations.js';
import { declaredCharset } from './declared-charset.js';
import { boundaryParam } from './file-parts.js';
import {
  createCredentialMask,
  MASK,
  maskTokenLike,
  recordBodyLimit,
  surelyDecoded,
  tokenLikeMasked,
  TOO_DEEP_TO_SHOW,
  type HarEntry,
  type HarHeader,
  type RecordEntry,
} from './har.js';
import { overLimitScan, type OverLimitScan } from './over-limit-scan.js';
import { CANCELLED, pacedAnswer } from './paced-answer.js';
import { createRedactor } from './redact.js';
import { recordings } from './recordings.js';

/** OAuth's `grant_type` in a body (JSON or form). */
const GRANT_TYPE = /"grant_type"\s*:|(?:^|&)grant_type=/;
/**
 * Whether a request asks for a token: by OAuth's `grant_type` in its body or query (any vendor's
 * grant), or as one of the spec's token operations. Perx's `exchange_token` and its identifier form
 * send no `grant_type`, and a 2xx answer to them was recorded with its token in clear wherever
 * no name said it held one (CLIENT-210).
 */
export function tokenRequestTest(operations: readonly SpecOperation[] = []): (method: string, url: string, body: string | undefined) => boolean {
  const isTokenOperation = operationTest(operations);
  return (method, url, body) => new URL(url).searchParams.has('grant_type') || (body !== undefined && GRANT_TYPE.test(body)) || isTokenOperation(method, url);
}

/**
 * A token answer as recorded. A success whose names masked nothing holds its token under a name or
 * a nesting the mask does not know (`{"session":{"id":…}}`, a bare JSON string, a list): every run
 * that could be a token is masked in it, as in the TokenError the client throws for it. JSON that
 * had one is written back from its masked strings; one nested too deeply to write back is not recorded.
 */
function tokenAnswerMasked(answer: HarEntry['response']): HarEntry['response'] {
  const { status, content } = answer;
  if (status < 200 || status > 299 || content.encoding === 'base64' || !content.text || content.text.includes(MASK)) return answer;
  let text: string;
  try {
    const parsed: unknown = JSON.parse(content.text);
    const sent = JSON.stringify(parsed);
    const shown = JSON.stringify(tokenLikeMasked(parsed));
    // Nothing masked: recorded as it was sent, as any JSON with nothing to mask is.
    text = shown === sent ? content.text : shown;
  } catch (error) {
    text = error instanceof SyntaxError ? maskTokenLike(content.text) : TOO_DEEP_TO_SHOW;
  }
  return text === content.text ? answer : { ...answer, content: { ...content, text } };
}

/**
 * A request body that is not UTF-8 (a file upload), masked, as bytes. A multipart body's text is
 * masked as text, so a credential it sends is learnt as an answer will quote it (`pässwört`, not
 * its bytes read one character each); the content of a part that is not text, the file, is held
 * aside as bytes, its configured secrets masked in their UTF-8 bytes. Other bytes are masked one
 * character a byte.
 */
function maskedUpload(bytes: Uint8Array, type: string, mask: ReturnType<typeof createCredentialMask>, byteForms: (text: string) => string): Uint8Array {
  const boundary = boundaryParam(type);
  if (boundary === undefined) return stringBytes(byteForms(mask.body(byteString(bytes), type)));
  const delimiter = `--${boundary}`;
  // Where a held part goes: no text holds it (a random mark between NULs).
  const mark = `\u0000held-${Math.random().toString(36).slice(2)}-`;
  const held: string[] = [];
  const hold = (binary: string) => `${mark}${held.push(binary) - 1}\u0000`;
  const text = byteString(bytes)
    .split(delimiter)
    .map((piece) => {
      const whole = utf8(stringBytes(piece));
      if (whole !== undefined) return whole;
      const headEnd = piece.indexOf('\r\n\r\n');
      const head = headEnd < 0 ? undefined : utf8(stringBytes(piece.slice(0, headEnd + 4)));
      return head === undefined ? hold(piece) : `${head}${hold(piece.slice(headEnd + 4))}`;
    })
    .join(delimiter);
  const pieces = mask.body(text, type).split(new RegExp(`${mark}(\\d+)\u0000`));
  const out = pieces.map((piece, i) => (i % 2 === 0 ? new TextEncoder().encode(piece) : stringBytes(byteForms(held[Number(piece)]!))));
  const joined = new Uint8Array(out.reduce((size, part) => size + part.length, 0));
  out.reduce((at, part) => (joined.set(part, at), at + part.length), 0);
  return joined;
}

const headerList = (headers: Iterable<[string, string]>, mask: (h: HarHeader) => HarHeader) => [...headers].map(([name, value]) => mask({ name, value }));

/**
 * Whether a body of this media type is recorded as text. Anything else (an image, a PDF, an
 * octet stream) is recorded as base64, as HAR provides: decoded as UTF-8 its bytes would be lost.
 * A body without a type is taken as text, as fetch's own `text()` would read it.
 */
function isText(mimeType: string): boolean {
  const type = mediaTypeOf(mimeType);
  return type === '' || type.startsWith('text/') || /[/+](json|xml)$/.test(type) || type === 'application/x-www-form-urlencoded' || type === 'application/javascript';
}

/**
 * The bytes as UTF-8 text, or undefined when they are not. A body cut short (`cut`) may end inside
 * a character: that part is left out, or a text cut there was recorded as base64 of its bytes.
 */
function utf8(bytes: Uint8Array, cut = false): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: cut });
  } catch {
    return undefined;
  }
}

/** A text answer's bytes in the charset its type names, when it names one other than UTF-8 that TextDecoder knows. */
function declaredReading(bytes: Uint8Array, mimeType: string): { charset: string; text: string } | undefined {
  const charset = declaredCharset(mimeType);
  return charset === undefined ? undefined : { charset, text: new TextDecoder(charset).decode(bytes) };
}

/** Whether masking `text` into `shown` masked something in it. */
const maskedMore = (text: string, shown: string) => shown.split(MASK).length > text.split(MASK).length;

/** The bytes as text when they are UTF-8 JSON, else undefined. */
function jsonText(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0 || (bytes[0] !== 0x7b && bytes[0] !== 0x5b)) return undefined;
  const text = utf8(bytes);
  try {
    if (text !== undefined) JSON.parse(text);
    return text;
  } catch {
    return undefined;
  }
}

/** What an entry says of a body over the limit, in place of it. */
const notRecorded = (size: number, limit: number) => `the body, ${size} bytes, is over the recording's limit of ${limit} bytes (maxBodyBytes): only its size is recorded`;

/**
 * What the recording keeps of a body as it is read: its chunks while they are within `limit`,
 * then only its size. A body over it is never held whole by the recording, nor masked or encoded.
 */
interface BodyRead {
  chunks: Uint8Array[];
  size: number;
  limit: number;
  /** Reads a body past the limit for its credentials, chunk by chunk, keeping none. */
  scan?: OverLimitScan;
}
const newRead = (limit: number, scan?: OverLimitScan): BodyRead => ({ chunks: [], size: 0, limit, scan });
const isOver = (read: BodyRead) => read.size > read.limit;
function take(read: BodyRead, chunk: Uint8Array): void {
  read.size += chunk.length;
  if (!isOver(read)) return void read.chunks.push(chunk);
  // The chunks kept until now are scanned as they go: a credential may be at the body's start.
  for (const kept of read.chunks) read.scan?.take(kept);
  read.scan?.take(chunk);
  read.chunks.length = 0;
}
/** The end of a body's read, whole or not: what its scan still holds is read, once. */
function ended(read: BodyRead): void {
  if (isOver(read)) read.scan?.end();
  read.scan = undefined;
}

/**
 * A request's header lines as they were sent, and its answer's as they came (`heard`, there once
 * the answer's head is in), where a Headers object cannot hold them: it lower-cases names, sorts
 * them and joins a repeated one's lines.
 */
export interface HeaderLines {
  lines: Iterable<[string, string]>;
  heard?: Iterable<[string, string]> | undefined;
}

/**
 * A fetch that hands every exchange to `record` as a HAR entry, credentials masked. The response
 * is handed on as soon as its headers are in, as without recording; the entry once its body has
 * arrived (`recorded` says when). Waiting for the body first held every answer to its end, the
 * ones the client drops too: a 401 or 503 whose body stalled became a timeout. A body over
 * `maxBodyBytes` (the record function's own, else DEFAULT_MAX_BODY_BYTES) is recorded as its size and `_notRecorded`; the call goes as any other.
 * `linesOf` gives a request's header lines as they were sent, and its answer's as they came, where
 * a Headers object cannot hold them (the proxy's).
 */
export function recordingFetch(
  fetch: Fetch,
  record: RecordEntry,
  secrets: string[] = [],
  maxBodyBytes?: number,
  linesOf: (request: Request) => HeaderLines | undefined = () => undefined,
  tokenOperations: readonly SpecOperation[] = [],
): (request: Request) => Promise<Response> {
  const limit = recordBodyLimit(record, maxBodyBytes);
  const asksForToken = tokenRequestTest(tokenOperations);
  const mask = createCredentialMask(secrets);
  // Bytes read one character a byte hold a secret outside ASCII as its UTF-8 bytes, one character each.
  const byteForms = createRedactor(secrets.filter((secret) => /[^\x00-\x7f]/.test(secret)).map((secret) => byteString(new TextEncoder().encode(secret))));
  const keep = (entry: HarEntry) => notify('record', record, entry);
  return async (request) => {
    const started = new Date();
    const t0 = performance.now();
    const requestType = request.headers.get('content-type') ?? '';
    // A body over the limit is not recorded, but what it sends under a credential's name is learnt
    // from it as it passes, as from one within it: the answer may quote it.
    const copied = request.body ? await sentBody(request, newRead(limit, overLimitScan((text) => mask.learnFrom(text, requestType), requestType))) : undefined;
    const requestOver = copied !== undefined && isOver(copied.read);
    const requestBytes = copied && !requestOver ? joined(copied.read.chunks) : undefined;
    const requestText = requestBytes && utf8(requestBytes, copied!.stopped);
    // Learnt first, so every part of the entry is masked with them: the headers' credentials, and
    // the body's (a 422 quoting the password it refused comes back in this very exchange).
    const asSent = linesOf(request);
    // Read once the answer's head is in: the sender fills it in then.
    const heard = () => asSent?.heard;
    const sentLines = [...(asSent?.lines ?? request.headers)];
    mask.learnCarried(sentLines);
    // Bytes that are not UTF-8 (a file in a multipart upload) are masked as `maskedUpload` says and
    // recorded as base64: decoded as UTF-8 they were lost, and the size given was that of the text they became.
    const requestBody: NonNullable<HarEntry['request']['postData']> | undefined =
      requestOver
        ? { mimeType: requestType, text: '', _notRecorded: notRecorded(copied!.read.size, limit) }
        : requestBytes === undefined
        ? undefined
        : requestText !== undefined
          ? { mimeType: requestType, text: mask.body(requestText, requestType) }
          : { mimeType: requestType, text: base64Bytes(maskedUpload(requestBytes, requestType, mask, byteForms)), _encoding: 'base64' };
    const url = mask.url(request.url);
    const issuing = asksForToken(request.method, request.url, requestText);
    const entryFor = (answer: HarEntry['response']): HarEntry => {
      const time = Math.round(performance.now() - t0);
      return {
        startedDateTime: started.toISOString(),
        time,
        request: {
          method: request.method,
          url,
          httpVersion: 'HTTP/1.1',
          headers: headerList(sentLines, mask.header),
          queryString: [...new URL(url).searchParams].map(([name, value]) => ({ name, value })),
          cookies: [],
          headersSize: -1,
          bodySize: copied?.read.size ?? 0,
          ...(requestBody === undefined ? {} : { postData: requestBody }),
        },
        response: issuing ? tokenAnswerMasked(answer) : answer,
        cache: {},
        timings: { send: 0, wait: time, receive: 0 },
      };
    };
    /**
     * An exchange that failed: no answer (status 0), or an answer cut off or stalled mid-body,
     * with the part of its body that came (`_error` says it is not the whole of it).
     */
    const failed = (error: unknown, answered?: Response, arrived: BodyRead = newRead(limit)): HarEntry =>
      entryFor({
        status: answered?.status ?? 0,
        statusText: mask.reason(answered?.statusText ?? ''),
        httpVersion: 'HTTP/1.1',
        headers: answered ? headerList(heard() ?? answered.headers, mask.header) : [],
        cookies: [],
        content: arrived.size === 0 ? { size: 0, mimeType: answered?.headers.get('content-type') ?? '', text: '' } : contentOf(answered?.headers.get('content-type') ?? '', arrived, answered?.headers.get('content-encoding')),
        redirectURL: '',
        headersSize: -1,
        bodySize: arrived.size,
        // Some fetches quote the URL in their errors (node-fetch), token and all.
        _error: failureReason(error, mask.text),
      });
    if (copied?.stopped) {
      keep(failed(copied.broken ? `the request body's stream failed part-way: ${(copied.why as Error)?.message ?? String(copied.why)}` : copied.why));
      // fetch fails on a body stream's error with this: the caller gets what it gets without
      // recording (a RequestError naming the call), and no broken request is sent to find it out.
      throw copied.broken ? new TypeError('fetch failed', { cause: copied.why }) : copied.why;
    }
    let response: Response;
    try {
      response = await fetch(request);
    } catch (error) {
      keep(failed(error));
      throw error;
    }
    // The body's failure is the caller's to see, while reading it; the recording notes it.
    return recordAnswer(response, heard() ?? response.headers, failed, entryFor, request.signal);
  };

  /**
   * The answer the caller gets, its body read by the recording as the caller reads it (pacedAnswer).
   * A copy (`clone()`, a tee) read at the recording's own pace made the caller's copy hold all
   * the rest of an answer read slowly, or never, in memory. A body that is no WHATWG stream
   * (node-fetch's), or an answer a Response cannot be made again for, is still read from a copy.
   */
  function recordAnswer(response: Response, heard: Iterable<[string, string]>, failed: (error: unknown, answered: Response, arrived?: BodyRead) => HarEntry, entryFor: (answer: HarEntry['response']) => HarEntry, signal: AbortSignal): Response {
    let written = false;
    let finished: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (finished = resolve));
    // Once only: an answer let go is recorded then, whatever its body does after.
    const write = (entry: () => HarEntry) => {
      if (written) return;
      written = true;
      recordings.delete(answer);
      keep(entry());
      finished();
    };
    // Before its body is read or masked: the body may quote what the headers issue.
    mask.learnIssued(heard);
    // Over the limit, what it issues is learnt as it passes (a token endpoint's or a sign-up's
    // large answer): unlearnt, a later exchange quoting the token was recorded in clear.
    const arrived = newRead(limit, answerScan(response.headers.get('content-type') ?? '', response.headers.get('content-encoding')));
    const end = (error?: unknown) => {
      // Cut off or stalled mid-body: the exchange is recorded with what is known of it.
      ended(arrived);
      write(() => (error === undefined ? answerEntry(response, heard, arrived, entryFor) : failed(error, response, arrived)));
    };
    // Ahead of the caller by as much as is kept: an answer within the limit is recorded whole, read
    // or not (a test or a proxy waits for its entry first); one over it as the caller reads it.
    const paced = pacedAnswer(response, limit + 1, { take: (chunk) => take(arrived, chunk), end, cancelled: () => end(new Error(CANCELLED)) }, signal);
    const answer = paced ?? response;
    if (paced) {
      recordings.set(answer, { done, letGo: () => write(() => failed('the client let this answer go before its body was in', response)) });
      return answer;
    }
    const copy = response.clone();
    const reader = typeof copy.body?.getReader === 'function' ? copy.body.getReader() : undefined;
    (async () => {
      try {
        // A Response-like copy without a WHATWG body (node-fetch's) is read whole.
        if (reader) await readAll(reader, arrived);
        else take(arrived, new Uint8Array(await copy.arrayBuffer()));
        end();
      } catch (error) {
        end(error);
      }
    })();
    const letGo = () => {
      write(() => failed('the client let this answer go before its body was in', response));
      if (reader) reader.cancel().catch(() => undefined);
      // A Node stream copy (node-fetch's) is destroyed: it stops taking what the vendor sends.
      else (copy.body as unknown as { destroy?: () => void } | null)?.destroy?.();
    };
    recordings.set(answer, { done, letGo });
    return answer;
  }

  /**
   * The scan of an answer over the limit: of a body contentOf would read as text (a text type, or
   * JSON under another label), as the request side's is read. Not of a coding fetch leaves
   * compressed (its bytes teach nothing), nor of an image or a PDF, whose megabytes the pair
   * patterns took seconds over (CLIENT-135).
   */
  function answerScan(mimeType: string, contentEncoding: string | null): OverLimitScan | undefined {
    if (!surelyDecoded(contentEncoding)) return undefined;
    const scan = overLimitScan((text) => mask.learnFrom(text, mimeType, 'answer'), mimeType);
    if (isText(mimeType)) return scan;
    // Decided on the body's first byte, as jsonText decides; the kept chunks come first, in order.
    let json: boolean | undefined;
    return {
      take(chunk) {
        if (chunk.length > 0) json ??= chunk[0] === 0x7b || chunk[0] === 0x5b;
        if (json) scan.take(chunk);
      },
      end() {
        if (json) scan.end();
      },
    };
  }

  /**
   * A body as HAR holds it: text, masked, or base64 for bytes that are not, and for bytes still
   * in a coding that Node 20's fetch does not decode (zstd): as text they would be lost.
   */
  function contentOf(mimeType: string, read: BodyRead, contentEncoding: string | null = null): HarEntry['response']['content'] {
    const { size } = read;
    if (isOver(read)) return { size, mimeType, text: '', _notRecorded: notRecorded(size, read.limit) };
    const bytes = joined(read.chunks);
    // JSON under another label (a token endpoint answering octet-stream) is recorded as text, masked.
    const json = isText(mimeType) ? undefined : jsonText(bytes);
    // A coding fetch does not decode leaves compressed bytes, which are not UTF-8; a bogus one
    // (`Content-Encoding: utf-8`) leaves the text as it was sent, which is masked as any text is.
    if (json === undefined && isText(mimeType) && surelyDecoded(contentEncoding)) return { size, mimeType, text: shownText(bytes, mimeType) };
    const text = json ?? (isText(mimeType) ? utf8(bytes) : undefined);
    return text === undefined ? { size, mimeType, text: base64Bytes(bytes), encoding: 'base64' } : { size, mimeType, text: mask.body(text, mimeType, 'answer') };
  }

  /**
   * A text answer's bytes as text, masked: in the charset its type names (ASCII in UTF-16 is also
   * valid UTF-8, a NUL after each letter, and a secret it quoted went unmasked), else as UTF-8,
   * else as windows-1252, as browsers read it (as UTF-8, a Latin-1 password's letters past ASCII
   * became U+FFFD). A type may name the wrong charset: UTF-8 labelled ISO-8859-1 showed
   * `pässwörd` as `pÃ¤sswÃ¶rd`, and labelled UTF-16 an ASCII secret became other letters, each
   * unmasked and its bytes there to read back. Bytes that are UTF-8 too are masked in both
   * readings, and the UTF-8 one is recorded where it held a secret, once its own bytes read in the
   * named charset hold none (else only the mask is recorded).
   */
  function shownText(bytes: Uint8Array, mimeType: string): string {
    const shown = (text: string) => mask.body(text, mimeType, 'answer');
    const asUtf8 = utf8(bytes);
    const declared = declaredReading(bytes, mimeType);
    if (!declared) return shown(asUtf8 ?? new TextDecoder('windows-1252').decode(bytes));
    if (asUtf8 === undefined || asUtf8 === declared.text) return shown(declared.text);
    const shownUtf8 = shown(asUtf8);
    if (!maskedMore(asUtf8, shownUtf8)) return shown(declared.text);
    const reread = new TextDecoder(declared.charset).decode(new TextEncoder().encode(shownUtf8));
    return maskedMore(reread, shown(reread)) ? MASK : shownUtf8;
  }

  function answerEntry(response: Response, heard: Iterable<[string, string]>, read: BodyRead, entryFor: (answer: HarEntry['response']) => HarEntry): HarEntry {
    return entryFor({
      status: response.status,
      statusText: mask.reason(response.statusText),
      httpVersion: 'HTTP/1.1',
      headers: headerList(heard, mask.header),
      cookies: [],
      content: contentOf(response.headers.get('content-type') ?? '', read, response.headers.get('content-encoding')),
      redirectURL: '',
      headersSize: -1,
      bodySize: read.size,
    });
  }
}

/**
 * The bytes a request sends, read from a copy before it goes. A stream the caller passed may stall:
 * read to its end, it held the call unsent until its deadline, and the exchange went unrecorded.
 * The read ends when the request's signal aborts (the call's deadline, the caller), with what came.
 * A stream that fails part-way (`broken`) ends it too, with what came and the stream's error: the
 * body can never be sent whole.
 */
async function sentBody(request: Request, read: BodyRead): Promise<{ read: BodyRead; stopped: false } | { read: BodyRead; stopped: true; why: unknown; broken: boolean }> {
  const copy = request.clone();
  const reader = typeof copy.body?.getReader === 'function' ? copy.body.getReader() : undefined;
  if (!reader) return take(read, new Uint8Array(await copy.arrayBuffer())), ended(read), { read, stopped: false };
  try {
    await untilAborted(readAll(reader, read), request.signal);
    ended(read);
    return { read, stopped: false };
  } catch (error) {
    const aborted = request.signal.aborted;
    reader.cancel().catch(() => undefined);
    ended(read);
    return { read, stopped: true, why: aborted ? request.signal.reason : error, broken: !aborted };
  }
}

/** A body read to the end (a cancelled read ends it early, with what came); `read` keeps what came when the read fails. */
async function readAll(reader: ReadableStreamDefaultReader<Uint8Array>, read: BodyRead): Promise<void> {
  for (let next = await reader.read(); !next.done; next = await reader.read()) take(read, next.value);
}

/**
 * Why an exchange failed, for `_error`: undici's "fetch failed" says nothing more, its cause says
 * why (`connect ECONNREFUSED 127.0.0.1:9`, `getaddrinfo ENOTFOUND …`), as the RequestError does.
 */
function failureReason(error: unknown, mask: (text: string) => string): string {
  const message = mask(String((error as Error)?.message ?? error));
  const cause = error instanceof TypeError ? noAnswerCause(error, mask) : undefined;
  return cause ? `${message}: ${cause}` : message;
}

function joined(chunks: Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(chunks.reduce((size, chunk) => size + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) bytes.set(chunk, (at += chunk.length) - chunk.length);
  return bytes;
}
