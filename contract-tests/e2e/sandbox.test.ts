/**
 * `npm run test:sandbox` end to end: against Prism mocks standing in for the sandboxes it
 * passes; without configuration it skips every vendor and says why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMocks, type RunningMocks } from '../../src/mock/index.js';
import { vendors } from '../../src/vendors.js';
import { runSandbox } from './sandbox-run.js';

const served = vendors.filter((v) => v.operationCount > 0).map((v) => v.name);
let mocks: RunningMocks;
let urls: Record<string, string>;
beforeAll(async () => {
  mocks = await startMocks({ portBase: 0 });
  urls = mocks.urls;
});
afterAll(() => mocks?.stop());

describe('npm run test:sandbox', () => {
  it('passes for every vendor against stand-in sandboxes, writes included', async () => {
    const run = await runSandbox(urls, { CONTRACT_ALLOW_WRITES: '1' });
    expect(run.code, run.output).toBe(0);
    for (const vendor of served) {
      const { contract, dredd, workflows } = run.report[vendor];
      expect(contract, vendor).toMatchObject({ failed: 0, skipped: 0 });
      expect(contract.passed, vendor).toBeGreaterThan(0);
      expect(dredd, vendor).toMatchObject({ failing: 0 });
      expect(dredd.passing, vendor).toBeGreaterThan(0);
      expect(workflows?.failed ?? 0, vendor).toBe(0);
      expect(workflows?.passed ?? 0, vendor).toBeGreaterThan(0);
    }
    expect(run.report.imprzd.skipped).toBe('no documented operations');
  });

  it('runs only reads unless writes are allowed', async () => {
    const run = await runSandbox(urls);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('Writes: skipped; set CONTRACT_ALLOW_WRITES=1 to run them');
    for (const vendor of served) {
      expect(run.report[vendor].contract.failed, vendor).toBe(0);
      expect(run.report[vendor].contract.skipped, vendor).toBeGreaterThan(0);
    }
  });

  it('skips every vendor with a one-line reason when nothing is configured', async () => {
    const run = await runSandbox({});
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('xonvo       skipped: set XONVO_BASE_URL, XONVO_USERNAME, XONVO_PASSWORD');
    expect(run.output).toContain('placewise   skipped: set PLACEWISE_BASE_URL, PLACEWISE_TOKEN');
    for (const vendor of served) expect(run.report[vendor].contract?.passed ?? 0, vendor).toBe(0);
  });
});
