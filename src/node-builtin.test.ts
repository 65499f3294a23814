import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeBuiltin, optionalBuiltin } from './node-builtin.js';
import { createHarRecorder } from './record/har.js';

// A runtime without Node's built-ins (a browser, an edge runtime), as the package's code sees it.
const lookUp = process.getBuiltinModule;
const withoutBuiltins = () => ((process as { getBuiltinModule?: unknown }).getBuiltinModule = undefined);
afterEach(() => void (process.getBuiltinModule = lookUp));

describe('Node built-ins reached at run time', () => {
  it('are there in Node', () => {
    expect(typeof optionalBuiltin<typeof import('node:events')>('node:events')?.setMaxListeners).toBe('function');
    expect(typeof nodeBuiltin<typeof import('node:fs/promises')>('node:fs/promises', 'a test').open).toBe('function');
  });

  it('are absent elsewhere, and what needed one says so', () => {
    withoutBuiltins();
    expect(optionalBuiltin('node:events')).toBeUndefined();
    expect(() => nodeBuiltin('node:fs/promises', 'writing a HAR file')).toThrow("writing a HAR file needs Node's node:fs/promises, which this runtime does not have");
  });

  it("a recorder's write(file) without them is that error, and writes nothing", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'node-builtin-'));
    try {
      const recorder = createHarRecorder();
      withoutBuiltins();
      await expect(recorder.write(join(folder, 'out.har'))).rejects.toThrow("writing a HAR file needs Node's node:fs/promises");
      process.getBuiltinModule = lookUp;
      expect(existsSync(join(folder, 'out.har'))).toBe(false);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
