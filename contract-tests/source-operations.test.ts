/**
 * The operations a vendor's own material documents, recorded from it in
 * contract-tests/fixtures/<vendor>/source-operations.json (method, path and the section cited):
 * the spec describes each one at that method and path, cites that section in `x-source`, and
 * describes no operation the material does not show (docs/spec-style.md: never invent one).
 * Operations the material names but the spec leaves out by a decision are listed under `omitted`
 * (method, when the source gives one, path and the decision): the spec must not describe them
 * either, until the decision changes. Tests never read the sources themselves.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { vendors } from '../src/vendors.js';
import { loadSpec } from './lib/spec.js';

interface SourceOperation {
  /** How `x-source` begins: the source id, its section and, for a page, the section's lines. */
  source: string;
  method: string;
  path: string;
}

interface OmittedOperation {
  method?: string;
  path: string;
  decision: string;
}

const fixtures = new URL('./fixtures/', import.meta.url);

const recorded = readdirSync(fixtures).flatMap((vendor) => {
  let text: string;
  try {
    text = readFileSync(new URL(`${vendor}/source-operations.json`, fixtures), 'utf8');
  } catch {
    return []; // a vendor whose operations are not recorded from a single source
  }
  const fixture = JSON.parse(text) as { operations: SourceOperation[]; omitted?: OmittedOperation[] };
  return [{ vendor, operations: fixture.operations, omitted: fixture.omitted ?? [] }];
});

describe('operations the vendor documents', () => {
  it('are recorded for every vendor whose sources show operations', () => {
    expect(recorded.map((r) => r.vendor).sort()).toEqual(['footprints', 'perx', 'placewise', 'xonvo']);
  });

  for (const { vendor, operations: documented, omitted } of recorded) {
    it(`${vendor}: each is in the spec at its method and path, citing its section, and no other is`, () => {
      const spec = loadSpec(vendors.find((v) => v.name === vendor)!);
      const described = spec.operations.map(({ method, path, operation }) => ({
        method: method.toUpperCase(),
        path,
        source: String((operation as { 'x-source'?: unknown })['x-source'] ?? ''),
      }));
      const key = (o: { method: string; path: string }) => `${o.method} ${o.path}`;
      expect(described.map(key).sort()).toEqual(documented.map(key).sort());
      const miscited = documented.flatMap((d) => {
        const found = described.find((o) => key(o) === key(d));
        return found && !found.source.startsWith(d.source) ? [`${key(d)}: x-source "${found.source}", the source's section is "${d.source}"`] : [];
      });
      expect(miscited).toEqual([]);
      const keptOut = omitted.flatMap((o) => described.filter((d) => d.path === o.path && (!o.method || d.method === o.method)).map((d) => `${key(d)}: left out by ${o.decision}`));
      expect(keptOut).toEqual([]);
    });
  }
});
