/**
 * The npm package as a consuming team meets it: `npm pack`, install the tarball into a fresh
 * project, type-check a consumer that uses every vendor, start the mocks with the installed
 * CLI, and run the consumer against them; then a second consumer starts the mock from code.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnGroup } from '../../scripts/lib/process-group.js';
import { vendors } from '../../src/vendors.js';
import { deref, loadSpec, pointerTo, resolve } from '../lib/spec.js';

const exec = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const manifest = (await import('../../package.json', { with: { type: 'json' } })).default;
let consumer: string;
let tarball: string;
let files: string[];
let mock: ReturnType<typeof spawnGroup> | undefined;
/** The vendors' mock URLs printed by the installed CLI (set by the test that starts it). */
let mockUrls: Record<string, string> = {};

const npm = (args: string[], cwd: string) => exec('npm', args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_loglevel: 'error' } });

/** What an older build left in dist/ (a module since renamed): the pack must not ship it. */
const LEFT_OVER = 'dist/renamed-since.js';

beforeAll(async () => {
  consumer = await mkdtemp(join(tmpdir(), 'martech-consumer-'));
  await mkdir(join(root, 'dist'), { recursive: true });
  await writeFile(join(root, LEFT_OVER), 'export const old = 1;\n');
  const packed = await npm(['pack', '--json', '--pack-destination', consumer], root);
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[')));
  tarball = join(consumer, info.filename);
  files = info.files.map((f: { path: string }) => f.path);
  await writeFile(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await writeFile(
    join(consumer, 'tsconfig.json'),
    JSON.stringify({
      // As strict as a consumer may be: the package's declarations are checked too (skipLibCheck off).
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, skipLibCheck: false, types: ['node'], lib: ['ES2022', 'DOM'] },
      files: ['consumer.ts', 'embedded.ts', 'settings.ts', 'receiver.ts', 'first-call.ts'],
    }),
  );
  await copyFile(join(root, 'contract-tests/e2e/consumer/consumer.ts'), join(consumer, 'consumer.ts'));
  await copyFile(join(root, 'contract-tests/e2e/consumer/embedded.ts'), join(consumer, 'embedded.ts'));
  await copyFile(join(root, 'contract-tests/e2e/consumer/settings.ts'), join(consumer, 'settings.ts'));
  // The README's webhook receiver, as a reader copies it: type-checked with the consumer (it did not compile under strict).
  const receiver = /```ts\n(import \{ verifyPlacewiseWebhook[\s\S]*?)```/.exec(await readFile(join(root, 'README.md'), 'utf8'))?.[1];
  if (!receiver) throw new Error("README.md: the webhook receiver example (a ```ts block importing verifyPlacewiseWebhook) is gone; update this test");
  await writeFile(join(consumer, 'receiver.ts'), receiver);
  // The README's first call, as a reader copies it: its error test must narrow `data` under strict.
  const firstCall = /```ts\n(import \{ createXonvoClient \}[\s\S]*?)```/.exec(await readFile(join(root, 'README.md'), 'utf8'))?.[1];
  if (!firstCall) throw new Error("README.md: the first call example (a ```ts block importing createXonvoClient) is gone; update this test");
  await writeFile(join(consumer, 'first-call.ts'), firstCall);
  const versions = manifest.devDependencies;
  await npm(
    // The optional peers the mock needs, at the versions this repository tests with.
    ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, ...mockPeers(), `typescript@${versions.typescript}`, `@types/node@${versions['@types/node']}`],
    consumer,
  );
}, 300_000);

afterAll(async () => {
  await rm(join(root, LEFT_OVER), { force: true });
  // Ctrl-C as a user stops it; its whole group is killed if it does not stop in time.
  await mock?.stop('SIGINT', 10_000);
  await rm(consumer, { recursive: true, force: true });
});

/** name@version of each optional peer: the version installed here, else the declared range. */
function mockPeers(): string[] {
  const dev: Record<string, string> = manifest.devDependencies;
  return Object.entries<string>(manifest.peerDependencies ?? {}).map(([name, range]) => `${name}@${dev[name] ?? range}`);
}

/** The package's files (relative to its root) that `from` reach through relative imports, static or import(). */
async function reached(root: string, from: string[]): Promise<Set<string>> {
  const seen = new Set<string>();
  const queue = from.map((file) => posix.normalize(file));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = await readFile(join(root, file), 'utf8').catch(() => '');
    for (const [, specifier] of text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = posix.join(posix.dirname(file), specifier!);
      queue.push(file.endsWith('.d.ts') ? target.replace(/\.js$/, '.d.ts') : target);
    }
  }
  return seen;
}

/** The first example of an operation's documented 200 JSON response. */
function documentedExample(vendor: string, path: string): any {
  const spec = loadSpec(vendors.find((v) => v.name === vendor)!);
  const media = resolve(spec.doc, `${pointerTo('paths', path, 'get')}/responses/200`).value.content['application/json'];
  return media.example ?? deref(spec.doc, Object.values<any>(media.examples)[0]).value;
}

