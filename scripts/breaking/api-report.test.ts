/** The type-surface comparison on small API Extractor reports: which declaration changes break consumers. */
import { describe, expect, it } from 'vitest';
import { compareReports, declarations } from './api-report.js';

const report = (body: string) => `## API Report File for "martech-contracts"\n\n\`\`\`ts\n\nimport { Client } from 'openapi-fetch';\n\n${body}\n\n// (No @packageDocumentation comment for this package)\n\n\`\`\`\n`;

const base = report(`// @public (undocumented)
interface CommonOptions {
    baseUrl?: string;
    fetch?: (input: Request) => Promise<Response>;
}

// @public
export function createXClient(options: XClientOptions): XClient;

// @public (undocumented)
export interface components {
    schemas: {
        A: string;
    };
}

// @public (undocumented)
export interface XClient {
    asUser(id: string): XClient;
}

// @public (undocumented)
export interface XClientOptions extends CommonOptions {
    token: string;
}

// @public
export function verifyX(input: Request | RawX, secret: string, onError?: (error: XError) => void): Promise<XEvent>;

// @public (undocumented)
export interface RawX {
    body: string;
}

// @public (undocumented)
export interface XError {
    reason: string;
}

// @public (undocumented)
export interface XEvent {
    id: string;
}`);

const verdicts = (after: string) =>
  compareReports('x', base, report(after), new Set(['components'])).map((change) => `${change.severity} ${change.where}`);

const edit = (from: string, to: string) => {
  const body = base.split('```ts')[1]!.split('```')[0]!;
  if (!body.includes(from)) throw new Error(`fixture: "${from}" not in the base report`);
  return body.replace(from, to);
};

