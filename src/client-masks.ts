/**
 * What a client shows of credentials in its errors and violations: the known secrets and the
 * tokens it carries or carried lately, masked in texts and in bodies.
 */
import { createCredentialMask, TOO_DEEP_TO_SHOW } from './record/har.js';

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
  const maskedBody = (body: unknown, contentType: string): unknown => {
    if (body === undefined || body === null) return body;
    const shown = masking();
    if (typeof body === 'string') return shown.text(shown.body(body, contentType, 'answer'));
    try {
      return maskedJson(body, shown);
    } catch (error) {
      // JSON.parse took nesting that JSON.stringify, and the walk below, cannot go back through.
      if (error instanceof RangeError) return TOO_DEEP_TO_SHOW;
      throw error;
    }
  };
  const maskedJson = (body: unknown, shown: ReturnType<typeof masking>): unknown => {
    const masked = JSON.parse(shown.body(JSON.stringify(body), 'application/json', 'answer'));
    // Every text at once: one at a time, each URL's new token rebuilt the mask (21 s for 100,000 URLs).
    const texts: string[] = [];
    const collect = (node: unknown): void => {
      if (typeof node === 'string') texts.push(node);
      else if (node !== null && typeof node === 'object') for (const value of Object.values(node)) collect(value);
    };
    collect(masked);
    const shownTexts = shown.texts(texts);
    let next = 0;
    const refill = (node: unknown): unknown =>
      typeof node === 'string' ? shownTexts[next++] : Array.isArray(node) ? node.map(refill) : node !== null && typeof node === 'object' ? Object.fromEntries(Object.entries(node).map(([key, value]) => [key, refill(value)])) : node;
    return refill(masked);
  };
  /**
   * A refusal's body as the caller gets it: the secrets and tokens the client knows, masked
   * wherever they stand, and nothing masked by a field's name (a 422's `"password": "must be at
   * least 12 characters"` is the vendor's message, not a credential). Its shape is kept.
   */
  const maskedRefusal = (body: unknown): unknown => {
    const shown = masking();
    if (typeof body === 'string') return shown.text(body);
    const texts: string[] = [];
    const collect = (node: unknown): void => {
      if (typeof node === 'string') texts.push(node);
      else if (node !== null && typeof node === 'object') for (const value of Object.values(node)) collect(value);
    };
    try {
      collect(body);
      const shownTexts = shown.texts(texts);
      if (shownTexts.every((text, i) => text === texts[i])) return body;
      let next = 0;
      const refill = (node: unknown): unknown =>
        typeof node === 'string' ? shownTexts[next++] : Array.isArray(node) ? node.map(refill) : node !== null && typeof node === 'object' ? Object.fromEntries(Object.entries(node).map(([key, value]) => [key, refill(value)])) : node;
      return refill(body);
    } catch (error) {
      // JSON.parse took nesting deeper than this walk can go back through.
      if (error instanceof RangeError) return TOO_DEEP_TO_SHOW;
      throw error;
    }
  };
  return { masking, maskedBody, maskedRefusal };
}
