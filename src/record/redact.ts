import { base64 } from '../auth/base64.js';

const utf8 = new TextEncoder();

/** A hex digit or byte as a pattern that takes either case (`%2f` and `%2F`, `\u00e9` and `\u00E9`). */
const anyCase = (hex: string) => hex.toUpperCase().replace(/[A-F]/g, (digit) => `[${digit}${digit.toLowerCase()}]`);
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** A written character as a URL encoder may leave or escape it: itself or its UTF-8 bytes as %XX (a space also as "+"). */
function urlChar(char: string): string {
  if (/[A-Za-z0-9]/.test(char)) return char;
  const escaped = [...utf8.encode(char)].map((byte) => `%${anyCase(byte.toString(16).padStart(2, '0'))}`).join('');
  // Escaped first: a character's match is taken whole (valuePattern), and `%` would take the start of `%25`.
  return `(?:${[escaped, literal(char), ...(char === ' ' ? ['\\+'] : [])].join('|')})`;
}

const BACKSLASH = urlChar('\\');

/** The entities HTML and XML encoders write (PHP's htmlspecialchars, Python's html.escape, XML's &apos;, Go's html/template &#43;). */
const ENTITIES: Record<string, string[]> = {
  '&': ['&amp;'],
  '<': ['&lt;'],
  '>': ['&gt;'],
  '"': ['&quot;', '&#34;'],
  "'": ['&#39;', '&#039;', '&#x27;', '&apos;'],
  '+': ['&#43;'],
};

/**
 * One character of a secret as any encoder of text may have written it: as it is; as JSON writes
 * it (`\"`, `\\`, `\n`), PHP's json_encode (`\/`) and \u escapes (PHP and Jackson for what is past
 * ASCII, Go for `<>&`, PHP's JSON_HEX_QUOT and JSON_HEX_APOS for quotes, .NET for `+`), in either case; each of
 * those URL-encoded, a character at a time, in either case; or as an HTML entity. Longest first.
 */
function charAlternatives(char: string): string[] {
  const written = new Set([char, JSON.stringify(char).slice(1, -1), ...(char === '/' ? ['\\/'] : [])]);
  const alternatives = [...written].map((form) => Array.from(form, urlChar).join(''));
  // Any character as a \u escape: .NET's System.Text.Json writes `+` as \u002B, Go's html/template `=` as \u003d.
  alternatives.push(Array.from({ length: char.length }, (_, i) => `${BACKSLASH}u${anyCase(char.charCodeAt(i).toString(16).padStart(4, '0'))}`).join(''));
  for (const entity of ENTITIES[char] ?? []) alternatives.push(literal(entity));
  return alternatives.reverse();
}

/**
 * The characters one of whose forms begins with the character itself (`%25`, `%5Cu0025`, `&amp;`).
 * Atomic, such a character kept the longer form where the value itself goes on with its tail
 * (`<%25pw` written `\u003c%25pw`: `%` took `%25`, and `25pw` found `pw`), so its choice is left
 * open. What a wrong choice leaves over starts with letters or digits, which the value's own
 * letters and digits must match one for one and no form of another character starts with: it
 * fails within the value's next run of them, and never multiplies the ways of splitting a text as
 * backslashes did.
 */
const SELF_PREFIXED = new Set(['%', '&']);

/**
 * A value as one pattern: first its uniform forms as text (uniformForms), longest first, then every
 * character in any of its forms, each character's match atomic (a lookahead captured and taken
 * back): a character that may be written `\` or `\\` was tried every way of splitting a run of
 * them, and 30 backslashes took seconds to minutes. A run of backslashes is one unit, written as
 * many or twice as many (atomic a backslash at a time, the first took both of `\\` and left the
 * second nothing). Atomic, a character takes the first of its forms that fits and never gives it
 * back (SELF_PREFIXED's excepted), so a mixed form that needs another is missed; the uniform forms
 * before it are not.
 */
function valuePattern(value: string): string | null {
  let group = 0;
  const atomic = (alternatives: string[]) => `(?=(${alternatives.join('|')}))(?:\\${++group})`;
  const alternatives = new Map<string, string[]>();
  const alternativesOf = (char: string) => alternatives.get(char) ?? alternatives.set(char, charAlternatives(char)).get(char)!;
  const oneChar = (char: string) => (/[A-Za-z0-9]/.test(char) ? char : SELF_PREFIXED.has(char) ? `(?:${alternativesOf(char).join('|')})` : atomic(alternativesOf(char)));
  // Given up as soon as it is too large: a long secret of special characters made megabytes of pattern to throw away.
  let perChar = '';
  for (const part of value.split(/(\\+)/)) {
    for (const piece of part.startsWith('\\') ? [atomic([`${BACKSLASH}{${2 * part.length}}`, `${BACKSLASH}{${part.length}}`])] : Array.from(part, oneChar)) {
      perChar += piece;
      if (perChar.length > LONG_PATTERN) return null;
    }
  }
  const source = [...uniformForms(value).map(literal), perChar].join('|');
  return source.length > LONG_PATTERN ? null : source;
}

