import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadRuntime } from '../contract-tests/lib/runtime.js';
import { envPrefix } from '../contract-tests/lib/target.js';
import { vendors } from '../src/vendors.js';

const read = (file: string) => readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
const variables = async () => {
  const names = ['CONTRACT_TARGET', 'CONTRACT_ALLOW_WRITES'];
  for (const vendor of vendors) {
    names.push(`${envPrefix(vendor.name)}_BASE_URL`, ...Object.values((await loadRuntime(vendor.name)).env));
  }
  return names;
};

describe('sandbox configuration', () => {
  it('.env.example lists every variable a sandbox run reads, with no value filled in', async () => {
    const example = read('.env.example');
    for (const name of await variables()) expect(example, name).toMatch(new RegExp(`^${name}=`, 'm'));
    const filled = example.split('\n').filter((l) => /^[A-Z_]+=.+/.test(l) && !l.startsWith('CONTRACT_TARGET='));
    expect(filled).toEqual([]);
  });

  it('the nightly workflow is valid and passes every variable from secrets', async () => {
    const workflow = parse(read('.github/workflows/sandbox-nightly.yml'));
    expect(workflow.on.schedule[0].cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
    const job = workflow.jobs.sandbox;
    expect(job.steps.map((s: { run?: string }) => s.run).filter(Boolean)).toEqual(['npm ci', 'npm run test:sandbox']);
    for (const name of await variables()) {
      if (name.startsWith('CONTRACT_')) continue;
      expect(job.env[name], name).toBe(`\${{ secrets.${name} }}`);
    }
  });
});
