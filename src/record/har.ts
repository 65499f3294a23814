import { readBasicAuthorization } from '../auth/basic.js';
import { mediaTypeOf } from '../guard/documented.js';
import { kindOf, misspelt } from '../options.js';
import { boundaryParam } from './file-parts.js';
import { jsonBytes } from './json-size.js';
import { mayHoldCredentialJsonPair, mayHoldScriptPair } from './pair-prefilter.js';
import { createRedactor } from './redact.js';

export interface HarHeader {
  name: string;
  value: string;
}

/** One HTTP exchange in HAR 1.2 form (the fields `npm run traffic` and browser tools read). */
export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    headers: HarHeader[];
    queryString: HarHeader[];
    cookies: [];
    headersSize: -1;
    bodySize: number;
    /**
     * `_encoding: 'base64'` when the body is not UTF-8 (a file upload): `text` holds its bytes, credentials masked.
     * `_notRecorded` when the body is over the recording's `maxBodyBytes`: `text` is empty, `bodySize` its size.
     */
    postData?: { mimeType: string; text: string; _encoding?: 'base64'; _notRecorded?: string };
  };
  response: {
    /** 0 when no answer arrived (network error, abort); `_error` says why. */
    status: number;
    statusText: string;
    httpVersion: string;
    headers: HarHeader[];
    cookies: [];
    /**
     * `encoding: 'base64'` when the body is not text (an image, a PDF): `text` holds its bytes.
     * `_notRecorded` when the body is over the recording's `maxBodyBytes`: `text` is empty, `size` its size.
     */
    content: { size: number; mimeType: string; text: string; encoding?: 'base64'; _notRecorded?: string };
    redirectURL: '';
    headersSize: -1;
    bodySize: number;
    _error?: string;
  };
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
}

/**
 * Headers that carry credentials: their values never reach a recording, whatever they hold. Named
 * ones; any whose last word is a credential's (`X-Api-Key`, `X-Auth-Token`, `X-Authorization`,
 * `X-AuthToken`, `X-Access-Key`), a key's named for what it opens or signs (`X-Secret-Key`,
 * `X-Private-Key`, `X-Client-Key`, `X-Signing-Key`, `X-Session-Key`); and any with a password or
 * secret word in it, as a field's (`mentionsSecret`). Not a session's name alone: the mock's own
 * `X-Mock-Session` names a test's data, and masked, every text holding that name lost it.
 */
