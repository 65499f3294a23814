import type { SchemaRule } from '../types.js';
import { fieldWords } from './tightening.js';
import { describe, hasAlternatives, matchAlternatives } from '../schema-shape.js';

/**
 * oneOf/anyOf: an alternative removed breaks writers that send that shape; one added breaks
 * readers that handle only the known shapes. Paired alternatives are compared field by field by
 * the walker; this rule only reports what has no partner.
 */
export const alternativesChanged: SchemaRule = {
  id: 'alternatives-changed',
  onAlternatives: true,
  check(before, after, { direction, path, whom, docs }) {
    if (!hasAlternatives(before) && !hasAlternatives(after)) return [];
    const { removed, added } = matchAlternatives(docs, before, after);
    const field = fieldWords(path);
    const findings = [];
    for (const node of removed) {
      const shape = describe(docs.before, node);
      findings.push(
        direction === 'write'
          ? { rule: 'alternatives-changed', severity: 'breaking' as const, message: `${field} no longer accepts the ${shape} shape: ${whom} sending it are refused` }
          : { rule: 'alternatives-changed', severity: 'info' as const, message: `${field} is no longer the ${shape} shape` },
      );
    }
    for (const node of added) {
      const shape = describe(docs.after, node);
      findings.push(
        direction === 'read'
          ? { rule: 'alternatives-changed', severity: 'breaking' as const, message: `${field} can now be the ${shape} shape: ${whom} must now handle it (code written for the known shapes misses it)` }
          : { rule: 'alternatives-changed', severity: 'info' as const, message: `${field} now also accepts the ${shape} shape` },
      );
    }
    // anyOf lets a value match several alternatives; oneOf refuses one that does. Whether any
    // value matches two is not worked out here: a writer's side is left to a person to judge.
    const [was, is] = [Array.isArray(before.oneOf) ? 'oneOf' : Array.isArray(before.anyOf) ? 'anyOf' : undefined, Array.isArray(after.oneOf) ? 'oneOf' : Array.isArray(after.anyOf) ? 'anyOf' : undefined];
    if (was && is && was !== is) {
      findings.push(
        is === 'oneOf' && direction === 'write'
          ? { rule: 'alternatives-changed', severity: 'warning' as const, message: `${field} must now match exactly one of its shapes (anyOf → oneOf): ${whom} sending a value that matches two are refused, where the shapes overlap` }
          : { rule: 'alternatives-changed', severity: 'info' as const, message: `${field} is now ${is} (was ${was})` },
      );
    }
    return findings;
  },
};
