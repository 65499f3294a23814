/**
 * The npm package as a consuming team meets it: `npm pack`, install the tarball into a fresh
 * project, type-check a consumer that uses every vendor, start the mocks with the installed
 * CLI, and run the consumer against them.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/mock/ports.js';
import { vendors } from '../../src/vendors.js';

const exec = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const manifest = (await import('../../package.json', { with: { type: 'json' } })).default;
let consumer: string;
let tarball: string;
let files: string[];
let mock: ChildProcess | undefined;

const npm = (args: string[], cwd: string) => exec('npm', args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_loglevel: 'error' } });

beforeAll(async () => {
  consumer = await mkdtemp(join(tmpdir(), 'martech-consumer-'));
  const packed = await npm(['pack', '--json', '--pack-destination', consumer], root);
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[')));
  tarball = join(consumer, info.filename);
  files = info.files.map((f: { path: string }) => f.path);
  await writeFile(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await writeFile(
    join(consumer, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: false, types: ['node'], lib: ['ES2022', 'DOM'] }, files: ['consumer.ts'] }),
  );
  await copyFile(join(root, 'contract-tests/e2e/consumer/consumer.ts'), join(consumer, 'consumer.ts'));
  const versions = manifest.devDependencies;
  await npm(
    ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, `@stoplight/prism-cli@${versions['@stoplight/prism-cli']}`, `typescript@${versions.typescript}`, `@types/node@${versions['@types/node']}`],
    consumer,
  );
}, 300_000);

afterAll(async () => {
  if (mock && mock.exitCode === null) {
    const exited = new Promise((resolve) => mock!.once('exit', resolve));
    mock.kill('SIGINT');
    await exited; // the CLI stops its Prism processes before it exits
  }
  await rm(consumer, { recursive: true, force: true });
});

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

  it('depends at run time on openapi-fetch only; Prism is an optional peer for the mock', () => {
    expect(Object.keys(manifest.dependencies)).toEqual(['openapi-fetch']);
    expect(manifest.peerDependenciesMeta['@stoplight/prism-cli']).toEqual({ optional: true });
  });

  it('type-checks a consumer that uses every vendor client and its types', async () => {
    const result = await exec(join(consumer, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: consumer }).catch((e) => e);
    expect(result.stdout ?? '', result.stderr).toBe('');
  });

  it('runs that consumer against mocks started by the installed CLI', async () => {
    const base = await freePort();
    mock = spawn(join(consumer, 'node_modules/.bin/martech-contracts'), ['mock', '--port-base', String(base), '--quiet'], { cwd: consumer });
    let output = '';
    mock.stdout!.on('data', (c) => (output += c));
    mock.stderr!.on('data', (c) => (output += c));
    const deadline = Date.now() + 60_000;
    while (!output.includes('Ctrl-C stops all mocks')) {
      if (mock.exitCode !== null || Date.now() > deadline) throw new Error(`the installed CLI did not start the mocks:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const env: NodeJS.ProcessEnv = { ...process.env };
    vendors.forEach((v, i) => (env[`${v.name.toUpperCase()}_URL`] = `http://127.0.0.1:${base + i}`));
    await exec(join(consumer, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json', '--noEmit', 'false', '--outDir', 'out'], { cwd: consumer }).catch(() => undefined);
    const run = await exec(process.execPath, ['out/consumer.js'], { cwd: consumer, env });
    expect(JSON.parse(run.stdout)).toEqual({ xonvo: 1, footprints: 200, perx: expect.any(Number), placewise: expect.any(Number), typed: ['typed', 'issued', 'function'] });
  });

  it('explains a missing spec in an installation', async () => {
    await rm(join(consumer, 'node_modules/martech-contracts/generated/perx/openapi.json'));
    const result = await exec(join(consumer, 'node_modules/.bin/martech-contracts'), ['mock', 'perx'], { cwd: consumer }).catch((e) => e);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('perx: its spec generated/perx/openapi.json is missing');
    expect(result.stderr).toContain('reinstall martech-contracts');
  });
});
