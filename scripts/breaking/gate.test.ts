/**
 * The gate as `npm test` runs it (a real process): a deliberate breaking edit to a bundle fails
 * the check, naming the operation and whom it breaks, until a pending major change file names
 * the vendor. Works on copies of the committed baseline, so other changes in the tree do not
 * leak in.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangeFileError, parseChangeFile, pendingChangeFiles, subject, uncoveredBreaks } from './changesets.js';
import { diffSpecs } from './diff.js';
import { draftChangeFile } from './report.js';
import type { Change, JsonObject } from './types.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsx = join(root, 'node_modules/.bin/tsx');
let dir: string;

/** The gate (specs only) over a fixture folder's baseline, bundles and change files. */
const checkIn = (folder: string, ...extra: string[]) =>
  spawnSync(tsx, ['scripts/breaking.ts', '--check', '--no-types', '--baseline', join(folder, 'baseline'), '--bundles', join(folder, 'bundles'), '--changesets', join(folder, 'changeset'), ...extra], { cwd: root, encoding: 'utf8' });
/** A check's exit code and everything it printed. */
const outcome = (result: { status: number | null; stdout: string; stderr: string }) => ({ code: result.status, output: `${result.stdout}${result.stderr}` });

const check = (...extra: string[]) => outcome(checkIn(dir, ...extra));

/** A scratch baseline (the committed one), bundles equal to it, and an empty change-file folder. */
function fixture(): string {
  const scratch = mkdtempSync(join(tmpdir(), 'breaking-gate-'));
  cpSync(join(root, 'release-baseline'), join(scratch, 'baseline'), { recursive: true });
  const manifest = JSON.parse(readFileSync(join(scratch, 'baseline/manifest.json'), 'utf8')) as { vendors: string[] };
  for (const vendor of manifest.vendors) {
    mkdirSync(join(scratch, 'bundles', vendor), { recursive: true });
    cpSync(join(scratch, 'baseline', vendor, 'openapi.json'), join(scratch, 'bundles', vendor, 'openapi.json'));
  }
  mkdirSync(join(scratch, 'changeset'));
  return scratch;
}

/** Every file under `folder` with its content, to show that a refused run wrote nothing. */
function snapshot(folder: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(folder, { recursive: true, encoding: 'utf8' }).sort()) {
    const path = join(folder, name);
    if (statSync(path).isFile()) files[name] = readFileSync(path, 'utf8');
  }
  return files;
}

