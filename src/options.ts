/**
 * The one place client options are checked. Each factory declares its options as rules (what
 * type, which range, required or not, and which combinations are invalid); `checkOptions` applies
 * them and throws a ConfigError naming the option and the rule it breaks. Declaring rather than
 * hand-writing the checks keeps every vendor's checks complete and identical in wording.
 */
import { ConfigError } from './errors.js';

export interface Rule {
  required: boolean;
  /** The rule `value` breaks, as the end of a sentence ("must be …"), or undefined when it holds. */
  check(value: unknown): string | undefined;
  /** Rules for the fields of an object value, checked when `check` passes. */
  fields?(value: Record<string, unknown>): Record<string, Rule>;
  /** Why a field `fields` has no rule for is wrong here (a near miss of one it has), or undefined to let it pass. */
  unknown?(field: string, value: Record<string, unknown>): string | undefined;
}

/** An invalid combination of options that are each valid on their own. */
export interface Combination {
  option: string;
  rule: string;
  broken(options: Record<string, unknown>): boolean;
}

export type Rules = Record<string, Rule>;

/** What was given, without echoing it (options hold credentials). */
/** "an object", "a Map", "a Uint8Array": a word with its article (a leading u reads as "you"). */
export const withArticle = (word: string): string => `${/^[aeio]/i.test(word) ? 'an' : 'a'} ${word}`;

export function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  return withArticle(typeof value);
}

const rule = (check: Rule['check'], extra: Partial<Rule> = {}): Rule => ({ required: false, check, ...extra });

/** Marks a rule as required (a missing value is "is required"). */
export const required = (r: Rule): Rule => ({ ...r, required: true });

/** A non-empty string (credentials, names). Blank strings are refused: they are always a mistake. */
export const text = (): Rule =>
  rule((v) => (typeof v !== 'string' ? `must be a string (got ${kindOf(v)})` : v.trim() === '' ? 'must be a non-empty string' : undefined));

/**
 * A credential sent base64-encoded or in a body (XONVO's and Footprints' Basic credentials, Perx's
 * client credentials, Footprints' grant): sent as given, so whitespace at either end (a value read
 * from a file ends with a newline) would be part of it, and the vendor would refuse it as a wrong
 * credential. Refused here, naming the option. (Credentials sent in a header are trimmed by fetch:
 * headerText lets such whitespace pass.)
 */
export const credential = (): Rule =>
  rule((v) => text().check(v) ?? (/^\s|\s$/.test(v as string) ? 'must not start or end with whitespace (a value read from a file or the environment often ends with a line break: trim it)' : undefined));

/** The user part of HTTP Basic credentials: the receiver ends it at the first ':' (RFC 7617). */
export const basicUser = (): Rule =>
  rule((v) => credential().check(v) ?? ((v as string).includes(':') ? "must not contain ':' (HTTP Basic ends the user name at the first ':')" : undefined));

/** A header value as fetch sends it: whitespace at either end trimmed (a token read from a file ends with a newline). */
export function asSentInHeader(value: string): string {
  // By index, not by /[\t\n\r ]+$/: that pattern scans to the end from every blank, and a webhook's
  // token of 16,000 spaces held the receiver's event loop for a third of a second (64,000: 6 s).
  const blank = (at: number) => value[at] === ' ' || value[at] === '\t' || value[at] === '\n' || value[at] === '\r';
  let start = 0;
  let end = value.length;
  while (start < end && blank(start)) start++;
  while (end > start && blank(end - 1)) end--;
  return value.slice(start, end);
}

/**
 * Whether fetch refuses to send this in a header: a control character other than tab (a line
 * break, a NUL, DEL) or a character above U+00FF. Headers() refuses a few of them with a TypeError
 * quoting the value, a credential landing in the caller's logs; undici takes the rest and then
 * fails every call with "fetch failed", naming only the header.
 */
export const unsendableInHeader = (value: string): boolean => /[\x00-\x08\x0a-\x1f\x7f]|[^\x00-\xff]/.test(asSentInHeader(value));
export const HEADER_RULE = 'must be usable in a header: no control characters other than tab, and none above U+00FF';

