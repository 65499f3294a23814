import type { Finding, Json, JsonObject, SchemaRule } from '../types.js';
import { fieldWords } from './tightening.js';
import { isObject } from '../types.js';
import { alternatives, hasAlternatives } from '../schema-shape.js';

interface Discriminator {
  propertyName: string;
  /** Each value and the schema it names, as a `$ref`. A Map: a value `constructor` must not find Object's. */
  targets: Map<string, string>;
}

const components = '#/components/schemas/';
// OpenAPI 3.1.1 recommends reading a mapping value that could be a component name as one.
const componentName = /^[a-zA-Z0-9._-]+$/;
const reference = (named: string) => (componentName.test(named) ? components + named : named);

/**
 * The values as OpenAPI 3.1 reads them, so that the same values written another way compare
 * equal: the `mapping` (bare names read as the components they name), then each alternative that
 * references a component the mapping does not name, by that component's name. A mapped schema
 * answers to its mapped value "rather than the default (implicit) value" of its name, and a name
 * that is a mapping key is the key's. Inline alternatives, or a pointer deeper than a component,
 * have no implicit value.
 */
function targets(schema: JsonObject, mapping: Json | undefined): Map<string, string> {
  const found = new Map<string, string>();
  if (isObject(mapping)) for (const [value, named] of Object.entries(mapping)) if (typeof named === 'string') found.set(value, reference(named));
  const mapped = new Set(found.values());
  for (const node of hasAlternatives(schema) ? alternatives(schema) : []) {
    const ref = isObject(node) && typeof node.$ref === 'string' ? node.$ref : '';
    const name = ref.slice(components.length);
    if (ref.startsWith(components) && componentName.test(name) && !mapped.has(ref) && !found.has(name)) found.set(name, ref);
  }
  return found;
}

function discriminatorOf(schema: JsonObject): Discriminator | undefined {
  const found = schema.discriminator;
  if (!isObject(found) || typeof found.propertyName !== 'string') return undefined;
  return { propertyName: found.propertyName, targets: targets(schema, found.mapping) };
}

/**
 * A oneOf/anyOf's `discriminator`: the property whose value names the shape, and which value
 * names which shape (`mapping`, and the implicit values). The typed client's union follows it, and
 * so does code that switches on the value. A value no longer mapped breaks writers who send it; a
 * value newly mapped breaks readers who switch over the known ones; a value mapped to another
 * shape, or another property named, breaks both. A discriminator added or removed leaves the
 * shapes as the alternatives say (alternatives-changed) and is reported only.
 */
export const discriminatorChanged: SchemaRule = {
  id: 'discriminator-changed',
  // OpenAPI's inheritance pattern puts the discriminator on a base schema the shapes extend with allOf, with no oneOf beside it.
  onEveryPair: true,
  check(before, after, { direction, path, whom }) {
    const [was, now] = [discriminatorOf(before), discriminatorOf(after)];
    if (!was && !now) return [];
    const field = fieldWords(path);
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
    for (const [value, target] of was.targets) {
      const moved = now.targets.get(value);
      if (moved === undefined) {
        push(direction === 'write', `${field}: ${property} "${value}" no longer names a shape${direction === 'write' ? `: ${whom} sending it are refused` : ''}`);
      } else if (moved !== target) {
        push(true, `${field}: ${property} "${value}" names ${moved}, no longer ${target}: ${whom} that use it break`);
      }
    }
    for (const value of now.targets.keys()) {
      if (was.targets.has(value)) continue;
      push(direction === 'read', `${field}: ${property} may now be "${value}"${direction === 'read' ? `: ${whom} must now handle it (a switch over the known values misses it)` : ''}`);
    }
    return findings;
  },
};
