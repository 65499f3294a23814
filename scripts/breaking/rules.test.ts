/**
 * The fixture set: every named spec change in contract-tests/fixtures/breaking/changes.json,
 * applied to base.json, must get its expected verdict and report exactly the expected breaks and
 * warnings: each one expected, and nothing more (an extra finding, even from an expected rule, is
 * a rule reporting where it should not).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffSpecs } from './diff.js';
import { documentRules, operationRules, schemaRules } from './rules/index.js';
import type { Change, JsonObject } from './types.js';

const fixtures = new URL('../../contract-tests/fixtures/breaking/', import.meta.url);
const base = JSON.parse(readFileSync(new URL('base.json', fixtures), 'utf8')) as JsonObject;

interface Expected {
  rule: string;
  operation?: string;
  where?: string;
  message?: string;
}
interface FixtureChange {
  name: string;
  patch: Array<{ op: 'add' | 'remove' | 'replace'; path: string; value?: unknown }>;
  verdict: 'breaking' | 'non-breaking';
  breaks?: Expected[];
  warns?: Expected[];
  /** Findings only listed (info) that the change must give, among others it may: a rule that never breaks or warns is proven so. */
  lists?: Expected[];
}
const { changes } = JSON.parse(readFileSync(new URL('changes.json', fixtures), 'utf8')) as { changes: FixtureChange[] };

/** RFC 6902 add/remove/replace, enough for the fixtures; a wrong path fails loudly. */
function applyPatch(doc: JsonObject, patch: FixtureChange['patch']): JsonObject {
  const copy = structuredClone(doc) as Record<string, unknown>;
  for (const { op, path, value } of patch) {
    const keys = path.slice(1).split('/').map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop()!;
    let parent: any = copy;
    for (const key of keys) {
      parent = parent[key];
      if (parent === undefined) throw new Error(`patch path ${path}: "${key}" does not exist`);
    }
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last);
      if (op === 'add') parent.splice(index, 0, value);
      else if (op === 'remove') parent.splice(index, 1);
      else parent[index] = value;
    } else {
      if (op !== 'add' && !(last in parent)) throw new Error(`patch path ${path} does not exist`);
      if (op === 'remove') delete parent[last];
      else parent[last] = value;
    }
  }
  return copy as JsonObject;
}

const matches = (change: Change, expected: Expected) =>
  change.rule === expected.rule &&
  change.operation.includes(expected.operation ?? '') &&
  change.where.includes(expected.where ?? '') &&
  `${change.where} ${change.message}`.includes(expected.message ?? '');

const show = (list: Change[]) => list.map((c) => `${c.rule} · ${c.operation} · ${c.where} · ${c.message}`).join('\n');

/**
 * Each expected finding paired with one found, and none found left over. Checking only that the
 * expected ones appear let a rule report extra places unseen (servers-changed listing the default
 * server as "no longer listed" besides saying it moved).
 */
function exactly(what: string, found: Change[], expected: Expected[]) {
  const left = [...found];
  for (const one of expected) {
    const index = left.findIndex((c) => matches(c, one));
    expect(index, `${what}: ${JSON.stringify(one)} not among\n${show(left)}`).toBeGreaterThanOrEqual(0);
    left.splice(index, 1);
  }
  expect(show(left), `${what} the fixture does not expect`).toBe('');
}

describe('breaking-change rules: the fixture set', () => {
  it('has at least 20 named changes, both verdicts, and every rule proven', () => {
    expect(changes.length).toBeGreaterThanOrEqual(20);
    expect(new Set(changes.map((c) => c.name)).size).toBe(changes.length);
    const proven = new Set(changes.flatMap((c) => [...(c.breaks ?? []), ...(c.warns ?? []), ...(c.lists ?? [])].map((e) => e.rule)));
    // Every rule the check runs (a new one too: the list was written out by hand, and default-changed was missing from it).
    const rules = [...documentRules, ...operationRules, ...schemaRules].map((rule) => rule.id);
    expect(rules.length).toBeGreaterThanOrEqual(24);
    expect([...proven].sort()).toEqual([...new Set(rules)].sort());
  });

  for (const change of changes) {
    it(`${change.verdict}: ${change.name}`, () => {
      const found = diffSpecs('fixture', base, applyPatch(base, change.patch));
      const breaking = found.filter((c) => c.severity === 'breaking');
      const warnings = found.filter((c) => c.severity === 'warning');
      expect(breaking.length > 0 ? 'breaking' : 'non-breaking', show(found)).toBe(change.verdict);
      exactly('breaks', breaking, change.breaks ?? []);
      exactly('warnings', warnings, change.warns ?? []);
      const listed = found.filter((c) => c.severity === 'info');
      for (const one of change.lists ?? []) expect(listed.some((c) => matches(c, one)), `lists: ${JSON.stringify(one)} not among\n${show(listed)}`).toBe(true);
    });
  }
});

describe('path-parameter-renamed, on its own', () => {
  // Parameters are keyed by place in the path and, for headers, by lower-case name
  // (operations.ts), so a header whose name changes only in case keeps its key and shows up with a
  // new name. The rule must still see it is no path parameter: else it reports a path parameter
  // renamed and tells callers to fix `params.path.X-Client`. (Whether the case change breaks
  // anything is another rule's to say; this pins only that this rule stays out of it.)
  it('says nothing of a header parameter whose name changes only in case', () => {
    const after = applyPatch(base, [{ op: 'replace', path: '/paths/~1members/get/parameters/2/name', value: 'x-client' }]);
    expect(show(diffSpecs('fixture', base, after).filter((c) => c.rule === 'path-parameter-renamed'))).toBe('');
  });
});