beforeAll(() => {
  dir = fixture();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the breaking-change gate', () => {
  it('names a baseline or bundle that is missing or not JSON, exit 2, with what to run, never a stack trace', () => {
    const broken = mkdtempSync(join(tmpdir(), 'breaking-broken-'));
    try {
      const none = spawnSync(tsx, ['scripts/breaking.ts', '--check', '--no-types', '--baseline', join(broken, 'none')], { cwd: root, encoding: 'utf8' });
      expect(none.stderr).toContain(`breaking: no baseline in ${join(broken, 'none')}: snapshot the last release with \`npm run breaking -- --update-baseline --from <tag>\``);
      expect(none.status).toBe(2);
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
      for (const run of [none, malformed, noVendors, empty]) expect(run.stderr).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });

  it('passes when the bundles are the release', () => {
    const { code, output } = check();
    expect(output).toContain('No breaking changes.');
    expect(code).toBe(0);
  });

  it("labels the baseline with the commit it was taken from, not the ref (`HEAD`) it was typed as", () => {
    const { output } = check();
    expect(output).toContain('working tree against release 0.1.0 (baseline from commit 18cdcbec38f5)');
    expect(output).not.toContain('HEAD =');
  });

  it('breaks on an entry point the release exported that the package no longer does', () => {
    const scratch = fixture();
    try {
      const manifestFile = join(scratch, 'baseline/manifest.json');
      const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { entryPoints: string[] };
      writeFileSync(manifestFile, JSON.stringify({ ...manifest, entryPoints: [...manifest.entryPoints, './legacy'] }));
      const run = checkIn(scratch);
      expect(run.stdout + run.stderr).toContain("legacy: the whole API, entry point `martech-contracts/legacy`: is no longer exported: `import … from 'martech-contracts/legacy'` fails");
      expect(run.status).toBe(1);
      writeFileSync(join(scratch, 'changeset/legacy.md'), '---\n"martech-contracts": major\n---\n\n**legacy**\n\n`martech-contracts/legacy` is gone.\n');
      expect(checkIn(scratch).status).toBe(0);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('takes the entry points a manifest written before they were recorded had from its API reports', () => {
    const scratch = fixture();
    try {
      const manifestFile = join(scratch, 'baseline/manifest.json');
      const { entryPoints: _, ...older } = JSON.parse(readFileSync(manifestFile, 'utf8')) as { entryPoints: string[] };
      writeFileSync(manifestFile, JSON.stringify(older));
      const run = () => checkIn(scratch);
      expect(run().status).toBe(0);
      // A report for an entry point the package no longer exports: that release exported it.
      writeFileSync(join(scratch, 'baseline/api/legacy.api.md'), readFileSync(join(scratch, 'baseline/api/xonvo.api.md'), 'utf8'));
      const result = run();
      expect(result.stdout + result.stderr).toContain('legacy: the whole API, entry point `martech-contracts/legacy`: is no longer exported');
      expect(result.status).toBe(1);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('refuses to judge types when the baseline lacks the API report of an entry point the release exported', () => {
    const scratch = fixture();
    try {
      // Types on (no --no-types): the refusal is on the reports API Extractor makes, so this run builds them.
      rmSync(join(scratch, 'baseline/api/xonvo.api.md'));
      const run = spawnSync(tsx, ['scripts/breaking.ts', '--check', '--baseline', join(scratch, 'baseline'), '--bundles', join(scratch, 'bundles'), '--changesets', join(scratch, 'changeset')], { cwd: root, encoding: 'utf8' });
      expect(run.stderr).toContain(`breaking: ${join(scratch, 'baseline/api')} has no API report for xonvo, which release 0.1.0 exported: its types cannot be compared`);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(run.status).toBe(2);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    // It builds the API reports of every other entry point first: some 40 s alone, past a minute on a busy 2-core machine.
  }, 180_000);

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

    // Naming the vendor in passing, or under its heading without the operation, does not either.
    writeFileSync(join(dir, 'changeset/passing.md'), '---\n"martech-contracts": major\n---\n\n**client options (every vendor)**\n\n- a xonvo `createAccount` option is refused.\n');
    writeFileSync(join(dir, 'changeset/xonvo-break.md'), '---\n"martech-contracts": major\n---\n\n### xonvo\n\n- `POST /accounts` is gone: create accounts in the XONVO portal.\n');
    result = check();
    expect(result.code).toBe(1);
    expect(result.output).toContain('(the xonvo section does not name `createAccount`)');

    writeFileSync(join(dir, 'changeset/xonvo-break.md'), '---\n"martech-contracts": major\n---\n\n### xonvo\n\n- `POST /accounts` (`createAccount`) is gone: create accounts in the XONVO portal.\n');
    result = check();
    expect(result.output).toContain('covered by a pending major change file');
    expect(result.code).toBe(0);
  });

  it("breaks on a command the release installed that package.json no longer does, and on a raised Node range, until a major file tells them", () => {
    const folder = fixture();
    try {
      const manifestFile = join(folder, 'baseline/manifest.json');
      const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
      const own = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string>; peerDependencies: Record<string, string>; peerDependenciesMeta: object };
      // The release as if it had a second command, ran on Node 18 and took any Ajv 8: today's package.json drops one, raises the others.
      manifest.package = { bin: { ...own.bin, 'mc-record': './dist/record.js' }, engines: { node: '>=18' }, peerDependencies: { ...own.peerDependencies, ajv: '^8.0.0' }, peerDependenciesMeta: own.peerDependenciesMeta };
      writeFileSync(manifestFile, JSON.stringify(manifest));
      const run = () => outcome(checkIn(folder));
      let result = run();
      expect(result.code).toBe(1);
      expect(result.output).toContain('commands: the whole API, command `mc-record`: is no longer installed (package.json `bin`): `npx mc-record` and scripts that run it fail');
      expect(result.output).toContain('node: the whole API, package.json engines.node: raised (>=18 → >=20.19)');
      expect(result.output).toContain('peers: the whole API, peer dependency `ajv`: narrowed (^8.0.0 → ^8.17.0): projects with ajv 8.0.0 up to, not including, 8.17.0 installed get a peer conflict');
      expect(result.output).not.toContain('a patch release will do');
      writeFileSync(join(folder, 'changeset/package.md'), '---\n"martech-contracts": major\n---\n\n**commands**\n\n- `mc-record` is gone: run `martech-contracts record`.\n\n**node**\n\n- Node 20.19 or later is needed.\n\n**peers**\n\n- `ajv` 8.17 or later is needed beside the package.\n');
      result = run();
      expect(result.output).toContain('covered by a pending major change file');
      expect(result.code).toBe(0);

      // A baseline cut before they were recorded: said, to look at, not passed in silence; a malformed one refused.
      delete manifest.package.peerDependencies;
      writeFileSync(manifestFile, JSON.stringify(manifest));
      expect(run().output).toContain("package.json `peerDependencies`: release 0.1.0's baseline does not record them, so they are not compared");
      delete manifest.package;
      writeFileSync(manifestFile, JSON.stringify(manifest));
      expect(run().output).toContain("package.json `bin` and `engines`: release 0.1.0's baseline does not record them, so they are not compared");
      manifest.package = { bin: 3 };
      writeFileSync(manifestFile, JSON.stringify(manifest));
      result = run();
      expect(result.code).toBe(2);
      expect(result.output).toContain('manifest.json: "package": "bin" must be a file or an object of command names to files');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("breaks on a vendor the mock serves on another documented port, or at another place under --port-base, until a major file tells them", () => {
    const folder = fixture();
    try {
      const manifestFile = join(folder, 'baseline/manifest.json');
      const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
      // The release as if it had served Perx on 4020 and listed Perx before Footprints (redocly.yaml's order).
      manifest.mockPorts = { ...manifest.mockPorts, perx: 4020 };
      manifest.vendors = ['xonvo', 'perx', 'footprints', 'placewise', 'imprzd'];
      writeFileSync(manifestFile, JSON.stringify(manifest));
      const run = () => outcome(checkIn(folder));
      let result = run();
      expect(result.code).toBe(1);
      expect(result.output).toContain('perx: the whole API, mock port `4020`: the mock now serves it on port 4012 (redocly.yaml x-mock-port): setups calling http://127.0.0.1:4020 reach nothing');
      expect(result.output).toContain('perx: the whole API, mock port under `--port-base`: is now the base + 2 (was + 1');
      expect(result.output).toContain('footprints: the whole API, mock port under `--port-base`: is now the base + 1 (was + 2');
      expect(result.output).toContain('(no pending major change file has a `**perx**` heading)');
      writeFileSync(join(folder, 'changeset/ports.md'), '---\n"martech-contracts": major\n---\n\n**perx**\n\n- The mock serves Perx on 4012, not 4020; with `--port-base` n it is on n + 2.\n\n**footprints**\n\n- With `--port-base` n, the Footprints mock is on n + 1.\n');
      result = run();
      expect(result.output).toContain('covered by a pending major change file');
      expect(result.code).toBe(0);

      // A baseline cut before the ports were recorded: said, to look at; a malformed one refused.
      delete manifest.mockPorts;
      writeFileSync(manifestFile, JSON.stringify(manifest));
      expect(run().output).toContain("documented mock ports: release 0.1.0's baseline does not record them, so they are not compared");
      manifest.mockPorts = { perx: '4012' };
      writeFileSync(manifestFile, JSON.stringify(manifest));
      result = run();
      expect(result.code).toBe(2);
      expect(result.output).toContain('manifest.json: "mockPorts" must be an object of vendor names to port numbers');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
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

describe('npm run release:version', () => {
  // Its head refuses what was typed for it (scripts/takes-nothing.ts); the release's own steps follow.
  const [head, ...steps] = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['release:version']!.split(' && ');
  let scratch: string;
  // The script's own first step, run on a scratch baseline: what the release runs, not a copy of it.
  const gate = () => {
    // Anything else (`changeset version`) would rewrite this repository's files: never run it here.
    if (!/^tsx scripts\/breaking\.ts --check\b/.test(steps[1]!)) throw new Error(`release:version's second step is "${steps[1]}", not the gate`);
    const result = spawnSync(`${steps[1]} --no-types --baseline ${join(scratch, 'baseline')} --bundles ${join(scratch, 'bundles')} --changesets ${join(scratch, 'changeset')}`, {
      cwd: root,
      shell: true,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${join(root, 'node_modules/.bin')}:${process.env.PATH}` },
    });
    return outcome(result);
  };
  beforeAll(() => {
    scratch = fixture();
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('checks generated/ against specs/, then runs the gate in release mode, before changesets writes anything', () => {
    // The gate judges generated/'s bundles: stale ones (specs edited, no build) would be judged, and snapshotted, instead of the specs.
    expect(head).toBe('tsx scripts/takes-nothing.ts');
    expect(steps[0]).toBe('tsx scripts/build.ts --check');
    expect(steps[1]).toBe('tsx scripts/breaking.ts --check --release');
    expect(steps[2]).toBe('changeset version');
  });

  it('refuses with no pending change file, writing nothing (changesets would say "No unreleased changesets" and exit 0)', () => {
    const before = snapshot(scratch);
    const { code, output } = gate();
    expect(output).toContain('Nothing to release: no pending change file');
    expect(output).toContain('nothing was bumped, and release-baseline/ and etc/api/ are unchanged');
    expect(code).toBe(1);
    expect(snapshot(scratch)).toEqual(before);
  });

  it('refuses when the only pending change file bumps nothing (`changeset add --empty`): changesets would release nothing', () => {
    const empty = join(scratch, 'changeset/empty.md');
    writeFileSync(empty, '---\n---\n');
    try {
      const { code, output } = gate();
      expect(output).toContain('Nothing to release: no pending change file');
      expect(code).toBe(1);
    } finally {
      rmSync(empty);
    }
  });

  it('refuses breaks that only a minor change file announces, and releases once a major one covers them', () => {
    const file = join(scratch, 'bundles/xonvo/openapi.json');
    const spec = JSON.parse(readFileSync(file, 'utf8'));
    delete spec.paths['/accounts'].post;
    writeFileSync(file, JSON.stringify(spec));
    writeFileSync(join(scratch, 'changeset/minor.md'), '---\n"martech-contracts": minor\n---\n\nxonvo: account creation moved.\n');
    let result = gate();
    expect(result.output).toContain('BREAKING changes without a pending major change file');
    expect(result.output).toContain('POST /accounts (createAccount)');
    expect(result.code).toBe(1);
    writeFileSync(join(scratch, 'changeset/major.md'), '---\n"martech-contracts": major\n---\n\n**xonvo**\n\n- `createAccount` (`POST /accounts`) is gone.\n');
    result = gate();
    expect(result.output).toContain('covered by a pending major change file');
    expect(result.code).toBe(0);
  });
});

describe('the change files pending', () => {
  it('leaves hidden files out, as changesets does: a macOS `._x.md` or a `.draft.md` is no change file', () => {
    const folder = mkdtempSync(join(tmpdir(), 'breaking-changesets-'));
    try {
      writeFileSync(join(folder, 'perx.md'), '---\n"martech-contracts": minor\n---\n\nperx: more.\n');
      // What Finder leaves beside a copied file (AppleDouble, binary): changesets skips it; read, it would stop the gate.
      writeFileSync(join(folder, '._perx.md'), Buffer.from([0, 5, 22, 7, 0, 2, 0, 0, ...Buffer.from('Mac OS X        ')]));
      // A draft kept hidden: `changeset version` never releases it, so it must not cover a break either.
      writeFileSync(join(folder, '.draft.md'), '---\n"martech-contracts": major\n---\n\n**perx**\n\n- `listRewards` is gone\n');
      expect(pendingChangeFiles(folder, 'martech-contracts').map((file) => basename(file.file))).toEqual(['perx.md']);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('refuses a pre.json without its mode or change-file ids, naming what it needs', () => {
    const folder = mkdtempSync(join(tmpdir(), 'breaking-changesets-'));
    try {
      // Read as "nothing consumed", it would let the files a pre-release took cover breaks again.
      for (const state of ['{"mode":"pre"}', '{"mode":"entered","changesets":[]}', '{"mode":"pre","changesets":[1]}', 'null']) {
        writeFileSync(join(folder, 'pre.json'), state);
        expect(() => pendingChangeFiles(folder, 'martech-contracts'), state).toThrow(ChangeFileError);
        expect(() => pendingChangeFiles(folder, 'martech-contracts'), state).toThrow('pre.json: needs "mode" ("pre" or "exit") and "changesets"');
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('npm run release:version in pre-release mode (`changeset pre enter next`)', () => {
  // A pre-release (`changeset version` in pre mode) keeps the change files it released and lists
  // their ids in .changeset/pre.json; changesets skips them from then on, and so must the gate.
  const run = (scratch: string) => {
    const result = spawnSync(tsx, ['scripts/breaking.ts', '--check', '--release', '--no-types', '--baseline', join(scratch, 'baseline'), '--bundles', join(scratch, 'bundles'), '--changesets', join(scratch, 'changeset')], { cwd: root, encoding: 'utf8' });
    return outcome(result);
  };
  const pre = (mode: string, ids: string[]) => JSON.stringify({ mode, tag: 'next', initialVersions: { 'martech-contracts': '0.1.0' }, changesets: ids });

  it('does not count a change file a pre-release consumed: nothing to release, and its section covers no new break', () => {
    const scratch = fixture();
    try {
      // The first pre-release consumed major.md (which told of createAccount's removal, in the baseline since).
      writeFileSync(join(scratch, 'changeset/major.md'), '---\n"martech-contracts": major\n---\n\n**xonvo**\n\n- `createAccount` is gone.\n');
      writeFileSync(join(scratch, 'changeset/pre.json'), pre('pre', ['major']));
      const file = join(scratch, 'bundles/xonvo/openapi.json');
      const spec = JSON.parse(readFileSync(file, 'utf8'));
      delete spec.paths['/accounts'].post;
      writeFileSync(file, JSON.stringify(spec));
      const result = run(scratch);
      expect(result.output).toContain('Nothing to release: no pending change file');
      expect(result.output).toContain("xonvo: POST /accounts (createAccount): the operation was removed");
      expect(result.output).not.toContain('covered by a pending major change file');
      expect(result.code).toBe(1);
      // After `changeset pre exit` the final release takes the consumed files again (their bump
      // counts), but their breaks were snapshotted by the pre-release: they still cover none.
      writeFileSync(join(scratch, 'changeset/pre.json'), pre('exit', ['major']));
      const exited = run(scratch);
      expect(exited.output).not.toContain('Nothing to release');
      expect(exited.output).toContain('BREAKING changes without a pending major change file');
      expect(exited.code).toBe(1);
      // A new major file naming it covers it.
      writeFileSync(join(scratch, 'changeset/pre.json'), pre('pre', ['major']));
      writeFileSync(join(scratch, 'changeset/again.md'), '---\n"martech-contracts": major\n---\n\n**xonvo**\n\n- `createAccount` is gone for good.\n');
      expect(run(scratch).code).toBe(0);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('names a pre.json it cannot read, exit 2, no stack trace', () => {
    const scratch = fixture();
    try {
      writeFileSync(join(scratch, 'changeset/pre.json'), '{"mode":"pre"');
      const result = run(scratch);
      expect(result.output).toContain(`breaking: ${join(scratch, 'changeset/pre.json')}: not JSON`);
      expect(result.output).not.toMatch(/\n\s+at /);
      expect(result.code).toBe(2);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

describe('what the user typed or left lying about: one line naming it, exit 2, no stack trace', () => {
  it('a folder named like a change file (`x.md/`)', () => {
    const scratch = fixture();
    try {
      mkdirSync(join(scratch, 'changeset/x.md'));
      const run = checkIn(scratch);
      expect(run.stderr).toContain(`breaking: ${join(scratch, 'changeset/x.md')} is a folder, not a change file`);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(run.status).toBe(2);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('a baseline manifest whose entryPoints is not a list of exports keys', () => {
    const scratch = fixture();
    try {
      const manifestFile = join(scratch, 'baseline/manifest.json');
      const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as object;
      // Written by hand as one key, or as the exports object itself.
      for (const entryPoints of ['./xonvo', { './xonvo': './dist/xonvo.js' }, ['./xonvo', 1]]) {
        writeFileSync(manifestFile, JSON.stringify({ ...manifest, entryPoints }));
        const run = checkIn(scratch);
        expect(run.stderr, JSON.stringify(entryPoints)).toContain(`breaking: ${manifestFile}: "entryPoints" must be the release's \`exports\` keys (an array of strings)`);
        expect(run.stderr).not.toMatch(/\n\s+at /);
        expect(run.status).toBe(2);
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('`--update-baseline --from` a ref git does not know, writing nothing', () => {
    const scratch = fixture();
    try {
      const before = snapshot(join(scratch, 'baseline'));
      const run = spawnSync(tsx, ['scripts/breaking.ts', '--update-baseline', '--from', 'nope-no-such-ref', '--baseline', join(scratch, 'baseline')], { cwd: root, encoding: 'utf8' });
      expect(run.stderr).toContain('breaking: --from nope-no-such-ref: not a commit in this repository');
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(run.status).toBe(2);
      expect(snapshot(join(scratch, 'baseline'))).toEqual(before);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

describe('change files', () => {
  it('reads the bump and refuses a malformed front matter, naming the file', () => {
    expect(parseChangeFile('a.md', '---\n"martech-contracts": major\n---\n\nText', 'martech-contracts')).toEqual({ file: 'a.md', bump: 'major', summary: 'Text' });
    expect(parseChangeFile('b.md', "---\n'martech-contracts': minor\n---\n", 'martech-contracts').bump).toBe('minor');
    expect(() => parseChangeFile('c.md', 'no front matter', 'martech-contracts')).toThrow(/^c\.md: missing or invalid frontmatter\. .*a change file starts with --- "martech-contracts": major\|minor\|patch ---\)$/);
    expect(() => parseChangeFile('d.md', '---\n"martech-contracts": huge\n---\n', 'martech-contracts')).toThrow(/^d\.md: invalid version type "huge" for package "martech-contracts"\. Valid version types are: major, minor, patch, none \(/);
  });

  it('reads what changesets reads: a quoted bump, a YAML comment', () => {
    expect(parseChangeFile('q.md', '---\n"martech-contracts": "major"\n---\n\nText', 'martech-contracts').bump).toBe('major');
    expect(parseChangeFile('y.md', '---\nmartech-contracts: major # the perx break\n---\n\nText', 'martech-contracts').bump).toBe('major');
  });

  it('refuses a package that is not this one (changesets stops the release on it), naming the file and the name', () => {
    expect(() => parseChangeFile('t.md', '---\n"martech-contract": major\n---\n\nperx: gone', 'martech-contracts')).toThrow(
      't.md: front matter names the package "martech-contract", which is not this one: write "martech-contracts"',
    );
    const scratch = fixture();
    try {
      writeFileSync(join(scratch, 'changeset/typo.md'), '---\n"martech-contract": major\n---\n\n**perx**\n');
      const run = checkIn(scratch);
      expect(run.stderr).toContain(`breaking: ${join(scratch, 'changeset/typo.md')}: front matter names the package "martech-contract"`);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(run.status).toBe(2);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('reads the empty front matter `changeset add --empty` writes as no bump', () => {
    expect(parseChangeFile('e.md', '---\n---\n', 'martech-contracts')).toEqual({ file: 'e.md', bump: 'none', summary: '' });
    expect(parseChangeFile('f.md', '---\n\n---\n\nNotes only.', 'martech-contracts')).toEqual({ file: 'f.md', bump: 'none', summary: 'Notes only.' });
  });

  const change = (vendor: string, operation: string, where = ''): Change => ({ vendor, operation, where, rule: 'x', severity: 'breaking', message: 'broke' });
  const major = (summary: string) => ({ file: 'a.md', bump: 'major' as const, summary });

  it('takes what a change file must name from the break: operationId, webhook, path, export, or only the vendor', () => {
    expect(subject(change('perx', 'GET /v4/rewards (listRewards)'))).toBe('listRewards');
    expect(subject(change('placewise', 'webhook memberChanged'))).toBe('memberChanged');
    expect(subject(change('xonvo', 'GET /accounts'))).toBe('/accounts');
    expect(subject(change('mock', 'types: martech-contracts/mock', 'export `startMocks`'))).toBe('startMocks');
    expect(subject(change('perx', 'the whole API', 'security scheme `basic`'))).toBeUndefined();
    // A component or operationId gone by name: the old name, which consumers' code says.
    expect(subject({ ...change('placewise', 'the whole API', 'component schema `MembersGroupType`'), rule: 'component-removed' })).toBe('MembersGroupType');
    expect(subject({ ...change('placewise', 'GET /members_group_types (listMembersGroupKinds)', 'operationId `listMembersGroupTypes`'), rule: 'operation-id-changed' })).toBe('listMembersGroupTypes');
  });

  it('covers a break only under its vendor\'s heading, naming its subject as a word, in a major file', () => {
    const offers = change('footprints', 'GET /offers (listOffers)');
    // The audit's case: the vendor named in another section's bullet.
    expect(uncoveredBreaks([offers], [major('**client options (every vendor)**\n\n- a Footprints `grant` field; listOffers too')])).toHaveLength(1);
    expect(uncoveredBreaks([offers], [major('**footprints**\n\n- offers changed')])[0]!.reason).toBe('the footprints section does not name `listOffers`');
    expect(uncoveredBreaks([offers], [major('**footprints**\n\n- listOffersPaged is new')])).toHaveLength(1);
    expect(uncoveredBreaks([offers], [{ ...major('**footprints**\n\n- `listOffers` is gone'), bump: 'minor' }])).toHaveLength(1);
    expect(uncoveredBreaks([offers], [major('**perx**\n\n- x\n\n**footprints**\n\n- `listOffers` is gone')])).toEqual([]);
    expect(uncoveredBreaks([offers], [major('## Footprints\n\n- listOffers: gone')])).toEqual([]);
    // A section ends at the next heading.
    expect(uncoveredBreaks([offers], [major('**footprints**\n\n- x\n\n**perx**\n\n- listOffers')])).toHaveLength(1);
    // A break of the whole API is told by naming what it is about (here the scheme), not by the heading alone.
    expect(uncoveredBreaks([change('perx', 'the whole API', 'security scheme `basic`')], [major('### perx\n\nCredentials moved.')])[0]!.reason).toBe('the perx section does not name `basic`');
    expect(uncoveredBreaks([change('perx', 'the whole API', 'security scheme `basic`')], [major('### perx\n\nThe `basic` credentials moved.')])).toEqual([]);
    expect(uncoveredBreaks([change('perx', 'the whole API')], [major('perx: credentials moved.')])[0]!.reason).toBe('no pending major change file has a `**perx**` heading');
  });

  // The change file as a reader of the changelog sees it (REL-20): Markdown, not lines.
  const rewards = change('perx', 'GET /v4/rewards (listRewards)');
  const told = (summary: string) => uncoveredBreaks([rewards], [major(summary)]).length === 0;

  it('does not count a name a reader never sees: an HTML comment, a code block, a link URL', () => {
    expect(told('## Perx\n\n<!-- listRewards -->\nRewards changed.')).toBe(false);
    expect(told('## Perx\n\nRewards changed. <!-- listRewards --> More.')).toBe(false);
    expect(told('## Perx\n\n```\nlistRewards\n```\n')).toBe(false);
    expect(told('## Perx\n\nRewards changed:\n\n    client.GET(listRewards)\n')).toBe(false);
    expect(told('## Perx\n\nSee [the rewards docs](https://example.test/listRewards).')).toBe(false);
    // What is seen counts: inline code, link text, a table cell, a list item.
    expect(told('## Perx\n\n- `listRewards` is gone')).toBe(true);
    expect(told('## Perx\n\nSee [listRewards](https://example.test/x).')).toBe(true);
    expect(told('## Perx\n\n| operation | change |\n| --- | --- |\n| listRewards | gone |')).toBe(true);
  });

  it('reads setext headings: lines under `Perx` over `----` are Perx\'s, not the previous vendor\'s', () => {
    expect(told('Perx\n----\n\n- listRewards is gone')).toBe(true);
    const offers = change('footprints', 'GET /offers (listOffers)');
    expect(uncoveredBreaks([offers], [major('## Footprints\n\nOffers.\n\nPerx\n====\n\n- listOffers of Perx')])).toHaveLength(1);
  });

  it('takes the heading forms people write: `## Placewise:`, `**Placewise:**`, `## **Placewise**`, `**Placewise**: text`', () => {
    const member = change('placewise', 'GET /members/{id} (getMember)');
    for (const summary of ['## Placewise:\n\n- getMember removed', '**Placewise:**\n\n- getMember removed', '## **Placewise**\n\n- getMember removed', '**Placewise**: getMember removed', 'Placewise\n---\n\ngetMember removed']) {
      expect(uncoveredBreaks([member], [major(summary)]), summary).toEqual([]);
    }
  });

  it('keeps a sub-heading (`### Members` under `## Placewise`) in the vendor\'s section; a heading of its level ends it', () => {
    const member = change('placewise', 'GET /members/{id} (getMember)');
    expect(uncoveredBreaks([member], [major('## Placewise\n\n### Members\n\n- getMember removed')])).toEqual([]);
    expect(uncoveredBreaks([member], [major('## Placewise\n\nx\n\n## Perx\n\n- getMember removed')])).toHaveLength(1);
  });

  it('reads the whole section of a vendor headed twice in one file, not only the last', () => {
    // The second `**perx**` must add to the first section, not start it again empty.
    expect(told('**perx**\n\n- `listRewards` is gone\n\n**footprints**\n\n- offers changed\n\n**perx**\n\n- vouchers changed')).toBe(true);
  });

  it('does not take a name inside a longer one, on either side: `$`, `/`, `{` and `-` join a name as letters do', () => {
    // The boundary is tested on both sides with each character of its class: `old-listRewards`,
    // `/v4/listRewards` (a URL), `${listRewards}` (a template) name something else.
    for (const joined of ['$', '/', '{', '-', 'x']) {
      expect(told(`## Perx\n\n- \`${joined}listRewards\` is gone`), `${joined}listRewards`).toBe(false);
      expect(told(`## Perx\n\n- \`listRewards${joined}\` is gone`), `listRewards${joined}`).toBe(false);
    }
    expect(told('## Perx\n\n- (`listRewards`) is gone')).toBe(true);
  });

  it('keeps a bold line under `## Placewise` in Placewise\'s section (bold is below every # level), and reads `**Placewise:** text` as a heading', () => {
    const member = change('placewise', 'GET /members/{id} (getMember)');
    expect(uncoveredBreaks([member], [major('## Placewise\n\n**Members**\n\n- getMember removed')])).toEqual([]);
    // The colon inside the bold, the section's first line after it.
    expect(uncoveredBreaks([member], [major('**Placewise:** getMember removed')])).toEqual([]);
  });

  it('names a change file that tells the break but bumps only minor', () => {
    const [result] = uncoveredBreaks([rewards], [{ file: '/repo/.changeset/rewards.md', bump: 'minor', summary: '**perx**\n\n- `listRewards` is gone' }]);
    expect(result!.reason).toBe('rewards.md tells it under the perx heading, but bumps minor: a break needs "major"');
  });

  // The hostile review's cases, as the differ reports them on the release's own bundles.
  const released = (vendor: string) => JSON.parse(readFileSync(join(root, 'release-baseline', vendor, 'openapi.json'), 'utf8')) as JsonObject;
  const breaksOf = (vendor: string, edit: (doc: Record<string, any>) => void) => {
    const after = released(vendor);
    edit(after);
    return diffSpecs(vendor, released(vendor), after).filter((found) => found.severity === 'breaking');
  };
  // What the pending file said of listRewards and Footprints when the review found the hole.
  const pending = major(
    '**perx**\n\n- GET /v4/rewards (listRewards): the `tag_ids` query parameter is now `tag_ids[]`.\n- `meta.total_count` may be null in the answers of listRewards and listMerchants.\n\n' +
      '**footprints**\n\n- GET /api/client (getClient): code that reads `marketingChannels[].channel`, `.type` or `.agreed` must check the item first.',
  );

  it('does not count a break as told because its operation or its vendor is named for another break', () => {
    const rewardsOp = (doc: Record<string, any>) => doc.paths['/v4/rewards'].get;
    const favorite = breaksOf('perx', (doc) => void (rewardsOp(doc).parameters = rewardsOp(doc).parameters.filter((p: { name: string }) => p.name !== 'favorite')));
    const desc = breaksOf('perx', (doc) => void (rewardsOp(doc).parameters.find((p: { name: string }) => p.name === 'order').schema.enum = ['asc']));
    const token = breaksOf('footprints', (doc) => void (doc.components.securitySchemes.accessToken.name = 'token'));
    expect([favorite.length, desc.length, token.length]).toEqual([1, 1, 1]);
    expect(uncoveredBreaks([...favorite, ...desc, ...token], [pending]).map(({ reason }) => reason)).toEqual([
      'no paragraph or list item of the perx section names `listRewards` and `favorite` together',
      'no paragraph or list item of the perx section names `listRewards` and `order` and `desc` together',
      'the footprints section does not name `accessToken`',
    ]);
    // Named with what they are about, in one item each, they are told.
    const told = major('**perx**\n\n- listRewards: the `favorite` filter is gone.\n- listRewards: `order` no longer takes `desc`.\n\n**footprints**\n\n- The `accessToken` credential is now sent as `token`.');
    expect(uncoveredBreaks([...favorite, ...desc, ...token], [told])).toEqual([]);
    // The operation in one item and the thing in another tell nothing.
    expect(uncoveredBreaks(favorite, [major('**perx**\n\n- listRewards: sorting changed.\n- `favorite` is gone from listVouchers.')])).toHaveLength(1);
  });

  it('tells a security break only by naming its scheme with the operation: the one no longer accepted, or the one a public call now needs', () => {
    const rewardsOp = (doc: Record<string, any>) => doc.paths['/v4/rewards'].get;
    const swapped = breaksOf('perx', (doc) => void (rewardsOp(doc).security = [{ appToken: [] }]));
    const locked = breaksOf('perx', (doc) => void (doc.paths['/v4/oauth/token'].post.security = [{ appToken: [] }]));
    expect([...swapped, ...locked].map(({ where, message }) => `${where}: ${message}`)).toEqual([
      'security scheme `userToken`: calls authenticated with userToken are no longer accepted (now: appToken)',
      'security scheme `appToken`: calls authenticated with no credentials are no longer accepted (now: appToken)',
    ]);
    // What the pending file says of listRewards (its `tag_ids` rename), and an operationId alone, tell neither.
    expect(uncoveredBreaks(swapped, [pending]).map(({ reason }) => reason)).toEqual(['no paragraph or list item of the perx section names `listRewards` and `userToken` together']);
    expect(uncoveredBreaks(locked, [major('**perx**\n\n- createToken changed.')]).map(({ reason }) => reason)).toEqual(['no paragraph or list item of the perx section names `createToken` and `appToken` together']);
    expect(uncoveredBreaks([...swapped, ...locked], [major('**perx**\n\n- listRewards no longer accepts a `userToken`.\n- createToken now needs the `appToken` credentials.')])).toEqual([]);
    // Two schemes required together went at once: naming either tells it.
    const both = released('perx');
    rewardsOp(both).security = [{ userToken: [], appToken: [] }];
    const pair = diffSpecs('perx', both, released('perx')).filter((found) => found.severity === 'breaking');
    expect(pair.map(({ where }) => where)).toEqual(['security schemes `appToken` + `userToken`']);
    expect(uncoveredBreaks(pair, [major('**perx**\n\n- listRewards: calls now send the `userToken` alone.')])).toEqual([]);
  });

  it('tells a changed declaration only by naming, with the export, each member that broke: a line about another member of it does not', () => {
    // PlacewiseClientOptions' productName narrowed, beside the clubSlug change a pending file already tells.
    const options: Change = { ...change('placewise', 'types: martech-contracts/placewise', 'export `PlacewiseClientOptions`'), rule: 'type-surface', members: ['clubSlug', 'productName'] };
    const told = '**placewise**\n\n- `PlacewiseClientOptions`: `clubSlug` takes `undefined` too.';
    expect(uncoveredBreaks([options], [major(told)]).map(({ reason }) => reason)).toEqual(['no paragraph or list item of the placewise section names `PlacewiseClientOptions` and `clubSlug` and `productName` together']);
    expect(uncoveredBreaks([options], [major(`${told.slice(0, -1)}; \`productName\` takes only \`"web"\` or \`"app"\`.`)])).toEqual([]);
    // A declaration whose only change is its own head (`type X = …`) is told by its export.
    expect(uncoveredBreaks([{ ...options, members: [] }], [major('**placewise**\n\n- `PlacewiseClientOptions` changed.')])).toEqual([]);
  });

  it('does not count a sentence that names the operation but not what broke in it', () => {
    const leadCount = breaksOf('xonvo', (doc) => {
      const statistics = doc.components.schemas.AccountStatistics;
      delete statistics.properties.leadCount;
      statistics.required = statistics.required.filter((name: string) => name !== 'leadCount');
    });
    expect(leadCount.length).toBeGreaterThan(0);
    expect(uncoveredBreaks(leadCount, [major('**xonvo**\n\nNo change for callers of getAccountStatistics: it still answers as before.')])).toHaveLength(leadCount.length);
    expect(uncoveredBreaks(leadCount, [major('**xonvo**\n\n- getAccountStatistics no longer answers `leadCount`.')])).toEqual([]);
  });

  it('takes a field by its path or its own name, and a sub-heading as naming the operation for the items under it', () => {
    const expiry = change('perx', 'GET /v4/pos/loyalty/aggregated_expiry (listPosPointsExpiry)', 'response 200 (application/json)');
    const nullable = { ...expiry, message: '`data[].date` changed from string to string or null: code that reads the response must now handle null' };
    expect(uncoveredBreaks([nullable], [major('**perx**\n\n- listPosPointsExpiry: `data[].date` may be null.')])).toEqual([]);
    expect(uncoveredBreaks([nullable], [major('**perx**\n\n- listPosPointsExpiry: each item\'s `date` may be null.')])).toEqual([]);
    expect(uncoveredBreaks([nullable], [major('## Perx\n\n### listPosPointsExpiry\n\n- `date` may be null.')])).toEqual([]);
    expect(uncoveredBreaks([nullable], [major('**perx**\n\n- listPosPointsExpiry: `data` changed.')])).toHaveLength(1);
    const typedMap = { ...expiry, where: 'request body (application/json)', message: 'other properties of `meta` must now be integer (were any type): callers sending other types are refused' };
    expect(uncoveredBreaks([typedMap], [major('**perx**\n\n- listPosPointsExpiry: everything else changed.')])).toHaveLength(1);
    expect(uncoveredBreaks([typedMap], [major('**perx**\n\n- listPosPointsExpiry: the keys of `meta` must be integers.')])).toEqual([]);
    // A prefix item is named by its array's name, as `data[]` is by `data`, or by its path.
    const prefixItem = { ...expiry, where: 'request body (application/json)', message: '`tags[0]` changed from string to integer: callers sending a string are refused' };
    expect(uncoveredBreaks([prefixItem], [major('**perx**\n\n- listPosPointsExpiry: the first of `tags` must be an integer.')])).toEqual([]);
    expect(uncoveredBreaks([prefixItem], [major('**perx**\n\n- listPosPointsExpiry: `tags[0]` must be an integer.')])).toEqual([]);
    expect(uncoveredBreaks([prefixItem], [major('**perx**\n\n- listPosPointsExpiry: the first item must be an integer.')])[0]!.reason).toBe('no paragraph or list item of the perx section names `listPosPointsExpiry` and `tags[0]` or `tags` together');
    const nestedItem = { ...prefixItem, message: '`data[].tags[1][]` changed from string to integer: callers sending a string are refused' };
    expect(uncoveredBreaks([nestedItem], [major('**perx**\n\n- listPosPointsExpiry: `tags` hold integers.')])).toEqual([]);
  });

  it('covers every break of the drafted change file, which quotes each break whole', () => {
    const all = [
      ...breaksOf('perx', (doc) => void (doc.paths['/v4/rewards'].get.parameters.find((p: { name: string }) => p.name === 'order').schema.enum = ['asc'])),
      ...breaksOf('footprints', (doc) => void (doc.components.securitySchemes.accessToken.name = 'token')),
    ];
    expect(uncoveredBreaks(all, [{ ...parseChangeFile('d.md', draftChangeFile('martech-contracts', all), 'martech-contracts'), bump: 'major' }])).toEqual([]);
  });
});

describe('the semver bump the changes need', () => {
  /** A fixture whose release exported, and took as peers, what the package does now (`./mock` and the Prism and Ajv peers came after 0.1.0, minor changes of their own). */
  const current = () => {
    const scratch = fixture();
    const manifestFile = join(scratch, 'baseline/manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { entryPoints: string[]; package: object };
    const { peerDependencies, peerDependenciesMeta } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, object>;
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, entryPoints: [...manifest.entryPoints, './mock'], package: { ...manifest.package, peerDependencies, peerDependenciesMeta } }));
    return scratch;
  };
  /** A fixture whose Placewise bundle has a new operation: a minor change, nothing broken. */
  const additive = () => {
    const scratch = current();
    const file = join(scratch, 'bundles/placewise/openapi.json');
    const spec = JSON.parse(readFileSync(file, 'utf8'));
    spec.paths['/members_groups/archive'] = { post: { operationId: 'archiveMembersGroups', responses: { '200': { description: 'ok' } } } };
    writeFileSync(file, JSON.stringify(spec));
    return scratch;
  };
  const changeFile = (scratch: string, bump: string) => writeFileSync(join(scratch, `changeset/${bump}.md`), `---\n"martech-contracts": ${bump}\n---\n\nPlacewise: archive groups.\n`);

  it('is said in the report: major for a break, minor for an addition, patch for no change', () => {
    const scratch = additive();
    const unchanged = current();
    try {
      expect(checkIn(unchanged).stdout).toContain('Semver: a patch release will do (the contract did not change)');
      expect(checkIn(scratch).stdout).toContain('Semver: these changes need a minor release (1 additive or to look at, none breaking)');
      const file = join(scratch, 'bundles/xonvo/openapi.json');
      const spec = JSON.parse(readFileSync(file, 'utf8'));
      delete spec.paths['/accounts'].post;
      writeFileSync(file, JSON.stringify(spec));
      expect(checkIn(scratch).stdout).toContain('Semver: these changes need a major release (1 breaking)');
    } finally {
      rmSync(scratch, { recursive: true, force: true });
      rmSync(unchanged, { recursive: true, force: true });
    }
  });

  it('refuses to release a new operation as a patch, naming the bump it needs; a minor change file releases it', () => {
    const scratch = additive();
    try {
      changeFile(scratch, 'patch');
      const refused = checkIn(scratch, '--release');
      expect(refused.stderr).toContain('The changes since release 0.1.0 need a minor release (new operations, fields or options), but the pending change files bump it patch at most (patch.md): make one of them `"martech-contracts": minor`; nothing was written.');
      expect(refused.status).toBe(1);
      changeFile(scratch, 'minor');
      expect(checkIn(scratch, '--release').status).toBe(0);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('warns, without failing, when the pending change files bump less than the changes need before a release', () => {
    const scratch = additive();
    try {
      changeFile(scratch, 'patch');
      const run = checkIn(scratch, '--report', join(scratch, 'report.json'));
      expect(run.status).toBe(0);
      const note = 'the changes since release 0.1.0 need a minor release, but the pending change files bump it patch at most (patch.md): `npm run release:version` refuses until one bumps minor';
      expect(run.stdout).toContain(`Semver: ${note}`);
      expect(JSON.parse(readFileSync(join(scratch, 'report.json'), 'utf8'))).toMatchObject({ needed: 'minor', pending: 'patch', breaking: 0, uncovered: 0, warnings: [expect.stringContaining(`semver: ${note}`)] });
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

describe('the report npm test reads', () => {
  it("lists the gate's changes to look at (a default server moved), which npm test counts as warnings", () => {
    const scratch = fixture();
    try {
      const file = join(scratch, 'bundles/xonvo/openapi.json');
      const spec = JSON.parse(readFileSync(file, 'utf8'));
      spec.servers[0].variables.environment.default = 'https://admin.example.net';
      writeFileSync(file, JSON.stringify(spec));
      const run = checkIn(scratch, '--report', join(scratch, 'report.json'));
      expect(run.status).toBe(0);
      const report = JSON.parse(readFileSync(join(scratch, 'report.json'), 'utf8')) as { warnings: string[] };
      expect(report.warnings).toEqual([
        expect.stringMatching(/^xonvo: the whole API, servers: the default server changed from https:\/\/admin\.xonvo\.com to https:\/\/admin\.example\.net.*: clients created without baseUrl call the new one$/),
        // A change to look at is a change of the contract (as `./mock`, new since 0.1.0): a minor release, and no change file says so yet.
        expect.stringMatching(/^semver: the changes since release 0\.1\.0 need a minor release, but no pending change file bumps martech-contracts/),
      ]);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

describe('`--update-baseline` replaces a baseline and nothing else, and only once the new one is complete', () => {
  /** The command as `npm run` runs it from the repository, here from `cwd`, a scratch folder standing in for it. */
  const update = (script: string, cwd: string, ...extra: string[]) => spawnSync(tsx, [script, '--update-baseline', '--from', 'worktree', ...extra], { cwd, encoding: 'utf8' });

  it('refuses an empty --baseline (the working directory, removed whole), a folder that is no baseline, and one that is or holds the working directory', () => {
    const victim = mkdtempSync(join(tmpdir(), 'breaking-victim-'));
    try {
      mkdirSync(join(victim, 'notes'));
      writeFileSync(join(victim, 'notes/important.txt'), 'my work');
      writeFileSync(join(victim, 'README.md'), 'keep');
      cpSync(join(root, 'release-baseline'), join(victim, 'baseline'), { recursive: true });
      const before = snapshot(victim);
      const script = join(root, 'scripts/breaking.ts');
      const empty = update(script, victim, '--baseline=');
      expect(empty.stderr).toContain('breaking: --baseline must name a folder (got nothing)');
      expect(empty.status).toBe(2);
      const notOurs = update(script, victim, '--baseline', 'notes');
      expect(notOurs.stderr).toContain(`breaking: --baseline ${join(victim, 'notes')} holds files and is no baseline (no manifest.json listing "vendors"): refusing to replace it`);
      expect(notOurs.status).toBe(2);
      for (const [cwd, named] of [[join(victim, 'baseline'), '.'], [join(victim, 'baseline/api'), '..']] as const) {
        const run = update(script, cwd, '--baseline', named);
        expect(run.stderr, named).toContain('is the working directory or the repository, or holds one of them: refusing to replace it');
        expect(run.status).toBe(2);
      }
      expect(snapshot(victim)).toEqual(before);
    } finally {
      rmSync(victim, { recursive: true, force: true });
    }
  });

  it('keeps the old baseline when the snapshot fails, and says so; swaps the new one in when it succeeds', { timeout: 300_000 }, () => {
    // A clone of this repository with the code under test: its files can be broken without touching this one.
    const scratch = mkdtempSync(join(tmpdir(), 'breaking-update-'));
    try {
      const repo = join(scratch, 'repo');
      expect(spawnSync('git', ['clone', '--quiet', '--shared', root, repo]).status).toBe(0);
      cpSync(join(root, 'scripts/breaking.ts'), join(repo, 'scripts/breaking.ts'));
      cpSync(join(root, 'scripts/breaking'), join(repo, 'scripts/breaking'), { recursive: true });
      symlinkSync(join(root, 'node_modules'), join(repo, 'node_modules'));
      const script = join(repo, 'scripts/breaking.ts');
      const baseline = join(scratch, 'baseline');
      cpSync(join(root, 'release-baseline'), baseline, { recursive: true });
      const before = snapshot(baseline);

      // A bundle missing (a build cut short): found after the old code had removed the baseline.
      const bundle = join(repo, 'generated/perx/openapi.json');
      renameSync(bundle, `${bundle}.away`);
      const missing = update(script, repo, '--baseline', baseline);
      renameSync(`${bundle}.away`, bundle);
      expect(missing.stderr).toContain(`breaking: cannot read ${bundle} (ENOENT): the release's bundles are needed`);
      expect(missing.stderr).toContain(`; ${baseline} is kept as it was`);
      expect(missing.status).toBe(2);
      expect(snapshot(baseline)).toEqual(before);

      // The repository itself is no baseline to replace.
      const itself = update(script, scratch, '--baseline', repo);
      expect(itself.stderr).toContain(`breaking: --baseline ${repo} is the working directory or the repository, or holds one of them`);
      expect(existsSync(join(repo, 'package.json'))).toBe(true);

      const done = update(script, repo, '--baseline', baseline);
      expect(done.stdout).toMatch(/^Baseline 0\.1\.0 from the working tree at commit [0-9a-f]{12}: xonvo, footprints, perx, placewise, imprzd \(6 API reports\)/);
      expect(done.status).toBe(0);
      // The commands and Node range the release promises are recorded, for the next release's gate.
      const ownPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: unknown; engines: unknown; peerDependencies: unknown; peerDependenciesMeta: unknown };
      expect(JSON.parse(readFileSync(join(baseline, 'manifest.json'), 'utf8'))).toMatchObject({
        version: '0.1.0',
        source: expect.stringMatching(/^the working tree at commit /),
        package: { bin: ownPackage.bin, engines: ownPackage.engines, peerDependencies: ownPackage.peerDependencies, peerDependenciesMeta: ownPackage.peerDependenciesMeta },
        mockPorts: { xonvo: 4010, perx: 4012 },
        cli: { mock: expect.arrayContaining(['--port-base', '--quiet']), record: expect.arrayContaining(['--out']) },
      });
      expect(readdirSync(scratch).sort()).toEqual(['baseline', 'repo']);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