/** An HTTP token (RFC 9110): what a method or a header name must be. */
export const isHttpToken = (value: string): boolean => /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(value);

/**
 * A non-empty string sent in a header (a token, a product name); tabs, spaces and line breaks at
 * either end are allowed, as fetch trims them. Other whitespace there (a no-break space pasted
 * with a token) is sent, and the vendor refuses the credential with nothing to say why.
 */
export const headerText = (): Rule =>
  rule(
    (v) =>
      text().check(v) ??
      (unsendableInHeader(v as string)
        ? HEADER_RULE
        : /^\s|\s$/.test(asSentInHeader(v as string))
          ? 'must not start or end with whitespace fetch sends (a no-break space pasted with the value: trim it)'
          : undefined),
  );

/**
 * A token the client sends after its own `Bearer `: one copied with its header's scheme (`Bearer
 * eyJ…`, from a browser's network tab) went as `Bearer Bearer eyJ…`, and the vendor's 401 said
 * nothing of why. A JWT holds no blank, nor anything else outside RFC 6750's b64token, so the
 * checks refuse nothing real.
 */
export const bearerToken = (): Rule =>
  rule((v) => {
    const broken = headerText().check(v);
    if (broken) return broken;
    const sent = asSentInHeader(v as string);
    if (/^bearer\s/i.test(sent)) return "must be the token alone, without 'Bearer ' (the client writes the scheme before it)";
    // fetch trims only the header's ends: a blank before the token stays, after the client's `Bearer `.
    if (/^[ \t\r\n]/.test(v as string)) return "must not start with whitespace: it would be sent after the client's 'Bearer ' (trim it)";
    // Another scheme pasted with its token (`Basic …`), or the quotes of a copied JSON string, reached
    // the vendor as a token it refused with a bare 401. RFC 6750's b64token is what a bearer header carries.
    const at = sent.search(/[^A-Za-z0-9._~+/=-]|=[^=]/);
    if (at < 0) return undefined;
    const equals = sent[at] === '=';
    const found = equals ? sent[at + 1]! : sent[at]!;
    return `must be the token alone, as RFC 6750 writes one: letters, digits, '-', '.', '_', '~', '+', '/', then any '=' (character ${at + (equals ? 2 : 1)} is ${characterName(found)}${equals ? " after '='" : ''}; the value is not shown)`;
  });

