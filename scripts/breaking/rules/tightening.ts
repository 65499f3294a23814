import type { Finding, SchemaContext } from '../types.js';

/**
 * How a schema rule reports a value's rule made tighter or looser: a tighter one breaks callers
 * who write the value (values valid before are refused); any other change, or one to a value the
 * caller only reads, is reported, not breaking (the typed client cannot express such rules).
 */
export function tighteningReporter(rule: string, findings: Finding[], { direction, path, whom }: SchemaContext) {
  const field = path ? `\`${path}\`` : 'the value';
  return (tighter: boolean, what: string) =>
    findings.push(
      tighter && direction === 'write'
        ? { rule, severity: 'breaking' as const, message: `${field}: ${what}: ${whom} sending values valid before are refused` }
        : { rule, severity: 'info' as const, message: `${field}: ${what}` },
    );
}
