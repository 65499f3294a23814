/**
 * Ajv reports an anyOf, or a oneOf no branch of which passed, as one error placed after its
 * branches' errors, and nothing in the list says where those begin or which branch made which (a
 * branch reached by `$ref` reports schema paths of the schema it names, not `…/anyOf/1/…`). The
 * judgement (src/guard/violation.ts) needs both, to say "matches none of the N shapes" once rather
 * than every branch's missing fields. This gives the composition's error `params.branchErrors`:
 * how many errors each branch added, in branch order. Only a failing branch counts (it already
 * costs an error object), so a passing body allocates nothing more. Applied, as linearErrors is,
 * to the generated validators and, as Ajv's `code.process`, to what the suite compiles.
 */

/** The end of one branch: Ajv's `var _validN = _errsM === errors;`, then what binds it to its composition's `validK`. */
const BRANCH_END = /var (_valid\d+) = (_errs\d+) === errors;(\s*)(?=(valid\d+) = \4 \|\| \1;|if\(\1 && (valid\d+)\)\{|if\(\1\)\{\s*(valid\d+) = true;)/g;
/** A composition's own error, right under `if(!validK){`. */
const COMPOSITION_ERROR = /if\(!(valid\d+)\)\{(\s*)const (err\d+) = \{(instancePath(?::[^{}]*?)?),schemaPath:("[^"]*"),keyword:"(anyOf|oneOf)",params:\{([^}]*)\}/g;
/** A composition's start: `let validK = false;`, where its branches' counts are declared. */
const START = /let (valid\d+) = false;/g;

export function branchErrors(code: string): string {
  const counted = new Set<string>();
  const ends = code.replace(BRANCH_END, (_, branch: string, start: string, space: string, anyOf?: string, oneOf?: string, first?: string) => {
    const valid = anyOf ?? oneOf ?? first!;
    counted.add(valid);
    return `var ${branch} = ${start} === errors;${space}if(!${branch}){(${valid}b ??= []).push(errors - ${start});}${space}`;
  });
  const reported = ends.replace(COMPOSITION_ERROR, (whole, valid: string, space: string, err: string, at: string, schemaPath: string, keyword: string, params: string) =>
    counted.has(valid) ? `if(!${valid}){${space}const ${err} = {${at},schemaPath:${schemaPath},keyword:"${keyword}",params:{${params}${params ? ', ' : ''}branchErrors: ${valid}b}` : whole,
  );
  return reported.replace(START, (whole, valid: string) => (counted.has(valid) ? `let ${valid} = false, ${valid}b;` : whole));
}
