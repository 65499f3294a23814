import type { Finding, Json, JsonObject, Operation, OperationRule } from '../types.js';
import { isObject } from '../types.js';

/** The operation's security alternatives (its own, or the document's), each as a stable key. */
function alternatives(doc: JsonObject, operation: Operation): string[] {
  const requirements: Json | undefined = operation.node.security ?? doc.security;
  if (!Array.isArray(requirements)) return [];
  return requirements.filter(isObject).map((requirement) =>
    Object.entries(requirement)
      .map(([scheme, scopes]) => (Array.isArray(scopes) && scopes.length ? `${scheme} (scopes ${[...scopes].sort().join(', ')})` : scheme))
      .sort()
      .join(' + ') || 'no credentials',
  );
}

/**
 * Which credentials an operation accepts. A way of authenticating that is no longer accepted
 * breaks the callers using it (and the client factory that sends it); a new one is listed.
 * An operation that had no security and now has some counts as "no credentials" removed.
 */
export const securityChanged: OperationRule = {
  id: 'security-changed',
  check(before, after, docs) {
    if (!before || !after || after.webhook) return [];
    const old = alternatives(docs.before, before);
    const now = alternatives(docs.after, after);
    const findings: Array<Finding & { where: string }> = [];
    const oldSet = old.length ? old : ['no credentials'];
    const newSet = now.length ? now : ['no credentials'];
    for (const way of oldSet.filter((key) => !newSet.includes(key))) {
      findings.push({ rule: 'security-changed', severity: 'breaking', where: 'security', message: `calls authenticated with ${way} are no longer accepted (now: ${newSet.join(' or ')})` });
    }
    for (const way of newSet.filter((key) => !oldSet.includes(key))) {
      findings.push({ rule: 'security-changed', severity: 'info', where: 'security', message: `also accepts ${way}` });
    }
    return findings;
  },
};
