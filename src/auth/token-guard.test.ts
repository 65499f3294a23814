/**
 * The guard on token answers: a token endpoint that drifts (Perx sending `expires_in` as text) is
 * reported as any call's answer is, and as `npm run traffic` reports the same exchange. Real HTTP.
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { loadSpec } from '../../contract-tests/lib/spec.js';
import { analyse } from '../../scripts/traffic/analyse.js';
import { readHar } from '../../scripts/traffic/har.js';
import { ContractViolationError, TokenError } from '../errors.js';
import { createFootprintsClient } from '../footprints.js';
import type { ContractViolation } from '../guard/violation.js';
import { createPerxClient } from '../perx.js';
import { createHarRecorder } from '../record/har.js';
import { findVendor } from '../vendors.js';

const TOKEN = 'tok-Zq81Kx77Lm0Pp2QqRt5';
const closes: (() => void)[] = [];
afterEach(() => closes.splice(0).forEach((close) => close()));

/** A vendor whose token endpoint answers `token` (status 200), and whose other calls answer `{"data":[]}`. */
async function vendor(tokenPath: string, token: { type: string; body: string }) {
  const server = createServer((req, res) => {
    if (req.url?.startsWith(tokenPath)) return void res.writeHead(200, { 'content-type': token.type }).end(token.body);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: [], meta: { count: 0, size: 10, total_pages: 0, page: 1 } }));
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  closes.push(() => server.close());
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const drifted = { type: 'application/json', body: JSON.stringify({ access_token: TOKEN, token_type: 'bearer', expires_in: '300', scope: 'user_account' }) };

it('reports a token answer that breaks its contract, as npm run traffic does on the recording, and the call goes on', async () => {
  const baseUrl = await vendor('/v4/oauth/token', drifted);
  const violations: ContractViolation[] = [];
  const recorder = createHarRecorder();
  const perx = createPerxClient({ clientId: 'cid-123', clientSecret: 'sec-ABCDEFGH12345', baseUrl, validate: 'report', onViolation: (v) => violations.push(v), record: recorder.record });
  const { response } = await perx.asUser('66666').GET('/v4/rewards');
  expect(response.status).toBe(200);
  expect(violations.map(({ vendor, operationId, method, path, status, pointer, rule }) => ({ vendor, operationId, method, path, status, pointer, rule }))).toEqual([
    { vendor: 'perx', operationId: 'createToken', method: 'POST', path: '/v4/oauth/token', status: 200, pointer: '', rule: 'oneOf' },
  ]);

  const file = join(mkdtempSync(join(tmpdir(), 'martech-token-guard-')), 'perx.har');
  await recorder.write(file);
  const report = analyse(loadSpec(findVendor('perx')!), readHar(file), { har: file, spec: 'perx' }, baseUrl);
  expect(report.mismatches.map((m) => `${m.operationId} ${m.status} ${m.pointer} ${m.message}`)).toEqual(violations.map((v) => `${v.operationId} ${v.status} ${v.pointer} ${v.message}`));
});

it("fails the call in 'throw' mode with the token answer's ContractViolationError, its token masked", async () => {
  const baseUrl = await vendor('/api/token', drifted);
  const footprints = createFootprintsClient({ key: 'key-1234567', secret: 'secret-ABCDEFGH', baseUrl, validate: 'throw' });
  const failed = await footprints.GET('/api/lead/action-types').catch((error: unknown) => error);
  expect(failed).toBeInstanceOf(ContractViolationError);
  expect((failed as ContractViolationError).violations[0]).toMatchObject({ vendor: 'footprints', operationId: 'createToken', status: 200 });
  expect(JSON.stringify((failed as ContractViolationError).body)).not.toContain(TOKEN);
});

it('shows no token in a violation of a token answer that is not JSON, and the call still fails as a TokenError', async () => {
  const baseUrl = await vendor('/v4/oauth/token', { type: 'application/json', body: `${TOKEN}` });
  const violations: ContractViolation[] = [];
  const perx = createPerxClient({ clientId: 'cid-123', clientSecret: 'sec-ABCDEFGH12345', baseUrl, validate: 'report', onViolation: (v) => violations.push(v) });
  await expect(perx.asUser('66666').GET('/v4/rewards')).rejects.toBeInstanceOf(TokenError);
  expect(violations.map((v) => v.rule)).toEqual(['json']);
  expect(JSON.stringify(violations)).not.toContain(TOKEN);
});
