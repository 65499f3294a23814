import { parameters } from '../operations.js';
import type { Finding, OperationRule } from '../types.js';

/**
 * A path parameter renamed (`/leads/{leadExternalId}` → `/leads/{leadRef}`) leaves the URL the
 * same, so the walker pairs the two by position; but typed callers pass it by name
 * (`params.path.leadExternalId`), and that no longer compiles. Two swapped still compile, and
 * send each value to the other's place: said as such.
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
      // Swapped or moved (`/a/{x}/b/{y}` → `/a/{y}/b/{x}`): both names still exist, so callers
      // still compile, and their values now go into the other place of the URL.
      const moved = [...old.values()].some((other) => other.in === 'path' && other.name === parameter.name);
      findings.push({
        rule: 'path-parameter-renamed',
        severity: 'breaking',
        where: previous.words,
        message: moved
          ? `is now at another place in the path (\`${parameter.name}\` is here now): callers still compile, but the value they pass as \`params.path.${previous.name}\` now goes into another segment of the URL`
          : `is now \`${parameter.name}\` (the URL is the same): callers passing \`params.path.${previous.name}\` get a type error from the client`,
      });
    }
    return findings;
  },
};
