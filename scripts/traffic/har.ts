import { readFileSync } from 'node:fs';
import { surelyDecoded } from '../../src/record/har.js';
import { lastWholeEntry } from '../../src/record/har-file.js';

/** One recorded request and its response, reduced to what the checks read. */
export interface Exchange {
  /** Position in `log.entries`, so every finding can be traced back to the recording. */
  index: number;
  method: string;
  url: URL;
  /** Header names lower-cased: HAR keeps whatever case the client sent. */
  requestHeaders: Map<string, string>;
  /** `incomplete` says why the recording holds no whole body (`_notRecorded`: over the recorder's limit): `text` is not what was sent. */
  requestBody?: { contentType: string; text: string; incomplete?: string };
  response: {
    /** 0 when the client recorded no response (aborted, blocked, CORS failure). */
    status: number;
    contentType: string;
    /** The response's headers, by lower-case name. */
    headers: Map<string, string>;
    text: string;
    /** False when the body was sent but left out of the recording (HAR `content.text` is optional). */
    bodyRecorded: boolean;
    /**
     * Why the recording holds no whole body, when its recorder said (`_error`: an answer the
     * client let go unread, a body cut off or stalled; `_notRecorded`: a body over the recorder's
     * limit, of which only the size is kept): what `text` holds is not the vendor's body.
     */
    incomplete?: string;
  };
}

/** A file that cannot be read as a HAR; the message says what to do about it. */
export class HarError extends Error {}

const HOW_TO_RECORD =
  'record the traffic again and export it as HAR (browser dev tools › Network › "Save all as HAR with content", or your proxy\'s HAR export)';

/**
 * What to do with a file `record` was writing when it was killed: the advice to export from a
 * browser said nothing of it, nor that the entries before the cut are whole.
 */
function cutRecording(text: string): string | undefined {
  const cut = lastWholeEntry(text);
  if (!cut) return undefined;
  const cutOff = 'it ends part-way through an entry, as a record killed while writing it (SIGKILL, a power cut) leaves it.';
  if (cut.entries === 0) return `${cutOff} No entry before it is whole: record again`;
  const whole = cut.entries === 1 ? 'Its first entry is whole: to check it' : `Its first ${cut.entries} entries are whole: to check them`;
  return `${cutOff} ${whole}, cut the file after line ${cut.line} and end it with the three lines "    ]", "  }" and "}"; or record again`;
}

export function readHar(file: string): Exchange[] {
  return readHarLog(file).exchanges;
}

/**
 * A HAR's exchanges, and its `log.comment`, where a recorder says what it left out (this
 * package's drops its oldest entries past `maxKeptBytes`): a report of no finding on such a
 * file said nothing of the calls it never saw.
 */
export function readHarLog(file: string): { exchanges: Exchange[]; comment?: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new HarError(`${file} does not exist; pass the path of a recorded HAR file`);
    if (code === 'EISDIR') throw new HarError(`${file} is a directory; pass the path of a recorded HAR file`);
    throw new HarError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let har: any;
  try {
    // A byte order mark, which some Windows tools write, is not part of the JSON (HAR 1.2 says to ignore it).
    har = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new HarError(`${file} is not valid JSON (${(error as Error).message}); ${cutRecording(text) ?? HOW_TO_RECORD}`);
  }
  const entries = har?.log?.entries;
  if (!Array.isArray(entries)) throw new HarError(`${file} is not a HAR file: it has no log.entries list; ${HOW_TO_RECORD}`);
  const said: unknown = har.log.comment;
  // Shown in a report: a comment of megabytes is cut.
  const comment = typeof said === 'string' && said.trim() !== '' ? (said.length > 500 ? `${said.slice(0, 500)}…` : said) : undefined;
  if (entries.length === 0) throw new HarError(`${file} records no requests (log.entries is empty)${comment === undefined ? '' : `, and its log.comment says: "${comment}"`}; ${HOW_TO_RECORD}`);
  return { exchanges: entries.map((entry, index) => toExchange(entry, index, file)), ...(comment === undefined ? {} : { comment }) };
}

