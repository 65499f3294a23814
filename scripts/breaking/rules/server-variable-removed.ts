import type { DocumentRule, Json } from '../types.js';
import { isObject } from '../types.js';

/** The `{name}`s in the first server's URL: what `defaultBaseUrl(vendor, values)` fills in by name. */
const variables = (list: Json | undefined) => {
  const first = Array.isArray(list) ? list.find(isObject) : undefined;
  return new Set([...String(first?.url ?? '').matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!));
};

/**
 * A variable of the first server that is gone (renamed, `{loyalty_club_slug}` → `{club}`, or
 * replaced by fixed text). `defaultBaseUrl()` (src/client.ts) fills variables by name, so a value
 * passed for the old name (Placewise's `clubSlug` option) is dropped without a word and the
 * client calls the default instead: breaking, where servers-changed only warns about a move.
 */
export const serverVariableRemoved: DocumentRule = {
  id: 'server-variable-removed',
  check({ before, after }) {
    const now = variables(after.servers);
    const added = [...now].filter((name) => !variables(before.servers).has(name));
    return [...variables(before.servers)]
      .filter((name) => !now.has(name))
      .map((name) => ({
        rule: 'server-variable-removed',
        severity: 'breaking' as const,
        where: `server variable \`{${name}}\``,
        message: `is no longer in the default server's URL${added.length ? ` (now ${added.map((n) => `\`{${n}}\``).join(', ')})` : ''}: a value passed for it (defaultBaseUrl fills variables by name) is dropped, and the client silently calls the default`,
      }));
  },
};
