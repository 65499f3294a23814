/**
 * What the README tells a new user, held to what the repository does: a walkthrough of it found
 * a script it never named, examples that could not run in a clone as written, and a default it
 * got wrong.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createXonvoClient } from '../src/xonvo.js';
import { violations } from '../contract-tests/e2e/drift-violations.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const scripts = Object.keys((JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts);

describe('README', () => {
  it('lists every npm script in its table of scripts', () => {
    const table = readme.split('\n').filter((line) => line.startsWith('| `npm ')).join('\n');
    const listed = new Set([...table.matchAll(/`npm (?:run )?([\w:]+)/g)].map((m) => m[1]!));
    // npm runs prepack itself, before packing.
    expect(scripts.filter((name) => name !== 'prepack' && !listed.has(name))).toEqual([]);
  });

  it('says to build dist/ before its client examples, which import the package as a clone cannot without it', () => {
    const firstImport = readme.indexOf("from 'martech-contracts/");
    expect(firstImport).toBeGreaterThan(0);
    expect(readme.slice(0, firstImport)).toMatch(/in a clone of this repository they load from `dist\/`, which\s+`npm run build:lib` writes/);
  });

  it("states the default `on` of `retry` as the clients' (src/client.ts), not the retry module's own", async () => {
    const stated = /`on` \(default `\[([\d, ]+)\]`\)/.exec(readme)?.[1]?.split(',').map(Number);
    expect(stated).toBeDefined();
    let requests = 0;
    let refuseWith = 0;
    const server = createServer((_, res) => {
      requests += 1;
      if (requests === 1) return void res.writeHead(refuseWith, { 'retry-after': '0' }).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"leadCount":1,"engagedCount":0}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const xonvo = createXonvoClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, username: 'u', password: 'p', retry: { retries: 1 } });
      const retried: number[] = [];
      for (const status of [429, 500, 502, 503, 504]) {
        [requests, refuseWith] = [0, status];
        await xonvo.GET('/accounts/{accountId}/statistics', { params: { path: { accountId: 1 } } });
        if (requests === 2) retried.push(status);
      }
      expect(retried).toEqual(stated);
    } finally {
      server.close();
    }
  });

  it('counts the operations the drift fixture breaks as the fixture lists them (it said 23 after three more were added)', () => {
    const stated = Number(/breaks (\d+) operations in different ways/.exec(readme)?.[1]);
    expect(stated).toBe(new Set(violations.map((v) => `${v.vendor} ${v.operationId}`)).size);
  });

  it("names --server where it says to check a client's recording: one made against the mock needs it", () => {
    const comment = readme.slice(readme.indexOf("await recorder.write('imprzd.har');"), readme.indexOf('### Webhooks'));
    expect(comment).toMatch(/npm run traffic -- imprzd imprzd\.har[\s\S]*--server <that base URL>/);
  });
});
