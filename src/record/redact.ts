import { base64 } from '../auth/base64.js';

const utf8 = new TextEncoder();

/** A hex digit or byte as a pattern that takes either case (`%2f` and `%2F`, `\u00e9` and `\u00E9`). */
const anyCase = (hex: string) => hex.toUpperCase().replace(/[A-F]/g, (digit) => `[${digit}${digit.toLowerCase()}]`);
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** A written character as a URL encoder may leave or escape it: itself or its UTF-8 bytes as %XX (a space also as "+"). */
function urlChar(char: string): string {
  if (/[A-Za-z0-9]/.test(char)) return char;
  const escaped = [...utf8.encode(char)].map((byte) => `%${anyCase(byte.toString(16).padStart(2, '0'))}`).join('');
  return `(?:${[literal(char), escaped, ...(char === ' ' ? ['\\+'] : [])].join('|')})`;
}

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
 * ASCII, Go for `<>&`, PHP's JSON_HEX_QUOT and JSON_HEX_APOS for quotes), in either case; each of
 * those URL-encoded, a character at a time, in either case; or as an HTML entity.
 */
function charPattern(char: string): string {
  if (/[A-Za-z0-9]/.test(char)) return char;
  const written = new Set([char, JSON.stringify(char).slice(1, -1), ...(char === '/' ? ['\\/'] : [])]);
  const alternatives = [...written].map((form) => Array.from(form, urlChar).join(''));
  if (/[^\x00-\x7f]|[<>&"']/.test(char)) {
    alternatives.push(Array.from({ length: char.length }, (_, i) => `\\\\u${anyCase(char.charCodeAt(i).toString(16).padStart(4, '0'))}`).join(''));
  }
  for (const entity of ENTITIES[char] ?? []) alternatives.push(literal(entity));
  return `(?:${alternatives.join('|')})`;
}

/** A value too long to match in every written form, as it is, as JSON writes it and URL-encoded. */
const plainForms = (value: string) => [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)];

/** The longest value matched in every written form; past it, or past V8's limit on a pattern's size, in plainForms. */
const LONG_VALUE = 8192;

/** A value's pattern, or null when V8 refuses it as too large (its message quotes the pattern: the secret, in clear). */
function patternOf(value: string): RegExp | null {
  if (value.length > LONG_VALUE) return null;
  try {
    const pattern = new RegExp(Array.from(value, charPattern).join(''), 'g');
    // Compiled on first use: used once here, so that a refusal comes now, not while masking.
    pattern.test('');
    return pattern;
  } catch {
    return null;
  }
}

/**
 * Masks secret values wherever they appear in text that is printed or written: the values
 * themselves, their Basic-auth pairs, and every URL-encoded, JSON-escaped and HTML form they take
 * on the wire (charPattern), a pattern a value. `tokens` are values seen issued while running;
 * only the configured secrets are paired into Basic-auth forms, which grow as the square of their
 * number. Longest value first. `compiled` keeps each value's pattern for the next redactor: a
 * recording learns a token per user and per refresh, and the redactor made anew each time
 * compiled every form of a hundred tokens again (a second and more per token learnt, CLIENT-86).
 */
export function createRedactor(secrets: string[], tokens: Iterable<string> = [], compiled = new Map<string, RegExp | null>()) {
  // A value as given, and as sent: fetch trims the whitespace a header value read from a file ends with.
  const values = [...new Set(secrets.flatMap((s) => [s, s.trim()]))].filter((s) => s.length >= 4);
  const all = [...new Set([...values, ...[...tokens].filter((t) => t.length >= 4)])].sort((a, b) => b.length - a.length);
  for (const value of compiled.keys()) if (!all.includes(value)) compiled.delete(value);
  const texts = new Set<string>();
  for (const value of values) for (const other of values) texts.add(base64(`${value}:${other}`));
  const patterns: RegExp[] = [];
  for (const value of all) {
    if (!compiled.has(value)) compiled.set(value, patternOf(value));
    const pattern = compiled.get(value);
    if (pattern) patterns.push(pattern);
    else for (const form of plainForms(value)) texts.add(form);
  }
  if (patterns.length === 0 && texts.size === 0) return (text: string) => text;
  const replaced = [...texts].sort((a, b) => b.length - a.length);
  return (text: string) => {
    for (const form of replaced) if (text.includes(form)) text = text.split(form).join('[redacted]');
    for (const pattern of patterns) text = text.replace(pattern, '[redacted]');
    return text;
  };
}
