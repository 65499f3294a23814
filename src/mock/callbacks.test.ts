import { afterEach, describe, expect, it } from 'vitest';
import { startMocks, type Change, type RunningMocks } from './index.js';

// startMocks' callbacks are the caller's code run inside a request (MOCK-173): a throw in one
// ended the test process, or was answered as a bug of the mock's to report.
const basic = `Basic ${Buffer.from('u:p').toString('base64')}`;
const createAccount = (base: string) =>
  fetch(`${base}/accounts`, {
    method: 'POST',
    headers: { authorization: basic, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Acme', phoneNumber: '+1324353535', email: 'a@b.co' }),
    // Unanswered, it fails here rather than at the test's timeout.
    signal: AbortSignal.timeout(5_000),
  });
const statistics = (base: string, id: number) => fetch(`${base}/accounts/${id}/statistics`, { headers: { authorization: basic } }).then((r) => r.status);

let mocks: RunningMocks | undefined;
afterEach(async () => {
  await mocks?.stop();
  mocks = undefined;
});

describe('startMocks() callbacks that fail', () => {
  it.each([
    ['throws', () => {
      throw new Error('expected 2 changes');
    }, 'expected 2 changes'],
    ['rejects', async () => Promise.reject(new Error('no database')), 'no database'],
    ['throws a value that is not an Error', () => {
      throw 42;
    }, 'a number was thrown'],
  ])('onChange that %s: the write is a 500 naming the option and its error, not a mock bug; the change stands and the mock serves on', async (_, fails, why) => {
    const lines: string[] = [];
    const made: number[] = [];
    const onChange = (change: Change) => {
      made.push((change.after as { id: number }).id);
      return fails();
    };
    mocks = await startMocks({ vendors: ['xonvo'], portBase: 0, gatewayPort: 0, onChange, log: (line) => void lines.push(line) });
    const answer = await createAccount(mocks.urls.xonvo!);
    expect(answer.status).toBe(500);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const { detail } = (await answer.json()) as { detail: string };
    expect(detail).toContain(`option "onChange" failed on xonvo: ${why}`);
    expect(detail).not.toMatch(/mock bug/);
    expect(lines.filter((line) => line.includes('MOCK BUG'))).toEqual([]);
    expect((await createAccount(mocks.urls.xonvo!)).status).toBe(500);
    expect(made).toHaveLength(2);
    expect(await Promise.all(made.map((id) => statistics(mocks!.urls.xonvo!, id)))).toEqual([200, 200]);
  });

  it.each([
    ['throws', () => {
      throw new Error('disk full');
    }],
    ['rejects', async () => Promise.reject(new Error('disk full'))],
  ])('log that %s: every request is answered, the process lives on, and the failure is told once as a process warning', async (_, log) => {
    const warnings: Error[] = [];
    const warned = (warning: Error) => void warnings.push(warning);
    process.on('warning', warned);
    try {
      mocks = await startMocks({ vendors: ['xonvo'], portBase: 0, gatewayPort: 0, log });
      expect((await createAccount(mocks.urls.xonvo!)).status).toBe(200);
      expect((await createAccount(mocks.urls.xonvo!)).status).toBe(200);
      // A warning is emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map(({ message }) => message)).toEqual(['mock: option "log" failed: disk full (the mock serves on; said once)']);
    } finally {
      process.off('warning', warned);
    }
  });
});
