import type { Violation } from './contract.js';
import type { MockResponse } from './exchange.js';
import { createMemo } from './memo.js';
import type { Operation } from './prism.js';

/** A body longer than this is judged every time: the kept keys stay bounded. */
const MAX_KEPT = 65_536;
/** A body kept as the last one judged is at most this long, so those copies stay within a few MB. */
const MAX_LAST = 16_384;

/**
 * The contract check, with each answer's verdict kept: the same answer always gets the same
 * verdict, so a repeated list is checked once, not per request. Its headers are part of it, as
 * the verdict judges the documented ones (CLIENT-84).
 *
 * The last body judged for each operation, status and headers is kept besides, with its verdict:
 * the same answer again (a first read in each new session) is found by comparing it with that
 * body, where looking its key up hashed the whole body (~1.7 µs for a 1 kB Footprints list).
 */
export function createVerdicts(judge: (operation: Operation, response: MockResponse) => Violation | undefined) {
  const verdicts = createMemo<Violation | undefined>();
  const lastJudged = createMemo<{ body: string; verdict: Violation | undefined }>();
  return function check(operation: Operation, response: MockResponse): Violation | undefined {
    const body = typeof response.body === 'string' && response.body.length <= MAX_KEPT ? response.body : undefined;
    if (body === undefined) return judge(operation, response);
    const head = `${operation.id} ${response.status} ${JSON.stringify(response.headers)}`;
    const last = lastJudged.get(head);
    if (last && last.body === body) return last.verdict;
    const verdict = verdicts.remembered(`${head}\n${body}`, () => judge(operation, response));
    if (body.length <= MAX_LAST) lastJudged.set(head, { body, verdict });
    return verdict;
  };
}
