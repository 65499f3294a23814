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

/**
 * How many parts form text holds, without parsing it: one more than its `&`s. Empty parts count
 * too (URLSearchParams skips them), as they cost the parse as much.
 */
export function countFormFields(text: string): number {
  if (text === '') return 0;
  let fields = 1;
  for (let at = text.indexOf('&'); at !== -1; at = text.indexOf('&', at + 1)) fields++;
  return fields;
}

/**
 * A form body is held to the JSON body's bound on values: parsing and validating 140,000 fields
 * (0.9 MB, under the size limit) blocked the event loop for a second a body, and every vendor's
 * requests waited behind it.
 */
export function checkFormBody(fields: number): MockResponse | undefined {
  if (fields <= LIMITS.jsonValues) return undefined;
  return problem(413, 'Body holds too many values', `request body holds ${fields} form fields (each part between '&' counts); the mock accepts at most ${LIMITS.jsonValues}, as it does JSON values`, { limit: LIMITS.jsonValues });
}

export function tooLarge(bytes: number): MockResponse {
  return problem(413, 'Body too large', `request body has ${bytes} bytes or more; the mock accepts at most ${LIMITS.bodyBytes}`, { limit: LIMITS.bodyBytes });
}
