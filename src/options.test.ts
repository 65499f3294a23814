/**
 * Option checks, table by table: every factory refuses each option missing, empty, of each wrong
 * type, out of range, and each invalid combination, with a ConfigError naming option and rule.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { checkOptions, commonCombinations, commonRules, DEFAULT_TIMEOUT_MS, fraction, func, integer, kindOf, list, object, oneOf, required, text, unsendableInHeader, url, VALIDATE_MODES, variants, type Combination } from './options.js';
import { createFootprintsClient } from './footprints.js';
import { createImprzdClient } from './imprzd.js';
import { createPerxClient } from './perx.js';
import { createPlacewiseClient } from './placewise.js';
import { createXonvoClient } from './xonvo.js';

type Row = [what: string, change: Record<string, unknown>, option: string, rule: string | RegExp];

const WHITESPACE = 'must not start or end with whitespace (a value read from a file or the environment often ends with a line break: trim it)';

const factories: Record<string, { create: (o: any) => unknown; valid: Record<string, unknown>; rows: Row[] }> = {
  xonvo: {
    create: createXonvoClient,
    valid: { username: 'u', password: 'p:ss' }, // a password may contain ':'
    rows: [
      ['username missing', { username: undefined }, 'username', 'is required'],
      ['username empty', { username: '' }, 'username', 'must be a non-empty string'],
      ['username blank', { username: '  ' }, 'username', 'must be a non-empty string'],
      ['username a number', { username: 42 }, 'username', 'must be a string (got a number)'],
      ['username with a colon', { username: 'acme:ops' }, 'username', "must not contain ':' (HTTP Basic ends the user name at the first ':')"],
      ['password missing', { password: undefined }, 'password', 'is required'],
      ['password an object', { password: {} }, 'password', 'must be a string (got an object)'],
      ['password null', { password: null }, 'password', 'must be a string (got null)'],
      // Sent base64-encoded as given: the vendor would refuse the credential, and nothing would say why.
      ['password ending with a line break (read from a file)', { password: 'the-secret\n' }, 'password', WHITESPACE],
      ['username starting with a space', { username: ' u' }, 'username', WHITESPACE],
    ],
  },
  footprints: {
    create: createFootprintsClient,
    valid: { key: 'k', secret: 's' },
    rows: [
      ['key missing', { key: undefined }, 'key', 'is required'],
      ['key empty', { key: '' }, 'key', 'must be a non-empty string'],
      ['key with a colon', { key: 'k:1' }, 'key', "must not contain ':' (HTTP Basic ends the user name at the first ':')"],
      ['secret a boolean', { secret: true }, 'secret', 'must be a string (got a boolean)'],
      ['secret ending with a line break', { secret: 'the-secret\n' }, 'secret', WHITESPACE],
      ['key ending with a tab', { key: 'k\t' }, 'key', WHITESPACE],
      ['password grant, password ending with a space', { grant: { grant_type: 'password', username: 'ann', password: 'pw ' } }, 'grant.password', WHITESPACE],
      ['pin grant, pin with a line break', { grant: { grant_type: 'pin', pin: '1234\r\n' } }, 'grant.pin', WHITESPACE],
      ['grant a string', { grant: 'password' }, 'grant', 'must be an object (got a string)'],
      ['grant without grant_type', { grant: {} }, 'grant.grant_type', 'is required'],
      ['grant of an unknown type', { grant: { grant_type: 'bogus' } }, 'grant.grant_type', "must be one of 'client_credentials', 'password', 'pin' (got 'bogus')"],
      ['password grant without username', { grant: { grant_type: 'password', password: 'pw' } }, 'grant.username', 'is required'],
      ['password grant without password', { grant: { grant_type: 'password', username: 'ann' } }, 'grant.password', 'is required'],
      ['password grant, empty username', { grant: { grant_type: 'password', username: '', password: 'pw' } }, 'grant.username', 'must be a non-empty string'],
      ['pin grant without pin', { grant: { grant_type: 'pin' } }, 'grant.pin', 'is required'],
      ['pin grant, pin a number', { grant: { grant_type: 'pin', pin: 1234 } }, 'grant.pin', 'must be a string (got a number)'],
      // A credential another grant takes would be sent and ignored: the user's password, with the app acting.
      ['client credentials with a username', { grant: { grant_type: 'client_credentials', username: 'bob', password: 'hunter2' } }, 'grant.username', "belongs to grant_type 'password', not 'client_credentials'"],
      ['pin grant with a password', { grant: { grant_type: 'pin', pin: '1234', password: 'pw' } }, 'grant.password', "belongs to grant_type 'password', not 'pin'"],
      ['password grant with a misspelt field', { grant: { grant_type: 'password', username: 'ann', password: 'pw', pasword: 'x' } }, 'grant.pasword', 'is unknown: did you mean "password"?'],
    ],
  },
  perx: {
    create: createPerxClient,
    valid: { clientId: 'id', clientSecret: 's' },
    rows: [
      ['clientId missing', { clientId: undefined }, 'clientId', 'is required'],
      ['clientSecret empty', { clientSecret: '' }, 'clientSecret', 'must be a non-empty string'],
      ['clientSecret ending with a line break', { clientSecret: 'the-secret\n' }, 'clientSecret', WHITESPACE],
      ['clientId starting with a space', { clientId: ' id' }, 'clientId', WHITESPACE],
      ['userTokenSeconds a string', { userTokenSeconds: 'abc' }, 'userTokenSeconds', 'must be an integer (got a string)'],
      ['userTokenSeconds negative', { userTokenSeconds: -5 }, 'userTokenSeconds', 'must be between 1 and 31536000 (got -5)'],
      ['userTokenSeconds zero', { userTokenSeconds: 0 }, 'userTokenSeconds', 'must be between 1 and 31536000 (got 0)'],
      ['userTokenSeconds a fraction', { userTokenSeconds: 1.5 }, 'userTokenSeconds', 'must be an integer (got 1.5)'],
      ['userTokenSeconds NaN', { userTokenSeconds: NaN }, 'userTokenSeconds', 'must be an integer (got NaN)'],
      ['maxUserClients zero', { maxUserClients: 0 }, 'maxUserClients', 'must be between 1 and 1000000 (got 0)'],
      ['maxUserClients a string', { maxUserClients: '10' }, 'maxUserClients', 'must be an integer (got a string)'],
      ['maxUserClients a fraction', { maxUserClients: 2.5 }, 'maxUserClients', 'must be an integer (got 2.5)'],
    ],
  },
  placewise: {
    create: createPlacewiseClient,
    // A trailing newline (a token read from a file) is trimmed by fetch, as is Latin-1 text.
    valid: { clubSlug: 'club', token: 't\n', userAgent: 'Café app', productName: 'p' },
    rows: [
      ['neither clubSlug nor baseUrl', { clubSlug: undefined }, 'clubSlug', 'is required when baseUrl is not given'],
      ['both clubSlug and baseUrl', { baseUrl: 'http://127.0.0.1:1/v3/club' }, 'clubSlug', "cannot be given with baseUrl, which already ends with the club's path (give one of them)"],
      ['clubSlug empty', { clubSlug: '' }, 'clubSlug', 'must be a non-empty string'],
      ['clubSlug a number', { clubSlug: 7 }, 'clubSlug', 'must be a string (got a number)'],
      ['clubSlug with a slash', { clubSlug: 'club/../other' }, 'clubSlug', `must be one URL path segment: letters, digits, '-', '_', '.' or '~' (got "club/../other")`],
      ['clubSlug with a query', { clubSlug: 'club?x=1' }, 'clubSlug', `must be one URL path segment: letters, digits, '-', '_', '.' or '~' (got "club?x=1")`],
      ['clubSlug ..', { clubSlug: '..' }, 'clubSlug', `must be one URL path segment: letters, digits, '-', '_', '.' or '~' (got "..")`],
      ['token missing', { token: undefined }, 'token', 'is required'],
      ['userAgent empty', { userAgent: '' }, 'userAgent', 'must be a non-empty string'],
      ['productName missing', { productName: undefined }, 'productName', 'is required'],
      // fetch would refuse these at the first call, quoting the value (a credential) in its error.
      ['token with a line break inside', { token: 'secret\nX-Other: 1' }, 'token', 'must be usable in a header: no control characters other than tab, and none above U+00FF'],
      ['token with a character above U+00FF', { token: 'secret€' }, 'token', 'must be usable in a header: no control characters other than tab, and none above U+00FF'],
      ['userAgent with CR LF', { userAgent: 'app\r\nX-Other: 1' }, 'userAgent', 'must be usable in a header: no control characters other than tab, and none above U+00FF'],
      ['productName with NUL', { productName: 'p\0' }, 'productName', 'must be usable in a header: no control characters other than tab, and none above U+00FF'],
      // undici's Headers takes these, then every call failed with "fetch failed".
      ['token with a control character', { token: 'sec\x01ret' }, 'token', 'must be usable in a header: no control characters other than tab, and none above U+00FF'],
      ['userAgent with DEL', { userAgent: 'app\x7f' }, 'userAgent', 'must be usable in a header: no control characters other than tab, and none above U+00FF'],
    ],
  },
  imprzd: {
    create: createImprzdClient,
    valid: { token: 'jwt' },
    rows: [
      // No token is no row here: the one known call is public (IMPRZD-13, src/imprzd.test.ts).
      ['token empty', { token: '' }, 'token', 'must be a non-empty string'],
      ['token an array', { token: ['a'] }, 'token', 'must be a string (got an array)'],
      ['token with a line break inside', { token: 'header.payload\n.sig' }, 'token', 'must be usable in a header: no control characters other than tab, and none above U+00FF'],
      // fetch trims tabs, spaces and line breaks, not this: it was sent, and the credential refused.
      ['token ending in a no-break space', { token: 'jwt\u00a0' }, 'token', 'must not start or end with whitespace fetch sends (a no-break space pasted with the value: trim it)'],
    ],
  },
};

/** The options every client takes, with the same rules for each vendor. */
const common: Row[] = [
  ['baseUrl empty', { baseUrl: '' }, 'baseUrl', 'must be a non-empty string'],
  ['baseUrl a number', { baseUrl: 42 }, 'baseUrl', 'must be an absolute URL string (got a number)'],
  ['baseUrl relative', { baseUrl: 'admin.example.com' }, 'baseUrl', 'must be an absolute URL with http: or https: (got "admin.example.com")'],
  ['baseUrl not http', { baseUrl: 'ftp://example.com' }, 'baseUrl', /must be an absolute URL with http: or https:/],
  // fetch would refuse it at every call with an error quoting the password.
  ['baseUrl with a user and password', { baseUrl: 'https://ops:hunter2@api.example.com' }, 'baseUrl', 'must not contain a user name or password (got "https://…@api.example.com")'],
  ['baseUrl relative, with a password', { baseUrl: 'ops:hunter2@api.example.com' }, 'baseUrl', 'must be an absolute URL with http: or https: (got "…@api.example.com")'],
  // A password may hold '/', '?', '#' or '@': nothing before the last '@' is shown, whatever the URL.
  ['baseUrl with a slash in its password', { baseUrl: 'https://ops:s3cr/et@api.example.com' }, 'baseUrl', 'must be an absolute URL with http: or https: (got "https://…@api.example.com")'],
  ['baseUrl with a ? in its password', { baseUrl: 'https://ops:Hunter2?x@api.example.com' }, 'baseUrl', 'must be an absolute URL with http: or https: (got "https://…@api.example.com")'],
  ['baseUrl with a # in its password', { baseUrl: 'https://ops:12#45@api.example.com' }, 'baseUrl', `must not have a query or fragment: each call's path is appended to it (got "https://…@api.example.com")`],
  ['baseUrl with an @ in its password', { baseUrl: 'https://ops:a@b@api.example.com' }, 'baseUrl', 'must not contain a user name or password (got "https://…@api.example.com")'],
  ['baseUrl with a password, after a space', { baseUrl: ' https://ops:s3cret@api.example.com' }, 'baseUrl', 'must not contain a user name or password (got " https://…@api.example.com")'],
  ['baseUrl with a password, one slash', { baseUrl: 'https:/ops:pass@api.example.com' }, 'baseUrl', 'must not contain a user name or password (got "…@api.example.com")'],
  ['baseUrl not http, with a query', { baseUrl: 'ftp://files.example.com/?api_key=k-123' }, 'baseUrl', 'must be an absolute URL with http: or https: (got "ftp://files.example.com/?…")'],
  // What follows the "?" is not echoed: it may hold a credential.
  ['baseUrl with a query', { baseUrl: 'https://api.example.com/v1?api_key=LIVE-KEY-123' }, 'baseUrl', `must not have a query or fragment: each call's path is appended to it (got "https://api.example.com/v1?…")`],
  ['baseUrl with a fragment', { baseUrl: 'https://api.example.com/v1#x' }, 'baseUrl', `must not have a query or fragment: each call's path is appended to it (got "https://api.example.com/v1#…")`],
  ['fetch a string', { fetch: 'yes' }, 'fetch', 'must be a function (got a string)'],
  ['timeoutMs a string', { timeoutMs: '100' }, 'timeoutMs', 'must be an integer (got a string)'],
  ['timeoutMs zero', { timeoutMs: 0 }, 'timeoutMs', 'must be between 1 and 2147483647 (got 0)'],
  ['timeoutMs minus zero', { timeoutMs: -0 }, 'timeoutMs', 'must be between 1 and 2147483647 (got -0)'],
  ['timeoutMs too large for a timer', { timeoutMs: 2 ** 31 }, 'timeoutMs', 'must be between 1 and 2147483647 (got 2147483648)'],
  ['retry a number', { retry: 3 }, 'retry', 'must be an object (got a number)'],
  ['retry without retries', { retry: {} }, 'retry.retries', 'is required'],
  ['retry.retries negative', { retry: { retries: -1 } }, 'retry.retries', 'must be between 0 and 10 (got -1)'],
  ['retry.on empty', { retry: { retries: 2, on: [] } }, 'retry.on', 'must list at least 1 value'],
  ['retry.on not a status', { retry: { retries: 2, on: [429, 200] } }, 'retry.on', '[1] must be between 400 and 599 (got 200)'],
  ['retry.on holding 401', { retry: { retries: 2, on: [429, 401] } }, 'retry.on', '[1] must not be 401: refused credentials are not sent again (Perx and Footprints refresh their token once on a 401)'],
  ['retry.on a string', { retry: { retries: 2, on: '429' } }, 'retry.on', 'must be an array (got a string)'],
  // A misspelt field would be ignored: the default statuses, or no cap on the wait.
  ['retry.on in another case', { retry: { retries: 2, On: [500] } }, 'retry.On', 'is unknown: did you mean "on"?'],
  ['retry.maxWaitSeconds without its s', { retry: { retries: 2, maxWaitSecond: 5 } }, 'retry.maxWaitSecond', 'is unknown: did you mean "maxWaitSeconds"?'],
  ['retry.maxWaitSeconds too long', { retry: { retries: 2, maxWaitSeconds: 7200 } }, 'retry.maxWaitSeconds', 'must be between 0 and 3600 (got 7200)'],
  // A field retry does not have would be ignored: the caller believes POSTs or other statuses are retried.
  ['retry with a field it does not have', { retry: { retries: 2, methods: ['POST'] } }, 'retry.methods', 'is unknown: the fields are retries, on, maxWaitSeconds'],
  ['retry.on under another name', { retry: { retries: 2, statuses: [500] } }, 'retry.statuses', 'is unknown: the fields are retries, on, maxWaitSeconds'],
  ['validate unknown', { validate: 'strict' }, 'validate', "must be one of 'off', 'report', 'throw' (got 'strict')"],
  ['validate a boolean', { validate: true }, 'validate', "must be one of 'off', 'report', 'throw' (got a boolean)"],
  ['onViolation not a function', { validate: 'report', onViolation: 'log' }, 'onViolation', 'must be a function (got a string)'],
  ['sample above 1', { validate: 'throw', sample: 1.5 }, 'sample', 'must be between 0 and 1 (got 1.5)'],
  ['sample a string', { validate: 'throw', sample: '0.1' }, 'sample', 'must be a number (got a string)'],
  ['record not a function', { record: [] }, 'record', 'must be a function (got an array)'],
  // A mistyped option would be ignored: the default, or no guard, without a word.
  ['timeoutMs in another case', { timeoutMS: 500 }, 'timeoutMS', 'is unknown: did you mean "timeoutMs"?'],
  ['validate with two letters swapped', { vaildate: 'report', onViolation: () => undefined }, 'vaildate', 'is unknown: did you mean "validate"?'],
  ['onViolation with a letter missing', { validate: 'report', onViolation: () => undefined, onViolaton: () => undefined }, 'onViolaton', 'is unknown: did you mean "onViolation"?'],
  ['baseUrl as baseURL', { baseURL: 'https://api.example.com' }, 'baseURL', 'is unknown: did you mean "baseUrl"?'],
  // Combinations that are each valid alone
  ["validate 'report' without onViolation", { validate: 'report' }, 'onViolation', "is required when validate is 'report' (it receives each violation)"],
  ['sample without validate', { sample: 0.5 }, 'sample', "has no effect unless validate is 'report' or 'throw'"],
  ["onViolation with validate 'off'", { validate: 'off', onViolation: () => undefined }, 'onViolation', "has no effect unless validate is 'report' or 'throw'"],
];

