import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import vm from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeBuiltin, optionalBuiltin } from './node-builtin.js';

// A runtime without Node's built-ins, as the package's code sees it.
const lookUp = process.getBuiltinModule;
afterEach(() => void (process.getBuiltinModule = lookUp));

describe('Node built-ins reached at run time', () => {
  it('are there in Node', () => {
    expect(typeof optionalBuiltin<typeof import('node:events')>('node:events')?.setMaxListeners).toBe('function');
    expect(typeof nodeBuiltin<typeof import('node:fs/promises')>('node:fs/promises', 'a test').open).toBe('function');
  });

  it('are absent elsewhere, and what needed one says so', () => {
    (process as { getBuiltinModule?: unknown }).getBuiltinModule = undefined;
    expect(optionalBuiltin('node:events')).toBeUndefined();
    // Node's APIs without getBuiltinModule (Node before 20.16, an older Deno or Bun): the module is there, the way to it is not.
    expect(() => nodeBuiltin('node:fs/promises', 'writing a HAR file', 'save it yourself')).toThrow(
      "writing a HAR file needs Node's node:fs/promises, reached through process.getBuiltinModule, which this runtime lacks (Node has it from 20.16; an older Deno or Bun does not): save it yourself",
    );
  });

  it("a recorder's write(file) where process.getBuiltinModule is missing (an older Deno or Bun) names it, the method and what to write instead", async () => {
    const har = fileURLToPath(new URL('./record/har.ts', import.meta.url));
    const script = `delete process.getBuiltinModule;
const { createHarRecorder } = await import(${JSON.stringify(har)});
await createHarRecorder().write('reports/never-written.har').then(() => console.log('written'), (e) => console.log(e.message));`;
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('..', import.meta.url)) });
    expect(stderr).toBe('');
    expect(stdout).toBe(
      "writing a HAR file needs Node's node:fs/promises, reached through process.getBuiltinModule, which this runtime lacks (Node has it from 20.16; an older Deno or Bun does not): instead of recorder.write(file), write JSON.stringify(recorder.har(), null, 2) to the file with your runtime's own file API\n",
    );
  });

  it("a recorder's write(file), bundled for a browser and run where there is no Node (no process either), is that error", async () => {
    const { build } = await import('esbuild');
    const script = `import { createHarRecorder } from './record/har.ts';
globalThis.written = createHarRecorder().write('x.har').then(() => 'written', (e) => e.message);`;
    const bundle = await build({ stdin: { contents: script, loader: 'ts', resolveDir: fileURLToPath(new URL('.', import.meta.url)) }, bundle: true, platform: 'browser', format: 'iife', write: false, logLevel: 'silent' });
    // What a page has that this code touches; no process, no require, no getBuiltinModule.
    const page = vm.createContext({ TextEncoder, TextDecoder, URL, console });
    vm.runInContext(bundle.outputFiles[0]!.text, page);
    expect(await page.written).toBe(
      "writing a HAR file needs Node's node:fs/promises, which this runtime does not have: instead of recorder.write(file), write JSON.stringify(recorder.har(), null, 2) to the file with your runtime's own file API",
    );
  });
});
