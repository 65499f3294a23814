/**
 * Ajv adds a sub-schema's errors to a validator's list with `vErrors.concat(…)`: a copy of the
 * whole list so far for each item that fails. With every member of a 30,000-member page broken,
 * the guard judged it for 14 s on the caller's event loop, past any deadline, and the contract
 * suite and the traffic checker as long. This adds them to the same list in place. Applied to the
 * generated validators' code (standalone output) and, as Ajv's `code.process`, to what the suite
 * compiles at run time.
 */
const CONCAT = /vErrors = vErrors === null \? ([\w$.]+)\.errors : vErrors\.concat\(\1\.errors\);/g;

export function linearErrors(code: string): string {
  return code.replace(CONCAT, (_, from: string) => `vErrors = vErrors === null ? ${from}.errors.slice() : (${from}.errors.forEach((e) => vErrors.push(e)), vErrors);`);
}

/** An error taken back: anyOf, oneOf, not, if and contains drop a failed branch's errors by cutting the list. */
const TAKES_BACK = /\bvErrors\.length = /;

/**
 * Makes each validator function return false once it holds `max` errors (`max` is the code's own
 * text: a number, or a constant of the module), where Ajv counts one: each statement must be a line
 * of its own (`lines: true`). A function that takes no error back returns false once it holds one,
 * so stopping it early changes no verdict, wherever it is called from. One that does is left to
 * collect all (stopped inside a branch a later one passes, a valid body would be refused).
 */
export function stopAtErrors(code: string, max: string): string {
  const lines = code.split('\n');
  const takesBack = new Set<string>();
  let current = '';
  for (const line of lines) {
    current = /^function (validate\d+)\(/.exec(line)?.[1] ?? current;
    if (TAKES_BACK.test(line)) takesBack.add(current);
  }
  current = '';
  return lines
    .map((line) => {
      current = /^function (validate\d+)\(/.exec(line)?.[1] ?? current;
      if (takesBack.has(current) || !/^(?:errors\+\+|errors = vErrors\.length);$/.test(line)) return line;
      // Cut to the cap: a nested validator's errors come in at once (four events of 60 made 120).
      return `${line}\nif(errors >= ${max}){vErrors.length = ${max};\n${current}.errors = vErrors;\nreturn false;\n}`;
    })
    .join('\n');
}

/** Whether generated code takes errors back anywhere. */
export const takesErrorsBack = (code: string) => TAKES_BACK.test(code);
