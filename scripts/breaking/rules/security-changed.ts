import type { DocumentPair, Finding, Json, JsonObject, Operation, OperationRule } from '../types.js';
import { isObject } from '../types.js';
import { schemes, wire } from './security-scheme-changed.js';

type Way = { key: string; words: string; schemes: string[] };

/**
 * Where a break of `way` is, quoting the schemes a change file must name for it (REL-36): the
 * ones no longer accepted, or, where no credentials were, the ones callers must now send.
 */
function place(way: Way, instead: Way[]): string {
  const [names, joint] = way.schemes.length ? [way.schemes, ' + '] : [[...new Set(instead.flatMap((other) => other.schemes))].sort(), ' or '];
  if (!names.length) return 'security';
  return `security scheme${names.length > 1 ? 's' : ''} ${names.map((name) => `\`${name}\``).join(joint)}`;
}

/**
 * The operation's security alternatives (its own, or the document's), each as a stable key with
 * its words. A webhook's are its own only: the document's say how callers reach the API, not what
 * it sends. A scheme is keyed by `name`, which maps it to what it is called on the other side.
 */
function alternatives(doc: JsonObject, operation: Operation, name: (scheme: string) => string): Way[] {
  const requirements: Json | undefined = operation.node.security ?? (operation.webhook ? undefined : doc.security);
  if (!Array.isArray(requirements)) return [];
  const way = (scheme: string, scopes: Json) => (Array.isArray(scopes) && scopes.length ? `${scheme} (scopes ${[...scopes].sort().join(', ')})` : scheme);
  return requirements.filter(isObject).map((requirement) => {
    const entries = Object.entries(requirement);
    return {
      key: entries.map(([scheme, scopes]) => way(name(scheme), scopes)).sort().join(' + ') || 'no credentials',
      words: entries.map(([scheme, scopes]) => way(scheme, scopes)).sort().join(' + ') || 'no credentials',
      schemes: entries.map(([scheme]) => scheme).sort(),
    };
  });
}

/**
 * The release's scheme names as the new document calls them: a name both have is the same scheme
 * (a change of its wire form is security-scheme-changed's); a name gone is the new scheme with
 * the same wire form, if any (a rename: callers send the same thing), or stays as it was.
 */
function renamed({ before, after }: DocumentPair): (scheme: string) => string {
  const [old, now] = [schemes(before), schemes(after)];
  return (scheme) => {
    const form = Object.hasOwn(now, scheme) || !Object.hasOwn(old, scheme) ? undefined : wire(old[scheme]);
    return (form !== undefined && Object.keys(now).find((name) => wire(now[name]) === form)) || scheme;
  };
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
    const old = alternatives(docs.before, before, renamed(docs));
    const now = alternatives(docs.after, after, (scheme) => scheme);
    const findings: Array<Finding & { where: string }> = [];
    const none: Way[] = [{ key: 'no credentials', words: 'no credentials', schemes: [] }];
    const [oldSet, newSet] = [old.length ? old : none, now.length ? now : none];
    const missing = (list: Way[], from: Way[]) => list.filter((way) => !from.some((other) => other.key === way.key));
    const listed = (list: Way[]) => list.map((way) => way.words).join(' or ');
    // A webhook turns it around (REL-2): the vendor sends the credential and the receiver checks it,
    // so any change to what is sent breaks receivers that check what was sent before.
    if (after.webhook) {
      for (const way of missing(old, now)) {
        findings.push({ rule: 'security-changed', severity: 'breaking', where: place(way, newSet), message: `notifications no longer carry ${way.words} (now: ${listed(newSet)}): receivers that check it refuse them` });
      }
      // A credential where there was none breaks no receiver; one instead of another may reach a receiver that checks the other.
      for (const way of missing(now, old)) {
        findings.push(
          old.length
            ? { rule: 'security-changed', severity: 'breaking', where: place(way, old), message: `notifications may now carry ${way.words} instead: receivers must accept it` }
            : { rule: 'security-changed', severity: 'info', where: place(way, old), message: `notifications now carry ${way.words}` },
        );
      }
      return findings;
    }
    for (const way of missing(oldSet, newSet)) {
      findings.push({ rule: 'security-changed', severity: 'breaking', where: place(way, newSet), message: `calls authenticated with ${way.words} are no longer accepted (now: ${listed(newSet)})` });
    }
    for (const way of missing(newSet, oldSet)) {
      findings.push({ rule: 'security-changed', severity: 'info', where: place(way, oldSet), message: `also accepts ${way.words}` });
    }
    return findings;
  },
};
