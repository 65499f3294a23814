import type { DocumentRule, Json, JsonObject } from '../types.js';
import { isObject } from '../types.js';

/** The parts of a scheme that decide what a client sends; descriptions do not count. */
// An HTTP auth scheme (RFC 9110 §11.1) and a header's name are case-insensitive: `Bearer` and
// `bearer`, `X-API-Key` and `x-api-key` are the same on the wire.
const caseless = (value: Json | undefined) => (typeof value === 'string' ? value.toLowerCase() : value);
export const wire = (scheme: Json | undefined) =>
  isObject(scheme)
    ? JSON.stringify([
        scheme.type,
        caseless(scheme.scheme),
        scheme.in,
        scheme.in === 'header' ? caseless(scheme.name) : scheme.name,
        isObject(scheme.flows) ? Object.keys(scheme.flows).sort() : null,
        tokenUrls(scheme.flows),
      ])
    : undefined;
const tokenUrls = (flows: Json | undefined) =>
  isObject(flows) ? Object.values(flows).map((flow) => (isObject(flow) ? flow.tokenUrl ?? null : null)) : null;

/** A document's security schemes by name. */
export const schemes = (doc: JsonObject): JsonObject => (isObject(doc.components) && isObject(doc.components.securitySchemes) ? doc.components.securitySchemes : {});

/**
 * A security scheme whose wire form changes (type, HTTP scheme, where the key goes, its name,
 * OAuth flows or token URL) breaks every operation using it: the client factories send the old
 * form. A scheme that disappears is reported through the operations that used it.
 */
export const securitySchemeChanged: DocumentRule = {
  id: 'security-scheme-changed',
  check({ before, after }) {
    const old = schemes(before);
    const now = schemes(after);
    return Object.keys(old)
      .filter((name) => name in now && wire(old[name]) !== wire(now[name]))
      .map((name) => ({
        rule: 'security-scheme-changed',
        severity: 'breaking' as const,
        operation: 'the whole API',
        where: `security scheme \`${name}\``,
        message: `credentials are now sent differently (${describe(old[name])} → ${describe(now[name])}): clients built for the old form are refused`,
      }));
  },
};

function describe(scheme: Json | undefined): string {
  if (!isObject(scheme)) return 'none';
  return [scheme.type, scheme.scheme, scheme.in, scheme.name].filter((part) => typeof part === 'string').join(' ');
}
