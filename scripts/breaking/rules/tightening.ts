import type { Finding, SchemaContext } from '../types.js';

/**
 * A schema path in words. The walk writes a map's other keys as `{}` and a patternProperties
 * pattern as `{/pattern/}` after the object's path: said as such, since "`{}` changed from any type
 * to integer" told a reader nothing.
 */
export function fieldWords(path: string): string {
  if (!path) return 'the value';
  const other = /^(.*)\{\}$/.exec(path);
  if (other) return other[1] ? `other properties of \`${other[1]}\`` : 'other properties';
  const matching = /^(.*?)\{(\/.*\/)\}$/.exec(path);
  if (matching) return `properties matching ${matching[2]}${matching[1] ? ` of \`${matching[1]}\`` : ''}`;
  return `\`${path}\``;
}

/** Whether a path names a map's keys (other properties, or those matching a pattern) rather than one field. */
export const isMapPath = (path: string) => /\{(?:\/.*\/)?\}$/.test(path);

/**
 * How a schema rule reports a value's rule made tighter or looser: a tighter one breaks callers
 * who write the value (values valid before are refused); any other change, or one to a value the
 * caller only reads, is reported, not breaking (the typed client cannot express such rules).
 */
export function tighteningReporter(rule: string, findings: Finding[], { direction, path, whom }: SchemaContext) {
  const field = fieldWords(path);
  return (tighter: boolean, what: string) =>
    findings.push(
      tighter && direction === 'write'
        ? { rule, severity: 'breaking' as const, message: `${field}: ${what}: ${whom} sending values valid before are refused` }
        : { rule, severity: 'info' as const, message: `${field}: ${what}` },
    );
}
