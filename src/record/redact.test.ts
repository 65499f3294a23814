import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createCredentialMask } from './har.js';
import { createRedactor } from './redact.js';

const basic = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');

describe('createRedactor', () => {
  it('masks every occurrence of each secret', () => {
    const redact = createRedactor(['client-secret-9Zt', 'client-id-7Qx']);
    expect(redact('id=client-id-7Qx secret=client-secret-9Zt again=client-secret-9Zt')).toBe('id=[redacted] secret=[redacted] again=[redacted]');
  });

  it('masks a secret read with a trailing newline as fetch sends it, trimmed', () => {
    const redact = createRedactor(['integration-token\n']);
    expect(redact('X-Client-Authorization: integration-token')).toBe('X-Client-Authorization: [redacted]');
  });

  it('masks the forms other encoders write (CLIENT-57, CLIENT-59): lower-case hex, quote_plus, quote, PathEscape, PHP\'s quote escapes, HTML entities', () => {
    const secret = `Ab/c+d== x~"y'`;
    const redact = createRedactor([secret]);
    const written = [
      encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()), // .NET HttpUtility.UrlEncode
      'Ab%2Fc%2Bd%3D%3D+x~%22y%27', // Python's quote_plus
      JSON.stringify(secret).slice(1, -1).replaceAll('\\"', '\\u0022').replaceAll("'", '\\u0027'), // PHP JSON_HEX_QUOT | JSON_HEX_APOS
      'Ab/c+d== x~&quot;y&#039;', // PHP htmlspecialchars
      'Ab/c+d== x~&quot;y&#39;',
      'Ab/c&#43;d== x~&#34;y&#39;', // Go's html/template (CLIENT-58)
      'Ab/c+d== x~&quot;y&apos;', // XML
      'Ab/c%2Bd%3D%3D%20x~%22y%27', // Python's quote (`/` kept), CLIENT-59
      'Ab%2Fc+d==%20x~%22y%27', // Go's url.PathEscape (`+` and `=` kept)
      'Ab%2Fc%2Bd%3D%3D%20x~%22y%27', // PHP's rawurlencode (RFC 3986)
    ];
    // Jackson writes characters past ASCII as upper-case \u escapes.
    expect(createRedactor(['pässwörd-1'])('{"p":"p\\u00E4ssw\\u00F6rd-1"}')).toBe('{"p":"[redacted]"}');
    for (const form of written) expect({ form, shown: redact(`echo: ${form}.`) }).toEqual({ form, shown: 'echo: [redacted].' });
  });

  it('masks the URL-encoded form a secret takes in query strings and form bodies', () => {
    const redact = createRedactor(['p@ss w/rd']);
    expect(redact('password=p%40ss%20w%2Frd&x=1')).toBe('password=[redacted]&x=1');
  });

  it('masks a secret holding `"` or `\\` as a JSON string writes it, and that written URL-encoded', () => {
    const secret = 'cs"ec\\ret-ab cd';
    const body = JSON.stringify({ client_secret: secret });
    const redact = createRedactor([secret]);
    expect(redact(`you sent ${body}`)).toBe('you sent {"client_secret":"[redacted]"}');
    expect(redact(encodeURIComponent(body))).toBe(encodeURIComponent('{"client_secret":"').concat('[redacted]', encodeURIComponent('"}')));
  });

  it("masks a secret as other JSON encoders write it: `/` escaped (PHP's json_encode), `<`, `>` and `&` as \\u escapes (Go)", () => {
    const redact = createRedactor(['Zm9v/YmFy+c2Vj&<ret>']);
    expect(redact('{"client_secret":"Zm9v\\/YmFy+c2Vj&<ret>"}')).toBe('{"client_secret":"[redacted]"}');
    expect(redact('{"client_secret":"Zm9v/YmFy+c2Vj\\u0026\\u003cret\\u003e"}')).toBe('{"client_secret":"[redacted]"}');
    expect(redact('{"client_secret":"Zm9v\\/YmFy+c2Vj\\u0026\\u003cret\\u003e"}')).toBe('{"client_secret":"[redacted]"}');
    // PHP with JSON_HEX_TAG writes the escapes in upper case; by default it escapes every character past ASCII.
    expect(redact('{"client_secret":"Zm9v\\/YmFy+c2Vj\\u0026\\u003Cret\\u003E"}')).toBe('{"client_secret":"[redacted]"}');
    expect(createRedactor(['sk_live_Größe_2024'])('{"client_secret":"sk_live_Gr\\u00f6\\u00dfe_2024"}')).toBe('{"client_secret":"[redacted]"}');
  });

  it('masks the Basic-auth form of any pair of secrets, in either order', () => {
    const redact = createRedactor(['fp-key-123', 'fp-secret-456']);
    expect(redact(`Basic ${basic('fp-key-123', 'fp-secret-456')}`)).toBe('Basic [redacted]');
    expect(redact(`Basic ${basic('fp-secret-456', 'fp-key-123')}`)).toBe('Basic [redacted]');
    expect(redact(`Basic ${basic('fp-key-123', 'fp-key-123')}`)).toBe('Basic [redacted]');
  });

  it('masks a longer secret whole even when it contains a shorter one', () => {
    const redact = createRedactor(['abcd', 'abcdefgh']);
    expect(redact('token abcdefgh')).toBe('token [redacted]');
    expect(createRedactor(['abcdefgh', 'abcd'])('token abcdefgh')).toBe('token [redacted]');
  });

  it('ignores secrets shorter than 4 characters (they would mask ordinary text), keeps 4 and longer', () => {
    const redact = createRedactor(['pin', 'ab1', 'wxyz']);
    expect(redact('a pin of ab1 and wxyz')).toBe('a pin of ab1 and [redacted]');
  });

  it('masks secrets with characters a regular expression would read as syntax, literally', () => {
    const redact = createRedactor(['a.b*c+d?(e)[f]{g}|h^$\\']);
    expect(redact('x a.b*c+d?(e)[f]{g}|h^$\\ y aXbbbcd')).toBe('x [redacted] y aXbbbcd');
  });

  it('masks tokens seen issued as they are and URL-encoded, but pairs only configured secrets into Basic forms', () => {
    const redact = createRedactor(['fp-key-123'], ['tok/en+1']);
    expect(redact('a tok/en+1 b tok%2Fen%2B1')).toBe('a [redacted] b [redacted]');
    expect(redact(basic('tok/en+1', 'fp-key-123'))).toBe(basic('tok/en+1', 'fp-key-123'));
    expect(redact(basic('fp-key-123', 'fp-key-123'))).toBe('[redacted]');
  });

  it('masks a learnt token over 1 kB in every written form (CLIENT-86: one was masked in three)', () => {
    const token = `${'Ab/c+d'.repeat(250)}==`;
    const redact = createRedactor([], [token]);
    for (const form of [token.replaceAll('/', '\\/'), token.replaceAll('+', '&#43;'), encodeURIComponent(token).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())]) {
      expect(redact(`<p>${form}</p>`)).toBe('<p>[redacted]</p>');
    }
  });

  it('masks forms mixed from several encoders, a character at a time', () => {
    // JSON-escaped, then URL-encoded in lower case by one encoder and left as is by another.
    expect(createRedactor(['cs"ec/ret-9'])('x=cs%5c%22ec\\/ret-9&y')).toBe('x=[redacted]&y');
  });

  it('masks a \\u escape URL-encoded (PHP or Go JSON in a query), as the forms it replaced did (CLIENT-86)', () => {
    const redact = createRedactor(['Sécr&t<pa55>word']);
    for (const form of ['S%5Cu00e9cr%26t%3Cpa55%3Eword', 'S%C3%A9cr%5Cu0026t%5Cu003cpa55%5Cu003eword']) expect(redact(`state=${form}&x`)).toBe('state=[redacted]&x');
  });

  it('masks a secret URL-encoded twice (a token in a redirect URL put in another query), as encodeURIComponent and a form write it, in either case', () => {
    const token = 'tok/9f+Kx==a b';
    const once = encodeURIComponent(token);
    const redact = createRedactor([], [token]);
    for (const twice of [encodeURIComponent(once), encodeURIComponent(once).replace(/%25([0-9A-F]{2})/g, (_, hex: string) => `%25${hex.toLowerCase()}`), new URLSearchParams({ v: new URLSearchParams({ v: token }).toString().slice(2) }).toString().slice(2)]) {
      expect(redact(`https://app.example/login?next=${encodeURIComponent('https://app.example/cb?t=')}${twice}&x=1`)).toBe(`https://app.example/login?next=${encodeURIComponent('https://app.example/cb?t=')}[redacted]&x=1`);
    }
    // A configured secret too, and as JSON wrote it first.
    const secret = 'pa"ss/w0rd';
    expect(createRedactor([secret])(encodeURIComponent(encodeURIComponent(JSON.stringify(secret).slice(1, -1))))).toBe('[redacted]');
  });

  it('masks a run of backslashes in linear time, in a child process so that a regression fails at its timeout (CLIENT-86)', () => {
    // Each backslash could be written `\\` or `\\\\`: 30 of them, in text that almost matched, took minutes.
    const redact = JSON.stringify(fileURLToPath(new URL('./redact.ts', import.meta.url)));
    const script = `import { createRedactor } from ${redact}; const s = 'ab' + '\\\\'.repeat(200) + 'Z'; const r = createRedactor([s]); console.log(r(JSON.stringify(s).slice(1, -1)), r('ab' + '\\\\'.repeat(400) + 'Y').length);`;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(result.signal).toBeNull();
    expect(result.stdout.trim()).toBe('[redacted] 403');
  });

  it('masks a long value holding half a surrogate pair without throwing (it has no URL-encoded form)', () => {
    const value = `tok-\ud800${'a'.repeat(9000)}`;
    expect(createRedactor([], [value])(`x ${value} y`)).toBe('x [redacted] y');
  });

  it('masks what a third round found lost: two backslashes in a row, a literal %25, .NET\'s \\u002B, a value past 8 kB in every uniform form (CLIENT-87)', () => {
    const forms = (secret: string, written: string[]) => {
      const redact = createRedactor([secret]);
      for (const form of written) expect({ form, shown: redact(`p=${form};`) }).toEqual({ form, shown: 'p=[redacted];' });
    };
    forms('Pa\\\\ss!word', [new URLSearchParams({ v: 'Pa\\\\ss!word' }).toString().slice(2), 'Pa\\\\ss!word', 'Pa%5C%5Css%21word']);
    forms('pa%25ss"w', ['pa%25ss&quot;w']);
    forms('hunter2&a', ['hunter2&amp;a']);
    forms('q9Zk+Lm/8xQ2vT0r+a1B7cYw==', ['q9Zk\\u002BLm/8xQ2vT0r\\u002Ba1B7cYw==', 'q9Zk\\u002bLm\\/8xQ2vT0r\\u002ba1B7cYw\\u003d\\u003d']);
    const long = `${'Ab/c+d'.repeat(1400)}==`;
    forms(long, [long.replaceAll('/', '\\/'), encodeURIComponent(long).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()), long.replaceAll('+', '&#43;')]);
  });

  it('masks a secret holding the text of an escape (`%25`, `&amp;`) with another character written otherwise: the character does not keep the escape', () => {
    const written: [string, string[]][] = [
      ['<%25pw', ['\\u003c%25pw', '\\u003C%25pw', '%5Cu003c%2525pw']], // Go's JSON, and it in a query
      ['pa%25ss é', ['pa%25ss \\u00e9', 'pa%25ss \\u00E9']], // PHP's JSON
      ["o'%25&x", ["o\\u0027%25\\u0026x", "o'%25\\u0026x"]],
      ['a&amp;é-pw', ['a&amp;\\u00e9-pw', 'a&amp;%5Cu00e9-pw', 'a&amp;%5cu00E9-pw']],
      ['pass\\%25<', ['pass\\\\%25\\u003c']],
    ];
    for (const [secret, forms] of written) {
      const redact = createRedactor([secret]);
      for (const form of forms) expect({ form, shown: redact(`p=${form};`) }).toEqual({ form, shown: 'p=[redacted];' });
    }
  });

  it('masks values full of `%25` and `&amp;` in text that almost holds them in linear time, in a child process (a choice left open costs a few steps)', () => {
    const redact = JSON.stringify(fileURLToPath(new URL('./redact.ts', import.meta.url)));
    const script = `import { createRedactor } from ${redact};
      const cases = [['%25'.repeat(200) + '!', '%2525'.repeat(200)], ['&amp;'.repeat(200) + '!', '&amp;amp;'.repeat(200)], ['%&'.repeat(150) + '!', '%25&amp;'.repeat(150)], ['&amp;amp;amp;'.repeat(50) + '!', '&amp;amp;amp;amp;'.repeat(60)]];
      console.log(cases.map(([value, text]) => createRedactor([value])(text.repeat(20)).includes('[redacted]')).join(' '));`;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(result.signal).toBeNull();
    expect(result.stdout.trim()).toBe('false false false false');
  });

  it("reuses each value's compiled pattern for the next redactor, and drops the patterns of values no longer given", () => {
    const compiled = new Map<string, RegExp | null>();
    createRedactor(['first-secret'], ['token-one'], compiled);
    const pattern = compiled.get('token-one');
    expect(pattern).toBeInstanceOf(RegExp);
    createRedactor(['first-secret'], ['token-two'], compiled);
    expect([...compiled.keys()].sort()).toEqual(['first-secret', 'token-two']);
    createRedactor(['first-secret'], ['token-one'], compiled);
    expect(compiled.get('token-one')).not.toBe(pattern);
    const again = compiled.get('token-one');
    createRedactor(['first-secret'], ['token-one', 'token-three'], compiled);
    expect(compiled.get('token-one')).toBe(again);
  });

  it('masks a value too long for a pattern as it is, as JSON writes it and URL-encoded, and never throws quoting it', () => {
    const long = '"/\\é+'.repeat(2000);
    const redact = createRedactor([long]);
    for (const form of [long, JSON.stringify(long).slice(1, -1), encodeURIComponent(long)]) expect(redact(`a ${form} b`)).toBe('a [redacted] b');
  });

  it('masks a long secret full of special characters in every whole form the enumerated forms listed, \\u escapes of each kind among them', () => {
    const secret = Array.from({ length: 3000 }, (_, i) => 'ab/+=<&"é'[i % 9]).join('');
    const json = JSON.stringify(secret).slice(1, -1);
    const hex = (pattern: RegExp, text = json) => text.replace(pattern, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`);
    const redact = createRedactor([secret]);
    const tags = hex(/[<>&]/g); // PHP's JSON_HEX_TAG and JSON_HEX_AMP
    for (const form of [tags, hex(/[^\x00-\x7f]/g, tags).replaceAll('/', '\\/'), json.replaceAll('\\"', '\\u0022'), encodeURIComponent(tags)]) {
      expect(redact(`{"k":"${form}"}`)).toBe('{"k":"[redacted]"}');
    }
  });

  it(".NET's JSON of a 4096-bit PEM key ('+' as \\u002B, line breaks as \\n) is masked: a key needs its mixed forms", () => {
    const base64 = Buffer.from(Array.from({ length: 2400 }, (_, i) => (i * 131 + 7) % 256)).toString('base64');
    const pem = `-----BEGIN PRIVATE KEY-----\n${base64.match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`;
    const dotnet = JSON.stringify(pem).slice(1, -1).replaceAll('+', '\\u002B');
    expect(createRedactor([pem])(`{"key":"${dotnet}"}`)).toBe('{"key":"[redacted]"}');
  });

  it('masks a value whose pattern would be too large to compile quickly in its whole forms as text', () => {
    // 2,000 characters of these made 250,000 characters of pattern: 1.6 s to compile.
    const secret = Array.from({ length: 2000 }, (_, i) => 'ab/+=<&"'[i % 8]).join('');
    const compiled = new Map<string, RegExp | null>();
    const redact = createRedactor([secret, 'short-secret'], [], compiled);
    expect([compiled.get(secret), compiled.get('short-secret')]).toEqual([null, expect.any(RegExp)]);
    expect(redact(`a ${encodeURIComponent(secret)} b`)).toBe('a [redacted] b');
  });

  it('leaves text without secrets alone, and masks nothing when given none', () => {
    expect(createRedactor(['s3cr3t'])('nothing to hide')).toBe('nothing to hide');
    expect(createRedactor([])('s3cr3t')).toBe('s3cr3t');
  });
});

describe('createCredentialMask: texts', () => {
  it('masks many texts as each would be masked alone, learning every URL credential first', () => {
    const values = ['GET /a?access_token=ONE-111&x=1', 'token ONE-111 again', 'GET /b?access_token=TWO-222', 'before TWO-222 was learnt', 'plain'];
    const together = createCredentialMask(['CONFIGURED-SECRET']).texts([...values, 'CONFIGURED-SECRET']);
    expect(together).toEqual(['GET /a?access_token=[redacted]&x=1', 'token [redacted] again', 'GET /b?access_token=[redacted]', 'before [redacted] was learnt', 'plain', '[redacted]']);
  });
});

describe('couldBeToken', () => {
  it('reads a run of capitals and dashes in no time: no word form takes a lone capital two ways (CLIENT-85)', () => {
    // With the regular expression this replaced, `A-A-…-A-123` was tried every way of splitting it
    // (2^40 here: hours, with the process blocked and no timeout able to fire). A child process, so
    // that a regression fails this test at spawnSync's timeout rather than hanging the suite.
    const har = JSON.stringify(fileURLToPath(new URL('./har.ts', import.meta.url)));
    const script = `import { couldBeToken } from ${har}; console.log(couldBeToken('A-'.repeat(40) + '123'), couldBeToken('A-'.repeat(40) + 'A'));`;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(result.signal).toBeNull();
    expect(result.stdout.trim()).toBe('true false');
  });
});
