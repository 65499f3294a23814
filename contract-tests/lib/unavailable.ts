/**
 * Answers that say the vendor cannot answer a call for now, not how it answers it: a rate limit
 * (429), or the vendor or the gateway in front of it down (502, 503, 504: a sandbox down for
 * maintenance answers every call so). Such a call says nothing of the contract: every part of the
 * sandbox run fails it as "not checked", never as drift, and it is no pass either (a run whose every
 * call was refused showed nothing). A 500 is the vendor's own answer, and is judged as one.
 */
const FOR_NOW: Record<number, string> = { 429: 'rate limited', 502: 'bad gateway', 503: 'unavailable', 504: 'gateway timeout' };

/** The statuses, for a part that cannot import this module (dredd's hooks are CommonJS). */
export const UNAVAILABLE_STATUSES = Object.keys(FOR_NOW).map(Number);

/** Why a call answered with `status` is not checked, or undefined when the answer is to be judged. */
export function notCheckedFor(status: number, retryAfter?: string | null): string | undefined {
  const meaning = FOR_NOW[status];
  if (meaning === undefined) return undefined;
  return `not checked: the call was answered ${status} (${meaning}${retryAfter ? `, Retry-After: ${retryAfter}` : ''}), which says the vendor cannot answer it for now, not how it answers: not drift; run it again later`;
}
