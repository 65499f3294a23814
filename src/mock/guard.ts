import { mediaMatches, mediaTypeOf } from '../guard/violation.js';
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
export const LIMITS = { bodyBytes: 1024 * 1024, jsonDepth: 64, jsonValues: 100_000, recordValues: 10_000, sortFields: 5 } as const;

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

/** What the guards read of JSON text: how deep it nests, and how many values it holds (containers included). */
export interface JsonShape {
  depth: number;
  values: number;
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/**
 * The deepest nesting of arrays/objects in JSON text and its number of values, found in one pass
 * without recursion or parsing. A value is the root, each item after a comma, and the first item of
 * each array or object that is not empty (exact for valid JSON; text that is not is refused later).
 */
export function measureJson(text: string): JsonShape {
  let depth = 0;
  let deepest = 0;
  let values = 0;
  let inString = false;
  let opened = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
      continue;
    }
    if (opened && !isSpace(c)) {
      opened = false;
      if (c !== 93 && c !== 125) values++;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      deepest = Math.max(deepest, ++depth);
      opened = true;
    } else if (c === 125 || c === 93) depth--;
    else if (c === 44) values++;
  }
  return { depth: deepest, values: text.trim() === '' ? 0 : values + 1 };
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
}

/** What form text holds, read once through without parsing it. */
export function measureForm(text: string): FormShape {
  if (text === '') return { fields: 0, depth: 0 };
  let fields = 1;
  let depth = 0;
  let opens = 0;
  let inName = true;
  for (let at = 0; at < text.length; at++) {
    const c = text.charCodeAt(at);
    if (c === 38 /* & */) {
      fields++;
      depth = Math.max(depth, opens);
      opens = 0;
      inName = true;
    } else if (!inName) continue;
    else if (c === 61 /* = */) inName = false;
    // `[`, or `%5B` / `%5b`
    else if (c === 91 || (c === 37 && text.charCodeAt(at + 1) === 53 && (text.charCodeAt(at + 2) | 32) === 98)) opens++;
  }
  return { fields, depth: Math.max(depth, opens) };
}

/**
 * A form body is held to the JSON body's bounds: parsing and validating 140,000 fields (0.9 MB,
 * under the size limit) blocked the event loop for a second a body, and a field named
 * `a[][]…` 520,000 levels deep half a second; every vendor's requests waited behind it.
 */
export function checkFormBody({ fields, depth }: FormShape): MockResponse | undefined {
  if (depth > LIMITS.jsonDepth) {
    return problem(400, 'Body nested too deeply', `request body has a form field nested ${depth} levels deep (each [ in its name counts); the mock accepts at most ${LIMITS.jsonDepth}, as it does for JSON`, { limit: LIMITS.jsonDepth });
  }
  if (fields <= LIMITS.jsonValues) return undefined;
  return problem(413, 'Body holds too many values', `request body holds ${fields} form fields (each part between '&' counts); the mock accepts at most ${LIMITS.jsonValues}, as it does JSON values`, { limit: LIMITS.jsonValues });
}

export function tooLarge(bytes: number): MockResponse {
  return problem(413, 'Body too large', `request body has ${bytes} bytes or more; the mock accepts at most ${LIMITS.bodyBytes}`, { limit: LIMITS.bodyBytes });
}
