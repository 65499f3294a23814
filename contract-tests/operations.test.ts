/**
 * The contract suite: every operation of every vendor, driven by the bundled specs.
 * Target: the Prism mocks (default) or the vendors' sandboxes (CONTRACT_TARGET=sandbox).
 */
import { describe, expect, inject, it } from 'vitest';
import type { VendorRuntime } from '../src/vendor-runtime.js';
import { exampleRequest, negativeCases } from './lib/request.js';
import { contractProblems, receive } from './lib/response.js';
import { loadSpecs, type OperationRef } from './lib/spec.js';
import { anonymousClient, createRecorder, isWrite, send, targetFor } from './lib/target.js';
import { createValidator } from './lib/validator.js';

const mockUrls = inject('mockUrls');

function securitySchemes(spec: ReturnType<typeof loadSpecs>[number], op: OperationRef): string[] {
  const requirements = (op.operation.security ?? spec.doc.security ?? []) as Record<string, string[]>[];
  return requirements.flatMap((r) => Object.keys(r));
}

async function runtimeOf(vendor: string): Promise<VendorRuntime> {
  try {
    return ((await import(`../src/${vendor}.ts`)) as { vendor: VendorRuntime }).vendor;
  } catch (error) {
    throw new Error(`${vendor}: cannot load src/${vendor}.ts (every vendor in redocly.yaml needs a client module): ${error}`);
  }
}

// CONTRACT_VENDORS=xonvo,perx limits a run to some vendors.
const only = process.env.CONTRACT_VENDORS?.split(',').map((v) => v.trim()).filter(Boolean);

for (const spec of loadSpecs().filter((s) => s.operations.length > 0 && (!only || only.includes(s.vendor.name)))) {
  const runtime = await runtimeOf(spec.vendor.name);
  const target = targetFor(runtime, mockUrls);
  const title = `${spec.vendor.name} (${target.kind})`;

  if (target.skip) {
    describe.skip(`${title} skipped: ${target.skip}`, () => {
      it('runs the contract', () => {});
    });
    continue;
  }

  describe(title, () => {
    const settings = target.settings!;
    const validate = createValidator(spec.doc, `urn:martech:${spec.vendor.name}`);
    const recorder = createRecorder();
    const defaultClient = runtime.create(settings, recorder.fetch);
    const outcome = new Map<string, string>();

    const schemeClients = new Map<string, ReturnType<VendorRuntime['create']>>();
    function clientFor(op: OperationRef) {
      const scheme = securitySchemes(spec, op).find((name) => runtime.forScheme?.[name]);
      if (!scheme) return defaultClient;
      if (!schemeClients.has(scheme)) schemeClients.set(scheme, runtime.forScheme![scheme]!(settings, recorder.fetch));
      return schemeClients.get(scheme)!;
    }

    for (const op of spec.operations) {
      const { operationId } = op.operation;
      const request = exampleRequest(spec, op);
      const runs = !isWrite(op.method) || target.allowWrites;
      const itRuns = runs ? it : it.skip;
      if (!runs) outcome.set(operationId, 'skipped: writes need CONTRACT_ALLOW_WRITES=1');

      describe(`${operationId} (${op.method.toUpperCase()} ${op.path})`, () => {
        itRuns('answers the example request as documented', async () => {
          const received = await receive(await send(clientFor(op), recorder, op.method, op.path, request));
          outcome.set(operationId, `exercised: ${received.status}`);
          expect(received.status, received.text).toBeGreaterThanOrEqual(200);
          expect(received.status, received.text).toBeLessThan(300);
          expect(contractProblems(spec, validate, op, received)).toEqual([]);
        });

        if (securitySchemes(spec, op).length > 0) {
          itRuns('refuses a call without credentials with 401', async () => {
            const anonymous = anonymousClient(settings.baseUrl, recorder.fetch);
            const received = await receive(await send(anonymous, recorder, op.method, op.path, request));
            expect(received.status).toBe(401);
            expect(contractProblems(spec, validate, op, received)).toEqual([]);
          });
        }

        for (const negative of negativeCases(spec, op, request)) {
          const rule = negative.kind === 'missing-required' ? `without required "${negative.field}"` : `with "${negative.field}" over its maxLength/maximum`;
          itRuns(`rejects the request ${rule}, naming the field`, async () => {
            const response = await send(clientFor(op), recorder, op.method, op.path, negative.request);
            const violations = response.headers.get('sl-violations') ?? '';
            const received = await receive(response);
            expect(received.status).toBeGreaterThanOrEqual(400);
            expect(received.status).toBeLessThan(500);
            // Prism lower-cases query parameter names in its violations.
            expect(`${violations}\n${received.text}`.toLowerCase()).toContain(negative.field.toLowerCase());
            expect(contractProblems(spec, validate, op, received)).toEqual([]);
          });
        }
      });
    }

    // Declared last, so it runs after every operation's tests (tests in a file run in order).
    it('exercised or deliberately skipped every operation', () => {
      const missed = spec.operations.map((op) => op.operation.operationId).filter((id) => !outcome.has(id));
      expect(missed, 'operations never exercised').toEqual([]);
    });
  });
}
