/**
 * The mock as a consumer's bundler leaves it: one file in the consumer's own folder, the package
 * installed in its node_modules. The specs are not in the bundle; they are found where the
 * package is installed, not beside the file the bundler wrote.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
let consumer: string;

beforeAll(() => {
  consumer = realpathSync(mkdtempSync(join(tmpdir(), 'mock-bundled-')));
  mkdirSync(join(consumer, 'node_modules'));
});
afterAll(() => rmSync(consumer, { recursive: true, force: true }));

/** Bundles a script that asks bundles.ts for perx's spec, into `consumer/out/`, and runs it there. */
async function runBundled(): Promise<{ code: number; stdout: string; stderr: string }> {
  const { build } = await import('esbuild');
  const script = `import { bundlePath, pickVendors } from ${JSON.stringify(join(root, 'src/mock/bundles.ts'))};
try { console.log(bundlePath(pickVendors(['perx'])[0])); } catch (e) { console.error(e.message); process.exit(3); }`;
  await build({ stdin: { contents: script, resolveDir: root, loader: 'ts' }, bundle: true, platform: 'node', format: 'esm', outfile: join(consumer, 'out/app.mjs'), logLevel: 'silent' });
  return exec(process.execPath, [join(consumer, 'out/app.mjs')], { cwd: consumer }).then((r) => ({ code: 0, ...r }), (e) => e);
}

describe("a bundled mock's specs", () => {
  it('are read where the package is installed', async () => {
    symlinkSync(root, join(consumer, 'node_modules/martech-contracts'), 'dir');
    try {
      const result = await runBundled();
      expect(result.stderr).toBe('');
      expect(result.stdout.trim()).toBe(join(realpathSync(root), 'generated/perx/openapi.json'));
    } finally {
      rmSync(join(consumer, 'node_modules/martech-contracts'));
    }
  });

  it('not found, say that the package must be installed beside the bundle, not that it be reinstalled', async () => {
    const result = await runBundled();
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('perx: its spec generated/perx/openapi.json is missing');
    expect(result.stderr).toContain('bundled');
  });
});
