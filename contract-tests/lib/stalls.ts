/**
 * A vendor that has stopped answering. Each exchange with a sandbox is bounded (ANSWER_TIMEOUT_MS),
 * but a vendor that hung cost that bound for every call left: about 50 Placewise checks took 17
 * minutes to fail one by one. After STALL_LIMIT exchanges in a row ended by the bound, the vendor's
 * further calls are not sent, and fail at once saying why; one answered call starts the count again.
 * The contract suite's recorder and the pass-through in front of dredd each keep one per vendor.
 */

/** Enough that one slow call, or two, is not a vendor that is down. */
export const STALL_LIMIT = 3;

export interface StallBreaker {
  /** Why the vendor's calls are no longer sent; undefined while they are. */
  stopped(): string | undefined;
  /** An exchange the bound ended; returns the one line to print when this one stops the vendor's calls. */
  timedOut(call: string): string | undefined;
  /** An exchange that was answered whole. */
  answered(): void;
}

/** `timeoutMs`: the bound each call had; `hint`: what to do about it, said with the reason. */
export function createStallBreaker(timeoutMs: number, hint: string, limit = STALL_LIMIT): StallBreaker {
  let inARow = 0;
  let stopped: string | undefined;
  const within = `within ${timeoutMs / 1000} s`;
  return {
    stopped: () => stopped,
    timedOut(call) {
      if (stopped || ++inARow < limit) return undefined;
      stopped = `not sent: the vendor left ${limit} calls in a row without an answer ${within} (the last: ${call}), so its remaining calls fail at once; ${hint}`;
      return `${limit} calls in a row got no answer ${within} (the last: ${call}): the vendor's remaining calls are not sent and fail at once; ${hint}`;
    },
    answered() {
      inARow = 0;
    },
  };
}