/**
 * A value as whole encoders write it, longest first: each of `written` (by default as it is and as
 * JSON writes it, with PHP's `\/` or not) as it is and URL-encoded as encodeURIComponent, RFC
 * 3986's unreserved set alone (PHP's rawurlencode), a form (URLSearchParams), Python's quote_plus
 * and quote (`/` kept) and Go's PathEscape write it, in either case; and as HTML and XML escape it
 * (each spelling of the quotes, Go's `&#43;`).
 */
function uniformForms(value: string, written = jsonForms(value, false)): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const forms = new Set<string>();
  for (const text of [value, ...written]) {
    forms.add(text);
    for (const encoded of urlForms(text)) forms.add(encoded);
  }
  // Encoded twice: a token put in a redirect URL's query, and that URL in another's.
  for (const text of [value, json]) for (const twice of twiceEncoded(text)) forms.add(twice);
  const named = value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
  for (const quote of ['&quot;', '&#34;'])
    for (const apostrophe of ['&#39;', '&#039;', '&#x27;', '&apos;'])
      for (const plus of ['+', '&#43;']) forms.add(named.replaceAll('"', quote).replaceAll("'", apostrophe).replaceAll('+', plus));
  return [...forms].sort((x, y) => y.length - x.length);
}

/**
 * A value as JSON encoders write it, `/` escaped (PHP) or not; `escaped`, each way they may also
 * write `<>&` (Go, PHP's JSON_HEX_TAG), what is past ASCII (PHP, Jackson) and quotes (PHP's
 * JSON_HEX_QUOT and JSON_HEX_APOS) as \u escapes, in either case, each combination: every
 * whole form the enumerated forms listed, for a value the per-character pattern cannot take.
 */
function jsonForms(value: string, escaped: boolean): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const slashed = [json, json.replaceAll('/', '\\/')];
  if (!escaped) return slashed;
  const hex = (upper: boolean) => (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')[upper ? 'toUpperCase' : 'toLowerCase']()}`;
  const each = (forms: string[], rewrite: (form: string) => string[]) => forms.flatMap((form) => [form, ...rewrite(form)]);
  const tags = each(slashed, (form) => [false, true].map((upper) => form.replace(/[<>&]/g, hex(upper))));
  const wide = each(tags, (form) => [false, true].map((upper) => form.replace(/[^\x00-\x7f]/g, hex(upper))));
  return [...new Set(each(wide, (form) => [form.replaceAll('\\"', '\\u0022').replaceAll("'", '\\u0027')]))];
}

/** Each UTF-8 byte of `value` outside `kept` as %XX; a space as "+" where `plus` says so. */
function percentEncoded(value: string, kept: RegExp, plus: boolean): string {
  // Each character encoded once: a long secret is encoded this way dozens of times (textForms).
  const escaped = new Map<string, string>();
  const escape = (char: string) => [...utf8.encode(char)].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  let out = '';
  for (const char of value) {
    if (kept.test(char)) out += char;
    else if (plus && char === ' ') out += '+';
    else out += escaped.get(char) ?? escaped.set(char, escape(char)).get(char)!;
  }
  return out;
}

/** A text as URL encoders write it, upper- and lower-case hex (see uniformForms); none for a lone surrogate (it has no UTF-8 form). */
function urlForms(text: string): string[] {
  if (/\p{Cs}/u.test(text)) return [];
  const upper = [
    encodeURIComponent(text),
    percentEncoded(text, /[A-Za-z0-9\-_.~]/, false),
    new URLSearchParams({ v: text }).toString().slice(2),
    percentEncoded(text, /[A-Za-z0-9\-_.~]/, true),
    percentEncoded(text, /[A-Za-z0-9\-_.~/]/, false),
    percentEncoded(text, /[A-Za-z0-9\-_.~$&+,:;=@]/, false),
  ];
  return [...new Set([...upper, ...upper.map((form) => form.replace(/%[0-9A-F]{2}/g, (escaped) => escaped.toLowerCase()))])];
}

