import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { vendors } from './vendors.js';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

describe('package layout', () => {
  it.each(vendors.map((v) => v.name))('exports martech-contracts/%s with types, backed by its src module', async (name) => {
    expect(manifest.exports[`./${name}`]).toEqual({ types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` });
    expect(existsSync(new URL(`./${name}.ts`, import.meta.url))).toBe(true);
    const module = await import(`./${name}.ts`);
    expect(module.vendor.name).toBe(name);
  });

  it('exports no subpath for a vendor that is not in the list', () => {
    // Non-vendor subpaths: the manifest itself and the embeddable mock.
    const vendorPaths = Object.keys(manifest.exports).filter((k) => !['./package.json', '.', './mock'].includes(k));
    expect(vendorPaths.sort()).toEqual(vendors.map((v) => `./${v.name}`).sort());
  });
});

describe('vendor runtimes', () => {
  it.each(vendors.map((v) => v.name))('%s: builds its clients from sandbox-style settings', async (name) => {
    const { vendor } = await import(`./${name}.ts`);
    const settings = { baseUrl: 'http://127.0.0.1:1', ...Object.fromEntries(Object.keys(vendor.env).map((k) => [k, `value-${k}`])) };
    expect(typeof vendor.create(settings).GET).toBe('function');
    for (const make of Object.values<any>(vendor.forScheme ?? {})) expect(typeof make(settings).GET).toBe('function');
  });
});

describe('client entries outside Node', () => {
  // A bundler follows an import() of a literal as it follows a static import: a node: built-in
  // anywhere in an entry's graph fails a browser (or edge) build of it, loaded or not.
  it.each(vendors.map((v) => v.name))('%s: bundles for a browser with no node: built-in in its graph', async (name) => {
    const { build } = await import('esbuild');
    const result = await build({ entryPoints: [fileURLToPath(new URL(`./${name}.ts`, import.meta.url))], bundle: true, platform: 'browser', format: 'esm', write: false, metafile: true, logLevel: 'silent' }).catch(
      (failure: { errors?: { text: string; location?: { file: string } | null }[] }) => ({ failure: failure.errors?.map((e) => `${e.location?.file ?? '?'}: ${e.text}`) ?? [String(failure)] }),
    );
    expect('failure' in result ? result.failure : []).toEqual([]);
    const builtins = 'metafile' in result ? Object.entries(result.metafile.inputs).flatMap(([file, input]) => input.imports.filter((i) => i.path.startsWith('node:')).map((i) => `${file} → ${i.path}`)) : [];
    expect(builtins).toEqual([]);
  });
});
