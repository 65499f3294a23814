import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { measureJson } from '../json-shape.js';
import { checkContentEncoding, checkContentType, checkFormBody, checkJsonBody, checkMultipartBytes, checkPath, LIMITS, measureForm, readMultipart, tooLarge, unreadableForm } from './guard.js';
import { createRouter } from './router.js';
import type { Operation } from './prism.js';

// The parser Prism runs on a multipart body, from where Prism loads it.
const require = createRequire(import.meta.url);
const parser = createRequire(require.resolve('@stoplight/prism-http'))('parse-multipart-data') as { parse(body: Buffer, boundary: string): { name: string }[] };

describe('guards', () => {
  it.each(['application/json', 'application/json; charset=utf-8', 'text/plain;a="b c"', 'multipart/form-data; boundary=----x', 'application/vnd.api+json', ' application/json ', ''])(
    'lets the media type %j through',
    (value) => expect(checkContentType(value)).toBeUndefined(),
  );

  it.each(['garbage;;;===', 'json', 'application/', '/json', 'application/json; =x', 'application/json; a=', 'a b/c'])('refuses %j with a 415 naming the header', (value) => {
    const answer = checkContentType(value)!;
    expect(answer.status).toBe(415);
    expect(JSON.parse(String(answer.body))).toMatchObject({ status: 415, header: 'content-type' });
    expect(answer.headers['content-type']).toBe('application/problem+json');
  });

  it('refuses a body in a content coding with a 415 naming Content-Encoding, and lets identity or no body through', () => {
    for (const value of ['gzip', 'br', 'identity, gzip', ' GZIP ']) {
      const answer = checkContentEncoding(value, true)!;
      expect(answer.status).toBe(415);
      expect(JSON.parse(String(answer.body))).toMatchObject({ status: 415, header: 'content-encoding' });
      expect(answer.headers['accept-encoding']).toBe('identity');
    }
    expect(checkContentEncoding('gzip', false)).toBeUndefined();
    for (const value of [undefined, '', 'identity', ' Identity ']) expect(checkContentEncoding(value, true)).toBeUndefined();
  });

  it(`refuses JSON of more than ${LIMITS.jsonValues} values with a 413 naming the limit, and no fewer`, () => {
    const list = (n: number) => measureJson(`[${Array(n).fill(0).join(',')}]`);
    expect(checkJsonBody(list(LIMITS.jsonValues - 1))).toBeUndefined();
    const refused = checkJsonBody(list(LIMITS.jsonValues))!;
    expect(refused.status).toBe(413);
    expect(JSON.parse(String(refused.body))).toMatchObject({ title: 'Body holds too many values', limit: LIMITS.jsonValues });
  });

  it.each([
    ['', 0],
    ['a=1', 1],
    ['a=1&b=2', 2],
    ['a=1&&b', 3],
    ['a=%26&b=x%26y', 2],
  ])('counts the parts of form text %j, empty ones too: %i', (text, fields) => expect(measureForm(text).fields).toBe(fields));

  it.each([
    ['a=1', 0],
    ['a[b]=1&c[][][d]=2', 3],
    ['a%5Bb%5D%5bc%5d=1', 2],
    // A bracket in a value nests nothing.
    ['a=[[[[&b[c]=[', 1],
  ])('measures how deep form text %j nests: %i', (text, depth) => expect(measureForm(text).depth).toBe(depth));

  it(`refuses a form field nested deeper than ${LIMITS.jsonDepth} levels, as JSON is, and no deeper`, () => {
    expect(checkFormBody(measureForm(`a${'[]'.repeat(LIMITS.jsonDepth)}=1`))).toBeUndefined();
    const refused = checkFormBody(measureForm(`ok=1&a${'%5B%5D'.repeat(LIMITS.jsonDepth + 1)}=1`))!;
    expect(refused.status).toBe(400);
    expect(JSON.parse(String(refused.body))).toMatchObject({ title: 'Body nested too deeply', limit: LIMITS.jsonDepth, detail: `request body has a form field nested ${LIMITS.jsonDepth + 1} levels deep (each [ in its name counts); the mock accepts at most ${LIMITS.jsonDepth}, as it does for JSON` });
  });

  it.each([
    ['%=1', '%'],
    ['ok=1&%E0%A4%A=1', '%E0%A4%A'],
    ['a%5B%E0%5D=1', 'a%5B%E0%5D'],
    ['x=1&last%', 'last%'],
  ])('finds the form field name %j Prism cannot decode: %j', (text, name) => expect(measureForm(text).malformed).toBe(name));

  it('reads a malformed escape in a value, or a good one in a name, as no malformed name', () => {
    expect(measureForm('a%20b=%&c=%E0%A4%A').malformed).toBeUndefined();
  });

  const multipart = (...parts: string[]) => `--B\r\n${parts.map((p) => `${p}\r\n\r\nx\r\n`).join('--B\r\n')}--B--\r\n`;

  it('measures a multipart body: its parts, how deep their names nest, the first name Prism cannot decode', () => {
    const text = multipart('Content-Disposition: form-data; name="documents"; filename="a.pdf"\r\nContent-Type: application/pdf', 'Content-Disposition: form-data; name="a[b][c]"', 'content-disposition: form-data; name="leadActionId%"');
    expect(readMultipart(text, 'B').shape).toEqual({ fields: 3, depth: 2, malformed: 'leadActionId%' });
  });

  it.each([
    ['Content-Disposition: form-data', 'part 1 has no name'],
    ['Content-Type: text/plain', 'part 1 has no name'],
  ])('finds a multipart part Prism\'s parser throws on (%j): %s', (part, why) => {
    const refused = unreadableForm(readMultipart(multipart(part), 'B').shape)!;
    expect(refused.status).toBe(400);
    expect(JSON.parse(String(refused.body))).toMatchObject({ title: 'Malformed multipart body', detail: expect.stringContaining(why) });
  });

  const pdfHead = 'Content-Disposition: form-data; name="documents"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n';
  it.each([
    ['a plain body', multipart(pdfHead.slice(0, -12), 'Content-Disposition: form-data; name="a[b]"')],
    ['a delimiter line with text after it', `--B\r\n${pdfHead}--BContent-Disposition: form-data; name="x"\r\n\r\ny\r\n--B--\r\n`],
    ['two Content-Disposition headers', `--B\r\n${pdfHead}--B\r\nContent-Disposition: form-data; name="x"\r\nContent-Disposition: form-data\r\n\r\ny\r\n--B--\r\n`],
    ['a delimiter written --\\nB', `--B\r\n${pdfHead}--\nB\r\nContent-Disposition: form-data\r\n\r\ny\r\n--B--\r\n`],
    ['parts split only by --\\r\\nB', `--B\r\n${pdfHead}--\r\nB\r\nContent-Disposition: form-data; name="a"\r\n\r\ny\r\n--B--\r\n`],
    ['a delimiter inside a line where the parser finds one', `--B\r\n${pdfHead}abcdef--B\r\nContent-Disposition: form-data; name="x"\r\n\r\ny\r\n--B--\r\n`],
    ['a delimiter inside a line where the parser finds none', `--B\r\n${pdfHead}abc--B\r\nContent-Disposition: form-data\r\n\r\ny\r\n--B--\r\n`],
    ['a part with no headers', `--B\r\n\r\ny\r\n--B--\r\n`],
    ['a last part with no closing delimiter', `--B\r\n${pdfHead}--B\r\nContent-Disposition: form-data\r\n\r\ny`],
    ['a file name holding ;', multipart('Content-Disposition: form-data; name="documents"; filename="contract;v2.pdf"\r\nContent-Type: application/pdf')],
    ['a file part without a Content-Type', multipart('Content-Disposition: form-data; name="documents"; filename="a.pdf"')],
    ["an unquoted file name and a filename*", multipart("Content-Disposition: form-data; name=documents; filename=a.pdf; filename*=utf-8''a.pdf\r\nContent-Type: application/pdf")],
    ['a file name ending in \\', multipart('Content-Disposition: form-data; name="documents"; filename="report\\"\r\nContent-Type: application/pdf')],
    ["a file part whose header begins on the delimiter's line", `--B\r\n${pdfHead}--BContent-Disposition: form-data; name="d"; filename="a;b"\r\nContent-Type: application/pdf\r\n\r\ny\r\n--B--\r\n`],
    ['a part name holding ;', multipart('Content-Disposition: form-data; name="lead;ActionId"')],
    ['a file name that is JSON but no string', multipart('Content-Disposition: form-data; name="documents"; filename=12\r\nContent-Type: application/pdf')],
    ['a name in UTF-8', multipart('Content-Disposition: form-data; name="żółć"')],
  ])('finds the parts Prism\'s parser finds in the text it is shown, and throws where it throws, in %s', (_, sent) => {
    const { shape, text } = readMultipart(sent, 'B');
    let parsed: unknown[] | undefined;
    try {
      parsed = parser.parse(Buffer.from(text, 'utf8'), 'B');
    } catch {
      parsed = undefined;
    }
    expect(shape.unreadable !== undefined).toBe(parsed === undefined);
    if (parsed) expect(shape.fields).toBe(parsed.length);
  });

  it("cuts a file part's Content-Disposition after its name where the parser cannot read it, so it reads every part's name and data as sent", () => {
    const file = (disposition: string) => `Content-Disposition: form-data; ${disposition}\r\n\r\n; x=1 \\ filename="a;b"`;
    const names = ['name="documents"; filename="contract;v2.pdf"', 'name="documents"; filename="a\\"b=c\\d.pdf"', 'name="documents"; filename="report\\"', "name=documents; filename=a.pdf; filename*=utf-8''a.pdf"];
    const text = `--B\r\n${names.map(file).join('\r\n--B\r\n')}\r\n--B\r\nContent-Disposition: form-data; name="n"\r\n\r\nż\r\n--B--\r\n`;
    const parts = parser.parse(Buffer.from(readMultipart(text, 'B').text, 'utf8'), 'B') as unknown as { name: string; filename?: string; data: Buffer }[];
    expect(parts.map((p) => [p.name, p.filename, p.data.toString()])).toEqual([...names.map(() => ['documents', undefined, '; x=1 \\ filename="a;b"']), ['n', undefined, 'ż']]);
    // What the parser reads as sent is shown as sent, and costs no second copy of the body.
    const plain = multipart('Content-Disposition: form-data; name="documents"; filename="a.pdf"\r\nContent-Type: application/pdf', 'Content-Disposition: form-data; name="b"');
    expect(readMultipart(plain, 'B').text).toBe(plain);
  });

  it("finds, among file parts, only one whose header begins on a delimiter's line unreadable, and says so", () => {
    const text = (delimiter: string) => `--B\r\n${pdfHead}${delimiter}Content-Disposition: form-data; name="documents"; filename="a=b.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n--B--\r\n`;
    expect(readMultipart(text('--B\r\n'), 'B').shape.unreadable).toBeUndefined();
    expect(readMultipart(text('--B'), 'B').shape.unreadable).toContain(`part "documents" begins its Content-Disposition on the delimiter's line`);
  });

  it.each([
    ['lead;ActionId', 'lead', '; filename="a.pdf"'],
    // The ';' inside the quotes, then what reads as a file name: cut there, the part was "lead".
    ['lead;filename=a.pdf', 'lead', '\r\nContent-Type: application/pdf'],
    ['lead; filename=x', 'lead', '; filename="a.pdf"'],
    // The parser reads a name up to its '=': cut, the part was "lead" too.
    ['lead=x', 'lead', '; filename=a.pdf'],
  ])("leaves a part whose own name holds ';' or '=' (%s) as sent, refused, rather than let the parser read a shorter name", (name, read, rest) => {
    const text = multipart(`Content-Disposition: form-data; name="${name}"${rest}${rest.startsWith(';') ? '\r\nContent-Type: application/pdf' : ''}`);
    expect(readMultipart(text, 'B')).toEqual({ text, shape: expect.objectContaining({ unreadable: `part "${read}" has a ';' or '=' in its name, or a parameter other than filename after it, which the mock's multipart parser cannot read` }) });
  });

  it.each([
    ['foo="documents"; filename=a.pdf\r\nContent-Type: application/pdf', 'documents'],
    ['filename="a.pdf"; name="documents"', 'a.pdf'],
  ])("refuses, not cuts, a file part with another parameter before its name (%j): the parser would read that as the name", (params, read) => {
    const text = multipart(`Content-Disposition: form-data; ${params}`);
    expect(readMultipart(text, 'B')).toEqual({ text, shape: expect.objectContaining({ unreadable: `part "${read}" gives another parameter before its name, which the mock's multipart parser would read as the name (write form-data; name="…" first)` }) });
  });

  it('reads a part of 85,000 header lines in linear time, in a child process so that a regression fails at its timeout', () => {
    // The part's header list was copied for each line: 20,000 lines (60 KB, no credentials) held every vendor 76 s.
    const guard = JSON.stringify(fileURLToPath(new URL('./guard.ts', import.meta.url)));
    const script = `import { readMultipart } from ${guard}; const body = '--B\\r\\n' + 'x\\r\\n'.repeat(85000) + 'Content-Disposition: form-data; name="a"\\r\\n\\r\\nv\\r\\n--B--\\r\\n'; console.log(JSON.stringify(readMultipart(body, 'B').shape));`;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(result.signal).toBeNull();
    expect(JSON.parse(result.stdout)).toEqual({ fields: 1, depth: 0 });
  });

  it('reads a file part named with 200,000 blanks in linear time, in a child process so that a regression fails at its timeout', () => {
    // The check that a name is whole was a pattern with blanks on both sides of the value: cubic, 4,000 blanks took 46 s.
    const guard = JSON.stringify(fileURLToPath(new URL('./guard.ts', import.meta.url)));
    const script = `import { readMultipart } from ${guard}; const body = '--B\\r\\nContent-Disposition: form-data; name=' + ' '.repeat(200000) + '"; filename=a\\r\\n\\r\\nv\\r\\n--B--\\r\\n'; console.log(JSON.stringify(readMultipart(body, 'B').shape));`;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(result.signal).toBeNull();
    expect(JSON.parse(result.stdout)).toMatchObject({ fields: 1, unreadable: expect.stringContaining("has a ';' or '=' in its name") });
  });

  it(`counts multipart parts and their names' depth however the delimiter is spelt`, () => {
    const lf = `--B\r\n${Array.from({ length: LIMITS.formFields + 1 }, (_, i) => `Content-Disposition: form-data; name="d${i}"\r\n\r\nx\r\n`).join('--\nB\r\n')}--B--\r\n`;
    expect(readMultipart(lf, 'B').shape.fields).toBe(LIMITS.formFields + 1);
    const deep = `--B\r\nContent-Disposition: form-data; name="${'['.repeat(LIMITS.jsonDepth + 1)}"\r\n\r\nx\r\n--\nB--\r\n`;
    expect(readMultipart(deep, 'B').shape.depth).toBe(LIMITS.jsonDepth + 1);
  });

  it(`refuses a multipart body past ${LIMITS.multipartBytes} bytes with a 413 naming the bound`, () => {
    expect(checkMultipartBytes(LIMITS.multipartBytes)).toBeUndefined();
    const refused = checkMultipartBytes(LIMITS.multipartBytes + 1)!;
    expect(JSON.parse(String(refused.body))).toMatchObject({ status: 413, title: 'Body too large', limit: LIMITS.multipartBytes, detail: expect.stringContaining('in a multipart body') });
  });

  it(`counts each level of a form field's name as a value, and refuses more than ${LIMITS.recordValues}`, () => {
    expect(measureForm('a=1&b[c][]=2&&').values).toBe(6);
    const deep = (n: number) => Array.from({ length: n }, (_, i) => `d[k${i}]${'[x]'.repeat(LIMITS.jsonDepth - 1)}=v`).join('&');
    expect(checkFormBody(measureForm(deep(LIMITS.recordValues / (LIMITS.jsonDepth + 1))))).toBeUndefined();
    const refused = checkFormBody(measureForm(deep(LIMITS.formFields)))!;
    expect(JSON.parse(String(refused.body))).toMatchObject({ status: 413, title: 'Body holds too many values', limit: LIMITS.recordValues, detail: expect.stringContaining(`nest into ${LIMITS.formFields * (LIMITS.jsonDepth + 1)} values`) });
  });

  it(`refuses more than ${LIMITS.formFields} form fields or multipart parts with a 413 naming the bound`, () => {
    const form = (n: number) => Array.from({ length: n }, (_, i) => `f${i}=`).join('&');
    const parts = (n: number) => multipart(...Array.from({ length: n }, (_, i) => `Content-Disposition: form-data; name="d${i}"`));
    expect(checkFormBody(measureForm(form(LIMITS.formFields)))).toBeUndefined();
    expect(checkFormBody(readMultipart(parts(LIMITS.formFields), 'B').shape, true)).toBeUndefined();
    expect(JSON.parse(String(checkFormBody(measureForm(form(LIMITS.formFields + 1)))!.body))).toMatchObject({ status: 413, limit: LIMITS.formFields, detail: expect.stringContaining(`${LIMITS.formFields + 1} form fields`) });
    expect(JSON.parse(String(checkFormBody(readMultipart(parts(LIMITS.formFields + 1), 'B').shape, true)!.body))).toMatchObject({ status: 413, limit: LIMITS.formFields, detail: expect.stringContaining(`${LIMITS.formFields + 1} multipart parts`) });
  });

  it(`refuses JSON nested deeper than ${LIMITS.jsonDepth} levels, and no deeper`, () => {
    expect(checkJsonBody(measureJson('['.repeat(LIMITS.jsonDepth) + ']'.repeat(LIMITS.jsonDepth)))).toBeUndefined();
    const refused = checkJsonBody(measureJson('['.repeat(LIMITS.jsonDepth + 1)))!;
    expect(refused.status).toBe(400);
    expect(JSON.parse(String(refused.body)).detail).toContain(`${LIMITS.jsonDepth + 1} levels deep`);
  });

  it('names the malformed path segment, and passes well-formed escapes', () => {
    expect(checkPath('/v4/rewards/%20ok/%E2%82%AC')).toBeUndefined();
    const refused = checkPath('/v4/good/%zz/next')!;
    expect(refused.status).toBe(400);
    expect(JSON.parse(String(refused.body))).toMatchObject({ segment: '%zz' });
  });
});

