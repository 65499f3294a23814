import { mediaMatches, mediaTypeOf } from '../guard/documented.js';
import type { JsonShape } from '../json-shape.js';
import { problem, type MockResponse } from './exchange.js';

/**
 * Checks that run before any routing or parsing: each closes a way one request could crash the
 * engine or hang it (Prism throws on malformed escapes, overflows its logger's stack on deep
 * JSON, and 500s on an unparseable media type, in Content-Type or Accept). Each refusal names
 * what is wrong.
 */
// jsonValues: a real 1 MiB body holds about one value per 15 bytes (70,000); one of 100,000 is a
// list of bare numbers or empty objects, which no vendor documents a use for (MOCK-38).
// recordValues: writes merge into a record (a free-form `properties` gains every key sent), so
// without a bound of its own a few valid bodies grew one record until each read of it held up
// every vendor for a second; no example record holds more than a few dozen values.
// formFields: a form or multipart body's fields. The widest form any vendor documents (Footprints'
// addLead) has 41; 99,000 empty fields, under jsonValues, held every vendor up for 2-5 s, as the
// parsers on the way (URLSearchParams, Prism's, the mock's nesting) each cost more per field than JSON.
// multipartBytes: see checkMultipartBytes.
export const LIMITS = { bodyBytes: 1024 * 1024, jsonDepth: 64, jsonValues: 100_000, recordValues: 10_000, formFields: 1_000, multipartBytes: 256 * 1024, sortFields: 5 } as const;

/** Decodes each path segment; a malformed percent-escape is the client's error, not a crash. */
export function checkPath(path: string): MockResponse | undefined {
  for (const segment of path.split('/')) {
    try {
      decodeURIComponent(segment);
    } catch {
      return problem(400, 'Malformed path', `path segment "${segment}" has a malformed percent-escape (each % must start a valid UTF-8 escape such as %20)`, { segment });
    }
  }
  return undefined;
}

// RFC 9110 media type: token "/" token *( OWS ";" OWS token "=" ( token / quoted-string ) )
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const MEDIA_TYPE = new RegExp(`^\\s*${TOKEN}/${TOKEN}(\\s*;\\s*${TOKEN}=(${TOKEN}|"([^"\\\\]|\\\\.)*"))*\\s*;?\\s*$`);

export function checkContentType(value: string | undefined): MockResponse | undefined {
  if (value === undefined || value.trim() === '' || MEDIA_TYPE.test(value)) return undefined;
  return problem(415, 'Unparseable Content-Type', `header Content-Type "${value.slice(0, 200)}" is not a media type (expected type/subtype, optionally followed by ;name=value parameters)`, {
    header: 'content-type',
  });
}

/**
 * A body in a media type its operation does not document is refused, naming the ones it does:
 * Prism judged it against the first documented one (a JSON body against a form's schema, read
 * with a form's type coercion), and the validator it compiled, kept per schema, then read every
 * later body of that operation with that coercion, in every session (decision MOCK-65).
 * An operation that documents no body is left as it was (MOCK-1).
 */
export function checkMediaType(method: string, documented: string[] | undefined, contentType: string | undefined, hasBody: boolean): MockResponse | undefined {
  if (!hasBody || !documented?.length) return undefined;
  const mediaType = mediaTypeOf(contentType ?? null);
  if (mediaType && documented.some((d) => mediaMatches(mediaTypeOf(d), mediaType))) return undefined;
  const sent = mediaType ? `in "${mediaType}"` : 'without a Content-Type';
  // RFC 5789 2.2: a PATCH refused for its media type says which it takes.
  return problem(415, 'Unsupported media type', `request body sent ${sent}; this operation takes ${documented.map((d) => `"${d}"`).join(' or ')}`, {
    header: 'content-type',
    accepted: documented,
  }, method.toLowerCase() === 'patch' ? { 'accept-patch': documented.join(', ') } : {});
}

/**
 * A body in a content coding (gzip, br) would reach the parsers as bytes and come back as
 * "Malformed JSON" quoting them: none of the vendors documents a coded request body, so it is
 * refused naming the header (RFC 9110 15.5.16 gives 415 for an unsupported coding).
 */
