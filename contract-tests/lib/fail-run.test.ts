import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../../scripts/lib/vendors.js';

/** vitest run on the fixture (a passing test), with the mock bugs its global setup is to have seen. */
function run(bugs: string[]) {
  const result = spawnSync(join(root, 'node_modules/.bin/vitest'), ['run', '--config', 'contract-tests/fixtures/teardown/vitest.config.ts'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, FAKE_MOCK_BUGS: bugs.join('\n') },
  });
  return { code: result.status, text: result.stdout + result.stderr };
}

describe('failRunFor: the contract suite fails when the mock broke its contract', () => {
  it('fails a vitest run whose tests all passed, naming the bugs', () => {
    const failed = run(['MOCK BUG perx GET /v4/rewards: answered 200 outside its contract']);
    expect(failed.code).toBe(1);
    expect(failed.text).toContain('the mock broke its own contract 1 time(s)');
    expect(failed.text).toContain('MOCK BUG perx GET /v4/rewards');
  });

  it('leaves a run without bugs passing', () => {
    expect(run([]).code).toBe(0);
  });
});
