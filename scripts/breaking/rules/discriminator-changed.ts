import type { Finding, Json, SchemaRule } from '../types.js';

interface Discriminator {
  propertyName: string;
  mapping: Record<string, string>;
}

function discriminatorOf(schema: { discriminator?: Json }): Discriminator | undefined {
  const found = schema.discriminator;
  if (!found || typeof found !== 'object' || Array.isArray(found) || typeof found.propertyName !== 'string') return undefined;
  const mapping = found.mapping && typeof found.mapping === 'object' && !Array.isArray(found.mapping) ? found.mapping : {};
  return { propertyName: found.propertyName, mapping: Object.fromEntries(Object.entries(mapping).filter((entry): entry is [string, string] => typeof entry[1] === 'string')) };
}

/**
 * A oneOf/anyOf's `discriminator`: the property whose value names the shape, and which value
 * names which shape (`mapping`). The typed client's union follows it, and so does code that
 * switches on the value. A value no longer mapped breaks writers who send it; a value newly mapped
 * breaks readers who switch over the known ones; a value mapped to another shape, or another
 * property named, breaks both. A discriminator added or removed leaves the shapes as the
 * alternatives say (alternatives-changed) and is reported only.
 */
export const discriminatorChanged: SchemaRule = {
  id: 'discriminator-changed',
  onAlternatives: true,
  check(before, after, { direction, path, whom }) {
    const [was, now] = [discriminatorOf(before), discriminatorOf(after)];
    if (!was && !now) return [];
    const field = path ? `\`${path}\`` : 'the value';
    const findings: Finding[] = [];
    const push = (breaking: boolean, message: string) => findings.push({ rule: 'discriminator-changed', severity: breaking ? 'breaking' : 'info', message });
    if (!was || !now) {
      push(false, `${field}: discriminator \`${(was ?? now)!.propertyName}\` ${was ? 'removed' : 'added'}`);
      return findings;
    }
    if (was.propertyName !== now.propertyName) {
      push(true, `${field}: the shape is named by \`${now.propertyName}\`, no longer by \`${was.propertyName}\`: ${whom} that use the old one break`);
      return findings;
    }
    const property = `\`${now.propertyName}\``;
    for (const [value, target] of Object.entries(was.mapping)) {
      const moved = now.mapping[value];
      if (moved === undefined) {
        push(direction === 'write', `${field}: ${property} "${value}" no longer names a shape${direction === 'write' ? `: ${whom} sending it are refused` : ''}`);
      } else if (moved !== target) {
        push(true, `${field}: ${property} "${value}" names ${moved}, no longer ${target}: ${whom} that use it break`);
      }
    }
    for (const value of Object.keys(now.mapping)) {
      if (value in was.mapping) continue;
      push(direction === 'read', `${field}: ${property} may now be "${value}"${direction === 'read' ? `: ${whom} that handle only the known values break` : ''}`);
    }
    return findings;
  },
};