export function checkContentEncoding(value: string | undefined, hasBody: boolean): MockResponse | undefined {
  const codings = (value ?? '').split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '' && c !== 'identity');
  if (!hasBody || codings.length === 0) return undefined;
  const refused = problem(415, 'Unsupported Content-Encoding', `header Content-Encoding "${value!.slice(0, 100)}": the mock reads request bodies as sent, without a content coding; send the body uncompressed`, {
    header: 'content-encoding',
  });
  // RFC 9110 12.5.3: a 415 for a coding says which codings are accepted.
  return { ...refused, headers: { ...refused.headers, 'accept-encoding': 'identity' } };
}

// A range weighted 0 ("not this"), or by something that is not a plain decimal above 0 (-1, 0e5),
// is one Prism's negotiation may pick and answer with no content type at all, which no documented
// answer has. A weight short of RFC 9110's grammar but plainly positive (Java's "q=.2") counts.
const WEIGHT = /;\s*q\s*=\s*([^;\s]*)/i;
const weighted = (range: string) => {
  const q = WEIGHT.exec(range)?.[1];
  return q === undefined || (/^\d*\.?\d*$/.test(q) && Number(q) > 0);
};

/**
 * Accept without the media ranges that do not parse, or undefined when none does (any type is
 * then acceptable). Servers skip what they cannot read here, and real clients send such ranges:
 * Java's HttpURLConnection sends "*; q=.2" by default. Ranges weighted q=0, or by what is no
 * qvalue, are left out too, and an Accept of nothing but them is disregarded, which RFC 9110
 * (12.5.1) allows a server.
 */
export function readableAccept(value: string | undefined): string | undefined {
  const ranges = value?.split(',').filter((range) => MEDIA_TYPE.test(range) && weighted(range));
  return ranges?.length ? ranges.join(',') : undefined;
}

/**
 * Too deep a body overflows Prism's logger; too many values cost Prism seconds of blocked event
 * loop when they are wrong, as it builds one violation per error (MOCK-38).
 */
export function checkJsonBody(shape: JsonShape): MockResponse | undefined {
  if (shape.depth > LIMITS.jsonDepth) {
    return problem(400, 'Body nested too deeply', `request body nests ${shape.depth} levels deep; the mock accepts at most ${LIMITS.jsonDepth}`, { pointer: '', limit: LIMITS.jsonDepth });
  }
  if (shape.values > LIMITS.jsonValues) {
    return problem(413, 'Body holds too many values', `request body holds ${shape.values} JSON values (each array item, object member and the body itself counts); the mock accepts at most ${LIMITS.jsonValues}`, { limit: LIMITS.jsonValues });
  }
  return undefined;
}

export interface FormShape {
  /** Its parts: one more than its `&`s. Empty parts count too (URLSearchParams skips them), as they cost the parse as much. */
  fields: number;
  /** The most brackets one part's name opens (`a[b][]` opens 2), written or percent-encoded, as a parser decodes a name before it nests. */
  depth: number;
  /** The values a form's fields nest into: each one and each level its name opens (`a[b][]` is 3). */
  values?: number;
  /** The first name with a malformed percent-escape: Prism decodes every name and throws on it. */
  malformed?: string;
  /** Why a multipart part cannot be read, for the first such part. */
  unreadable?: string;
}

// `[`, or `%5B` / `%5b`, at `at`
const opensBracket = (text: string, at: number) => {
  const c = text.charCodeAt(at);
  return c === 91 || (c === 37 && text.charCodeAt(at + 1) === 53 && (text.charCodeAt(at + 2) | 32) === 98);
};

const undecodable = (name: string) => {
  if (!name.includes('%')) return false;
  try {
    decodeURIComponent(name);
    return false;
  } catch {
    return true;
  }
};

