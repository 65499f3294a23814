/**
 * The gate as `npm test` runs it (a real process): a deliberate breaking edit to a bundle fails
 * the check, naming the operation and whom it breaks, until a pending major change file names
 * the vendor. Works on copies of the committed baseline, so other changes in the tree do not
 * leak in.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseChangeFile, uncoveredVendors } from './changesets.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsx = join(root, 'node_modules/.bin/tsx');
let dir: string;

const check = (...extra: string[]) => {
  const result = spawnSync(tsx, ['scripts/breaking.ts', '--check', '--no-types', '--baseline', join(dir, 'baseline'), '--bundles', join(dir, 'bundles'), '--changesets', join(dir, 'changeset'), ...extra], {
    cwd: root,
    encoding: 'utf8',
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'breaking-gate-'));
  cpSync(join(root, 'release-baseline'), join(dir, 'baseline'), { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'baseline/manifest.json'), 'utf8')) as { vendors: string[] };
  for (const vendor of manifest.vendors) {
    mkdirSync(join(dir, 'bundles', vendor), { recursive: true });
    cpSync(join(dir, 'baseline', vendor, 'openapi.json'), join(dir, 'bundles', vendor, 'openapi.json'));
  }
  mkdirSync(join(dir, 'changeset'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the breaking-change gate', () => {
  it('names a baseline or bundle that is missing or not JSON, exit 2, with what to run, never a stack trace', () => {
    const broken = mkdtempSync(join(tmpdir(), 'breaking-broken-'));
    try {
      const none = spawnSync(tsx, ['scripts/breaking.ts', '--check', '--no-types', '--baseline', join(broken, 'none')], { cwd: root, encoding: 'utf8' });
      expect(none.stderr).toContain('snapshot the last release with `npm run breaking -- --update-baseline --from <tag>`');
      mkdirSync(join(broken, 'baseline'));
      writeFileSync(join(broken, 'baseline/manifest.json'), '{"version":"0.1.0"');
      const malformed = spawnSync(tsx, ['scripts/breaking.ts', '--check', '--no-types', '--baseline', join(broken, 'baseline')], { cwd: root, encoding: 'utf8' });
      expect(malformed.status).toBe(2);
      expect(malformed.stderr).toContain(`breaking: ${join(broken, 'baseline/manifest.json')} is not a JSON object`);
      writeFileSync(join(broken, 'baseline/manifest.json'), '{"version":"0.1.0","vendors":[]}');
      const noVendors = spawnSync(tsx, ['scripts/breaking.ts', '--check', '--no-types', '--baseline', join(broken, 'baseline')], { cwd: root, encoding: 'utf8' });
      expect(noVendors.status).toBe(2);
      expect(noVendors.stderr).toContain('lists no vendors');
      // A bundle that is empty (a build cut short).
      cpSync(join(dir, 'bundles'), join(broken, 'bundles'), { recursive: true });
      writeFileSync(join(broken, 'bundles/xonvo/openapi.json'), '');
      const empty = spawnSync(tsx, ['scripts/breaking.ts', '--check', '--no-types', '--baseline', join(dir, 'baseline'), '--bundles', join(broken, 'bundles'), '--changesets', join(dir, 'changeset')], { cwd: root, encoding: 'utf8' });
      expect(empty.status).toBe(2);
      expect(empty.stderr).toContain(`breaking: ${join(broken, 'bundles/xonvo/openapi.json')} is not a JSON object`);
      for (const run of [malformed, noVendors, empty]) expect(run.stderr).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });

  it('passes when the bundles are the release', () => {
    const { code, output } = check();
    expect(output).toContain('No breaking changes.');
    expect(code).toBe(0);
  });

  it('fails on a removed operation, naming it and whom it breaks, until a major change file names the vendor', () => {
    const file = join(dir, 'bundles/xonvo/openapi.json');
    const spec = JSON.parse(readFileSync(file, 'utf8'));
    delete spec.paths['/accounts'].post;
    writeFileSync(file, JSON.stringify(spec));

    let result = check();
    expect(result.code).toBe(1);
    expect(result.output).toContain('xonvo: POST /accounts (createAccount): the operation was removed: callers get a type error from the client');

    // A minor change file, or a major one about another vendor, does not cover it.
    writeFileSync(join(dir, 'changeset/minor.md'), '---\n"martech-contracts": minor\n---\n\nxonvo: new things.\n');
    writeFileSync(join(dir, 'changeset/other.md'), '---\n"martech-contracts": major\n---\n\nperx: a break.\n');
    expect(check().code).toBe(1);

    writeFileSync(join(dir, 'changeset/xonvo-break.md'), '---\n"martech-contracts": major\n---\n\n### xonvo\n\n- `POST /accounts` is gone: create accounts in the XONVO portal.\n');
    result = check();
    expect(result.output).toContain('covered by a pending major change file');
    expect(result.code).toBe(0);
  });

  it('drafts the major change file from the breaks, per vendor in consumer words', () => {
    rmSync(join(dir, 'changeset'), { recursive: true, force: true });
    mkdirSync(join(dir, 'changeset'));
    check('--draft');
    const draft = readFileSync(join(dir, 'changeset/breaking-changes.md'), 'utf8');
    expect(draft).toMatch(/^---\n"martech-contracts": major\n---/);
    expect(draft).toContain('**xonvo**');
    expect(draft).toContain('- POST /accounts (createAccount): the operation was removed');
    expect(check().code).toBe(0);
    // A second draft would replace wording edited by hand: it is refused, the file kept.
    writeFileSync(join(dir, 'changeset/breaking-changes.md'), `${draft}\nEdited by hand.\n`);
    const again = check('--draft');
    expect(again.code).toBe(2);
    expect(again.output).toContain('breaking-changes.md exists (its wording may be edited): delete it to draft it again, or edit it by hand');
    expect(readFileSync(join(dir, 'changeset/breaking-changes.md'), 'utf8')).toContain('Edited by hand.');
  });
});

describe('change files', () => {
  it('reads the bump per package and refuses a malformed front matter, naming the file', () => {
    expect(parseChangeFile('a.md', '---\n"martech-contracts": major\nother: patch\n---\n\nText', 'martech-contracts')).toEqual({ file: 'a.md', bump: 'major', summary: 'Text' });
    expect(parseChangeFile('b.md', "---\n'martech-contracts': minor\n---\n", 'martech-contracts').bump).toBe('minor');
    expect(() => parseChangeFile('c.md', 'no front matter', 'martech-contracts')).toThrow(/c\.md: a change file starts with a front matter block/);
    expect(() => parseChangeFile('d.md', '---\n"martech-contracts": huge\n---\n', 'martech-contracts')).toThrow(/d\.md: front matter line/);
  });

  it('reads the empty front matter `changeset add --empty` writes as no bump', () => {
    expect(parseChangeFile('e.md', '---\n---\n', 'martech-contracts')).toEqual({ file: 'e.md', bump: 'none', summary: '' });
    expect(parseChangeFile('f.md', '---\n\n---\n\nNotes only.', 'martech-contracts')).toEqual({ file: 'f.md', bump: 'none', summary: 'Notes only.' });
  });

  it('covers a vendor only with a major file that names it as a word', () => {
    const files = [
      { file: 'a.md', bump: 'major' as const, summary: 'Perx: vouchers changed' },
      { file: 'b.md', bump: 'minor' as const, summary: 'xonvo additions' },
    ];
    expect(uncoveredVendors(['perx', 'xonvo', 'placewise'], files)).toEqual(['xonvo', 'placewise']);
    expect(uncoveredVendors(['perx'], [{ file: 'c.md', bump: 'major', summary: 'perxify' }])).toEqual(['perx']);
  });
});
