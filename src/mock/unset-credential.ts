import type { Operation, Violation } from './prism.js';

/** What JavaScript writes for a value never set, or set to the wrong thing, when it is put in a string. */
const UNSET = new Set(['undefined', 'null', 'NaN', '[object Object]']);

/**
 * A credential in the Authorization header that is the text of a value never set: `Bearer ${token}`
 * sent before the token came, `btoa(`${user}:${password}`)` from settings left unset. Prism takes any
 * token, so the app got data where the vendor answers 401, and the bug showed only against the
 * vendor. Only where every alternative of the operation's security needs a credential: an operation
 * that may be called without one takes any.
 */
export function unsetCredential(operation: Operation, authorization: string | undefined): Violation | undefined {
  const alternatives = operation.security ?? [];
  if (alternatives.length === 0 || alternatives.some((schemes) => schemes.length === 0)) return undefined;
  const [, scheme = '', value = ''] = /^(Bearer|Basic)\s+(.*)$/i.exec(authorization ?? '') ?? [];
  const parts: [string, string][] = [];
  if (scheme.toLowerCase() === 'bearer') parts.push(['bearer token', value.trim()]);
  else if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value.trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) parts.push(['Basic user name', decoded.slice(0, colon)], ['Basic password', decoded.slice(colon + 1)]);
  }
  const unset = parts.find(([, text]) => UNSET.has(text));
  if (!unset) return undefined;
  return {
    location: ['request', 'header', 'authorization'],
    severity: 'Error',
    message: `the Authorization header's ${unset[0]} is the text "${unset[1]}": the caller sent a value it had not set (a token not yet fetched, a setting left unset)`,
  };
}
