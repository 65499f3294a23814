/**
 * Every request shape the two public Perx client code bases build
 * (contract-tests/fixtures/perx/requests.json, each naming its source file), replayed through our
 * typed client against the mock: the mock must accept it (2xx) and its answer must match the
 * spec. A shape the spec allows but the mock cannot take carries `mockLimit` (the reason); it is
 * replayed too and must still be refused, so the marker goes away when the mock is fixed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { createPerxClient } from '../src/perx.js';
import { vendors } from '../src/vendors.js';
import { contractProblems, receive } from './lib/response.js';
import { loadSpec } from './lib/spec.js';
import { createRecorder, send } from './lib/target.js';
import { createValidator } from './lib/validator.js';

interface ClientRequest {
  name: string;
  source: { repo: string; path: string; symbol: string; via?: string; note?: string };
  method: string;
  /** The path template as the spec declares it. */
  path: string;
  /** app = application token, user = a user token (asUser), none = a token endpoint. */
  token: 'app' | 'user' | 'none';
  pathParams?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
  mockLimit?: string;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/perx/requests.json', import.meta.url), 'utf8')) as { requests: ClientRequest[] };
const spec = loadSpec(vendors.find((v) => v.name === 'perx')!);
const validate = createValidator(spec.doc, 'urn:martech:perx-clients');
// Shapes are checked against the contract, not a story: each names ids from its own source
// (voucher 173, a hold of its own), which the mock's example data need not hold, so they run
// against the stateless mock. The stateful behaviour has its own tests and journeys.
const baseUrl = inject('statelessMockUrls').perx;

describe('Perx request shapes of the source clients', () => {
  it('every shape names its source file and an operation of the spec', () => {
    const problems = fixture.requests.flatMap((r) => {
      const found = [];
      if (!r.source?.repo || !r.source.path) found.push(`${r.name}: source needs repo and path`);
      if (!['app', 'user', 'none'].includes(r.token)) found.push(`${r.name}: token must be app, user or none`);
      if (!spec.operations.some((op) => op.method === r.method.toLowerCase() && op.path === r.path)) {
        found.push(`${r.name}: ${r.method} ${r.path} is not an operation of the Perx spec`);
      }
      return found;
    });
    expect(problems).toEqual([]);
  });

  // Skipped, the title says why: npm test lists a skip with the reason its title carries.
  const replayed = baseUrl
    ? 'replayed through createPerxClient against the mock'
    : `replayed through createPerxClient against the mock skipped: no Perx mock runs (CONTRACT_TARGET=${process.env.CONTRACT_TARGET}); the shapes are checked against the mock only`;
  describe.skipIf(!baseUrl)(replayed, () => {
    const recorder = createRecorder();
    const app = createPerxClient({ baseUrl, clientId: 'mock-clientId', clientSecret: 'mock-clientSecret', fetch: recorder.fetch });
    const user = app.asUser('66666');

    for (const request of fixture.requests) {
      const op = spec.operations.find((o) => o.method === request.method.toLowerCase() && o.path === request.path);
      const title = `${request.name}: ${request.method} ${request.path} (${request.source.repo} ${request.source.path})`;
      it(request.mockLimit ? `${title} [mock limit: ${request.mockLimit}]` : title, async () => {
        expect(op, `${request.method} ${request.path} is in the spec`).toBeDefined();
        await send(request.token === 'user' ? user : app, request.method.toLowerCase(), request.path, {
          params: { path: request.pathParams ?? {}, query: request.query ?? {}, header: {} },
          body: request.body,
        });
        const response = recorder.take();
        const violations = response.headers.get('sl-violations') ?? '';
        const received = await receive(response);
        const said = `status ${received.status}, body ${received.text.slice(0, 300)} ${violations}`;
        if (request.mockLimit) {
          // Still refused: when this fails, the mock takes the shape now; drop the mockLimit.
          expect(received.status, said).toBeGreaterThanOrEqual(400);
          return;
        }
        expect(received.status, said).toBeGreaterThanOrEqual(200);
        expect(received.status, said).toBeLessThan(300);
        expect(contractProblems(spec, validate, op!, received)).toEqual([]);
      });
    }
  });
});
