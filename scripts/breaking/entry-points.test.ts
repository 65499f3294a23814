/** Entry points release against working tree: removed ones break imports, each one's types are compared or the baseline refused. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryPoints } from './api-report.js';
import { compareEntryPoints, compareSurfaces, exportKeys } from './entry-points.js';
import { ExportsError, resolveExports } from './exports.js';
import { baselineSource } from './report.js';

const report = (body: string) => `## API Report File for "martech-contracts"\n\n\`\`\`ts\n\n${body}\n\n\`\`\`\n`;
const mock = report('// @public\nexport function startMocks(options?: MockOptions): Promise<RunningMocks>;\n\n// @public\nexport interface RunningMocks {\n    reset(): Promise<void>;\n}');
const surfaces = (released: string[], baseline: Record<string, string>, current: Record<string, string>, exportedNow = Object.keys(current).map((name) => `./${name}`)) =>
  compareSurfaces({ packageName: 'martech-contracts', released, exportedNow, baseline: new Map(Object.entries(baseline)), current: new Map(Object.entries(current)), ignore: new Set() });

describe('entry points', () => {
  it('reads the exports keys, a bare target or conditions being the one entry point `.`', () => {
    expect(exportKeys({ exports: { './xonvo': { types: './x.d.ts', default: './x.js' }, './package.json': './package.json' } })).toEqual(['./xonvo', './package.json']);
    expect(exportKeys({ exports: './index.js' })).toEqual(['.']);
    expect(exportKeys({ exports: { import: './index.js', types: './index.d.ts' } })).toEqual(['.']);
    expect(exportKeys({})).toEqual([]);
    // A list of fallbacks at the top is `.` too (its indices are no subpaths).
    expect(resolveExports({ exports: ['./index.js'] })).toEqual([{ key: '.', runtime: './index.js', types: './index.d.ts' }]);
  });

  it('resolves each entry point as an import does: one with no runtime target (types only, null) is not exported', () => {
    // `"./perx": { types }` and `"./perx": null`: `import … from 'martech-contracts/perx'` fails with ERR_PACKAGE_PATH_NOT_EXPORTED.
    for (const perx of [{ types: './dist/perx.d.ts' }, null, { require: './dist/perx.cjs' }]) {
      const now = exportKeys({ exports: { './xonvo': { types: './dist/xonvo.d.ts', default: './dist/xonvo.js' }, './perx': perx } });
      expect(now, JSON.stringify(perx)).toEqual(['./xonvo']);
      expect(compareEntryPoints('martech-contracts', ['./xonvo', './perx'], now).map((c) => `${c.severity} ${c.vendor}`)).toEqual(['breaking perx']);
    }
  });

  it('stops at a matching condition set to null, as Node does: `{ "import": null, "default": … }` is not exported to import', () => {
    // Only a condition that resolves to nothing at all (undefined) passes on to the next; null shuts the entry point.
    const now = exportKeys({ exports: { './xonvo': './dist/xonvo.js', './perx': { import: null, default: './dist/perx.js' } } });
    expect(now).toEqual(['./xonvo']);
  });

  it('finds the types of nested conditions and of a bare JavaScript target (its .d.ts beside it), as TypeScript does', () => {
    expect(
      resolveExports({
        exports: {
          './perx': { import: { types: './dist/perx.d.ts', default: './dist/perx.js' } },
          './xonvo': './dist/xonvo.js',
          './mock': [{ node: { import: './dist/mock/index.mjs' } }],
          './package.json': './package.json',
        },
      }),
    ).toEqual([
      { key: './perx', runtime: './dist/perx.js', types: './dist/perx.d.ts' },
      { key: './xonvo', runtime: './dist/xonvo.js', types: './dist/xonvo.d.ts' },
      { key: './mock', runtime: './dist/mock/index.mjs', types: './dist/mock/index.d.mts' },
      { key: './package.json', runtime: './package.json', types: undefined },
    ]);
  });

  it('refuses a subpath pattern (`./*`), naming it: its entry points cannot be listed', () => {
    expect(() => exportKeys({ exports: { './*': { types: './dist/*.d.ts', default: './dist/*.js' } } })).toThrow(ExportsError);
    expect(() => exportKeys({ exports: { './*': './dist/*.js' } })).toThrow('package.json exports "./*": subpath patterns are not supported by the breaking-change check');
  });

  it('lists the entry points to report: nested conditions and a bare target included, types only left out, a pattern refused', () => {
    const project = mkdtempSync(join(tmpdir(), 'entry-points-'));
    try {
      writeFileSync(join(project, 'package.json'), JSON.stringify({ exports: { './perx': { import: { types: './dist/perx.d.ts', default: './dist/perx.js' } }, './xonvo': './dist/xonvo.js', './types-only': { types: './dist/t.d.ts' } } }));
      expect(entryPoints(project)).toEqual([
        { name: 'perx', types: './dist/perx.d.ts' },
        { name: 'xonvo', types: './dist/xonvo.d.ts' },
      ]);
      writeFileSync(join(project, 'package.json'), JSON.stringify({ exports: { './*': './dist/*.js' } }));
      expect(() => entryPoints(project)).toThrow(ExportsError);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('breaks on an entry point removed or renamed; a new one is additive', () => {
    const changes = compareEntryPoints('martech-contracts', ['./xonvo', './mock'], ['./xonvo', './mocks']);
    expect(changes.map((c) => `${c.severity} ${c.vendor} ${c.where}`)).toEqual(['breaking mock entry point `martech-contracts/mock`', 'info mocks entry point `martech-contracts/mocks`']);
    expect(changes[0]!.message).toContain("`import … from 'martech-contracts/mock'` fails");
  });

  it("compares an entry point's types with the release's report: a changed startMocks or reset signature breaks", () => {
    const changed = mock.replace('reset(): Promise<void>;', 'reset(vendor: string): Promise<void>;');
    const { changes, missing } = surfaces(['./mock'], { mock }, { mock: changed });
    expect(missing).toEqual([]);
    expect(changes.map((c) => `${c.severity} ${c.where}`)).toEqual(['breaking export `RunningMocks`']);
  });

  it('refuses to judge an entry point the release exported but the baseline has no report for', () => {
    expect(surfaces(['./xonvo', './mock'], {}, { mock }).missing).toEqual(['mock']);
  });

  it('lists an entry point the release did not export as new, to be compared from the next release', () => {
    const { changes, missing } = surfaces(['./xonvo'], {}, { mock });
    expect(missing).toEqual([]);
    expect(changes.map((c) => `${c.severity} ${c.vendor} ${c.message}`)).toEqual(['info mock new entry point: its types are compared from the next release on']);
  });

  it('breaks on an entry point still exported that lost its declarations', () => {
    expect(surfaces(['./mock'], { mock }, {}, ['./mock']).changes.map((c) => c.severity)).toEqual(['breaking']);
    // Removed altogether, entry-point-removed reports it: not twice.
    expect(surfaces(['./mock'], { mock }, {}, []).changes).toEqual([]);
  });
});

describe('the entry points the README promises', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { exports: Record<string, unknown> };
  // A subpath as an import names it: not the exported package.json, nor a file under node_modules/martech-contracts/.
  const promised = [...new Set([...readme.matchAll(/(?<!node_modules\/)\bmartech-contracts\/([a-z][\w-]*)\b(?![./])/g)].map((match) => match[1]!))];

  it('are exported with types, so the type surface of each is reported and compared', () => {
    expect(promised).toContain('mock');
    for (const entry of promised) {
      const target = pkg.exports[`./${entry}`] as { types?: string } | undefined;
      expect(target?.types, `./${entry} in package.json exports, with types`).toBeTruthy();
      expect(existsSync(new URL(`../../etc/api/${entry}.api.md`, import.meta.url)), `etc/api/${entry}.api.md`).toBe(true);
    }
  });

  it('that the committed baseline release exported have a baseline report', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../release-baseline/manifest.json', import.meta.url), 'utf8')) as { entryPoints: string[] };
    for (const key of manifest.entryPoints.filter((key) => key !== './package.json')) {
      expect(existsSync(new URL(`../../release-baseline/api/${key.slice(2)}.api.md`, import.meta.url)), `release-baseline/api/${key.slice(2)}.api.md`).toBe(true);
    }
  });
});

describe('the baseline source in the header', () => {
  it('names the commit, not the ref it was typed as (`HEAD = …` read as the current HEAD)', () => {
    expect(baselineSource('HEAD = 18cdcbec38f5')).toBe('commit 18cdcbec38f5');
    expect(baselineSource('v0.1.0 = 18cdcbec38f5')).toBe('commit 18cdcbec38f5');
    expect(baselineSource('commit 18cdcbec38f5')).toBe('commit 18cdcbec38f5');
    expect(baselineSource(undefined)).toBe('source not recorded');
  });
});
