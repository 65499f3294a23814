import type { Operation } from './prism.js';

/** A vendor that documents this many paths or fewer has them all named in a 404; a larger one, those nearest the path asked for. */
const NAMED = 5;

/**
 * What a 404 for a path no operation serves says the vendor does document: a caller who guessed
 * a path (Imprzd's login, which its one-operation spec lacks) learns what the mock can answer
 * instead of only what it cannot.
 */
export function documentedPaths(operations: Operation[]): (path: string) => string {
  const byPath = new Map<string, string[]>();
  for (const operation of operations) byPath.set(operation.path, [...(byPath.get(operation.path) ?? []), operation.method.toUpperCase()]);
  const paths = [...byPath].map(([path, methods]) => ({ path, segments: path.split('/').slice(1), named: `${methods.join(', ')} ${path}` }));
  const count = `${paths.length} ${paths.length === 1 ? 'path' : 'paths'}`;

  return (asked) => {
    if (paths.length === 0) return 'it documents no path yet';
    if (paths.length <= NAMED) return `it documents ${count}: ${paths.map((p) => p.named).join('; ')}`;
    const segments = asked.split('/').slice(1);
    const scored = paths.map((p) => ({ ...p, score: closeness(p.segments, segments) }));
    const best = Math.max(...scored.map((p) => p.score));
    if (best === 0) return `it documents ${count}, none under /${segments[0] ?? ''}`;
    const nearest = scored.filter((p) => p.score === best);
    const more = nearest.length > NAMED ? ` and ${nearest.length - NAMED} more` : '';
    return `it documents ${count}; nearest: ${nearest.slice(0, NAMED).map((p) => p.named).join('; ')}${more}`;
  };
}

/**
 * How near a documented path is to the asked one: the leading segments it fills (a template's
 * parameter takes any), then the characters the next segment shares (`/v4/reward/1` is nearest
 * the `/v4/rewards…` paths, not every path under `/v4`).
 */
function closeness(documented: string[], asked: string[]): number {
  let i = 0;
  while (i < documented.length && i < asked.length && asked[i] !== '' && (documented[i] === asked[i] || /^\{[^}]+\}$/.test(documented[i]!))) i++;
  const [next = '', given = ''] = [documented[i], asked[i]];
  let chars = 0;
  while (chars < next.length && chars < given.length && next[chars] === given[chars] && next[chars] !== '{') chars++;
  // A segment is far shorter than this, so filling one more always counts for more than any shared characters.
  return i * 10_000 + chars;
}