describe('the published package', () => {
  it('holds only what consumers need', () => {
    const outside = files.filter((f) => !/^(dist\/|generated\/|package\.json$|README\.md$|LICENSE$)/.test(f));
    expect(outside).toEqual([]);
    expect(files.filter((f) => /\.test\.|contract-tests|specs\//.test(f))).toEqual([]);
    for (const vendor of vendors) {
      expect(files).toContain(`dist/${vendor.name}.js`);
      expect(files).toContain(`dist/${vendor.name}.d.ts`);
      expect(files).toContain(`generated/${vendor.name}/openapi.json`);
      expect(files).toContain(`generated/${vendor.name}/schema.d.ts`);
    }
    expect(files).toContain('dist/cli.js');
  });

  it('ships only what this build compiled: each file of dist/ from a module of src/', () => {
    const stale = files.filter((f) => f.startsWith('dist/') && !existsSync(join(root, f.replace(/^dist\//, 'src/').replace(/\.d\.ts$|\.js$/, '.ts'))));
    expect(stale).toEqual([]);
  });

  it('ships no module that no entry point reaches, as code or as types (a build-time or test helper in src/), nor a declaration no entry point\'s types reach', async () => {
    const installed = join(consumer, 'node_modules/martech-contracts');
    const entries = Object.values<string | { types: string; default: string }>(manifest.exports).filter((e) => typeof e === 'object') as { types: string; default: string }[];
    const code = await reached(installed, [...entries.map((e) => e.default), ...Object.values<string>(manifest.bin)]);
    const types = await reached(installed, entries.map((e) => e.types));
    const unreached = files.filter((f) => /^dist\/.*\.js$/.test(f) && !code.has(f) && !types.has(f.replace(/\.js$/, '.d.ts')));
    expect(unreached).toEqual([]);
    // tsc emits one for every module; those of the CLI and the runtime's internals are no consumer's to read (REL-50 left 65).
    expect(files.filter((f) => /^dist\/.*\.d\.ts$/.test(f) && !types.has(f)), 'declarations no entry point\'s types reach').toEqual([]);
  });

  // On the tarball this file packed: `npm test` packs once (attw --pack would pack again).
  it('has types for every subpath, ESM only (attw), and passes publint --strict', async () => {
    const bin = (tool: string) => join(root, 'node_modules/.bin', tool);
    const attw = await exec(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii'], { cwd: root }).catch((e) => e);
    expect(attw.code ?? 0, `${attw.stdout}${attw.stderr}`).toBe(0);
    const publint = await exec(bin('publint'), ['run', tarball, '--strict'], { cwd: root }).catch((e) => e);
    expect(publint.code ?? 0, `${publint.stdout}${publint.stderr}`).toBe(0);
  });

  it('depends at run time on openapi-fetch only; what the mock needs are optional peers', () => {
    expect(Object.keys(manifest.dependencies)).toEqual(['openapi-fetch']);
    const peers = Object.keys(manifest.peerDependencies ?? {});
    expect(peers.length).toBeGreaterThan(0);
    const meta: Record<string, { optional?: boolean }> = manifest.peerDependenciesMeta ?? {};
    expect(peers.filter((name) => meta[name]?.optional !== true), 'peers that are not optional').toEqual([]);
  });

  it('type-checks a consumer that uses every vendor client and its types', async () => {
    const result = await exec(join(consumer, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: consumer }).catch((e) => e);
    expect(result.stdout ?? '', result.stderr).toBe('');
  });

  it('type-checks it without the DOM lib too, as a Node project is set up (fetch types from @types/node)', async () => {
    const result = await exec(join(consumer, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json', '--lib', 'ES2022'], { cwd: consumer }).catch((e) => e);
    expect(result.stdout ?? '', result.stderr).toBe('');
  });

  it('runs that consumer against mocks started by the installed CLI', async () => {
    // Free ports chosen by the CLI itself (vendors and gateway): nothing can collide.
    mock = spawnGroup(join(consumer, 'node_modules/.bin/martech-contracts'), ['mock', '--port-base', '0', '--gateway-port', '0', '--quiet'], { cwd: consumer });
    const { child } = mock;
    let output = '';
    child.stdout!.on('data', (c) => (output += c));
    child.stderr!.on('data', (c) => (output += c));
    const deadline = Date.now() + 60_000;
    while (!output.includes('Ctrl-C stops')) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the installed CLI did not start the mocks:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // The CLI's table: one "<vendor>  <url>" line per vendor.
    const urls = (mockUrls = Object.fromEntries([...output.matchAll(/^(\w+)\s+(http:\/\/\S+)/gm)].map((m) => [m[1]!, m[2]!])));
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const v of vendors.filter((v) => v.operationCount > 0)) {
      expect(urls[v.name], `the CLI printed no URL for ${v.name}:\n${output}`).toBeDefined();
      env[`${v.name.toUpperCase()}_URL`] = urls[v.name];
    }
    // A consumer that does not build is a failure here, not something to step over.
    await exec(join(consumer, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json', '--noEmit', 'false', '--outDir', 'out'], { cwd: consumer });
    const run = await exec(process.execPath, ['out/consumer.js'], { cwd: consumer, env });
    // What the mocks answer is the spec's own examples: the consumer must have read them.
    const rewards = documentedExample('perx', '/v4/rewards');
    const groups = documentedExample('placewise', '/members_groups');
    expect(JSON.parse(run.stdout)).toEqual({
      xonvo: documentedExample('xonvo', '/accounts/{accountId}/statistics').leadCount,
      footprints: 200,
      perx: rewards.data.length,
      placewise: groups.members_groups[0].id,
      typed: ['typed', 'issued', 'function'],
    });
  });

  it('records traffic through the installed CLI (record) into a HAR', async () => {
    const out = join(consumer, 'xonvo.har');
    const proxy = spawnGroup(join(consumer, 'node_modules/.bin/martech-contracts'), ['record', 'xonvo', '--target', mockUrls.xonvo!, '--out', out, '--port', '0'], { cwd: consumer });
    let output = '';
    proxy.child.stdout!.on('data', (c) => (output += c));
    proxy.child.stderr!.on('data', (c) => (output += c));
    const exited = new Promise<number | null>((resolve) => proxy.child.on('exit', (code) => resolve(code)));
    const waitFor = async (text: string) => {
      const deadline = Date.now() + 30_000;
      while (!output.includes(text)) {
        if (proxy.child.exitCode !== null || Date.now() > deadline) throw new Error(`the installed CLI did not print "${text}":\n${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      await waitFor('Ctrl-C stops');
      const url = /Recording xonvo: (http:\/\/\S+) → /.exec(output)![1]!;
      const answer = await fetch(`${url}/accounts/21/statistics`, { headers: { authorization: 'Basic dTpw' } });
      expect(answer.status).toBe(200);
      await waitFor('(1 recorded)');
      proxy.child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      await proxy.stop(); // only if the test failed before it stopped
    }
    const har = JSON.parse(await readFile(out, 'utf8'));
    expect(har.log.entries.map((e: { request: { url: string }; response: { status: number } }) => [e.request.url, e.response.status])).toEqual([[`${mockUrls.xonvo}/accounts/21/statistics`, 200]]);
    expect(JSON.stringify(har)).not.toContain('dTpw');
  });

  it('starts the mock from code (martech-contracts/mock): it remembers, resets and stops', async () => {
    // Built with the consumer by the test above (tsc --outDir out compiles both files).
    const run = await exec(process.execPath, ['out/embedded.js'], { cwd: consumer });
    expect(JSON.parse(run.stdout)).toEqual({ issued: 200, remembered: true, afterReset: false });
  });

  it('names a missing optional peer of the mock, and the one command that installs them all', async () => {
    // Prism loads without it (it has its own copy); the mock's validators would fail on it later,
    // with "Cannot find module" and a require stack, had startMocks not checked first.
    const gone = ['ajv-formats'];
    for (const name of gone) await rename(join(consumer, 'node_modules', name), join(consumer, 'node_modules', `${name}.away`));
    try {
      const result = await exec(process.execPath, ['--input-type=module', '-e', "import('martech-contracts/mock').then((m) => m.startMocks({ portBase: 0 })).catch((e) => { console.error(e.message); process.exit(3); })"], { cwd: consumer }).catch((e) => e);
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('the mock needs ajv-formats (optional peer dependencies of martech-contracts): run npm install --save-dev ');
    } finally {
      for (const name of gone) await rename(join(consumer, 'node_modules', `${name}.away`), join(consumer, 'node_modules', name));
    }
  });

  it("loads with require() from CommonJS, on every Node `engines` allows (20.19 loads ES modules from require), with no warning", async () => {
    // A top-level await anywhere in an entry's graph would end this (ERR_REQUIRE_ASYNC_MODULE).
    const subpaths = Object.keys(manifest.exports).filter((k) => k !== './package.json').map((k) => `martech-contracts${k.slice(1)}`);
    const script = `for (const s of ${JSON.stringify(subpaths)}) console.log(s, Object.keys(require(s)).length > 0);`;
    const result = await exec(process.execPath, ['--input-type=commonjs', '-e', script], { cwd: consumer });
    expect(result.stdout).toBe(subpaths.map((s) => `${s} true\n`).join(''));
    expect(result.stderr).toBe('');
  });

  it('answers --version with the installed version', async () => {
    const result = await exec(join(consumer, 'node_modules/.bin/martech-contracts'), ['--version'], { cwd: consumer });
    expect(result.stdout).toBe(`${manifest.version}\n`);
  });

  it('explains a missing spec in an installation', async () => {
    await rm(join(consumer, 'node_modules/martech-contracts/generated/perx/openapi.json'));
    const result = await exec(join(consumer, 'node_modules/.bin/martech-contracts'), ['mock', 'perx'], { cwd: consumer }).catch((e) => e);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('perx: its spec generated/perx/openapi.json is missing');
    expect(result.stderr).toContain('reinstall martech-contracts');
  });
});