/** What form text holds, read once through without parsing it. */
export function measureForm(text: string): FormShape {
  if (text === '') return { fields: 0, depth: 0 };
  const shape: FormShape = { fields: 1, depth: 0, values: 0 };
  let opens = 0;
  let nameFrom = 0;
  let inName = true;
  const nameEnds = (at: number) => {
    shape.depth = Math.max(shape.depth, opens);
    shape.values! += opens + 1;
    const name = text.slice(nameFrom, at);
    if (shape.malformed === undefined && undecodable(name)) shape.malformed = name;
  };
  for (let at = 0; at < text.length; at++) {
    const c = text.charCodeAt(at);
    if (c === 38 /* & */) {
      if (inName) nameEnds(at);
      shape.fields++;
      opens = 0;
      nameFrom = at + 1;
      inName = true;
    } else if (!inName) continue;
    else if (c === 61 /* = */) {
      nameEnds(at);
      inName = false;
    } else if (opensBracket(text, at)) opens++;
  }
  if (inName) nameEnds(text.length);
  return shape;
}

// Prism's multipart parser (parse-multipart-data) reads a filename with JSON.parse.
const parsesAsJson = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

const CRLF = '\r\n';
// The parser builds each line from its bytes but CR and LF, and ends it only at CRLF: a delimiter
// written `--\nB` is `--B` to it.
const unbroken = (line: string) => (line.includes('\r') || line.includes('\n') ? line.replace(/[\r\n]/g, '') : line);

/**
 * Where the parser finds a delimiter in a line of a part's data. It keeps at most delimiter + 2
 * characters of a line, drops them with the next one, and compares after each character, so it
 * finds a delimiter only where one starts a line or each (delimiter + 3)th character after.
 */
function delimiterIn(line: string, delimiter: string): number {
  for (let at = 0; at + delimiter.length <= line.length; at += delimiter.length + 3) if (line.startsWith(delimiter, at)) return at;
  return -1;
}

interface PartHead {
  /** The last Content-Disposition and Content-Type header lines, as the parser keeps them. */
  disposition: string;
  type: string;
  /** Where that Content-Disposition line starts in the body; -1 when it has none, or began on a delimiter's line. */
  dispositionAt: number;
}

interface HeaderLine {
  text: string;
  at: number;
}

const lastHeader = (headers: HeaderLine[], name: string) => headers.filter((h) => h.text.toLowerCase().startsWith(name)).at(-1) ?? { text: '', at: -1 };

/**
 * The parts the parser hands Prism, found line by line as its byte-by-byte state machine finds
 * them (`bytes` is the body as one character a byte). A part is handed on at the delimiter after
 * it; what follows a delimiter on its line begins the next part's first header.
 */
function partsOf(bytes: string, boundary: string): PartHead[] {
  const delimiter = `--${boundary}`;
  const parts: PartHead[] = [];
  let state: 'preamble' | 'headers' | 'data' = 'preamble';
  let carried = '';
  let headers: HeaderLine[] = [];
  for (let from = 0; from < bytes.length; ) {
    const end = bytes.indexOf(CRLF, from);
    const line = unbroken(bytes.slice(from, end < 0 ? undefined : end));
    if (state === 'data') {
      const at = delimiterIn(line, delimiter);
      if (at >= 0) {
        const disposition = lastHeader(headers, 'content-disposition:');
        parts.push({ disposition: disposition.text, dispositionAt: disposition.at, type: lastHeader(headers, 'content-type:').text });
        [headers, carried, state] = [[], line.slice(at + delimiter.length), 'headers'];
      }
    } else if (end < 0) break;
    else if (state === 'preamble') state = line === delimiter ? 'headers' : state;
    else if (carried + line === '') state = 'data';
    else {
      // Pushed, not spread: a copy of the list for each line was quadratic (20,000 header lines held the mock 76 s).
      headers.push({ text: carried + line, at: carried ? -1 : from });
      carried = '';
    }
    if (end < 0) break;
    from = end + 2;
  }
  return parts;
}

// The parser reads what follows a part's name as `key=JSON`, and then needs a Content-Type.
function fileUnreadable({ disposition, type }: PartHead): boolean {
  const fileField = disposition.split(';', 3)[2];
  if (!fileField) return false;
  const filename = fileField.split('=')[1];
  return filename === undefined || !parsesAsJson(filename.trim()) || type === '';
}