describe('router', () => {
  const op = (method: string, path: string) => ({ method, path, id: `${method} ${path}` }) as unknown as Operation;
  const route = createRouter([op('get', '/groups/{id}'), op('get', '/groups/types'), op('delete', '/groups/{id}'), op('post', '/groups/{id}/members/{member}')]);

  it('prefers a literal segment to a template, whatever the order in the spec', () => {
    expect(route('get', '/groups/types')).toMatchObject({ route: { operation: { path: '/groups/types' }, params: {} } });
    expect(route('get', '/groups/7')).toMatchObject({ route: { operation: { path: '/groups/{id}' }, params: { id: '7' } } });
  });

  it('decodes path parameters and matches every segment', () => {
    expect(route('post', '/groups/a%20b/members/9')).toMatchObject({ route: { params: { id: 'a b', member: '9' } } });
    expect(route('post', '/groups/1/members/')).toBeUndefined();
    expect(route('get', '/groups')).toBeUndefined();
    expect(route('get', '/groups/1/extra')).toBeUndefined();
  });

  it('lists the methods a matched path takes when the method is wrong', () => {
    expect(route('put', '/groups/7')).toEqual({ allowed: ['GET', 'DELETE'] });
  });
});

describe('guard refusals say what is wrong', () => {
  const doc = (answer: { body: string | Uint8Array }) => JSON.parse(String(answer.body)) as Record<string, unknown>;

  it('titles a malformed path', () => {
    expect(doc(checkPath('/a/%E0%A4%A')!)).toMatchObject({ status: 400, title: 'Malformed path', segment: '%E0%A4%A' });
  });

  it('lets a whitespace-only Content-Type through, as if there were none', () => {
    expect(checkContentType('   ')).toBeUndefined();
    expect(checkContentType(undefined)).toBeUndefined();
  });

  it('titles an unparseable Content-Type and quotes at most 200 characters of it', () => {
    const answer = doc(checkContentType(`x${'y'.repeat(300)}`)!);
    expect(answer).toMatchObject({ title: 'Unparseable Content-Type', header: 'content-type' });
    expect(answer.detail).toContain(`"x${'y'.repeat(199)}"`);
  });

  it('points a too-deep body at the document root and names the limit', () => {
    expect(doc(checkJsonBody(measureJson('['.repeat(65)))!)).toMatchObject({ title: 'Body nested too deeply', pointer: '', limit: 64 });
  });

  it('answers a body over the limit with a 413 naming its size and the limit', () => {
    const answer = tooLarge(2_000_000);
    expect(answer.status).toBe(413);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(doc(answer)).toMatchObject({ status: 413, title: 'Body too large', limit: LIMITS.bodyBytes });
    expect(doc(answer).detail).toBe(`request body has 2000000 bytes or more; the mock accepts at most ${LIMITS.bodyBytes}`);
  });
});