const CREDENTIAL_HEADERS = new Set(['authorization', 'x-client-authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'set-cookie2']);
const CREDENTIAL_HEADER = /(token|secret|password|passwd|(^|[-_])((api|app|access|auth|subscription|secret|private|client|signing|session)[-_]?key|auth|authorization|authentication))$/i;
/**
 * Credential fields in query strings, form and JSON bodies: a name that ends in a credential's
 * word (`access_token`, `accessToken`, `accesstoken`, `clientsecret`, Placewise's `secret_token` and
 * `registration_password`, `client_secret`, `pin`, `pwd`, `passcode`, `credentials`, `api-key`,
 * `private_key`, `signing_key`, Footprints' `appkey` and `appKey`, `authorization`, a login answer's
 * `jwt`, `passphrase`, `session_id`), not one that
 * only mentions it (`token_type`, `tokenType`, `expires_in`); a login form's `pass` (`user_pass`),
 * not a thing's (`wallet_pass`, `boarding_pass`: loyalty answers carry passes); and any name with a
 * password or secret word in it (Perx's `password_confirmation`, `newPassword`), unless its last
 * word says it tells when or how many (DESCRIBES_WORD).
 */
const CREDENTIAL_WORDS = /(token|secret|password|passwd|passcode|passphrase|pwd|jwt|(^|[_-])(pin|credentials?|(api|app|application|access|private|signing)[_-]?keys?|authorization|session[_-]?id)|^((user|login|admin)[_-]?)?pass)$/i;
const CREDENTIAL_CAMEL = /[a-z0-9](Token|Secret|Password|Passwd|Passcode|Passphrase|Pin|Pwd|Jwt|JWT|Credentials?|(?:Api|App|Application|Access|Private|Signing)Keys?|Authorization|SessionId)$/;
const SECRET_WORD = /(^|[_-])(password|passwd|pwd|passcode|secret)([_-]|$)/i;
const SECRET_CAMEL = /^(password|passwd|pwd|passcode|secret)[A-Z0-9]|[a-z0-9](Password|Passwd|Pwd|Passcode|Secret)[A-Z0-9]/;
/**
 * A name that mentions a password or secret and ends in a word of time or count describes the
 * credential, it does not hold it: Perx's `password_expires_at` is a date the traffic checker
 * reads (masked, it was reported as drift), `passwordChangedOn`, `secret_length`; so does one
 * ending in a word of kind (`X-Password-Policy`, `X-Secret-Version`).
 */
const DESCRIBES_WORD = /(^|[_-])(at|on|date|time|timestamp|until|expires|expiry|expiration|length|count|policy|version)$/i;
const DESCRIBES_CAMEL = /[a-z0-9](At|On|Date|Time|Timestamp|Until|Expires|Expiry|Expiration|Length|Count|Policy|Version)$/;
/**
 * A form field's own name: `user[password]` → `password`, `pin[]` → `pin`. Read from the end, no
 * regular expression: `/^.*\[([^\]]*)\]$/` took seconds on a name of many `[`, and every key,
 * query name, form field and part name comes here.
 */
function fieldName(name: string): string {
  const base = name.endsWith('[]') ? name.slice(0, -2) : name;
  const open = base.endsWith(']') ? base.lastIndexOf('[') : -1;
  const inner = open < 0 ? undefined : base.slice(open + 1, -1);
  return inner === undefined || inner.includes(']') ? base : inner;
}
/**
 * OAuth 2.0 and OIDC parameters that hold a secret under a name no credential's word tells, each
 * a credential wherever it shows: PKCE's `code_verifier` (RFC 7636: with the code, it redeems it),
 * RFC 8628's `device_code` and CIBA's `auth_req_id` (issued in a JSON answer, then redeemed for
 * tokens at the token endpoint), a client's `client_assertion` (RFC 7523: it authenticates as the
 * client while it lives), and OIDC's `id_token_hint` (an ID token, masked as `id_token` is).
 * Not `user_code` (shown on a screen to be typed), `code_challenge` (a hash, public by design),
 * `state` or `nonce` (they bind a redirect to its session and grant nothing).
 */
const OAUTH_CREDENTIAL = /^(code[_-]?verifier|device[_-]?code|auth[_-]?req[_-]?id|client[_-]?assertion|id[_-]?token[_-]?hint)$/i;
/** A name with a password or secret word in it that does not only describe one (DESCRIBES_WORD). */
const mentionsSecret = (name: string) => (SECRET_WORD.test(name) || SECRET_CAMEL.test(name)) && !DESCRIBES_WORD.test(name) && !DESCRIBES_CAMEL.test(name);
/** CORS's `Access-Control-Allow-Credentials: true` says whether cookies go, it holds none. */
const ALLOWS_CREDENTIALS = /allow[_-]?credentials$/i;
export function isCredentialField(key: string): boolean {
  const name = fieldName(key);
  if (ALLOWS_CREDENTIALS.test(name)) return false;
  return CREDENTIAL_WORDS.test(name) || CREDENTIAL_CAMEL.test(name) || mentionsSecret(name) || OAUTH_CREDENTIAL.test(name);
}
/**
 * OAuth's parameters that hold a secret under a common word: the authorization `code` (RFC 6749
 * 4.1.2 and 10.5: a bearer credential until redeemed, which a shared HAR of a login redirect
 * leaked) and a grant's `assertion` (RFC 7521 4.1). Credentials only where they are OAuth's
 * parameters: in a URL's query or fragment, and in a token request's body (one naming
 * `grant_type`). Elsewhere `code` is an error's number (Perx's `"code": 405`) or a voucher's
 * (Footprints' loyalty codes, XONVO's discount attributes), which masked and learnt would hide
 * what the traffic checker judges. An HTML-escaped query (`&amp;code=`) names it too.
 */
const OAUTH_PARAMETERS = new Set(['code', 'assertion']);
/** Whether a value under this name is a credential where the name is a URL's query parameter or a token request's field. */
export function isCredentialParameter(key: string): boolean {
  const name = fieldName(key);
  return OAUTH_PARAMETERS.has(name.startsWith('amp;') ? name.slice(4) : name) || isCredentialField(key);
}
const isCredentialHeader = (name: string) => CREDENTIAL_HEADERS.has(name.toLowerCase()) || CREDENTIAL_HEADER.test(name) || mentionsSecret(name);
/** Whether a value under this name (a header, a field, a property) is a credential, whatever it holds. */
export const isCredentialName = (name: string): boolean => isCredentialHeader(name) || isCredentialField(name);
const PLAIN_WORD = /^[A-Za-z][a-z]*$/;
/**
 * Whether a value a request carries under a credential's name is worth masking wherever it shows:
 * 8 characters or more, and not a plain word. `Bearer undefined` from a browser app, or
 * `X-Api-Key: application`, would otherwise mask every "undefined", or `application/json`.
 */
const couldBeSecret = (value: string) => value.length >= 8 && !PLAIN_WORD.test(value);
/**
 * A value under a credential's name that reads as a message: words with whitespace between them,
 * or one plain word. Rails and Placewise answer a 422 with each field's messages, listed or not
 * (`"password": "is too short"`, `"password": ["can't be blank"]`, `"password": "invalid"`).
 * Learnt, it hid that message wherever it showed in the recording, every other field's "is too
 * short", and an enum value it equals (`"status": "invalid"`), which the traffic checker reported
 * as drift. It is still masked where it stands, as a passphrase would be; it is only not learnt.
 */
const isMessage = (value: unknown) => typeof value === 'string' && (/\S\s+\S/.test(value) || PLAIN_WORD.test(value.trim()));
/**
 * A run of the characters a token is made of (RFC 6750's, `%` of an encoded one, `|` of Laravel's
 * `1|…`), `=` padding only at its end: `expires_in=3600` is two runs, as a form holds it.
 */
export const TOKEN_RUN = /[\w.~+/|%:-]+=*/g;
const SEPARATORS = new Set('.:~+/|%=_-');
/**
 * Words: plain, run together camelCase, or in capitals, each with up to two digits, joined by `_`, `-`, `.`, `:` or `/` (`invalid_client`, `accessToken`, `INVALID_GRANT`, `urn:ietf:params`, `v4/oauth/token`).
 * No text matches two of a word's forms (capitals only; a lower-case letter at its start or after
 * one capital; one capital and humps): where two forms both took a lone capital, an answer of
 * `A-A-A-…-A-1` was tried every way of splitting it, which doubled with each `A-` (70 characters
 * held the process for hours, past any timeout).
 */
const WORD = '(?:[A-Z]+|[A-Z]?[a-z]+(?:[A-Z][a-z]{2,})*|[A-Z](?:[A-Z][a-z]{2,})+)\\d{0,2}';
const WORDS = new RegExp(`^${WORD}(?:[_.:/-]${WORD})*$`);
const DATE_OR_TIME = /^(?:\d{4}-\d\d-\d\d(?:[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?|\d{1,2}:\d\d(?::\d\d(?:\.\d+)?)?)$/;
/**
 * Whether a run of token characters (TOKEN_RUN) could be a token where nothing names it as one (a
 * token answer that put it under another name, a reason phrase): 8 characters or more once its
 * separators are trimmed, and not words, a date or time, or a URL. A request id is one.
 */
export function couldBeToken(run: string): boolean {
  // Trimmed by index: `/[.:…-]+$/` is quadratic on a long run of separators (a 200 kB answer took 30 s).
  let start = 0;
  let end = run.length;
  while (start < end && SEPARATORS.has(run[start]!)) start++;
  while (end > start && SEPARATORS.has(run[end - 1]!)) end--;
  const core = run.slice(start, end);
  return core.length >= 8 && !core.includes('://') && !WORDS.test(core) && !DATE_OR_TIME.test(core);
}
/** What follows an auth scheme in text (a reason phrase): RFC 7235's token68, or an auth-param's name (`error_description=`), which couldBeToken tells apart. */
const SCHEME_TOKEN = /\b(Basic|Bearer|Token)\s+([\w.~+/-]+=*)/gi;
/** A credential with its scheme (`Bearer <token>`, as a header or an `authorization` field holds it): the token after the scheme. */
export const afterScheme = (value: string) => /^[A-Za-z][\w-]*\s+(\S.*)$/.exec(value)?.[1];
/**
 * Each cookie in a Cookie line (`sid=…; csrf=…`, or lines joined with `, `; neither is a cookie's
 * octet), its value unquoted; a piece with no `=` is a value with no name, as browsers read it.
 * RFC 2965's own attributes (`$Version`, `$Path`) are no cookies. Only the line's whole value was
 * learnt, so an answer quoting one cookie's value on its own (a 401 naming the session it refused)
 * was recorded in clear.
 */
function cookiesOf(line: string): [string, string][] {
  return line.split(/[;,]/).flatMap((pair): [string, string][] => {
    const at = pair.indexOf('=');
    const name = at < 0 ? '' : pair.slice(0, at).trim();
    return name.startsWith('$') ? [] : [[name, pair.slice(at + 1).trim().replace(/^"(.*)"$/, '$1')]];
  });
}
/** RFC 2965's attributes of a `Set-Cookie2` cookie, which follow it on its line as cookies do. */
const COOKIE2_ATTRIBUTES = new Set(['version', 'path', 'domain', 'port', 'max-age', 'comment', 'commenturl', 'discard', 'secure']);
/** A cookie named for an identifier (`member_id`, `visitorId`, `deviceID`), not for a session (`PHPSESSID`, `sid`, `ASP.NET_SessionId`). */
const namesIdentifier = (name: string) => (/(^|[_.-])id$/i.test(name) || /[a-z0-9](Id|ID)$/.test(name)) && !/sess/i.test(name);
/**
 * Whether a cookie's value is worth masking wherever it shows. One named for a credential
 * (`XSRF-TOKEN`, `session_id`, `CFTOKEN`) is, as any carried value (couldBeSecret). Any other is
 * only where it could be a token (couldBeToken: not words, a date or a URL), is no number, and its
 * name is no identifier's: every cookie was learnt, and one holding the member's id, a card
 * number, the last visit's date or a time zone masked every such id, number, date and zone in
 * every answer after it, the recording's every `id` [redacted]. It is still masked in its header.
 */
function cookieCouldBeSecret(name: string, value: string): boolean {
  if (isCredentialName(name)) return couldBeSecret(value);
  return couldBeSecret(value) && couldBeToken(value) && !/^[\d.+-]+$/.test(value) && !namesIdentifier(name);
}
/** A cookie's value as sent, and decoded where it is percent-encoded (as Express writes one): a body may quote either. */
function cookieForms(value: string): string[] {
  try {
    const decoded = decodeURIComponent(value);
    return decoded === value ? [value] : [value, decoded];
  } catch {
    return [value];
  }
}
export const MASK = '[redacted]';
/** What an error shows for a parsed body nested deeper than JSON.stringify can write back. */
export const TOO_DEEP_TO_SHOW = '(a JSON body nested too deeply to show)';
/**
 * An answer's text longer than this is not masked whole for an error: masking megabytes once they
 * had arrived, which no timer can cut short, held the call seconds past its deadline.
 */
export const SHOWN_WHOLE_UP_TO = 65_536;
/** What an error shows in place of an answer too long to mask whole (`what`: "a JSON answer", "an answer"). */
export const notShownWhole = (what: string, length: number) => `(${what} of ${length} characters, over ${SHOWN_WHOLE_UP_TO}: not shown, as only a whole answer is masked)`;
export const LEARNED_TOKENS = 100;

/**
 * Masks every run of a text that could be the token (`couldBeToken`). A success answer without the
 * expected field is most likely a token under a name the mask does not know (`{"data":{"jwt":…}}`,
 * `{"result":{"value":…}}`, a bare token as text), so any value shaped like one is masked; the
 * names, numbers, booleans, messages, error codes, URLs and times (`{"status":"error","message":
 * "Client is disabled"}`) stay readable, which the shape alone (names and kinds) would not show.
 */
export const maskTokenLike = (text: string) => text.replace(TOKEN_RUN, (run) => (couldBeToken(run) ? MASK : run));

/** A parsed body with every string in it masked as maskTokenLike says. Iterative: a body nested as deep as JSON.stringify writes would overflow a recursive walk. */
export function tokenLikeMasked(body: unknown): unknown {
  const root: Record<string, unknown> = { body };
  const stack = [root];
  for (let node = stack.pop(); node; node = stack.pop()) {
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === 'string') node[key] = maskTokenLike(value);
      else if (typeof value === 'object' && value !== null) stack.push(value as Record<string, unknown>);
    }
  }
  return root.body;
}

/** Whether a credential value can be masked inside any text: not a number of fewer than 8 digits. */
const maskableAnywhere = (value: string) => !/^\s*\d{1,7}\s*$/.test(value);

/**
 * The user name of a URL's user part, then its password (`…://user:password@`); neither may hold
 * `/`, `?`, `#`, `@` or white space. Found from the `://`, not a scheme: read from each word's start,
 * a text of 100,000 `a.` took seconds.
 */
const USERINFO_PASSWORD = /(:\/\/[^/?#@\s:]*):([^/?#@\s]*)@/g;

/** Where a query pair's name starts reading back: after `=`, `&`, `#` or white space (as `\s` has it). */
const PAIR_START = new Set([...'=&#\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff'].map((c) => c.charCodeAt(0)).concat(Array.from({ length: 11 }, (_, i) => 0x2000 + i)));

/** A JSON pair as maskJsonPairs reads it: a name of up to 200 units, a colon, and a string (to the text's end if it ends inside it) or a number. */
export const JSON_PAIR = /"((?:[^"\\]|\\.){1,200})"(\s*:\s*)(?:"((?:[^"\\]|\\.)*)("|\\?$)|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?))/g;
/** A pair as Python's repr or a JavaScript literal writes it (maskScriptPairs): a quoted or bare name, a colon, a quoted value. */
export const SCRIPT_PAIR = /(?:'((?:[^'\\\n]|\\.){1,200})'|(?<![\w$'"])([A-Za-z_$][\w$]{0,199}))(\s*:\s*)(?:'((?:[^'\\]|\\.)*)('|\\?$)|"((?:[^"\\]|\\.)*)("|\\?$))/g;

/**
 * Masks credentials in an exchange: the configured secret values wherever they appear (the
 * sandbox run's redactor, scripts/lib/redact.ts re-exports it), credential headers (keeping the
 * scheme: `Bearer [redacted]`), token fields in query strings and JSON bodies. Tokens seen in a
 * token response are learnt, so later requests that carry them are masked too.
 */
export function createCredentialMask(secrets: string[]) {
  // Tokens seen issued, the most recent LEARNED_TOKENS of them: a long recording sees one per
  // user and per refresh. Credential headers and fields are masked by name whatever their value.
  const learned = new Set<string>();
  // Masked wherever they appear, except short numbers: a PIN of 2018 would mask the year of every
  // date in the recording ("[redacted]-09-24", which the traffic checker reports as drift). A PIN
  // is masked where it is sent, by its field's name.
  const anywhere = secrets.filter(maskableAnywhere);
  let redactor: ((text: string) => string) | undefined;
  const compiled = new Map<string, RegExp | null>();
  // Set while a text is read only for what it teaches (`learnFrom`): nothing it masks is kept.
  let learnOnly = false;
  const redact = (text: string) => (learnOnly ? text : (redactor ??= createRedactor(anywhere, learned, compiled))(text));
  const learn = (value: unknown) => {
    if (typeof value === 'number') value = String(value);
    if (typeof value !== 'string' || value.length < 4 || !maskableAnywhere(value) || secrets.includes(value)) return;
    if (learned.has(value)) {
      // Seen again, it is recent again (a token sent on every call outlives the ones seen once), with the same mask.
      learned.delete(value);
      learned.add(value);
      return;
    }
    learned.add(value);
    if (learned.size > LEARNED_TOKENS) learned.delete(learned.values().next().value as string);
    redactor = undefined;
  };
  // Set while an answer's body is masked: there a credential's name may hold a message about it
  // (isMessage), which is not learnt. What a request sends under that name is its credential,
  // learnt whatever it reads as (a passphrase, a one-word password), so an answer quoting it is masked.
  let inAnswer = false;
  /** A credential field's value, learnt (in an answer, unless it reads as a message); and the token after an `authorization` field's scheme (`"Bearer <token>"`). */
  const learnCredential = (name: string, value: unknown) => {
    if (!(inAnswer && isMessage(value))) learn(value);
    // `Bearer <token>` holds a space but is no message: its token is learnt under any credential name (a third round found it left unlearnt in answers).
    const schemed = typeof value === 'string' ? /^(?:Basic|Bearer|Token)\s+(\S+)$/i.exec(value.trim())?.[1] : undefined;
    const token = schemed ?? (typeof value === 'string' && /authorization$/i.test(fieldName(name)) ? afterScheme(value) : undefined);
    if (token && couldBeSecret(token)) learn(token);
  };
  /** A credential field's value: a string or a number (a PIN's type is not worth its value), or a list of them. */
  const maskCredential = (name: string, value: unknown): unknown => {
    if (typeof value === 'string' || typeof value === 'number') return learnCredential(name, value), MASK;
    if (Array.isArray(value)) return value.map((item) => maskCredential(name, item));
    return maskJson(value);
  };
  const maskJson = (node: unknown, isCredential: (name: string) => boolean = isCredentialField): unknown => {
    if (Array.isArray(node)) return node.map((item) => maskJson(item));
    if (typeof node !== 'object' || node === null) return node;
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, isCredential(key) ? maskCredential(key, value) : maskJson(value)]));
  };
  /** A JSON body, and a token request's own fields as OAuth's parameters (Perx takes its grants as JSON). */
  const maskJsonBody = (parsed: unknown) => maskJson(parsed, typeof parsed === 'object' && parsed !== null && Object.hasOwn(parsed, 'grant_type') ? isCredentialParameter : isCredentialField);
  const maskPair = (whole: string, separator: string, key: string, found: string, name: string, isCredential: (name: string) => boolean) => {
    if (!isCredential(safeDecode(name))) return whole;
    learnCredential(safeDecode(name), safeDecode(found));
    return `${separator}${key}=${MASK}`;
  };
  // A name holds no `?`: a run of them was scanned again from each one (80,000 took seconds).
  // The pair a line starts with (a form-shaped answer with a line break, a space or a BOM around
  // it) is read first, under a field's name only: a URL's start (`https://…;v=1/cb?api_key=…`)
  // is no name, and read as one it swallowed the query's first pair. A fragment's pairs are read
  // as a query's: OAuth's implicit flow sends its token in `#access_token=…`.
  /**
   * The start of a query name that holds a `?` (`&password_x?y=`: the pattern reads only `y`), read
   * back from the `?` to the pair's start: after a `&` or `#`, after the query's own `?`, or a
   * field's name at a text's start. Read back only from a pair found, never past the one before
   * it, so each character is read back once.
   */
  const nameBefore = (text: string, at: number): string => {
    let start = at;
    while (start > 0 && !PAIR_START.has(text.charCodeAt(start - 1))) start -= 1;
    const run = text.slice(start, at);
    if (start > 0 && (text[start - 1] === '&' || text[start - 1] === '#')) return `${run}?`;
    const query = run.indexOf('?');
    if (query >= 0) return `${run.slice(query + 1)}?`;
    return /^[\w.[\]%-]+$/.test(run) ? `${run}?` : '';
  };
  // A value ends where a URL's query must have escaped the character (`"`, `<`, `>`): a Link's
  // `<…?api_key=…>; rel="next"` and a quoted `url="…"` keep their own punctuation.
  const maskQueryIn = (value: string) =>
    value.includes('=')
      ? value
          .replace(/(^|\n)([\t\r \ufeff]*)([\w.[\]%-]+)=([^&#\s"<>]*)/g, (whole, line: string, space: string, key: string, found: string) => maskPair(whole, line + space, key, found, key, isCredentialField))
          // After `?`, `&` or `#`: a URL's parameter, where OAuth's `code` is one (a redirect's `?code=`, a hybrid flow's `#code=`).
          .replace(/([?&#])([^=&#\s?]+)=([^&#\s"<>]*)/g, (whole, separator: string, key: string, found: string, at: number, text: string) =>
            maskPair(whole, separator, key, found, separator === '?' ? `${nameBefore(text, at)}${key}` : key, isCredentialParameter),
          )
      : value;
  /**
   * JSON-shaped pairs in text that does not parse (a trailing comma, JSONP, JSON inside HTML, a
   * body cut off mid-value): a credential field's string value is masked by its name, as in JSON
   * that parses. A value the text ends inside (an answer that stalled after `"access_token":"ey…`)
   * is masked to the end. A key and a value are read with their escapes undone, as JSON.parse
   * reads them: a body over the limit, read in windows, never parses, and `"pass\u0077ord"`, or
   * Python's `"p\u00e4ss"` for `päss`, went unlearnt, and an answer quoting it was recorded in clear.
   */
  const maskJsonPairs = (value: string) =>
    mayHoldCredentialJsonPair(value)
      ? value.replace(JSON_PAIR, (whole, key: string, colon: string, text: string | undefined, close: string | undefined, number?: string) => {
          const name = unescaped(key);
          if (!isCredentialField(name)) return whole;
          const value = text === undefined ? undefined : unescaped(text);
          learnCredential(name, value ?? number);
          // As sent too: an answer that is not JSON may quote it so.
          if (value !== text) learnCredential(name, text);
          // A number (a PIN) becomes the mask, in quotes, as in JSON that parses.
          return `"${key}"${colon}"${MASK}${close === '"' || number !== undefined ? '"' : ''}`;
        })
      : value;
  /**
   * Pairs as Python's repr and JavaScript's object literals write them (`{'refresh_token': 'abc'}`,
   * `{refresh_token: "abc"}`), in text that is not JSON: a credential's value masked by its name,
   * as maskJsonPairs does for JSON's. A key is single-quoted, or a bare name read only from its
   * start (each name once: read from each of its characters, a long word was scanned again from
   * each); `"key": "value"` is JSON's, already masked.
   */
  const maskScriptPairs = (value: string) =>
    mayHoldScriptPair(value)
      ? value.replace(
          SCRIPT_PAIR,
          (whole, quotedKey: string | undefined, bareKey: string | undefined, colon: string, single: string | undefined, singleClose: string | undefined, double: string | undefined, doubleClose: string | undefined) => {
            const key = quotedKey ?? bareKey!;
            if (!isCredentialField(key)) return whole;
            learnCredential(key, single ?? double);
            const quote = single === undefined ? '"' : "'";
            return `${quotedKey === undefined ? key : `'${key}'`}${colon}${quote}${MASK}${single === undefined ? doubleClose : singleClose}`;
          },
        )
      : value;
  /**
   * A multipart form's credential fields (`name="password"`), by name, as a URL-encoded form's
   * are; a file part keeps its bytes. Split at the boundary its type names: one pass, no backtracking.
   */
  const maskMultipart = (value: string, mimeType: string): string => {
    const boundary = boundaryParam(mimeType);
    if (boundary === undefined) return value;
    const delimiter = `--${boundary}`;
    return value
      .split(delimiter)
      .map((part, i) => {
        const headEnd = /\r?\n\r?\n/.exec(part);
        if (i === 0 || !headEnd) return part;
        const head = part.slice(0, headEnd.index);
        // name="x", name='x', name=x, or RFC 5987's name*=UTF-8''x.
        const quoted = /\bname\*?=(?:"([^"]*)"|'([^']*)'|(?:[\w-]*'[\w-]*')?([^;\s]+))/i.exec(head);
        const name = quoted ? safeDecode(quoted[1] ?? quoted[2] ?? quoted[3]!) : undefined;
        if (name === undefined || /\bfilename\*?=/i.test(head) || !isCredentialField(name)) return part;
        const start = headEnd.index + headEnd[0].length;
        // The line break before the next delimiter belongs to the delimiter.
        const end = part.length - (/\r?\n$/.exec(part)?.[0].length ?? 0);
        learnCredential(name, part.slice(start, end));
        return `${part.slice(0, start)}${MASK}${part.slice(end)}`;
      })
      .join(delimiter);
  };
  /**
   * The password of any URL's user part (`https://svc:<password>@idp.example/`, RFC 3986 3.2.1:
   * deprecated, still sent in a redirect's Location), masked and learnt, so a body quoting it is masked too.
   */
  const maskUserinfo = (value: string) =>
    value.includes('@') && value.includes('://')
      ? value.replace(USERINFO_PASSWORD, (whole, before: string, password: string) => (password === '' ? whole : (learnCredential('password', safeDecode(password)), `${before}:${MASK}@`)))
      : value;
  const maskUrlsIn = (value: string) => maskQueryIn(maskUserinfo(value));
  /** Free text (a header's value, a log line): credential parameters and passwords of any URL in it, and known secrets. */
  const masked = (value: string) => redact(maskUrlsIn(value));
  /** Many texts: every URL's credential learnt first, so the mask is built once for all of them. */
  const texts = (values: string[]) => values.map(maskUrlsIn).map(redact);
  /**
   * The params with every value of a credential parameter masked, repeated ones too, keeping the
   * order. A new list: deleting from the old one scanned it once a name (200 KB took seconds).
   */
  const maskParams = (params: URLSearchParams) => {
    const entries = [...params];
    for (const [key, value] of entries) if (isCredentialParameter(key)) learnCredential(key, value);
    return new URLSearchParams(entries.map(([key, value]) => [key, isCredentialParameter(key) ? MASK : value]));
  };
  /**
   * A form's text with every credential field's value masked and secrets masked in the rest, each
   * pair where it stands: written again by URLSearchParams, a text that held no credential came
   * back otherwise (a vendor's error `<html>grant_type=…</html>` as `%3Chtml%3Egrant_type=…`). A
   * name is read as URLSearchParams reads it; every credential is learnt first, so a value sent
   * twice is masked in a field before its own.
   */
  const maskForm = (text: string) => {
    const pairs = text.split('&').map((pair) => {
      const at = pair.indexOf('=');
      return at < 0 ? { name: pair, value: undefined } : { name: pair.slice(0, at), value: pair.slice(at + 1) };
    });
    const names = pairs.map(({ name }) => formDecoded(name));
    const isCredential = names.includes('grant_type') ? isCredentialParameter : isCredentialField;
    const credential = names.map(isCredential);
    pairs.forEach(({ value }, i) => credential[i] && learnCredential(names[i]!, formDecoded(value ?? '')));
    return pairs.map(({ name, value }, i) => (credential[i] ? `${name}=${MASK}` : value === undefined ? formPart(name) : `${formPart(name)}=${formPart(value)}`)).join('&');
  };
  /**
   * One name or value of a form as it stands, unless a secret shows in it as written or once
   * decoded: a learnt value is held decoded, and a sibling field repeating it percent-encoded
   * (`confirm=p%E4ssw%F6rd`, letters written `%74%6f…`) was left in clear. Then it is written again
   * from its decoded text, masked.
   */
  const formPart = (part: string) => {
    const shown = redact(part);
    if (shown !== part) return shown;
    const decoded = formDecoded(part);
    const decodedShown = redact(decoded);
    return decodedShown === decoded ? part : new URLSearchParams({ v: decodedShown }).toString().slice(2);
  };
  // A credential's own field keeps its name (a learnt token may equal it: the mock's example
  // subscription's secret token is "secret_token"); any other name that holds a secret is masked.
  const nameShown = (key: string) => (isCredentialField(key) ? key : redact(key));
  /**
   * A JSON value with the credentials of the URLs its strings hold masked (a page's `next` link
   * carrying `access_token=…`), as a text body's are: all learnt before any is redacted, so the
   * mask is built once for a body of many.
   */
  const urlsMasked = (node: unknown): unknown => {
    if (typeof node === 'string') return maskUrlsIn(node);
    if (Array.isArray(node)) return node.map(urlsMasked);
    if (typeof node !== 'object' || node === null) return node;
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, urlsMasked(value)]));
  };
  /** Redacts every value of a JSON value (a number that holds a secret becomes the mask), and the names that hold one (see nameShown). */
  const redactValues = (node: unknown): unknown => {
    if (typeof node === 'string') return redact(node);
    if (typeof node === 'number') return redact(String(node)) === String(node) ? node : MASK;
    if (Array.isArray(node)) return node.map(redactValues);
    if (typeof node !== 'object' || node === null) return node;
    const entries = Object.entries(node);
    return keptApart(entries.map(([key]) => key), entries.map(([key, value]) => [nameShown(key), redactValues(value)]));
  };
  /** Each cookie worth masking anywhere (cookieCouldBeSecret), in each form it may be quoted in. */
  const learnCookies = (cookies: [string, string][]) => {
    for (const [name, value] of cookies) if (cookieCouldBeSecret(name, value)) for (const form of cookieForms(value)) learn(form);
  };
  const learnCarried = (headers: Iterable<[string, string]>) => {
    for (const [name, value] of headers) {
      if (!isCredentialHeader(name)) continue;
      // Its cookies, not the line: learnt whole, `member_id=…` masked that pair in a query too.
      if (name.toLowerCase() === 'cookie') learnCookies(cookiesOf(value));
      else for (const carried of [value, afterScheme(value), readBasicAuthorization(value)?.password]) if (carried !== undefined && couldBeSecret(carried.trim())) learn(carried.trim());
    }
  };
  return {
    text: masked,
    texts,
    /**
     * Learns the credentials a request carries in its headers (`Authorization: Bearer <token>`,
     * `X-Api-Key`), so an answer that echoes one (a 401 quoting the token it refused) is masked.
     * Only values that could be secrets (`couldBeSecret`): `X-Auth: true` would mask every `true`.
     */
    learnCarried,
    /**
     * Learns the credentials an answer issues in its headers (`Set-Cookie: sid=…`, `X-Auth-Token`),
     * so its own body quoting one (a login's `"session": "…"`) is masked: they were masked only in
     * the header. Of a Set-Cookie, only the cookie: its attributes (`Max-Age=31536000`, an
     * `Expires` date) are no secret, and learnt they masked every such number and date.
     */
    learnIssued: (headers: Iterable<[string, string]>) => {
      for (const [name, value] of headers) {
        const lower = name.toLowerCase();
        if (lower === 'set-cookie') learnCookies(cookiesOf(value.split(';')[0]!));
        // RFC 2965's: several cookies to a line, each followed by its attributes.
        else if (lower === 'set-cookie2') learnCookies(cookiesOf(value).filter(([cookie]) => !COOKIE2_ATTRIBUTES.has(cookie.toLowerCase())));
        else learnCarried([[name, value]]);
      }
    },
    /**
     * A response's reason phrase, which a server may write the credential it refused into (`401
     * Token Bearer <token> rejected`): masked as free text is, and a token after a scheme in it
     * whether learnt or not (one sent in a cookie, or never sent); not an auth-param's name
     * (`Bearer realm="api"`, `Basic charset=UTF-8`).
     */
    reason: (value: string) => masked(value).replace(SCHEME_TOKEN, (whole, scheme: string, token: string) => (couldBeToken(token) ? `${scheme} ${MASK}` : whole)),
    header: ({ name, value }: HarHeader): HarHeader => {
      // A URL in a header (Location) may carry a token in its query.
      if (!isCredentialHeader(name)) return { name, value: masked(value) };
      const scheme = /^(Basic|Bearer|Token)\s/i.exec(value)?.[1];
      return { name, value: scheme ? `${scheme} ${MASK}` : MASK };
    },
    url: (raw: string): string => {
      const url = new URL(raw);
      const params = maskParams(url.searchParams);
      if (params.size) url.search = params.toString();
      return redact(url.toString().replaceAll(encodeURIComponent(MASK), MASK));
    },
    /** Learns the credentials a body's text carries, as `body` would (`from` as there), without masking it (a body over the limit, read in parts). */
    learnFrom: (text: string, mimeType: string, from: 'request' | 'answer' = 'request'): void => {
      learnOnly = true;
      inAnswer = from === 'answer';
      try {
        maskedBody(text, mimeType);
      } finally {
        learnOnly = false;
        inAnswer = false;
      }
    },
    /** A body: a request's (`from` 'request'), or an answer's, whose messages under a credential's name are not learnt. */
    body: (text: string, mimeType: string, from: 'request' | 'answer' = 'request'): string => {
      inAnswer = from === 'answer';
      try {
        return maskedBody(text, mimeType);
      } finally {
        inAnswer = false;
      }
    },
  };

  function maskedBody(text: string, mimeType: string): string {
    // JSON whatever its label says: a token endpoint may answer `text/plain` or `Application/JSON`.
    if (/json/i.test(mimeType) || /^\s*[[{]/.test(text)) {
      try {
        const parsed: unknown = JSON.parse(text);
        const shown = JSON.stringify(redactValues(urlsMasked(maskJsonBody(parsed))));
        // Nothing masked: the text as it was sent, which the traffic checker judges as the guard
        // judged it (written again, `1e400` became null, and the vendor's layout was lost). Not
        // when the text may hold what the parse dropped (JSON.parse keeps a duplicate key's last
        // value: `{"access_token":"…","access_token":null}`) or wrote otherwise (a \u escape).
        return shown === JSON.stringify(parsed) && sentAsIs(text) ? redact(text) : shown;
      } catch {
        // not JSON after all: masked as text below
      }
    }
    // A form, labelled as one or only shaped like one (a token endpoint answering `access_token=…` as text).
    if (mimeType.startsWith('application/x-www-form-urlencoded') || /^[^=&\s]+=[^&\s]*(?:&[^=&\s]+=[^&\s]*)*$/.test(text)) {
      return maskForm(text);
    }
    // A multipart body's credential fields by name, and JSON in any part (a `metadata` part) by its pairs.
    return masked(maskScriptPairs(maskJsonPairs(mediaTypeOf(mimeType).startsWith('multipart/') ? maskMultipart(text, mimeType) : text)));
  }
}

/**
 * An object of masked pairs, `keys` being what each key was before masking. Two keys masked alike
 * (`{"<token>": "expired", "<secret>": "unknown"}`) made one, and a body lost a message: a masked
 * key that meets another is numbered (`[redacted] (2)`), its text still masked. A key left as it
 * was keeps its name.
 */
export function keptApart(keys: string[], pairs: [string, unknown][]): Record<string, unknown> {
  // Most objects have no key masked: they pay one comparison a key.
  if (pairs.every(([key], i) => key === keys[i]) || new Set(pairs.map(([key]) => key)).size === pairs.length) return Object.fromEntries(pairs);
  const taken = new Set(pairs.filter(([key], i) => key === keys[i]).map(([key]) => key));
  const counts = new Map<string, number>();
  for (const [i, pair] of pairs.entries()) {
    if (pair[0] === keys[i]) continue;
    const base = pair[0];
    let n = counts.get(base) ?? 1;
    while (taken.has(pair[0])) pair[0] = `${base} (${++n})`;
    counts.set(base, n);
    taken.add(pair[0]);
  }
  return Object.fromEntries(pairs);
}

/** A form's name or value as URLSearchParams reads it (`+` a space, each %XX a byte, a bad escape kept). */
const formDecoded = (text: string) => new URLSearchParams(`v=${text}`).get('v')!;

/** A JSON string's text with its escapes undone, or as it is when it is no whole JSON string (a value cut off mid-escape). */
function unescaped(text: string): string {
  if (!text.includes('\\')) return text;
  try {
    return JSON.parse(`"${text}"`) as string;
  } catch {
    return text;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** Whether JSON text may be recorded as it was sent once its parse masked nothing: no \u escape, and no member named as a credential. */
function sentAsIs(text: string): boolean {
  if (text.includes('\\u')) return false;
  for (const [, name] of text.matchAll(/"((?:[^"\\]|\\.)*)"\s*:/g)) if (isCredentialField(name!)) return false;
  return true;
}

/** Whether fetch hands on a body of this Content-Encoding decoded, on every Node this package runs on. */
export function surelyDecoded(contentEncoding: string | null): boolean {
  return (contentEncoding ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .every((coding) => coding === '' || coding === 'identity' || DECODED_CODINGS.has(coding));
}

/**
 * The content codings fetch decodes on every Node this package runs on, and the recording proxy
 * with it (forward.ts), which offers the vendor no others. Node 20's zlib has no zstd, so a caller
 * that offered it (Chrome, curl) got the vendor's zstd bytes labelled as JSON, and the recording
 * held them as text: zstd is not offered.
 */
export const DECODED_CODINGS: ReadonlySet<string> = new Set(['gzip', 'x-gzip', 'deflate', 'br']);

/**
 * The largest body a recording keeps, request or answer, unless told otherwise (`maxBodyBytes`):
 * past about 400 MB one body's base64 is more than a V8 string holds, and the call failed unsent.
 * JSON answers, what the traffic checker judges, are far smaller.
 */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

/** Where a recording's entries go (a client's `record` option); `maxBodyBytes` there is the recording's body limit (createHarRecorder sets it). */
export type RecordEntry = ((entry: HarEntry) => void) & { readonly maxBodyBytes?: number };

/**
 * The largest body limit a recording takes. Past about 400 MB one body's base64 is more than a V8
 * string holds (CLIENT-115: 200 MB is recorded), so a higher limit (`1e12`, taken before) let such
 * a call fail unsent again with "Invalid string length".
 */
export const MAX_BODY_LIMIT = 256 * 1024 * 1024;

/** The problem with a body limit, or undefined: a whole number of bytes from 0 to MAX_BODY_LIMIT. */
export const bodyLimitProblem = (value: unknown): string | undefined =>
  Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= MAX_BODY_LIMIT
    ? undefined
    : `must be a whole number of bytes from 0 to ${MAX_BODY_LIMIT} (256 MiB) (got ${typeof value === 'number' ? value : typeof value})`;

/**
 * A recording's body limit: `maxBodyBytes` given, else its record function's own (createHarRecorder
 * sets it), else the default; a TypeError naming the client option when it is out of range.
 */
export function recordBodyLimit(record: RecordEntry, maxBodyBytes = record.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES): number {
  const problem = bodyLimitProblem(maxBodyBytes);
  if (problem) throw new TypeError(`record: maxBodyBytes ${problem}`);
  return maxBodyBytes;
}

/** The HAR document around some entries; `comment`, HAR's note on the log, where one is due. */
export const harLog = <T>(entries: T, comment?: string) => ({
  log: { version: '1.2' as const, creator: { name: 'martech-contracts', version: '1' }, ...(comment === undefined ? {} : { comment }), entries },
});

/**
 * How much of its entries a recorder keeps unless told otherwise (`maxKeptBytes`): a service that
 * records its traffic for days held every entry until `write()`, each capped, the total not.
 */
export const DEFAULT_MAX_KEPT_BYTES = 64 * 1024 * 1024;

/** The problem with a kept-bytes limit, or undefined: a whole number of bytes, or Infinity to keep every entry. 0 kept nothing, silently: every entry dropped as it came. */
const keptLimitProblem = (value: unknown): string | undefined =>
  value === Infinity || (Number.isSafeInteger(value) && (value as number) >= 1) ? undefined : `must be a whole number of bytes, 1 or more, or Infinity (got ${typeof value === 'number' ? value : typeof value})`;

/** What JSON.stringify(log, null, 2) writes before each entry: a line break and the entry's indentation. */
export const ENTRY_INDENT = '\n      ';

/**
 * The bytes an entry takes in the HAR file: its JSON as the file writes it (`jsonBytes`, escapes
 * and UTF-8 counted), the line it starts on, and a comma. An entry of the caller's that JSON
 * cannot write (a cycle, a BigInt) is refused now, not when the file is written.
 */
function entrySize(entry: object): number {
  try {
    return ENTRY_INDENT.length + (jsonBytes(entry, ENTRY_INDENT.length - 1) ?? 0) + 1;
  } catch (error) {
    throw new TypeError(`createHarRecorder: record takes a HAR entry that JSON can write: ${(error as Error).message}`);
  }
}

/** How a recorder records. */
export interface HarRecorderOptions {
  /** The largest request or answer body recorded, in bytes (default DEFAULT_MAX_BODY_BYTES, 8 MiB; at most 256 MiB); a larger one is recorded as its size, marked `_notRecorded`. */
  maxBodyBytes?: number | undefined;
  /**
   * The most the recorder keeps of its entries, in the bytes they take in the file (default
   * DEFAULT_MAX_KEPT_BYTES, 64 MiB; at least 1; `Infinity` keeps all): past it the oldest entries
   * are dropped, counted in `dropped` and said in the HAR's `log.comment`.
   */
  maxKeptBytes?: number | undefined;
}

export interface HarRecorder {
  /** Pass as the client's `record` option (several clients may share one recorder); it carries the recorder's `maxBodyBytes`. */
  record: RecordEntry;
  /** The newest entries, oldest first, up to `maxKeptBytes`. */
  readonly entries: HarEntry[];
  /** How many entries were dropped, oldest first, to keep the rest within `maxKeptBytes`. */
  readonly dropped: number;
  /** The recording as a HAR 1.2 document; `log.comment` says how many entries were dropped, if any were. */
  har(): { log: { version: '1.2'; creator: { name: string; version: string }; comment?: string; entries: HarEntry[] } };
  /** Writes the HAR file that `npm run traffic -- <vendor> <file>` reads (Node only), entry by entry: never one string of it all. It holds the entries kept when it was called. */
  write(file: string): Promise<void>;
}

const RECORDER_OPTIONS = ['maxBodyBytes', 'maxKeptBytes'];

/** Collects recorded exchanges into a HAR file. */
export function createHarRecorder(options: HarRecorderOptions = {}): HarRecorder {
  // As a client factory's options are: a near miss (`maxBodybytes`) left the 8 MiB default with
  // nothing said, and null crashed in the destructuring below.
  if (typeof options !== 'object' || options === null) throw new TypeError(`createHarRecorder: its options must be an object such as { maxBodyBytes, maxKeptBytes } (got ${kindOf(options)})`);
  for (const name of Object.keys(options)) {
    const problem = RECORDER_OPTIONS.includes(name) ? undefined : misspelt(name, RECORDER_OPTIONS);
    if (problem) throw new TypeError(`createHarRecorder: option "${name}" ${problem}`);
  }
  const { maxBodyBytes = DEFAULT_MAX_BODY_BYTES, maxKeptBytes = DEFAULT_MAX_KEPT_BYTES } = options;
  const problem = bodyLimitProblem(maxBodyBytes);
  if (problem) throw new TypeError(`createHarRecorder: maxBodyBytes ${problem}`);
  const keptProblem = keptLimitProblem(maxKeptBytes);
  if (keptProblem) throw new TypeError(`createHarRecorder: maxKeptBytes ${keptProblem}`);
  const entries: HarEntry[] = [];
  const sizes: number[] = [];
  let kept = 0;
  let dropped = 0;
  const keep = (entry: HarEntry) => {
    if (typeof entry !== 'object' || entry === null) throw new TypeError(`createHarRecorder: record takes a HAR entry, an object (got ${entry === null ? 'null' : typeof entry})`);
    const size = entrySize(entry);
    entries.push(entry);
    sizes.push(size);
    kept += size;
    // An entry larger than the limit on its own is dropped too: the limit holds whatever comes.
    while (kept > maxKeptBytes && entries.length > 0) {
      entries.shift();
      kept -= sizes.shift()!;
      dropped += 1;
    }
  };
  const comment = () => (dropped === 0 ? undefined : `${dropped} older ${dropped === 1 ? 'entry was' : 'entries were'} dropped: the recorder keeps the newest up to ${maxKeptBytes} bytes (maxKeptBytes)`);
  return {
    record: Object.assign(keep, { maxBodyBytes }),
    entries,
    get dropped() {
      return dropped;
    },
    har: () => harLog(entries, comment()),
    async write(file) {
      // An unset variable (`write(process.env.HAR_FILE)`) wrote the whole HAR to "undefined.<pid>….tmp", then failed in fs's words.
      if (typeof file !== 'string' || file === '') throw new TypeError(`createHarRecorder: write(file) needs the HAR file's path as a non-empty string (got ${file === '' ? 'an empty string' : kindOf(file)})`);
      // The entries as they stand: exchanges recorded while it writes would drop some from under it.
      const [written, note] = [entries.slice(), comment()];
      // Node only: a browser bundle never loads it.
      const { writeHarFile } = await import('./har-file.js');
      await writeHarFile(file, written, note);
    },
  };
}
