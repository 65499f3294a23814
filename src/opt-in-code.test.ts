import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleEntries, staticClosure } from '../scripts/bench/entry-bundle.js';

/**
 * The guard and the recording are opt-in (`validate` and `record`, off by default): the guard's
 * judging is loaded with the validators on a client's first guarded call (CLIENT-230), the recording
 * fetch on a recording client's first exchange (CLIENT-231), and no entry point ships either. Each vendor entry is bundled
 * as the bench bundles it (esbuild, code splitting): what a bundler ships for it is the entry's chunk
 * and the chunks it imports statically. Bundler-independent too: no module of the judging is in an
 * entry's static import graph, nor the recording fetch, for a bundler that splits by module (Rollup) rather than by statement.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const vendors = (JSON.parse(readFileSync(new URL('../generated/vendors.json', import.meta.url), 'utf8')) as { name: string }[]).map((v) => v.name);

/** Sentences only the judging says (violation.ts, answer-judgement.ts) and one only the rules in words say (schema-problem.ts). */
const JUDGING = ['documents no body, but one was sent', 'more like it at other indices', 'counting stopped at'];
const RULES_IN_WORDS = 'is not a documented field, and this object takes no others';
/** Sentences only the recording fetch says (recording-fetch.ts). */
const RECORDING = ["is over the recording's limit of", 'the client let this answer go before its body was in', "the request body's stream failed part-way"];
/** The opt-in modules; schema-problem.ts ships with Placewise's webhook verifier, which says its rules with it. */
const OPT_IN_MODULES = ['src/guard/violation.ts', 'src/guard/answer-judgement.ts', 'src/record/recording-fetch.ts'];

let shipped: Record<string, string>;
let staticModules: Record<string, Set<string>>;

beforeAll(async () => {
  const result = await bundleEntries(root, 'bundle', false);
  const { outputs, inputs } = result.metafile;
  const text = (file: string) => result.outputFiles!.find((o) => o.path === `${root}${file}`)!.text;
  shipped = {};
  staticModules = {};
  for (const vendor of vendors) {
    const entry = Object.keys(outputs).find((file) => outputs[file]!.entryPoint === `src/${vendor}.ts`)!;
    shipped[vendor] = [...staticClosure(outputs, entry)].map(text).join('\n');
    staticModules[vendor] = staticClosure(inputs, `src/${vendor}.ts`);
  }
}, 60_000);

describe.each(vendors)('martech-contracts/%s, guard and recording off', (vendor) => {
  it("ships none of the guard's judging", () => {
    expect(shipped[vendor]).toContain('[redacted]'); // the bundle read is the entry's: its error masking is there
    for (const sentence of JUDGING) expect(shipped[vendor], sentence).not.toContain(sentence);
    if (vendor !== 'placewise') expect(shipped[vendor]).not.toContain(RULES_IN_WORDS);
  });

  it('ships none of the recording fetch', () => {
    expect(shipped[vendor]).toContain('createHarRecorder'); // the recorder itself is public, and ships
    for (const sentence of RECORDING) expect(shipped[vendor], sentence).not.toContain(sentence);
  });

  it('imports no module of the judging or the recording fetch statically', () => {
    expect(staticModules[vendor]).toContain('src/client.ts');
    expect([...staticModules[vendor]!].filter((file) => OPT_IN_MODULES.includes(file))).toEqual([]);
  });
});