function toExchange(entry: any, index: number, file: string): Exchange {
  const where = `${file}: log.entries[${index}]`;
  const request = entry?.request;
  const response = entry?.response;
  if (typeof request?.method !== 'string') throw new HarError(`${where}.request.method is missing`);
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    throw new HarError(`${where}.request.url is not an absolute URL (${JSON.stringify(request?.url)})`);
  }
  if (typeof response?.status !== 'number') throw new HarError(`${where}.response.status is missing`);

  const requestHeaders = headerMap(request.headers);
  const responseHeaders = headerMap(response.headers);
  const content = response.content ?? {};
  // What is read as text must be text: a tool's number there was a crash of the checker's own.
  for (const [field, value] of [['response.content.mimeType', content.mimeType], ['response.content.text', content.text], ['request.postData.mimeType', request.postData?.mimeType], ['request.postData.text', request.postData?.text]] as const) {
    if (value !== undefined && value !== null && typeof value !== 'string') throw new HarError(`${where}.${field} must be a string (got ${typeof value})`);
  }
  const recordedText: string | undefined =
    typeof content.text === 'string'
      ? content.encoding === 'base64'
        ? Buffer.from(content.text, 'base64').toString('utf8')
        : content.text
      : undefined;
  // This package's recorders keep an exchange whose body did not all arrive (let go, cut off,
  // stalled) with `_error` and what came of the body, often nothing: no body to judge.
  // A body still in a coding the recorder's fetch did not decode (zstd on Node 20) is kept as its
  // bytes: not the vendor's JSON as the checker would read it.
  const coding = responseHeaders.get('content-encoding') ?? null;
  const undecoded = content.encoding === 'base64' && !surelyDecoded(coding) ? `it is recorded in the coding it came in, ${coding}, which the recorder could not decode` : undefined;
  const incomplete = typeof response._error === 'string' ? response._error : typeof content._notRecorded === 'string' ? content._notRecorded : undecoded;
  return {
    index,
    method: request.method.toUpperCase(),
    url,
    requestHeaders,
    requestBody: requestBodyOf(request.postData, requestHeaders),
    response: {
      status: response.status,
      contentType: mediaType(responseHeaders.get('content-type') ?? (recordedText ? content.mimeType : undefined)),
      headers: responseHeaders,
      text: recordedText ?? '',
      bodyRecorded: incomplete === undefined && (recordedText !== undefined || !(content.size > 0)),
      ...(incomplete === undefined ? {} : { incomplete }),
    },
  };
}

function requestBodyOf(postData: any, headers: Map<string, string>): Exchange['requestBody'] {
  if (!postData) return undefined;
  const contentType = mediaType(headers.get('content-type') ?? postData.mimeType);
  if (typeof postData._notRecorded === 'string') return { contentType, text: '', incomplete: postData._notRecorded };
  // Some tools record form bodies only as `params`; rebuild the wire form from them.
  const text =
    typeof postData.text === 'string'
      ? // A body that is not UTF-8, recorded as base64 (the clients' recorder: a file upload), is read one character a byte.
        postData._encoding === 'base64'
        ? Buffer.from(postData.text, 'base64').toString('latin1')
        : postData.text
      : Array.isArray(postData.params)
        ? // An entry that is not a name and value (a tool's null) is left out, as a header like it is.
          new URLSearchParams(postData.params.filter((p: any) => typeof p?.name === 'string').map((p: any) => [p.name, String(p.value ?? '')])).toString()
        : '';
  return { contentType, text };
}

/**
 * Headers by lower-case name. A name on several lines (a HAR keeps them as sent, as the recording
 * proxy does) is read as one, joined as RFC 9110 joins them: `; ` for Cookie, `, ` for others. Only
 * the last line counted, so a credential in the first Cookie line went unseen. Set-Cookie lines
 * cannot be joined (a cookie's date holds a comma): the last is kept, as before.
 */
function headerMap(headers: unknown): Map<string, string> {
  const map = new Map<string, string>();
  if (!Array.isArray(headers)) return map;
  for (const header of headers) {
    if (typeof header?.name !== 'string') continue;
    const name = header.name.toLowerCase();
    const value = String(header.value ?? '');
    const had = map.get(name);
    map.set(name, had === undefined || name === 'set-cookie' ? value : `${had}${name === 'cookie' ? '; ' : ', '}${value}`);
  }
  return map;
}

/** `application/json; charset=utf-8` → `application/json`, the form the spec's content keys use. */
export function mediaType(value: string | undefined): string {
  return (value ?? '').split(';')[0]!.trim().toLowerCase();
}
