import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// A user's suite that starts the mock in a setup file, under vitest's vm pools (MOCK-174): every
// API request was a 500 "a mock bug" (`reading 'Template'`), as Prism's uri-template-lite export
// went to the vm's global. Run as a user runs it: a vitest of its own, in a folder of its own.
const root = fileURLToPath(new URL('../../', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'mock-vm-pool-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

writeFileSync(join(folder, 'vitest.config.mjs'), 'export default { test: { globals: true, include: ["*.check.mjs"], testTimeout: 60000, hookTimeout: 60000 } };\n');
writeFileSync(
  join(folder, 'mock.check.mjs'),
  `import { startMocks } from ${JSON.stringify(join(root, 'src/mock/index.ts'))};
let mocks;
beforeAll(async () => { mocks = await startMocks({ vendors: ['xonvo'], portBase: 0, gatewayPort: 0 }); });
afterAll(() => mocks?.stop());
test('the mock answers from a vm pool', async () => {
  const basic = 'Basic ' + Buffer.from('u:p').toString('base64');
  const answer = await fetch(mocks.urls.xonvo + '/accounts/21/statistics', { headers: { authorization: basic } });
  expect({ status: answer.status, body: answer.status === 200 ? 'statistics' : await answer.text() }).toEqual({ status: 200, body: 'statistics' });
});
`,
);

const run = (pool: string) =>
  new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = execFile(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--root', folder, '--pool', pool, '--reporter', 'dot'], { cwd: folder, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } }, (_, stdout, stderr) =>
      resolve({ code: child.exitCode, output: `${stdout}${stderr}` }),
    );
  });

describe("startMocks() inside vitest's workers", () => {
  it.each(['vmThreads', 'vmForks'])('answers its API under pool %s', async (pool) => {
    const { code, output } = await run(pool);
    expect(output).toMatch(/1 passed/);
    expect(code, output).toBe(0);
  }, 120_000);
});
