/**
 * What dredd is given and what it must run (dredd-input.ts), proven against dredd itself: dredd
 * drops an operation whose query parameter name it cannot expand (`ids[]`) with only a warning,
 * the hooks never see its transactions, and droppedTransactions names them — as scripts/dredd.ts
 * reports them. Given forDredd's document instead, which leaves such an optional parameter out,
 * dredd runs everything and nothing is dropped.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { droppedTransactions, expectedTransactions, forDredd } from './dredd-input.js';
import type { OpenApiDocument } from './openapi.js';
import { run } from './run.js';

const answer = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' }, example: { ok: true } } } });
const doc = {
  openapi: '3.1.0',
  info: { title: 'dredd drops', version: '1' },
  paths: {
    '/items': { get: { operationId: 'listItems', responses: { '200': answer('The items.') } } },
    '/search': {
      get: {
        operationId: 'search',
        parameters: [{ name: 'ids[]', in: 'query', required: false, schema: { type: 'array', items: { type: 'string' } }, example: ['a'] }],
        responses: { '200': answer('The matches.'), '400': answer('A bad search.') },
      },
    },
  },
} as unknown as OpenApiDocument;

let work: string;
let server: Server;
let url: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'dredd-input-test-'));
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await rm(work, { recursive: true, force: true });
});

/** Dredd with the project's hooks on a document; what the hooks saw it run. */
async function dreddSees(name: string, given: OpenApiDocument): Promise<{ seen: string[]; output: string }> {
  const [specFile, planFile, seenFile] = ['json', 'plan.json', 'seen.txt'].map((ext) => join(work, `${name}.${ext}`)) as [string, string, string];
  const operations = ['/items', '/search'].map((path) => ({ method: 'get', path, auth: { headers: {}, query: {} } }));
  await writeFile(specFile, JSON.stringify(given));
  await writeFile(seenFile, '');
  await writeFile(planFile, JSON.stringify({ preferStatus: false, seenFile, operations }));
  const dredd = await run('dredd', [specFile, url, '--hookfiles', 'contract-tests/dredd-hooks.cjs', '--loglevel', 'warning', '--no-color'], {
    MARTECH_DREDD_PLAN: planFile,
  });
  return { seen: (await readFile(seenFile, 'utf8')).split('\n').filter(Boolean), output: dredd.output };
}

describe('dredd input', () => {
  it('expects one transaction per documented response', () => {
    expect(expectedTransactions(doc)).toEqual(['GET /items 200', 'GET /search 200', 'GET /search 400']);
  });

  it("names the transactions dredd dropped: an operation whose query parameter it cannot expand", { timeout: 30_000 }, async () => {
    const { seen, output } = await dreddSees('raw', doc);
    expect(seen, output).toEqual(['GET /items 200']);
    expect(droppedTransactions(doc, seen)).toEqual(['GET /search 200', 'GET /search 400']);
  });

  it('drops nothing from the document forDredd gives it (the optional parameter left out, and noted)', { timeout: 30_000 }, async () => {
    const input = forDredd(doc);
    expect(input.notes).toEqual(['GET /search: optional query parameter "ids[]" left out of dredd\'s requests (dredd cannot expand the name)']);
    const { seen, output } = await dreddSees('for-dredd', input.doc);
    expect(droppedTransactions(doc, seen), output).toEqual([]);
  });
});
