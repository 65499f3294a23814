/**
 * The clients' guard and `npm run traffic` judge one exchange alike when the answer's type names a
 * charset other than UTF-8: a real client, guard on and recording, calls a real server, and the
 * checker reads the HAR it wrote.
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { loadSpec } from '../../contract-tests/lib/spec.js';
import type { ContractViolation } from '../../src/guard/violation.js';
import { createHarRecorder } from '../../src/record/har.js';
import { findVendor } from '../../src/vendors.js';
import { createXonvoClient } from '../../src/xonvo.js';
import { analyse } from './analyse.js';
import { readHar } from './har.js';

const closes: (() => void)[] = [];
afterEach(() => closes.splice(0).forEach((close) => close()));

/** XONVO's account statistics, valid as JSON writes them, sent as bytes in the charset its type names. */
const STATISTICS = JSON.stringify({ engagedCount: 0, leadCount: 1, unsubscribeCount: 0, deliveredCount: 0, ctr: 3, note: 'café' });
const ANSWERS: Record<string, { type: string; bytes: Buffer }> = {
  '1': { type: 'application/json; charset=utf-16le', bytes: Buffer.from(STATISTICS, 'utf16le') },
  '2': { type: 'application/json; charset=UTF-16BE', bytes: Buffer.from(STATISTICS, 'utf16le').swap16() },
  // UTF-8 bytes under another label, as a misconfigured server sends them: fetch reads them as UTF-8.
  '3': { type: 'application/json; charset=iso-8859-1', bytes: Buffer.from(STATISTICS.replace('1,', '"one",'), 'utf8') },
  // ISO-8859-1 bytes as labelled: the é is U+FFFD to fetch, and the field still breaks.
  '4': { type: 'application/json; charset=iso-8859-1', bytes: Buffer.from(STATISTICS.replace('"ctr":3', '"ctr":"3é"'), 'latin1') },
};

it("finds what the guard found in an answer whose type names another charset: JSON is read as UTF-8, as fetch and the clients read it", async () => {
  const server = createServer((req, res) => {
    const answer = ANSWERS[/\/accounts\/(\d+)\//.exec(req.url ?? '')?.[1] ?? '']!;
    res.writeHead(200, { 'content-type': answer.type }).end(answer.bytes);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  closes.push(() => server.close());
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const violations: ContractViolation[] = [];
  const recorder = createHarRecorder();
  const xonvo = createXonvoClient({ username: 'user1', password: 'Pa55wordXyz', baseUrl, validate: 'report', onViolation: (v) => violations.push(v), record: recorder.record });
  for (const accountId of [1, 2, 3, 4]) {
    // UTF-16 JSON is no JSON to fetch: the call fails, the guard having said why.
    await xonvo.GET('/accounts/{accountId}/statistics', { params: { path: { accountId } } }).catch(() => undefined);
  }
  const guard = violations.map((v) => `${new URL(baseUrl).host} ${v.status} ${v.pointer} ${v.message}`);
  expect(guard).toHaveLength(4);

  const file = join(mkdtempSync(join(tmpdir(), 'martech-traffic-')), 'xonvo.har');
  await recorder.write(file);
  const report = analyse(loadSpec(findVendor('xonvo')!), readHar(file), { har: file, spec: 'xonvo' }, baseUrl);
  const traffic = report.mismatches.flatMap((m) => m.entries.map(() => `${new URL(baseUrl).host} ${m.status} ${m.pointer} ${m.message}`));
  expect(traffic.sort()).toEqual(guard.sort());
});