describe('type surface: report comparison', () => {
  it('splits a report into declarations by name', () => {
    expect([...declarations(base).keys()]).toEqual(['CommonOptions', 'createXClient', 'components', 'XClient', 'XClientOptions', 'verifyX', 'RawX', 'XError', 'XEvent']);
  });

  it('reports nothing for the same report', () => {
    expect(verdicts(base.split('```ts')[1]!.split('```')[0]!)).toEqual([]);
  });

  it('breaks on a removed export', () => {
    expect(verdicts(edit('// @public (undocumented)\nexport interface XClient {\n    asUser(id: string): XClient;\n}', ''))).toEqual(['breaking export `XClient`']);
  });

  it('breaks on a type that stops being exported though the report still declares it (a forgotten export)', () => {
    expect(verdicts(edit('// @public (undocumented)\nexport interface RawX {', '// Warning: (ae-forgotten-export) The symbol "RawX" needs to be exported by the entry point index.d.ts\n// @public (undocumented)\ninterface RawX {'))).toEqual([
      'breaking export `RawX`',
    ]);
  });

  it("tells a spec-derived member whose type text changed (the generator's `?: T | undefined`, CLIENT-199) as one to look at, and stays silent on one added", () => {
    // The spec check tells what a spec change did; a change of the generator shows only here.
    expect(verdicts(edit('        A: string;', '        A: string | undefined;'))).toEqual(['warning export `components`']);
    expect(verdicts(edit('        A: string;', '        A: string;\n        B?: string | undefined;'))).toEqual([]);
  });

  it("tells a name the release imported that is now declared here (openapi-fetch's `Client` → our own, CLIENT-198): its users read the same and mean another type", () => {
    const released = (body: string) => report(body);
    const now = (body: string) => released(body).replace("import { Client } from 'openapi-fetch';", "import type { Client as Client_2 } from 'openapi-fetch';");
    const client = '// @public (undocumented)\nexport type XClient = Client<paths>;';
    const own = '// @public (undocumented)\ntype Client<Paths extends {}> = VendorClient<Paths>;\n\n// @public (undocumented)\ninterface VendorClient<Paths extends {}> {\n    request: Client_2<Paths>[\'request\'];\n}';
    const judge = (before: string, after: string) => compareReports('x', before, after, new Set()).map((change) => `${change.severity} ${change.where}`);
    expect(judge(released(client), now(`${client}\n\n${own}`))).toEqual(['warning type `Client`', 'info type `VendorClient`']);
    // A type the release did not name at all is only new.
    expect(judge(released(client), released(`${client}\n\n${own.replaceAll('Client<Paths', 'Other<Paths')}`))).toEqual(['info type `Other`', 'info type `VendorOther`']);
    // The same name imported from another module.
    expect(judge(released(client), released(client).replace("'openapi-fetch'", "'other-fetch'"))).toEqual(['warning type `Client`']);
  });

  it('breaks on a new required option, not on a new optional one', () => {
    expect(verdicts(edit('    token: string;', '    token: string;\n    region: string;'))).toEqual(['breaking export `XClientOptions`']);
    expect(verdicts(edit('    token: string;', '    token: string;\n    region?: string;'))).toEqual(['info export `XClientOptions`']);
  });

  it('breaks on a new required member of a type a function takes, whatever its name (RawWebhook, LoyaltyClubRef)', () => {
    expect(verdicts(edit('    body: string;', '    body: string;\n    signature: string;'))).toEqual(['breaking export `RawX`']);
    expect(verdicts(edit('    body: string;', '    body: string;\n    signature?: string;'))).toEqual(['info export `RawX`']);
  });

  it('breaks on a new required member of a type an input holds, at any depth (StartMocksOptions.subscribers → Subscriber)', () => {
    const nested = report(`// @public
export function startX(options?: StartOptions): Promise<void>;

// @public (undocumented)
export interface StartOptions {
    subscribers?: Record<string, Subscriber[]>;
    onEvent?: (event: Delivered) => void;
}

// @public (undocumented)
export interface Subscriber {
    url: string;
    filter?: Filter;
}

// @public (undocumented)
export type Filter = Rule | Rule[];

// @public (undocumented)
export interface Rule {
    field: string;
}

// @public (undocumented)
export interface Delivered {
    id: string;
}`);
    const judge = (from: string, to: string) => compareReports('x', nested, nested.replace(from, to), new Set()).map((change) => `${change.severity} ${change.where}`);
    expect(judge('    url: string;', '    url: string;\n    secret: string;')).toEqual(['breaking export `Subscriber`']);
    expect(judge('    field: string;', '    field: string;\n    op: string;')).toEqual(['breaking export `Rule`']);
    expect(judge('    url: string;', '    url: string;\n    secret?: string;')).toEqual(['info export `Subscriber`']);
    // What a callback of the options is handed is received, not written.
    expect(judge('    id: string;', '    id: string;\n    at: string;')).toEqual(['info export `Delivered`']);
  });

  it("does not count what a function returns, or what it hands a callback, as filled in by consumers", () => {
    expect(verdicts(edit('    id: string;', '    id: string;\n    at: string;'))).toEqual(['info export `XEvent`']);
    expect(verdicts(edit('    reason: string;', '    reason: string;\n    code: string;'))).toEqual(['info export `XError`']);
  });

  it('does not break on a new member of what consumers receive', () => {
    expect(verdicts(edit('    asUser(id: string): XClient;', '    asUser(id: string): XClient;\n    asMerchant(id: string): XClient;'))).toEqual(['info export `XClient`']);
  });

  it('names the members that broke: altered or gone, or newly required of an input; not one added to what consumers receive, nor an optional one', () => {
    const members = (from: string, to: string) => compareReports('x', base, report(edit(from, to)), new Set(['components'])).map((c) => [c.where, c.members]);
    expect(members('    token: string;', '    token: "a" | "b";\n    region: string;\n    note?: string;')).toEqual([['export `XClientOptions`', ['token', 'region']]]);
    expect(members('    asUser(id: string): XClient;', '    asUser(id: number): XClient;\n    asMerchant(id: string): XClient;')).toEqual([['export `XClient`', ['asUser']]]);
    expect(members('createXClient(options: XClientOptions): XClient;', 'createXClient(options: XClientOptions, region: string): XClient;')).toEqual([['export `createXClient`', []]]);
    // Past the six lines a message shows, the members are still named in it (a drafted change file quotes the message).
    const many = compareReports('x', base, report(edit('    token: string;', ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((m) => `    ${m}: string;`).join('\n'))), new Set(['components']));
    expect(many[0]!.message).toContain('members that broke: `token`, `a`, `b`, `c`, `d`, `e`, `f`, `g`');
  });

  it('breaks on a changed signature', () => {
    expect(verdicts(edit('createXClient(options: XClientOptions): XClient;', 'createXClient(options: XClientOptions, region: string): XClient;'))).toEqual(['breaking export `createXClient`']);
  });

  it('leaves spec-derived declarations to the spec check', () => {
    // A member gone and another come (one a line, as openapi-typescript writes them) is a spec change.
    expect(verdicts(edit('        A: string;', '        B: number;'))).toEqual([]);
  });

  it('does not count a type that became exported, an alias for a spelled-out type, or a renumbered name', () => {
    const after = edit('interface CommonOptions {', 'export interface CommonOptions {')
      .replace('fetch?: (input: Request) => Promise<Response>;', 'fetch?: Fetch_2;')
      .concat('\n\n// @public (undocumented)\ntype Fetch_2 = (input: Request) => Promise<Response>;');
    expect(verdicts(after)).toEqual(['info type `Fetch_2`']);
  });

  it('writes an alias out in a union with its bounds, so the change reads as the type it is', () => {
    const after = edit('fetch?: (input: Request) => Promise<Response>;', 'fetch?: Fetch_2 | undefined;').concat('\n\n// @public (undocumented)\ntype Fetch_2 = (input: Request) => Promise<Response>;');
    const [change] = compareReports('x', base, report(after), new Set(['components'])).filter((c) => c.where === 'type `CommonOptions`');
    expect(change?.message).toContain('now `fetch?: ((input: Request) => Promise<Response>) | undefined;`');
    // Alone, it is written out bare, as the release spelled it: no change.
    expect(verdicts(edit('fetch?: (input: Request) => Promise<Response>;', 'fetch?: Fetch_2;').concat('\n\n// @public (undocumented)\ntype Fetch_2 = (input: Request) => Promise<Response>;'))).toEqual(['info type `Fetch_2`']);
  });
});