describe.each(Object.entries(factories))('%s options', (vendor, { create, valid, rows }) => {
  it('accepts the valid options, and every common option set well', () => {
    expect(() => create({ ...valid })).not.toThrow();
    const full = { baseUrl: 'http://127.0.0.1:1', fetch: async () => new Response(), timeoutMs: 500, retry: { retries: 2, on: [429], maxWaitSeconds: 5 } };
    // A baseUrl stands in for Placewise's clubSlug: the two are one choice.
    const { clubSlug: _, ...besideBaseUrl } = valid as Record<string, unknown>;
    expect(() => create({ ...besideBaseUrl, ...full, validate: 'report', onViolation: () => undefined, sample: 0.1, record: () => undefined })).not.toThrow();
    // Keys that are no option's near miss pass: callers spread wider settings objects.
    expect(() => create({ ...valid, userIdentifier: 'u-1', environment: 'staging', id: 1 })).not.toThrow();
  });

  it.each([undefined, null, 'creds', 42])('refuses %s instead of an options object', (options) => {
    expect(() => create(options)).toThrow(ConfigError);
    expect(() => create(options)).toThrow(new RegExp(`^${vendor}: option "options" must be an object: create\\w+Client\\(\\{ .*… \\}\\)`));
  });

  it.each([...rows, ...common])('%s', (_, change, option, rule) => {
    const options = { ...valid, ...change };
    for (const [key, value] of Object.entries(change)) if (value === undefined) delete (options as Record<string, unknown>)[key];
    let error: unknown;
    try {
      create(options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).option).toBe(option);
    if (typeof rule === 'string') expect((error as ConfigError).message).toBe(`${vendor}: option "${option}" ${rule}`);
    else expect((error as ConfigError).message).toMatch(rule);
  });
});

