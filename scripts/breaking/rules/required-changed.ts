import type { SchemaRule } from '../types.js';
import { isObject } from '../types.js';
import { stringList } from '../schema-shape.js';
import { join } from './property-removed.js';

/**
 * A field that stays but changes between optional and required: newly required breaks writers;
 * no longer required breaks readers (the typed field becomes `T | undefined`).
 */
export const requiredChanged: SchemaRule = {
  id: 'required-changed',
  check(before, after, { direction, path, whom }) {
    const props = (s: typeof before) => (isObject(s.properties) ? s.properties : {});
    const wasRequired = new Set(stringList(before.required));
    const isRequired = new Set(stringList(after.required));
    const kept = Object.keys(props(before)).filter((name) => Object.hasOwn(props(after), name));
    // Required names without a property entry still count (a schema may require what it does not
    // describe: a key of a map, `additionalProperties`); a declared new one is property-added's.
    const undeclared = (name: string) => !Object.hasOwn(props(after), name);
    const names = new Set([...kept, ...[...wasRequired].filter((name) => isRequired.has(name) || undeclared(name)), ...[...isRequired].filter(undeclared)]);
    const findings = [];
    for (const name of names) {
      const field = join(path, name);
      if (!wasRequired.has(name) && isRequired.has(name)) {
        findings.push(
          direction === 'write'
            ? { rule: 'required-changed', severity: 'breaking' as const, message: `field \`${field}\` is now required: ${whom} that leave it out are refused` }
            : { rule: 'required-changed', severity: 'info' as const, message: `field \`${field}\` is now always present` },
        );
      } else if (wasRequired.has(name) && !isRequired.has(name) && Object.hasOwn(props(after), name)) {
        findings.push(
          direction === 'read'
            ? { rule: 'required-changed', severity: 'breaking' as const, message: `field \`${field}\` is no longer always present: ${whom} that rely on it break (its type becomes optional)` }
            : { rule: 'required-changed', severity: 'info' as const, message: `field \`${field}\` is now optional` },
        );
      }
    }
    return findings;
  },
};
