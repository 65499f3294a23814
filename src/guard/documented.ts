/**
 * How an answer is matched to what its operation documents: the response key its status falls
 * under and its media type. Apart from the judging (violation.ts) because a client whose guard is
 * off needs these too (an empty body where JSON is documented, a recording's text bodies), and the
 * judging is loaded only with the validators (CLIENT-230).
 */

/** The keys of an operation's `responses` that may document a status, in precedence order. */
export function statusKeys(status: number): string[] {
  return [String(status), `${String(status)[0]}XX`, 'default'];
}

export const isJson = (mediaType: string) => mediaType === 'application/json' || mediaType.endsWith('+json');

export function mediaMatches(documented: string, actual: string) {
  if (documented === actual || documented === '*/*') return true;
  return documented.endsWith('/*') && actual.startsWith(documented.slice(0, -1));
}

/** `application/json; charset=utf-8` → `application/json`. */
export const mediaTypeOf = (header: string | null) => (header ?? '').split(';')[0]!.trim().toLowerCase();
