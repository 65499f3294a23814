import type { SchemaRule } from '../types.js';
import { isObject } from '../types.js';
import { stringList } from '../schema-shape.js';
import { join } from './property-removed.js';

/** A new property: a new required one breaks writers (they do not send it); the rest is additive. */
export const propertyAdded: SchemaRule = {
  id: 'property-added',
  check(before, after, { direction, path, whom }) {
    if (!isObject(after.properties)) return [];
    const old = isObject(before.properties) ? before.properties : {};
    const required = new Set(stringList(after.required));
    return Object.keys(after.properties)
      .filter((name) => !Object.hasOwn(old, name))
      .map((name) => {
        const field = join(path, name);
        if (direction === 'write' && required.has(name)) {
          return { rule: 'property-added', severity: 'breaking' as const, message: `new required field \`${field}\`: ${whom} that do not send it are refused` };
        }
        return { rule: 'property-added', severity: 'info' as const, message: `new ${required.has(name) ? 'required' : 'optional'} field \`${field}\`` };
      });
  },
};
