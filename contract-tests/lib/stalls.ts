/**
 * A vendor that has stopped answering. Each exchange with a sandbox is bounded (ANSWER_TIMEOUT_MS),
 * but a vendor that hung cost that bound for every call left: about 50 Placewise checks took 17
 * minutes to fail one by one. After STALL_LIMIT exchanges in a row ended by the bound, the vendor's
 * further calls are not sent, and fail at once saying why; one answered call starts the count again.
 * The contract suite's recorder and the pass-through in front of dredd each keep one per vendor, and
 * the parts of one sandbox run hand on what they found: each part found it again, 3 bounds apiece.
 */
import { appendFileSync, readFileSync } from 'node:fs';

/** Enough that one slow call, or two, is not a vendor that is down. */
export const STALL_LIMIT = 3;

/** The file through which the parts of one sandbox run (scripts/sandbox.ts) hand on a vendor that stopped answering. */
export const STALLED_FILE_VARIABLE = 'CONTRACT_STALLED_FILE';

export interface StallBreaker {
  /** Why the vendor's calls are no longer sent; undefined while they are. */
  stopped(): string | undefined;
  /** An exchange the bound ended; returns the one line to print when this one stops the vendor's calls. */
  timedOut(call: string): string | undefined;
  /** An exchange that was answered whole. */
  answered(): void;
}

export interface StallOptions {
  /** The bound each call had. */
  timeoutMs: number;
  /** What to do about it, said with the reason. */
  hint: string;
  /** Named, the vendor is looked up in, and handed on through, the run's file. */
  vendor?: string;
  env?: Record<string, string | undefined>;
  limit?: number;
}

/** What an earlier part of this sandbox run found of the vendor (`left 3 calls in a row…`), if it stopped answering then. */
export function stalledEarlier(vendor: string, env: Record<string, string | undefined> = process.env): string | undefined {
  const file = env[STALLED_FILE_VARIABLE];
  if (!file) return undefined;
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined; // none has: the file is written at the first
  }
  return text.split('\n').find((line) => line.startsWith(`${vendor}\t`))?.slice(vendor.length + 1);
}

export function createStallBreaker(options: StallOptions): StallBreaker {
  const { timeoutMs, hint, vendor, env = process.env, limit = STALL_LIMIT } = options;
  let inARow = 0;
  const earlier = vendor === undefined ? undefined : stalledEarlier(vendor, env);
  let stopped = earlier && `not sent: earlier in this run, the vendor ${earlier}, so its calls fail at once; ${hint}`;
  return {
    stopped: () => stopped,
    timedOut(call) {
      if (stopped || ++inARow < limit) return undefined;
      const found = `left ${limit} calls in a row without an answer within ${timeoutMs / 1000} s (the last: ${call})`;
      stopped = `not sent: the vendor ${found}, so its remaining calls fail at once; ${hint}`;
      const file = env[STALLED_FILE_VARIABLE];
      if (vendor !== undefined && file) appendFileSync(file, `${vendor}\t${found}\n`);
      return `${limit} calls in a row got no answer within ${timeoutMs / 1000} s (the last: ${call}): the vendor's remaining calls are not sent and fail at once; ${hint}`;
    },
    answered() {
      inARow = 0;
    },
  };
}
