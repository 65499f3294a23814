import { parameters } from '../operations.js';
import type { Finding, OperationRule } from '../types.js';

/**
 * A path parameter renamed (`/leads/{leadExternalId}` → `/leads/{leadRef}`) leaves the URL the
 * same, so the walker pairs the two by position; but typed callers pass it by name
 * (`params.path.leadExternalId`), and that no longer compiles.
 */
export const pathParameterRenamed: OperationRule = {
  id: 'path-parameter-renamed',
  check(before, after, docs) {
    if (!before || !after) return [];
    const old = parameters(docs.before, before);
    const findings: Array<Finding & { where: string }> = [];
    for (const [key, parameter] of parameters(docs.after, after)) {
      const previous = old.get(key);
      if (parameter.in !== 'path' || !previous || previous.name === parameter.name) continue;
      findings.push({
        rule: 'path-parameter-renamed',
        severity: 'breaking',
        where: previous.words,
        message: `is now \`${parameter.name}\` (the URL is the same): callers passing \`params.path.${previous.name}\` get a type error from the client`,
      });
    }
    return findings;
  },
};
