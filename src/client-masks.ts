/**
 * What a client shows of credentials in its errors and violations: the known secrets and the
 * tokens it carries or carried lately, masked in texts and in bodies.
 */
import { createCredentialMask, keptApart, notShownWhole, SHOWN_WHOLE_UP_TO, TOO_DEEP_TO_SHOW } from './record/har.js';

export function clientMasks(secrets: string[], issued?: () => string[]) {
  // Made on the first failure or violation that needs it (calls that go well pay nothing), and
  // again once the client carries another token.
  let mask: ReturnType<typeof createCredentialMask> | undefined;
  let maskedTokens = '';
  const masking = () => {
    const tokens = issued?.() ?? [];
    if (!mask || tokens.join('\n') !== maskedTokens) [mask, maskedTokens] = [createCredentialMask([...secrets, ...tokens]), tokens.join('\n')];
    return mask;
  };
  /** A body as an error shows it: credential fields, known secrets, and credential parameters of URLs in its text. */
  const maskedBody = (body: unknown, contentType: string, length: number): unknown => {
    if (body === undefined || body === null) return body;
    // Masked whole, 3.3 MB held a thrown violation 2–4 s past its deadline, and a part cannot be
    // masked as the whole would be: such a body is not shown, as a TokenError's is not.
    if (length > SHOWN_WHOLE_UP_TO) return notShownWhole('an answer', length);
    const shown = masking();
    if (typeof body === 'string') return shown.text(shown.body(body, contentType, 'answer'));
    return tooDeepShown(() => withTexts(JSON.parse(shown.body(JSON.stringify(body), 'application/json', 'answer')), shown.texts));
  };
  /**
   * A refusal's body as the caller gets it: the secrets and tokens the client knows, masked
   * wherever they stand, and nothing masked by a field's name (a 422's `"password": "must be at
   * least 12 characters"` is the vendor's message, not a credential). Its shape is kept.
   */
  const maskedRefusal = (body: unknown): unknown => {
    const shown = masking();
    if (typeof body === 'string') return shown.text(body);
    return tooDeepShown(() => withTexts(body, shown.texts));
  };
  return { masking, maskedBody, maskedRefusal };
}

/**
 * The value with its texts replaced by what `show` makes of them, all at once (one at a time, each
 * URL's new token rebuilt the mask: 21 s for 100,000 URLs); the value itself where none changed.
 * An object's keys are texts too: a refusal keyed by what was sent (`{"errors": {"<token>":
 * "expired"}}`) kept the token in `error`, where the recording masked it.
 */
function withTexts(value: unknown, show: (texts: string[]) => string[]): unknown {
  const texts: string[] = [];
  // By its keys, not its entries: a pair made for each of a refusal's 300,000 keys was most of the 1.4 s its masking took.
  const collect = (node: unknown): void => {
    if (typeof node === 'string') texts.push(node);
    else if (Array.isArray(node)) node.forEach(collect);
    else if (node !== null && typeof node === 'object') for (const key of Object.keys(node)) texts.push(key), collect((node as Record<string, unknown>)[key]);
  };
  collect(value);
  const shown = show(texts);
  if (shown.every((text, i) => text === texts[i])) return value;
  let next = 0;
  const refill = (node: unknown): unknown =>
    typeof node === 'string' ? shown[next++] : Array.isArray(node) ? node.map(refill) : node !== null && typeof node === 'object' ? refilled(Object.entries(node)) : node;
  const refilled = (entries: [string, unknown][]) =>
    keptApart(
      entries.map(([key]) => key),
      entries.map(([, inner]): [string, unknown] => [shown[next++]!, refill(inner)]),
    );
  return refill(value);
}

/** What `walk` gives, or the placeholder where JSON.parse took nesting deeper than a walk can go back through. */
function tooDeepShown(walk: () => unknown): unknown {
  try {
    return walk();
  } catch (error) {
    if (error instanceof RangeError) return TOO_DEEP_TO_SHOW;
    throw error;
  }
}