/** A character a bearer token may not hold, named without quoting the token around it. */
function characterName(c: string): string {
  if (c === ' ') return 'a blank';
  if (c === '\t') return 'a tab';
  if (c === '"') return 'a double quote';
  return /^[\x21-\x7e]$/.test(c) ? `'${c}'` : `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * A non-empty string that fills one segment of a URL path (a club's slug): unreserved URL
 * characters only, so it cannot move the request to another path (`/`, `..`) or cut the URL (`?`, `#`).
 */
export const pathSegment = (): Rule =>
  rule((v) => {
    const broken = text().check(v);
    if (broken) return broken;
    if (!/^[A-Za-z0-9._~-]+$/.test(v as string) || /^\.{1,2}$/.test(v as string)) return `must be one URL path segment: letters, digits, '-', '_', '.' or '~' (got "${v}")`;
    return undefined;
  });

/**
 * A URL as an error may quote it: nothing up to its last '@' but the scheme (a password may hold
 * '/', '?', '#' or '@', so where it ends cannot be told from a URL that does not parse), and
 * nothing after a '?' or '#' (a query may hold a credential: `?api_key=…`).
 */
export function shownUrl(value: string): string {
  const scheme = /^\s*[a-z][a-z\d+.-]*:\/\//i.exec(value)?.[0] ?? '';
  const at = value.lastIndexOf('@');
  const rest = at >= scheme.length ? `…${value.slice(at)}` : value.slice(scheme.length);
  return `${scheme}${rest}`.replace(/([?#]).*$/s, '$1…');
}

/**
 * Why `value` is not an http(s) URL fetch can call, as the end of a sentence ("must be …"), or
 * undefined. fetch refuses a URL with a user name or password at every request, quoting it,
 * password and all; so such a URL is refused up front, and what comes before an '@' is never
 * echoed. The one check for every URL a user gives: base URLs, the recording proxy's target,
 * webhook receivers.
 */
export function httpUrlProblem(value: string): string | undefined {
  const shown = shownUrl(value);
  const parsed = URL.canParse(value) ? new URL(value) : undefined;
  if (!parsed || !/^https?:$/.test(parsed.protocol)) return `must be an absolute URL with http: or https: (got "${shown}")`;
  if (parsed.username || parsed.password) return `must not contain a user name or password (got "${shown}")`;
  return undefined;
}

/** A base URL each call's path is appended to, so a query or fragment would swallow the paths. */
export const url = (): Rule =>
  rule((v) => {
    if (typeof v !== 'string') return `must be an absolute URL string (got ${kindOf(v)})`;
    if (v.trim() === '') return 'must be a non-empty string';
    const problem = httpUrlProblem(v);
    if (problem) return problem;
    // Not echoed past the "?": a query may hold a credential (`?api_key=…`).
    if (/[?#]/.test(v)) return `must not have a query or fragment: each call's path is appended to it (got "${shownUrl(v)}")`;
    return undefined;
  });

export const integer = (min: number, max: number): Rule =>
  rule((v) => {
    if (typeof v !== 'number' || Number.isNaN(v)) return `must be an integer (got ${kindOf(v)})`;
    if (!Number.isInteger(v)) return `must be an integer (got ${v})`;
    if (v < min || v > max) return `must be between ${min} and ${max} (got ${Object.is(v, -0) ? '-0' : v})`;
    return undefined;
  });

/** The highest TCP port. */
export const MAX_PORT = 65535;

/**
 * What a port to listen on must be, as the end of a sentence: the one wording for the mock's
 * options and the command line's flags. `max` is lower for the first of a run of ports.
 */
export const portRange = (max = MAX_PORT): string => `must be a whole number from 0 (any free port) to ${max}`;

/** A port to listen on (the mock's, the recording proxy's); 0 asks the system for any free one. */
export const listenPort = (max = MAX_PORT): Rule =>
  rule((v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max ? undefined : `${portRange(max)} (got ${typeof v === 'number' ? v : kindOf(v)})`));

export const fraction = (): Rule =>
  rule((v) => {
    if (typeof v !== 'number' || Number.isNaN(v)) return `must be a number (got ${kindOf(v)})`;
    if (v < 0 || v > 1) return `must be between 0 and 1 (got ${v})`;
    return undefined;
  });

export const flag = (): Rule => rule((v) => (typeof v === 'boolean' ? undefined : `must be true or false (got ${kindOf(v)})`));

export const func = (): Rule => rule((v) => (typeof v === 'function' ? undefined : `must be a function (got ${kindOf(v)})`));

export const oneOf = (values: readonly string[]): Rule =>
  rule((v) => (typeof v === 'string' && values.includes(v) ? undefined : `must be one of ${values.map((x) => `'${x}'`).join(', ')} (got ${typeof v === 'string' ? `'${v}'` : kindOf(v)})`));

/**
 * A status a call is sent again for. Not 401: resending the credentials a vendor refused cannot
 * change its answer, and Perx and Footprints already answer a 401 with one token refresh (with 401
 * listed, Perx resent its refused token three times, 1.8 s of waits, before refreshing).
 */
export const retryStatus = (): Rule =>
  rule((v) => integer(400, 599).check(v) ?? (v === 401 ? 'must not be 401: refused credentials are not sent again (Perx and Footprints refresh their token once on a 401)' : undefined));

export const list = (item: Rule, minItems = 1): Rule =>
  rule((v) => {
    if (!Array.isArray(v)) return `must be an array (got ${kindOf(v)})`;
    if (v.length < minItems) return `must list at least ${minItems} value${minItems === 1 ? '' : 's'}`;
    for (const [i, x] of v.entries()) {
      const broken = item.check(x);
      if (broken) return `[${i}] ${broken}`;
    }
    return undefined;
  });

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The rule a name breaks when it probably mistypes one of `known` (it would be ignored), or undefined. */
export const misspelt = (name: string, known: Iterable<string>): string | undefined => {
  const meant = nearMiss(name, known);
  return meant && `is unknown: did you mean "${meant}"?`;
};

/**
 * An object of the given fields. A field it has no rule for passes unless it mistypes one, or, when
 * `closed`, always refused: an option's own object (retry) is not a wider settings object spread
 * into it, and a field it ignores (`retry.statuses`, `retry.methods`) would leave the caller
 * believing it set something.
 */
export const object = (fields: Rules, { closed = false } = {}): Rule =>
  rule((v) => (isObject(v) ? undefined : `must be an object (got ${kindOf(v)})`), {
    fields: () => fields,
    unknown: (field) => misspelt(field, Object.keys(fields)) ?? (closed ? `is unknown: the fields are ${Object.keys(fields).join(', ')}` : undefined),
  });

/**
 * An object whose shape depends on one field (a discriminator), e.g. an OAuth grant by `grant_type`.
 * A field of another shape is refused: sent with this one, it would be a credential given to a
 * grant that ignores it (a password with client credentials acts as the app, not the user).
 */
export const variants = (key: string, shapes: Record<string, Rules>): Rule =>
  rule((v) => (isObject(v) ? undefined : `must be an object (got ${kindOf(v)})`), {
    fields: (v) => ({ [key]: required(oneOf(Object.keys(shapes))), ...(shapes[v[key] as string] ?? {}) }),
    unknown: (field, v) => {
      const owners = Object.keys(shapes).filter((shape) => field in shapes[shape]!);
      if (owners.length > 0) return `belongs to ${key} ${owners.map((o) => `'${o}'`).join(' or ')}, not '${String(v[key])}'`;
      return misspelt(field, [key, ...Object.keys(shapes[v[key] as string] ?? {})]);
    },
  });

/** Checks one value against its rule (and its fields'); throws a ConfigError naming `name`. */
export function checkValue(vendor: string, name: string, value: unknown, r: Rule): void {
  if (value === undefined) {
    if (r.required) throw new ConfigError(vendor, name, 'is required');
    return;
  }
  const broken = r.check(value);
  if (broken) throw new ConfigError(vendor, name, broken);
  if (r.fields) {
    const record = value as Record<string, unknown>;
    const fields = r.fields(record);
    // Only the fields given (or required) are checked: calls run this on every request.
    for (const field in fields) {
      const fieldRule = fields[field]!;
      if (record[field] !== undefined || fieldRule.required) checkValue(vendor, `${name}.${field}`, record[field], fieldRule);
    }
    if (r.unknown) {
      for (const field of Object.keys(record)) {
        const problem = field in fields || record[field] === undefined ? undefined : r.unknown(field, record);
        if (problem) throw new ConfigError(vendor, `${name}.${field}`, problem);
      }
    }
  }
}

/**
 * An option that is an object of fields (retry, a grant), copied with each field read once, as
 * the options are: a `retries` getter that answered 1 to the check and 1000 later got 1000
 * retries. Fields on a prototype (a settings class's getters) are read by the rule's names.
 */
function readOnce(value: unknown, r: Rule): unknown {
  if (!isObject(value) || !r.fields || r.check(value)) return value;
  const copy: Record<string, unknown> = { ...value };
  // Again once a field is read: a variant's fields follow from its discriminator.
  for (let read = new Set(Object.keys(copy)), more = true; more; ) {
    more = false;
    for (const name of Object.keys(r.fields(copy))) {
      if (read.has(name)) continue;
      read.add(name);
      const field = value[name];
      if (field !== undefined) [copy[name], more] = [field, true];
    }
  }
  // A list is copied too: `retry.on` pushed to after the check was used as it then was.
  for (const name of Object.keys(copy)) if (Array.isArray(copy[name])) copy[name] = [...(copy[name] as unknown[])];
  return copy;
}

/**
 * Checks a factory's options against its rules, then the combinations; throws the first
 * ConfigError. Returns what was checked as a plain object of the options it knows, each read
 * where it was found (a settings class's getter, an `Object.create(defaults)`), so the client
 * uses exactly the values checked, which spreading the original would drop.
 */
export function checkOptions<T>(vendor: string, factory: string, options: T, rules: Rules, combinations: Combination[] = []): T {
  const names = namesOf(vendor, options);
  if (!isObject(options)) {
    const required = Object.entries(rules).filter(([, r]) => r.required).map(([k]) => k);
    throw new ConfigError(vendor, 'options', `must be an object: ${factory}({ ${[...required, '…'].join(', ')} }) (got ${kindOf(options)})`);
  }
  // A mistyped option would otherwise be ignored: `timeoutMS: 500` leaves the 30 s default, a
  // `vaildate` leaves the guard off. Other keys pass (callers spread wider settings objects).
  const known = Object.keys(rules);
  for (const name of names) {
    const problem = known.includes(name) ? undefined : misspelt(name, known);
    if (problem) throw new ConfigError(vendor, name, problem);
  }
  // Each option is read once (a getter that answered differently on another read could pass the
  // check with one value and be used with another), and nothing else is read: a wider settings
  // object's other getters (one that throws while its variable is unset) are not the client's.
  const checked: Record<string, unknown> = {};
  for (const name of known) {
    const value = options[name];
    if (value !== undefined) checked[name] = unlessUnreadable(vendor, name, () => readOnce(value, rules[name]!));
  }
  for (const [name, r] of Object.entries(rules)) unlessUnreadable(vendor, name, () => checkValue(vendor, name, checked[name], r));
  for (const c of combinations) if (c.broken(checked)) throw new ConfigError(vendor, c.option, c.rule);
  return checked as T;
}

/** The options' own names; none for what is not an object. */
const namesOf = (vendor: string, options: unknown): string[] =>
  typeof options !== 'object' || options === null ? [] : unlessUnreadable(vendor, 'options', () => (Array.isArray(options) ? [] : Object.keys(options)));

/**
 * What `read` answers, where reading an option to check it may fail: a revoked Proxy refuses even
 * to say whether it is a list (a TypeError from inside the check before), as the options or in
 * one of them. A ConfigError of the check is passed on as it is.
 */
function unlessUnreadable<T>(vendor: string, option: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ConfigError || !(error instanceof TypeError)) throw error;
    throw new ConfigError(vendor, option, `must be ${option === 'options' ? 'an object' : 'a value'} that can be read to be checked (reading it threw: ${error.message})`, { cause: error });
  }
}

/** The name in `known` that `name` probably mistypes: the same in another case, or one edit away. */
export function nearMiss(name: string, known: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  const names = [...known];
  return names.find((k) => k.toLowerCase() === lower) ?? names.find((k) => oneEditApart(k.toLowerCase(), lower));
}

/** One letter added, dropped, changed, or two neighbours swapped (names of 5 letters and more). */
function oneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1 || Math.min(a.length, b.length) < 5) return false;
  let start = 0;
  while (a[start] === b[start]) start++;
  let end = 0;
  while (end < Math.min(a.length, b.length) - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  const [restA, restB] = [a.length - start - end, b.length - start - end];
  return (restA <= 1 && restB <= 1) || (restA === 2 && restB === 2 && a[start] === b[start + 1] && a[start + 1] === b[start]);
}

export const VALIDATE_MODES = ['off', 'report', 'throw'] as const;
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Options every client takes (CommonOptions in client.ts). */
export const commonRules: Rules = {
  baseUrl: url(),
  fetch: func(),
  timeoutMs: integer(1, 2_147_483_647),
  retry: object(
    {
      retries: required(integer(0, 10)),
      on: list(retryStatus()),
      maxWaitSeconds: integer(0, 3600),
    },
    { closed: true },
  ),
  validate: oneOf(VALIDATE_MODES),
  onViolation: func(),
  sample: fraction(),
  record: func(),
};

export const commonCombinations: Combination[] = [
  {
    option: 'onViolation',
    rule: "is required when validate is 'report' (it receives each violation)",
    broken: (o) => o.validate === 'report' && o.onViolation === undefined,
  },
  {
    option: 'sample',
    rule: "has no effect unless validate is 'report' or 'throw'",
    broken: (o) => o.sample !== undefined && (o.validate === undefined || o.validate === 'off'),
  },
  {
    option: 'onViolation',
    rule: "has no effect unless validate is 'report' or 'throw'",
    broken: (o) => o.onViolation !== undefined && (o.validate === undefined || o.validate === 'off'),
  },
];
