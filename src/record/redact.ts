import { base64 } from '../auth/base64.js';

/**
 * A value as JSON encoders write it in a string: `"` and `\` escaped (JSON.stringify), and also
 * `/` escaped (PHP's json_encode, which base64 secrets meet), every character past ASCII as a \u
 * escape (PHP's default), `<`, `>`, `&` as \u escapes (Go in lower case, PHP's JSON_HEX_TAG in
 * upper): each combination.
 */
function jsonForms(value: string): string[] {
  const escape = (c: string, upper: boolean) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')[upper ? 'toUpperCase' : 'toLowerCase']()}`;
  const forms = new Set<string>();
  for (const slash of [false, true]) {
    for (const tags of [undefined, false, true]) {
      for (const wide of [undefined, false, true]) {
        for (const quotes of [false, true]) {
          let form = JSON.stringify(value).slice(1, -1);
          if (slash) form = form.replaceAll('/', '\\/');
          if (tags !== undefined) form = form.replace(/[<>&]/g, (c) => escape(c, tags));
          // PHP's default (lower case) and Jackson's (upper case).
          if (wide !== undefined) form = form.replace(/[^\x00-\x7f]/g, (c) => escape(c, wide));
          // PHP's JSON_HEX_QUOT and JSON_HEX_APOS.
          if (quotes) form = form.replaceAll('\\"', '\\u0022').replaceAll("'", '\\u0027');
          forms.add(form);
        }
      }
    }
  }
  return [...forms];
}

const utf8 = new TextEncoder();

/** Each UTF-8 byte of `value` outside `kept` as %XX; a space as "+" where `plus` says so. */
function percentEncoded(value: string, kept: RegExp, plus: boolean): string {
  let out = '';
  for (const char of value) {
    if (kept.test(char)) out += char;
    else if (plus && char === ' ') out += '+';
    else for (const byte of utf8.encode(char)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * A value as URL encoders write it, each with upper- and lower-case hex (.NET's
 * HttpUtility.UrlEncode writes `%2f`): encodeURIComponent; RFC 3986's unreserved set alone (PHP's
 * rawurlencode); a form (space as "+", !'()~ escaped too); Python's quote_plus (space as "+",
 * !'()* escaped, ~ not) and quote (`/` kept); Go's url.PathEscape (`$&+,:;=@` kept, `/` escaped).
 */
function urlForms(value: string): string[] {
  const upper = [
    encodeURIComponent(value),
    percentEncoded(value, /[A-Za-z0-9\-_.~]/, false),
    new URLSearchParams({ v: value }).toString().slice(2),
    percentEncoded(value, /[A-Za-z0-9\-_.~]/, true),
    percentEncoded(value, /[A-Za-z0-9\-_.~/]/, false),
    percentEncoded(value, /[A-Za-z0-9\-_.~$&+,:;=@]/, false),
  ];
  return [...new Set([...upper, ...upper.map((form) => form.replace(/%[0-9A-F]{2}/g, (escaped) => escaped.toLowerCase()))])];
}

/**
 * A value as HTML or XML shows it: `&`, `<`, `>` as entities, `"` and `'` in each spelling
 * (PHP's htmlspecialchars, Python's html.escape, Go's html.EscapeString, XML's `&apos;`), and `+`
 * as Go's html/template writes it (`&#43;`, which base64 secrets meet).
 */
function htmlForms(value: string): string[] {
  const named = value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
  const forms = new Set<string>();
  for (const quote of ['&quot;', '&#34;'])
    for (const apostrophe of ['&#39;', '&#039;', '&#x27;', '&apos;'])
      for (const plus of ['+', '&#43;']) forms.add(named.replaceAll('"', quote).replaceAll("'", apostrophe).replaceAll('+', plus));
  return [...forms];
}

/** The longest form one alternation of the pattern takes: the pattern stays far below V8's limit however many there are. */
const LONGEST_IN_PATTERN = 1024;

/** The longest learnt value masked in every written form (see createRedactor). */
const LONG_TOKEN = 1024;

/**
 * Masks secret values wherever they appear in text that is printed or written: the values
 * themselves, and the Basic-auth, URL-encoded, JSON-escaped and HTML forms they take on the wire. `tokens`, values
 * seen issued while running, are masked as they are and URL-encoded; only the configured
 * secrets are paired into Basic-auth forms, which grow as the square of their number.
 * One pass of one regular expression, longest form first, whatever the number of forms; a form
 * longer than LONGEST_IN_PATTERN is replaced as text before it.
 */
export function createRedactor(secrets: string[], tokens: Iterable<string> = []) {
  // A value as given, and as sent: fetch trims the whitespace a header value read from a file ends with.
  const values = [...new Set(secrets.flatMap((s) => [s, s.trim()]))].filter((s) => s.length >= 4);
  const forms = new Set<string>();
  const learnt = [...tokens].filter((t) => t.length >= 4);
  for (const value of [...values, ...learnt.filter((t) => t.length <= LONG_TOKEN)]) {
    // As a JSON string writes it too: a token endpoint that echoes the JSON body it was sent
    // shows Perx's client secret so, and a URL-encoded echo of that body.
    for (const written of new Set([value, ...jsonForms(value)])) {
      forms.add(written);
      for (const encoded of urlForms(written)) forms.add(encoded);
    }
    for (const shown of htmlForms(value)) forms.add(shown);
  }
  // A value learnt longer than 1 kB (a JWT with many claims, a message under a password's name) is masked as
  // it is, as JSON and as a URL write it: each of its hundreds of other forms cost a search of every
  // text, and 25,000 characters of quotes and slashes under a password's name took seconds.
  for (const value of learnt.filter((t) => t.length > LONG_TOKEN)) for (const form of [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]) forms.add(form);
  for (const value of values) for (const other of values) forms.add(base64(`${value}:${other}`));
  if (forms.size === 0) return (text: string) => text;
  // Longest first. A form too long for one regular expression (V8 refuses one past about 32 KB,
  // with a SyntaxError quoting it: a credential, in clear) is replaced by itself, as text.
  const sorted = [...forms].sort((a, b) => b.length - a.length);
  const long = sorted.filter((form) => form.length > LONGEST_IN_PATTERN);
  const short = sorted.filter((form) => form.length <= LONGEST_IN_PATTERN);
  const pattern = short.length ? new RegExp(short.map((form) => form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g') : undefined;
  return (text: string) => {
    for (const form of long) if (text.includes(form)) text = text.split(form).join('[redacted]');
    return pattern ? text.replace(pattern, '[redacted]') : text;
  };
}