describe('type surface: which declarations are inputs', () => {
  const judge = (text: string, from: string, to: string) => {
    if (!text.includes(from)) throw new Error(`fixture: "${from}" not in the report`);
    return compareReports('x', text, text.replace(from, to), new Set()).map((change) => `${change.severity} ${change.where}`);
  };

  it("does not count what an error class's constructor takes: the package constructs its errors, consumers read them", () => {
    const errors = report(`// @public
export function getY(id: string): Promise<string>;

// @public (undocumented)
export class YApiError extends Error {
    constructor(vendor: string, detail: YErrorDetail);
    // (undocumented)
    readonly detail: YErrorDetail;
}

// @public (undocumented)
export interface YErrorDetail {
    status: number;
}`);
    expect(judge(errors, '    status: number;', '    status: number;\n    code: string;')).toEqual(['info export `YErrorDetail`']);
  });

  it('counts an options type by its name where the use is not read: a factory exported as a const (`export const createY: (options: YOptions) => …`)', () => {
    // Inputs are found by use in function and method signatures (`name(…)`); a const typed as an
    // arrow, a static method or a call signature is not read so. The names the package gives what
    // callers fill in (…Options, …Settings, …Input, …Params) still mark those as inputs.
    const factory = report(`// @public
export const createY: (options: YOptions) => YClient;

// @public (undocumented)
export interface YClient {
    ping(): Promise<void>;
}

// @public (undocumented)
export interface YOptions {
    token: string;
}`);
    expect(judge(factory, '    token: string;', '    token: string;\n    region: string;')).toEqual(['breaking export `YOptions`']);
    expect(judge(factory, '    token: string;', '    token: string;\n    region?: string;')).toEqual(['info export `YOptions`']);
  });
});
