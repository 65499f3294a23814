import type { DocumentRule, Json } from '../types.js';
import { isObject } from '../types.js';

/** The `components` sections openapi-typescript turns into exported types (`components['schemas'][name]`, …). */
const sections: Array<[section: string, words: string]> = [
  ['schemas', 'schema'],
  ['responses', 'response'],
  ['parameters', 'parameter'],
  ['requestBodies', 'request body'],
  ['headers', 'header'],
];

const names = (components: Json | undefined, section: string) => {
  const group = isObject(components) ? components[section] : undefined;
  return new Set(isObject(group) ? Object.keys(group) : []);
};

/**
 * A component gone by name (removed, or renamed: `MembersGroupType` → `MembersGroupKind`). The
 * wire may not change at all, but the package exports the generated `components` type, and code
 * naming `components['schemas']['MembersGroupType']` no longer compiles (the README shows that
 * use). A new component is additive.
 */
export const componentRemoved: DocumentRule = {
  id: 'component-removed',
  check({ before, after }) {
    const findings = [];
    for (const [section, words] of sections) {
      const old = names(before.components, section);
      const now = names(after.components, section);
      for (const name of old) {
        if (now.has(name)) continue;
        findings.push({
          rule: 'component-removed',
          severity: 'breaking' as const,
          where: `component ${words} \`${name}\``,
          message: `is gone (removed or renamed): code naming \`components['${section}']['${name}']\` no longer compiles`,
        });
      }
      for (const name of now) {
        if (!old.has(name)) findings.push({ rule: 'component-removed', severity: 'info' as const, where: `component ${words} \`${name}\``, message: 'is new' });
      }
    }
    return findings;
  },
};
