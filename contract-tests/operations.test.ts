/**
 * The contract suite: every operation of every vendor, driven by the bundled specs.
 * Target: the Prism mocks (default) or the vendors' sandboxes (CONTRACT_TARGET=sandbox).
 */
import { describe, expect, inject, it } from 'vitest';
import { exampleRequest, negativeCases } from './lib/request.js';
import { loadRuntime } from './lib/runtime.js';
import { contractProblems, receive } from './lib/response.js';
import { loadSpecs, type OperationRef } from './lib/spec.js';
import { anonymousClient, createRecorder, isWrite, securitySchemes, send, targetFor, vendorClients } from './lib/target.js';
import { createValidator } from './lib/validator.js';

const mockUrls = inject('mockUrls');

// CONTRACT_VENDORS=xonvo,perx limits a run to some vendors.
const only = process.env.CONTRACT_VENDORS?.split(',').map((v) => v.trim()).filter(Boolean);

for (const spec of loadSpecs().filter((s) => s.operations.length > 0 && (!only || only.includes(s.vendor.name)))) {
  const runtime = await loadRuntime(spec.vendor.name);
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
    const recorder = createRecorder((line) => console.log(`[${spec.vendor.name}] ${line}`));
    const forOperation = vendorClients(runtime, settings, recorder.fetch);
    const clientFor = (op: OperationRef) => forOperation(spec, op);
    const outcome = new Map<string, string>();

    for (const op of spec.operations) {
      const { operationId } = op.operation;
      const request = exampleRequest(spec, op);
      const runs = !isWrite(op.method) || target.allowWrites;
      const itRuns = runs ? it : it.skip;
      if (!runs) outcome.set(operationId, 'skipped: writes need CONTRACT_ALLOW_WRITES=1');

      describe(`${operationId} (${op.method.toUpperCase()} ${op.path})`, () => {
        itRuns('answers the example request as documented', async () => {
          await send(clientFor(op), op.method, op.path, request);
          const received = await receive(recorder.take());
          outcome.set(operationId, `exercised: ${received.status}`);
          // Failure messages name every problem in full: they are what a drift report shows.
          const problems = contractProblems(spec, validate, op, received);
          const body = JSON.stringify(received.text.slice(0, 200));
          if (problems.length > 0) expect.fail(`${problems.join('; ')} (response body ${body})`);
          if (received.status >= 300) expect.fail(`status ${received.status} is not a success (response body ${body})`);
        });

        if (securitySchemes(spec, op).length > 0) {
          itRuns('refuses a call without credentials with 401', async () => {
            const anonymous = anonymousClient(settings.baseUrl, recorder.fetch);
            await send(anonymous, op.method, op.path, request);
            const received = await receive(recorder.take());
            expect(received.status).toBe(401);
            expect(contractProblems(spec, validate, op, received)).toEqual([]);
          });
        }

        for (const negative of negativeCases(spec, op, request)) {
          const rule = negative.kind === 'missing-required' ? `without required "${negative.field}"` : `with "${negative.field}" over its maxLength/maximum`;
          itRuns(`rejects the request ${rule}, naming the field`, async () => {
            await send(clientFor(op), op.method, op.path, negative.request);
            const response = recorder.take();
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