/**
 * Whether the parser's name field is the part's whole name parameter. The parser's name is the
 * text after the first ';', up to its next '=': cut there, a part named `documents;filename=a.pdf`
 * or `documents=x`, or one with another parameter before its name (`foo="documents"`), was taken
 * as `documents`. Read without a pattern: one with blanks on both sides of the value took cubic
 * time on a name of blanks (4,000: 46 s).
 */
function wholeName(field: string): boolean {
  const at = field.indexOf('=');
  if (at < 0 || field.slice(0, at).trim().toLowerCase() !== 'name') return false;
  const value = field.slice(at + 1).trim();
  if (value.includes('=')) return false;
  const quotes = value.split('"').length - 1;
  return quotes === 0 || (quotes === 2 && value.startsWith('"') && value.endsWith('"'));
}

// Only a file's name is cut, and only after the part's whole name.
const namesFile = ({ disposition }: PartHead) => {
  const [, nameField, fileField] = disposition.split(';', 3);
  return wholeName(nameField!) && /^\s*filename\*?\s*=/i.test(fileField!);
};

const nameOf = ({ disposition }: PartHead) => disposition.split(';', 3)[1]?.split('=')[1]?.replace(/"/g, '');

/** Why the parser throws on a part (a 500 through Prism), as it reads the part's headers. */
function unreadablePart(part: PartHead, index: number): string | undefined {
  const name = nameOf(part);
  if (name === undefined) return `part ${index + 1} has no name (each part needs Content-Disposition: form-data; name="…")`;
  if (!fileUnreadable(part)) return undefined;
  const shown = asText(name).slice(0, 200);
  if (!/^\s*name\s*=/i.test(part.disposition.split(';', 3)[1]!)) return `part "${shown}" gives another parameter before its name, which the mock's multipart parser would read as the name (write form-data; name="…" first)`;
  if (!namesFile(part)) return `part "${shown}" has a ';' or '=' in its name, or a parameter other than filename after it, which the mock's multipart parser cannot read`;
  // readMultipart cuts each such header where it starts a line; one begun on the delimiter's line
  // (which RFC 2046 ends at CRLF) runs into the next header, and no client sends it.
  return `part "${shown}" begins its Content-Disposition on the delimiter's line, where the mock's multipart parser cannot read a file part's headers (begin them on the line after the delimiter, RFC 2046)`;
}

/**
 * The body with the given file parts' Content-Disposition cut before their file name. The parser
 * splits that header at every ';' and '=', reads what follows the name as JSON, and then needs a
 * Content-Type: a file named `contract;v2.pdf` or `report\` (FormData), .NET's unquoted
 * `filename=a.pdf` and Python requests' file part without a Content-Type (text/plain, RFC 7578
 * 4.4) each threw. Prism keeps only a part's name and data: a file's name and type need not reach it.
 */
function namesOnly(bytes: string, parts: PartHead[]): string {
  let out = '';
  let from = 0;
  for (const { dispositionAt: at } of parts) {
    const end = bytes.indexOf(CRLF, at);
    const line = bytes.slice(at, end);
    out += bytes.slice(from, at) + line.slice(0, line.indexOf(';', line.indexOf(';') + 1));
    from = end;
  }
  return Buffer.from(out + bytes.slice(from), 'latin1').toString('utf8');
}

// The parser reads bytes as characters; a name is shown as the UTF-8 it was sent in.
const asText = (bytes: string) => Buffer.from(bytes, 'latin1').toString('utf8');

/**
 * What multipart text holds, and the text to show Prism: the parts Prism's parser finds in it, and
 * their names as it reads them, measured as a form's names are. Found here without that parser,
 * which took up to 1.5 s on what this bounds, and which throws (a 500) on a part it cannot read:
 * one without a name, or a file whose name is not JSON or that has no Content-Type (such a file
 * part it is shown cut before its file name). The body is read as the parser reads it, one
 * character a byte of its UTF-8, and the boundary is the one Prism takes from Content-Type.
 */
export function readMultipart(text: string, boundary: string): { shape: FormShape; text: string } {
  const bytes = Buffer.from(text, 'utf8').toString('latin1');
  const parts = partsOf(bytes, boundary);
  // Too many parts are refused whatever they hold.
  if (parts.length > LIMITS.formFields) return { shape: { fields: parts.length, depth: 0 }, text };
  const cut = parts.filter((part) => part.dispositionAt >= 0 && fileUnreadable(part) && namesFile(part));
  for (const part of cut) part.disposition = part.disposition.split(';', 2).join(';');
  return { shape: shapeOf(parts), text: cut.length === 0 ? text : namesOnly(bytes, cut) };
}

function shapeOf(parts: PartHead[]): FormShape {
  const shape: FormShape = { fields: parts.length, depth: 0 };
  for (const [i, part] of parts.entries()) {
    shape.unreadable ??= unreadablePart(part, i);
    const name = nameOf(part);
    if (name === undefined) continue;
    let opens = 0;
    for (let at = 0; at < name.length; at++) if (opensBracket(name, at)) opens++;
    shape.depth = Math.max(shape.depth, opens);
    if (shape.malformed === undefined && undecodable(name)) shape.malformed = asText(name);
  }
  return shape;
}

/**
 * A form body is held to bounds of its own: parsing and validating 140,000 fields (0.9 MB, under
 * the size limit) blocked the event loop for a second a body, 99,000 for up to 5 s, and a field
 * named `a[][]…` 520,000 levels deep half a second; every vendor's requests waited behind it.
 */
export function checkFormBody({ fields, depth, values = 0 }: FormShape, multipart = false): MockResponse | undefined {
  if (depth > LIMITS.jsonDepth) {
    return problem(400, 'Body nested too deeply', `request body has a form field nested ${depth} levels deep (each [ in its name counts); the mock accepts at most ${LIMITS.jsonDepth}, as it does for JSON`, { limit: LIMITS.jsonDepth });
  }
  if (fields > LIMITS.formFields) {
    const counted = multipart ? `${fields} multipart parts` : `${fields} form fields (each part between '&' counts)`;
    return problem(413, 'Body holds too many values', `request body holds ${counted}; the mock accepts at most ${LIMITS.formFields} (the widest form documented has a few dozen)`, { limit: LIMITS.formFields });
  }
  // 1,000 fields each 64 levels deep (574 KB) took the mock's nesting of them 270 ms, every vendor
  // waiting, before the credentials were checked: a form becomes one object, held to a record's bound.
  if (values > LIMITS.recordValues) {
    return problem(413, 'Body holds too many values', `request body's form fields nest into ${values} values (each field and each [ level of its name counts); the mock accepts at most ${LIMITS.recordValues}`, { limit: LIMITS.recordValues });
  }
  return undefined;
}

/**
 * A form or multipart body within the bounds that the mock cannot read: a part Prism's parser
 * throws on, or a field name it cannot decode (a 500 "URI malformed" once). The engine answers it
 * after the credentials, as it does a body that is not JSON.
 */
export function unreadableForm({ malformed, unreadable }: FormShape): MockResponse | undefined {
  if (unreadable !== undefined) return problem(400, 'Malformed multipart body', `request body: ${unreadable}`);
  if (malformed === undefined) return undefined;
  return problem(400, 'Malformed form field name', `form field name "${malformed.slice(0, 200)}" has a malformed percent-escape (each % must start a valid UTF-8 escape such as %20)`, { field: malformed.slice(0, 200) });
}

/**
 * Prism's multipart parser walks a body a byte at a time into an array: one 1 MB file held every
 * vendor up for 0.7-1.1 s. No vendor documents an upload's size; a test document fits in this.
 */
export function checkMultipartBytes(bytes: number): MockResponse | undefined {
  if (bytes <= LIMITS.multipartBytes) return undefined;
  return problem(413, 'Body too large', `multipart request body has ${bytes} bytes; the mock accepts at most ${LIMITS.multipartBytes} in a multipart body (its multipart parser is slow on more)`, { limit: LIMITS.multipartBytes });
}

export function tooLarge(bytes: number): MockResponse {
  return problem(413, 'Body too large', `request body has ${bytes} bytes or more; the mock accepts at most ${LIMITS.bodyBytes}`, { limit: LIMITS.bodyBytes });
}