/**
 * A text URL-encoded twice, as encodeURIComponent and as a form (URLSearchParams) write it, each
 * in either case; none where encoding changes nothing (the forms above hold it) or for a lone
 * surrogate. Whole forms only: a character at a time, `%2525…` would be one more alternative for
 * every character of every value.
 */
function twiceEncoded(text: string): string[] {
  if (/\p{Cs}/u.test(text) || encodeURIComponent(text) === text) return [];
  const form = (t: string) => new URLSearchParams({ v: t }).toString().slice(2);
  const upper = [encodeURIComponent(encodeURIComponent(text)), form(form(text))];
  return [...new Set([...upper, ...upper.map((twice) => twice.replace(/%25[0-9A-F]{2}/g, (escaped) => escaped.toLowerCase()))])];
}

/**
 * The largest pattern a value is matched by, in characters: V8 compiles a larger one in time that
 * grows faster than its size (a 2,000-character secret of `/+=<&"`, 250,000 characters of
 * pattern, took 1.6 s) and refuses one past about 350,000. A value whose pattern is larger is
 * masked in its whole forms as text (textForms), as the enumerated forms masked it at any length.
 * Large enough for a 4096-bit PEM key (about 0.35 s, once), which needs its mixed forms: .NET
 * writes its `+` as \u002B and its line breaks as \n (at 65,536 both were recorded in clear).
 */
const LONG_PATTERN = 200_000;

/** A value's pattern, or null when it is too large (LONG_PATTERN) or V8 refuses it (its message quotes the pattern: the secret, in clear). */
function patternOf(value: string): RegExp | null {
  const source = valuePattern(value);
  if (source === null) return null;
  try {
    const pattern = new RegExp(source, 'g');
    // Compiled on first use: used once here, so that a refusal comes now, not while masking.
    pattern.test('');
    return pattern;
  } catch {
    return null;
  }
}

/** Every whole form the enumerated forms listed: the uniform forms of each way JSON encoders write the value. */
const textForms = (value: string) => uniformForms(value, jsonForms(value, true));

/**
 * Masks secret values wherever they appear in text that is printed or written: the values
 * themselves, their Basic-auth pairs, and every URL-encoded, JSON-escaped and HTML form they take
 * on the wire (valuePattern), a pattern a value. `tokens` are values seen issued while running;
 * only the configured secrets are paired into Basic-auth forms, which grow as the square of their
 * number. Longest value first. `compiled` keeps each value's pattern for the next redactor: a
 * recording learns a token per user and per refresh, and the redactor made anew each time
 * compiled every form of a hundred tokens again (a second and more per token learnt, CLIENT-86).
 */
export function createRedactor(secrets: string[], tokens: Iterable<string> = [], compiled = new Map<string, RegExp | null>()) {
  // A value as given, and as sent: fetch trims the whitespace a header value read from a file ends with.
  const values = [...new Set(secrets.flatMap((s) => [s, s.trim()]))].filter((s) => s.length >= 4);
  const all = [...new Set([...values, ...[...tokens].filter((t) => t.length >= 4)])].sort((a, b) => b.length - a.length);
  const kept = new Set(all);
  for (const value of compiled.keys()) if (!kept.has(value)) compiled.delete(value);
  const texts = new Set<string>();
  for (const value of values) for (const other of values) texts.add(base64(`${value}:${other}`));
  const patterns: { value: string; pattern: RegExp | null; forms?: string[] }[] = [];
  for (const value of all) {
    if (!compiled.has(value)) compiled.set(value, patternOf(value));
    const pattern = compiled.get(value);
    if (pattern) patterns.push({ value, pattern });
    else for (const form of textForms(value)) texts.add(form);
  }
  if (patterns.length === 0 && texts.size === 0) return (text: string) => text;
  const replaced = [...texts].sort((a, b) => b.length - a.length);
  const asText = (text: string, form: string) => (text.includes(form) ? text.split(form).join('[redacted]') : text);
  return (text: string) => {
    for (const form of replaced) text = asText(text, form);
    for (const entry of patterns) {
      if (entry.pattern) {
        try {
          text = text.replace(entry.pattern, '[redacted]');
          continue;
        } catch {
          // V8 may still refuse a pattern while matching (its stack), with an error that quotes it:
          // from then on the value is masked in its whole forms as text, here and in later redactors.
          entry.pattern = null;
          compiled.set(entry.value, null);
        }
      }
      for (const form of (entry.forms ??= textForms(entry.value))) text = asText(text, form);
    }
    return text;
  };
}