/** The rule tables themselves, independent of any client factory. */
describe('option rules', () => {
  it('unsendableInHeader refuses what undici will not send, and only that', () => {
    const refused = ['a\x01b', 'a\x08b', 'a\x1fb', 'a\x7fb', 'a\nb', 'a\0b', 'a€b'];
    const sent = ['a\tb', ' padded\n', 'Zoë', 'a\x80b', 'a\xffb', 'a~b'];
    expect(refused.filter((v) => !unsendableInHeader(v))).toEqual([]);
    expect(sent.filter((v) => unsendableInHeader(v))).toEqual([]);
  });

  it('kindOf names what was given without echoing it', () => {
    expect([undefined, null, [], NaN, 1, 'secret', true, {}, () => 1, 1n, Symbol('s')].map(kindOf)).toEqual([
      'nothing',
      'null',
      'an array',
      'NaN',
      'a number',
      'a string',
      'a boolean',
      'an object',
      'a function',
      'a bigint',
      'a symbol',
    ]);
  });

  it('text: a string with something besides whitespace', () => {
    expect(text().check('u')).toBeUndefined();
    expect(text().check(' \t')).toBe('must be a non-empty string');
    expect(text().check(1)).toBe('must be a string (got a number)');
    expect(text().required).toBe(false);
    expect(required(text()).required).toBe(true);
  });

  it('url: an absolute http(s) URL', () => {
    expect(url().check('https://api.example.com/v1')).toBeUndefined();
    expect(url().check('http://127.0.0.1:1')).toBeUndefined();
    expect(url().check(' ')).toBe('must be a non-empty string');
    expect(url().check('/v1')).toBe('must be an absolute URL with http: or https: (got "/v1")');
    // Whatever comes before an '@' may be a user and password, so it is never echoed.
    expect(url().check('mailto:a@b.c')).toBe('must be an absolute URL with http: or https: (got "…@b.c")');
    expect(url().check('xhttp://a')).toMatch(/^must be an absolute URL with http/);
    expect(url().check('httpsx://a')).toMatch(/^must be an absolute URL with http/);
    expect(url().check(null)).toBe('must be an absolute URL string (got null)');
  });

  it('integer: a whole number within the bounds, both included', () => {
    const r = integer(1, 10);
    expect([1, 5, 10].map((v) => r.check(v))).toEqual([undefined, undefined, undefined]);
    expect(r.check(0)).toBe('must be between 1 and 10 (got 0)');
    expect(r.check(11)).toBe('must be between 1 and 10 (got 11)');
    expect(r.check(2.5)).toBe('must be an integer (got 2.5)');
    expect(r.check(NaN)).toBe('must be an integer (got NaN)');
    expect(r.check('5')).toBe('must be an integer (got a string)');
  });

  it('fraction: a number from 0 to 1, both included', () => {
    const r = fraction();
    expect([0, 0.25, 1].map((v) => r.check(v))).toEqual([undefined, undefined, undefined]);
    expect(r.check(-0.1)).toBe('must be between 0 and 1 (got -0.1)');
    expect(r.check(1.01)).toBe('must be between 0 and 1 (got 1.01)');
    expect(r.check(NaN)).toBe('must be a number (got NaN)');
  });

  it('func: a function', () => {
    expect(func().check(() => undefined)).toBeUndefined();
    expect(func().check({})).toBe('must be a function (got an object)');
  });

  it('oneOf: one of the listed strings, quoting a wrong string and naming other kinds', () => {
    const r = oneOf(['off', 'report']);
    expect(r.check('report')).toBeUndefined();
    expect(r.check('Report')).toBe("must be one of 'off', 'report' (got 'Report')");
    expect(r.check(['off'])).toBe("must be one of 'off', 'report' (got an array)");
  });

  it('list: an array with enough items, naming the index of the first bad one', () => {
    const r = list(integer(400, 599));
    expect(r.check([429, 503])).toBeUndefined();
    expect(r.check([])).toBe('must list at least 1 value');
    expect(list(text(), 2).check(['a'])).toBe('must list at least 2 values');
    expect(list(text(), 0).check([])).toBeUndefined();
    expect(r.check([429, 503, 200, 100])).toBe('[2] must be between 400 and 599 (got 200)');
    expect(r.check({ 0: 429, length: 1 })).toBe('must be an array (got an object)');
  });

  it('object and variants: an object (not null, not an array)', () => {
    for (const r of [object({}), variants('type', {})]) {
      expect(r.check({})).toBeUndefined();
      expect(r.check(null)).toBe('must be an object (got null)');
      expect(r.check([])).toBe('must be an object (got an array)');
      expect(r.check('x')).toBe('must be an object (got a string)');
    }
  });
});

