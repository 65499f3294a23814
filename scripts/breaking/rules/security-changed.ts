import type { Finding, Json, JsonObject, Operation, OperationRule } from '../types.js';
import { isObject } from '../types.js';

/**
 * The operation's security alternatives (its own, or the document's), each as a stable key. A
 * webhook's are its own only: the document's say how callers reach the API, not what it sends.
 */
function alternatives(doc: JsonObject, operation: Operation): string[] {
  const requirements: Json | undefined = operation.node.security ?? (operation.webhook ? undefined : doc.security);
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
    if (!before || !after) return [];
    const old = alternatives(docs.before, before);
    const now = alternatives(docs.after, after);
    const findings: Array<Finding & { where: string }> = [];
    const oldSet = old.length ? old : ['no credentials'];
    const newSet = now.length ? now : ['no credentials'];
    // A webhook turns it around (REL-2): the vendor sends the credential and the receiver checks it,
    // so any change to what is sent breaks receivers that check what was sent before.
    if (after.webhook) {
      for (const way of old.filter((key) => !now.includes(key))) {
        findings.push({ rule: 'security-changed', severity: 'breaking', where: 'security', message: `notifications no longer carry ${way} (now: ${newSet.join(' or ')}): receivers that check it refuse them` });
      }
      // A credential where there was none breaks no receiver; one instead of another may reach a receiver that checks the other.
      for (const way of now.filter((key) => !old.includes(key))) {
        findings.push(
          old.length
            ? { rule: 'security-changed', severity: 'breaking', where: 'security', message: `notifications may now carry ${way} instead: receivers must accept it` }
            : { rule: 'security-changed', severity: 'info', where: 'security', message: `notifications now carry ${way}` },
        );
      }
      return findings;
    }
    for (const way of oldSet.filter((key) => !newSet.includes(key))) {
      findings.push({ rule: 'security-changed', severity: 'breaking', where: 'security', message: `calls authenticated with ${way} are no longer accepted (now: ${newSet.join(' or ')})` });
    }
    for (const way of newSet.filter((key) => !oldSet.includes(key))) {
      findings.push({ rule: 'security-changed', severity: 'info', where: 'security', message: `also accepts ${way}` });
    }
    return findings;
  },
};
