/**
 * Why fetch got no answer, which undici's "fetch failed" does not say: its cause's message
 * (`connect ECONNREFUSED 127.0.0.1:443`), with its code where the message lacks it. A host with
 * both IPv4 and IPv6 addresses (`localhost` on many machines) fails through Node's happy eyeballs
 * with an AggregateError whose message is empty: each address's error is said instead. Undefined
 * where the cause says nothing that can be read. Bounded: a cause is not ours to size. Each text is
 * masked before it is cut: a credential cut in two is no longer one the mask finds.
 */
export function noAnswerCause(error: unknown, mask: (text: string) => string): string | undefined {
  try {
    const cause = (error as { cause?: unknown })?.cause;
    const shown = (error: unknown) => {
      const said = described(error);
      return said === undefined ? undefined : mask(said);
    };
    const said = shown(cause);
    if (said) return cut(said);
    const errors = cause instanceof AggregateError && Array.isArray(cause.errors) ? cause.errors : [];
    const each = errors.slice(0, SHOWN_ERRORS).map(shown).filter(Boolean);
    if (each.length === 0) return undefined;
    const more = errors.length - SHOWN_ERRORS;
    return cut(`${each.join('; ')}${more > 0 ? `; and ${more} more` : ''}`);
  } catch {
    // A getter that throws, a revoked Proxy: the cause cannot be read, and "fetch failed" stays.
    return undefined;
  }
}

/** Addresses a happy-eyeballs failure names, at most (a host may resolve to many). */
const SHOWN_ERRORS = 4;
/** The longest cause text given: undici's are a line; more is not a reason a log needs whole. */
const LONGEST = 500;

const cut = (text: string) => (text.length > LONGEST ? `${text.slice(0, LONGEST)}…` : text);

/** An error's message with its code where the message lacks it; undefined where it has no message. */
function described(error: unknown): string | undefined {
  const { message, code } = (error ?? {}) as { message?: unknown; code?: unknown };
  if (typeof message !== 'string' || message === '') return undefined;
  return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
}
