import type { SchemaRule } from '../types.js';
import { isObject } from '../types.js';

/**
 * A property that disappears: readers that use it break; writers that send it no longer compile
 * against the typed client (object literals get no excess properties), and a vendor that
 * refuses unknown fields refuses it.
 */
export const propertyRemoved: SchemaRule = {
  id: 'property-removed',
  check(before, after, { direction, path, whom }) {
    if (!isObject(before.properties)) return [];
    const now = isObject(after.properties) ? after.properties : {};
    // An open map (additionalProperties: {...}) on the new side may still carry the key.
    // Object.hasOwn, not `in`: a field named `toString` is a field, not Object's method.
    const old = before.properties;
    // A field declared `false` could never be there: no reader used it, no writer sent it.
    return Object.keys(old)
      .filter((name) => !Object.hasOwn(now, name) && old[name] !== false)
      .map((name) => ({
        rule: 'property-removed',
        severity: 'breaking' as const,
        message:
          direction === 'read'
            ? `field \`${join(path, name)}\` was removed: ${whom} that use it break`
            : `field \`${join(path, name)}\` was removed: ${whom} that send it no longer compile against the typed client`,
      }));
  },
};

export const join = (path: string, name: string) => (path ? `${path}.${name}` : name);