describe('checkOptions', () => {
  const rules = { name: required(text()), retry: object({ retries: required(integer(0, 10)) }), grant: variants('type', { pin: { pin: required(text()) }, open: {} }) };
  const refusal = (options: unknown, combinations: Combination[] = []) => {
    try {
      checkOptions('acme', 'createAcmeClient', options, rules, combinations);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).message;
    }
    return undefined;
  };

  it('returns the options it knows, as a plain object, when every rule holds, and reads no other', () => {
    const options = { name: 'n', retry: { retries: 0 }, grant: { type: 'pin', pin: '1234' }, other: 1 };
    expect(checkOptions('acme', 'createAcmeClient', options, rules)).toEqual({ name: 'n', retry: { retries: 0 }, grant: { type: 'pin', pin: '1234' } });
    const wider = {
      name: 'n',
      get databaseUrl(): string {
        throw new Error('DATABASE_URL is not set');
      },
    };
    expect(checkOptions('acme', 'createAcmeClient', wider, rules)).toEqual({ name: 'n' });
    expect(refusal({ name: 'n', grant: { type: 'open' } })).toBeUndefined();
  });

  it('reads options a settings class or a prototype holds, once each, and returns them as own values', () => {
    let reads = 0;
    class Settings {
      get name() {
        reads += 1;
        return 'n';
      }
    }
    const checked = checkOptions('acme', 'createAcmeClient', new Settings(), rules) as unknown as Record<string, unknown>;
    expect(checked).toEqual({ name: 'n' });
    expect(reads).toBe(1);
    expect(checkOptions('acme', 'createAcmeClient', Object.create({ name: 'n', retry: { retries: 1 } }), rules)).toEqual({ name: 'n', retry: { retries: 1 } });
    expect(refusal(Object.create({ name: 7 }))).toBe('acme: option "name" must be a string (got a number)');
  });

  it('reads the fields of an object option once each too, own or on a prototype, and returns them as own values', () => {
    let reads = 0;
    const retry = {
      get retries() {
        reads += 1;
        return reads === 1 ? 1 : 1000;
      },
    };
    const checked = checkOptions('acme', 'createAcmeClient', { name: 'n', retry }, rules) as unknown as { retry: { retries: number } };
    expect([checked.retry.retries, checked.retry.retries, reads]).toEqual([1, 1, 1]);
    // A list is the caller's still: pushed to after the check, the client would use what was not checked.
    const on = [429];
    const listed = checkOptions('v', 'createVClient', { retry: { retries: 1, on } }, commonRules) as { retry: { on: unknown[] } };
    on.push(200);
    expect(listed.retry.on).toEqual([429]);
    class Grant {
      get type() {
        return 'pin';
      }
      get pin() {
        return '1234';
      }
    }
    expect(checkOptions('acme', 'createAcmeClient', { name: 'n', grant: new Grant() }, rules)).toEqual({ name: 'n', grant: { type: 'pin', pin: '1234' } });
  });

  it('refuses a missing required option, and lets a missing optional one be', () => {
    expect(refusal({})).toBe('acme: option "name" is required');
    expect(refusal({ name: 'n' })).toBeUndefined();
  });

  it('names the nested field that breaks a rule by its dotted path', () => {
    expect(refusal({ name: 'n', retry: {} })).toBe('acme: option "retry.retries" is required');
    expect(refusal({ name: 'n', retry: { retries: 11 } })).toBe('acme: option "retry.retries" must be between 0 and 10 (got 11)');
  });

  it('checks a variant by its discriminator, then the fields of that variant', () => {
    expect(refusal({ name: 'n', grant: {} })).toBe('acme: option "grant.type" is required');
    expect(refusal({ name: 'n', grant: { type: 'code' } })).toBe("acme: option \"grant.type\" must be one of 'pin', 'open' (got 'code')");
    expect(refusal({ name: 'n', grant: { type: 'pin' } })).toBe('acme: option "grant.pin" is required');
  });

  it('refuses options that are not an object, showing the call with the required options', () => {
    expect(refusal(null)).toBe('acme: option "options" must be an object: createAcmeClient({ name, … }) (got null)');
    expect(refusal([])).toBe('acme: option "options" must be an object: createAcmeClient({ name, … }) (got an array)');
  });

  it('checks combinations only after every single option, in order, naming the first broken', () => {
    const combinations: Combination[] = [
      { option: 'name', rule: 'must not be "x" with retries', broken: (o) => o.name === 'x' && o.retry !== undefined },
      { option: 'retry', rule: 'second rule', broken: () => true },
    ];
    expect(refusal({ retry: { retries: 1 } }, combinations)).toBe('acme: option "name" is required');
    expect(refusal({ name: 'x', retry: { retries: 1 } }, combinations)).toBe('acme: option "name" must not be "x" with retries');
    expect(refusal({ name: 'y' }, combinations)).toBe('acme: option "retry" second rule');
  });

  it('the common rules, directly: each option with its rule and the combinations of validate', () => {
    const check = (options: Record<string, unknown>) => {
      try {
        checkOptions('v', 'createVClient', options, commonRules, commonCombinations);
      } catch (error) {
        return (error as ConfigError).message;
      }
      return undefined;
    };
    expect(check({})).toBeUndefined();
    expect(check({ timeoutMs: DEFAULT_TIMEOUT_MS })).toBeUndefined();
    expect(check({ timeoutMs: 2_147_483_647 })).toBeUndefined();
    expect(check({ retry: { retries: 10, on: [400, 599], maxWaitSeconds: 3600 } })).toBeUndefined();
    expect(check({ retry: { retries: 11 } })).toBe('v: option "retry.retries" must be between 0 and 10 (got 11)');
    expect(check({ retry: { retries: 1, on: [600] } })).toBe('v: option "retry.on" [0] must be between 400 and 599 (got 600)');
    expect(check({ retry: { retries: 1, on: [399] } })).toBe('v: option "retry.on" [0] must be between 400 and 599 (got 399)');
    expect(check({ retry: { retries: 1, maxWaitSeconds: -1 } })).toBe('v: option "retry.maxWaitSeconds" must be between 0 and 3600 (got -1)');
    expect(VALIDATE_MODES).toEqual(['off', 'report', 'throw']);
    expect(check({ validate: 'throw' })).toBeUndefined();
    expect(check({ validate: 'throw', onViolation: () => undefined, sample: 0 })).toBeUndefined();
    expect(check({ validate: 'report', onViolation: () => undefined, sample: 1 })).toBeUndefined();
    expect(check({ validate: 'off' })).toBeUndefined();
    expect(check({ sample: 0.5 })).toBe(`v: option "sample" has no effect unless validate is 'report' or 'throw'`);
    expect(check({ validate: 'off', sample: 0.5 })).toBe(`v: option "sample" has no effect unless validate is 'report' or 'throw'`);
    expect(check({ onViolation: () => undefined })).toBe(`v: option "onViolation" has no effect unless validate is 'report' or 'throw'`);
  });
});

describe('options that cannot be read', () => {
  it('a revoked Proxy, as the options or as one of them, is a ConfigError naming it, not a TypeError from inside the check', () => {
    const revoked = () => {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      return proxy;
    };
    const failure = (make: () => unknown) => {
      try {
        make();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const whole = failure(() => createXonvoClient(revoked() as never));
    expect(whole).toBeInstanceOf(ConfigError);
    expect(whole).toMatchObject({ option: 'options', message: expect.stringMatching(/^xonvo: option "options" must be an object that can be read to be checked \(reading it threw: .*revoked/) });
    for (const option of ['retry', 'record', 'fetch']) {
      const one = failure(() => createPerxClient({ clientId: 'id', clientSecret: 's', [option]: revoked() } as never));
      expect(one).toBeInstanceOf(ConfigError);
      expect(one).toMatchObject({ option });
    }
    const inside = failure(() => createPerxClient({ clientId: 'id', clientSecret: 's', retry: { retries: 1, on: revoked() } } as never));
    expect(inside).toMatchObject({ name: 'ConfigError', option: 'retry' });
  });
});
