/**
 * The contract suite: every operation of every vendor, driven by the bundled specs.
 * Target: the mocks (default) or the vendors' sandboxes (CONTRACT_TARGET=sandbox).
 * The checks themselves live in lib/checks.ts; the set of tests generated here must equal
 * generated/<vendor>/manifest.json, which the build derives from the spec on its own.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { manifestPath } from '../scripts/build/manifest.js';
import { root } from '../scripts/lib/vendors.js';
import { classesOf, createVendorChecks, type PlannedTest } from './lib/checks.js';
import { loadRuntime } from './lib/runtime.js';
import { loadSpecs } from './lib/spec.js';
import { contractTarget, isWrite, notChecked, nothingToCheck, targetFor } from './lib/target.js';

const mockUrls = inject('mockUrls');

const skippedVendor = (title: string) =>
  describe.skip(title, () => {
    it('runs the contract', () => {});
  });

const skips: [string, string | undefined][] = [];
for (const spec of loadSpecs()) {
  const name = spec.vendor.name;
  if (spec.operations.length === 0) {
    skippedVendor(`${name} skipped: no documented operations`);
    continue;
  }
  const runtime = await loadRuntime(name);
  const target = targetFor(runtime, mockUrls);
  skips.push([name, target.skip]);
  const title = `${name} (${target.kind})`;
  if (target.skip) {
    skippedVendor(`${title} skipped: ${target.skip}`);
    continue;
  }
  const { refused } = target;
  if (refused) {
    // Thrown as the tests were collected, it failed the whole file: every vendor's result.
    describe(title, () => {
      it('is configured as its client accepts', () => expect.fail(refused));
    });
    continue;
  }

  describe(title, () => {
    const checks = createVendorChecks(spec, runtime, target.settings!, {
      log: (line) => console.log(`[${name}] ${line}`),
      isolate: target.kind === 'mock',
    });
    const planned: PlannedTest[] = [];
    for (const op of spec.operations) {
      const tests = checks.plan(op);
      planned.push(...tests);
      const why = notChecked(target, spec, op) ?? (isWrite(op.method) && !target.allowWrites ? 'writes need CONTRACT_ALLOW_WRITES=1' : undefined);
      const runs = why === undefined;
      const skip = runs ? '' : ` skipped: ${why}`;
      describe(`${op.operation.operationId} (${op.method.toUpperCase()} ${op.path})${skip}`, () => {
        for (const test of tests) (runs ? it : it.skip)(test.title, () => test.run());
      });
    }

    it('generates exactly the tests its manifest lists (none vanished)', () => {
      const manifest = JSON.parse(readFileSync(join(root, manifestPath(spec.vendor.bundle)), 'utf8'));
      expect(classesOf(planned)).toEqual(manifest.tests);
    });
  });
}

const nothing = contractTarget(process.env) === 'sandbox' ? nothingToCheck(skips) : undefined;
if (nothing) it('has a sandbox vendor to check', () => expect.fail(nothing));
