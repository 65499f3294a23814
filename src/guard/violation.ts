/**
 * What "a response breaks its contract" means, in one place: the clients' runtime guard
 * (`validate`), the contract suite and sandbox drift report (contract-tests/lib/response.ts) and
 * the traffic checker (scripts/traffic/check.ts) all judge responses with `judgeResponse`, from
 * schema errors described by `schemaProblem` (schema-problem.ts), so a drift is named the same way
 * everywhere.
 */
import { isJson, mediaMatches } from './documented.js';
import type { SchemaProblem } from './schema-problem.js';

/** One way a vendor's answer breaks the operation's contract. */
export interface ContractViolation {
  vendor: string;
  operationId: string;
  /** `GET`, `POST`, … */
  method: string;
  /** The spec path template, e.g. `/v4/rewards/{id}`. */
  path: string;
  status: number;
  /** JSON pointer of the offending field in the body; null when the problem is not about one field. */
  pointer: string | null;
  /**
   * What was broken: `status` (undocumented status), `content-type`, `no-body` (a body where
   * none is documented), `json` (body is not JSON), or the JSON Schema keyword (`type`,
   * `required`, `enum`, `additionalProperties`, …); the contract suite adds `unchecked` (a body
   * nested too deep for the validator, which the clients' guard lets through).
   */
  rule: string;
  message: string;
}

export interface ReceivedResponse {
  status: number;
  /** The media type, without parameters, lower-cased. */
  contentType: string;
  /** The body's text; null when it is not read (a streamed body is the caller's to read): only status and content type are judged. */
  text: string | null;
}

/** A documented response: media type → its schema (whatever the caller validates with), or null. */
export type DocumentedContent<Schema> = Record<string, Schema | null>;

export interface Judgement {
  findings: Omit<ContractViolation, 'vendor' | 'operationId' | 'method' | 'path' | 'status'>[];
  /** The body as read: parsed JSON when it is JSON, else the text. */
  body: unknown;
  /** Why the body's schema could not be checked, when it could not (it is then not a finding). */
  unchecked?: string;
}

/**
 * Everything about a response that breaks its operation's contract: undocumented status, a body
 * where none is documented, an undocumented content type, a JSON body that does not parse or
 * does not validate. `documented(status)` gives the documented content for a status (after the
 * exact / NXX / default precedence), or undefined when the status is not documented.
 */
export function judgeResponse<Schema>(
  documented: (status: number) => DocumentedContent<Schema> | undefined,
  received: ReceivedResponse,
  validate: (schema: Schema, value: unknown) => SchemaProblem[],
  /** How a body is quoted in a message (masked by the clients): applied before it is cut short, so a secret across the cut is still masked. */
  quoted: (text: string) => string = (text) => text,
): Judgement {
  const { status, contentType, text } = received;
  const content = documented(status);
  if (!content) return finding(text, 'status', `status ${status} is not documented`);
  const mediaTypes = Object.keys(content);
  if (text === null) {
    const undocumented = mediaTypes.length > 0 && !mediaTypes.some((m) => mediaMatches(m, contentType));
    return undocumented ? finding(text, 'content-type', `content type "${contentType || '(none)'}" is not documented for ${status} (${mediaTypes.join(', ')})`) : { findings: [], body: undefined };
  }
  if (mediaTypes.length === 0) {
    return text.trim() === '' ? { findings: [], body: undefined } : finding(text, 'no-body', `status ${status} documents no body, but one was sent`);
  }
  const mediaType = mediaTypes.find((m) => mediaMatches(m, contentType));
  if (!mediaType) {
    return finding(text, 'content-type', `content type "${contentType || '(none)'}" is not documented for ${status} (${mediaTypes.join(', ')})`);
  }
  if (!isJson(mediaType)) return { findings: [], body: text };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return finding(text, 'json', text.trim() === '' ? `body is empty, where ${mediaType} is documented` : `body is not JSON: ${quoted(text).slice(0, 80)}`);
  }
  const schema = content[mediaType];
  if (schema === null || schema === undefined) return { findings: [], body };
  let problems: SchemaProblem[];
  try {
    problems = validate(schema, body);
  } catch (error) {
    // A validator walks the body recursively: one nested deeper than the stack goes, which a
    // recursive schema allows, cannot be checked. That breaks no contract: it is said, not found.
    if (error instanceof RangeError) return { findings: [], body, unchecked: 'the body is nested too deep to check: the validator ran out of stack' };
    throw error;
  }
  return { findings: bodyFindings(problems), body };
}

/**
 * A body's schema problems as findings, one per break: causes, not their echoes; a body in none of
 * a composition's shapes once (`shapes`); a break repeated across a list's items once. Answers
 * (judgeResponse) and the traffic checker's request bodies are judged by it alike.
 */
export function bodyFindings(problems: SchemaProblem[]): Judgement['findings'] {
  return onePerBreak(causes(shapes(problems))).map(({ problem, repeats }) => ({
    pointer: problem.path,
    rule: problem.rule,
    message: `body ${problem.path === '' ? problem.message.replace(/^\(body\) /, '') : problem.message}${repeats ? ` (and ${repeats} more like it at other indices)` : ''}`,
  }));
}

/** A documented response header: the schema of its value (whatever the caller validates with), its types, and whether it must be sent. */
export interface DocumentedHeader<Schema> {
  schema: Schema | null;
  /** The schema's `type`s: which reading of the text is judged first (`"12"` as 12 for an integer). */
  types: string[];
  required: boolean;
}

/**
 * The documented headers of a response it breaks (the contract suite, the sandbox drift report,
 * the mock's own check and the traffic checker judge them; the clients' guard judges status,
 * content type and body only): a required header missing, or a value that validates in none of
 * the readings of its text (`headerReadings`), the one its schema's type names reported.
 * Content-Type is judged with the body, as OpenAPI says it is not a documented header.
 */
export function judgeHeaders<Schema>(
  documented: Record<string, DocumentedHeader<Schema>>,
  received: (name: string) => string | null,
  validate: (schema: Schema, value: unknown) => SchemaProblem[],
): Judgement['findings'] {
  const findings: Judgement['findings'] = [];
  for (const [name, { schema, types, required }] of Object.entries(documented)) {
    if (name.toLowerCase() === 'content-type') continue;
    const text = received(name);
    if (text === null) {
      if (required) findings.push({ pointer: null, rule: 'required', message: `header ${name} is required but was not sent` });
      continue;
    }
    if (schema === null) continue;
    // The reading the schema's type names is judged first; any reading the schema takes will do
    // (a schema with no type of its own: an enum of numbers, a oneOf of integer and null).
    const [preferred, ...others] = headerReadings(text, types);
    const problems = validate(schema, preferred);
    if (problems.length === 0 || others.some((reading) => validate(schema, reading).length === 0)) continue;
    for (const problem of problems) {
      findings.push({ pointer: null, rule: problem.rule, message: `header ${name}${problem.path} ${problem.message.replace(/^\S+ /, '')} (got ${JSON.stringify(text.slice(0, 80))})` });
    }
  }
  return findings;
}

/** A decimal number as a header carries one: `0x10` and `1e3` are not (a client reading a decimal misreads them). */
const DECIMAL = /^-?\d+(?:\.\d+)?$/;
const asScalar = (text: string): unknown => (DECIMAL.test(text) ? Number(text) : text === 'true' || text === 'false' ? text === 'true' : text);

/**
 * The values a header's text can stand for, in OpenAPI's `simple` style: the text, a number, a
 * boolean, a comma-separated list of either. The one its schema's `type` names comes first.
 */
function headerReadings(text: string, types: string[]): unknown[] {
  const value = text.trim();
  const items = value.split(',').map((item) => item.trim());
  const readings = [value, asScalar(value), items, items.map(asScalar)];
  const first = types.includes('array') ? 3 : types.some((t) => t === 'integer' || t === 'number' || t === 'boolean') ? 1 : 0;
  return [readings[first], ...readings.filter((_, i) => i !== first)];
}

/** One finding that is not the schema's, with the body as read for the caller: parsed when it is JSON. */
function finding(text: string | null, rule: string, message: string): Judgement {
  return { findings: [{ pointer: null, rule, message }], body: text === null ? undefined : parsedOrText(text) };
}

function parsedOrText(text: string): unknown {
  try {
    return text.trim() === '' ? text : JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * A problem of a branch's own root: the value is not of its type, or a discriminating `const` or
 * `enum` (Perx's TransactionDetails tells its shapes apart by either) differs, at the root or a field of it.
 */
const rulesOut = (p: SchemaProblem, at: string) =>
  (p.path === at && p.rule === 'type') || ((p.rule === 'const' || p.rule === 'enum') && (p.path === at || p.path.lastIndexOf('/') === at.length));

/** What one branch asked of the value, briefly: its first two problems, a missing field as "needs /x". */
function asked(branch: SchemaProblem[], at: string): string {
  const said = branch.slice(0, 2).map((p) => (p.rule === 'required' ? `needs ${p.path}` : p.path === at ? p.message.slice(p.message.indexOf(' ') + 1) : p.message));
  return said.join(', ') + (branch.length > 2 ? `, and ${branch.length - 2} more` : '');
}

/**
 * An anyOf or oneOf no branch of which took the value, with its branches' problems in front of it
 * (their counts from `branches`): when every branch but one is ruled out at its root (the value is
 * not of its type, a discriminating `const` differs, or it is the `null` of a nullable), the value
 * is that branch's, broken inside it, and its problems stand; otherwise the value is none of the
 * documented shapes, and that is one problem at the composition, naming the closest branch (fewest
 * problems) and what each asked, not every branch's missing fields as if all were required.
 */
function shapes(problems: SchemaProblem[]): SchemaProblem[] {
  const out: { from: number; problems: SchemaProblem[] }[] = [];
  problems.forEach((problem, index) => {
    const counts = problem.branches;
    const total = counts?.reduce((a, b) => a + b, 0) ?? 0;
    if (!counts || total > index) return out.push({ from: index, problems: [problem] });
    const start = index - total;
    const inside: { from: number; problems: SchemaProblem[] }[] = [];
    while (out.length > 0 && out.at(-1)!.from >= start) inside.unshift(out.pop()!);
    let end = start;
    const branches = counts.map((count) => {
      const [from, to] = [end, (end += count)];
      return inside.filter((u) => u.from >= from && u.from < to).flatMap((u) => u.problems);
    });
    const candidates = branches.filter((b) => !b.some((p) => rulesOut(p, problem.path) || isNullBranch(p)));
    const nonNull = branches.filter((b) => !b.every(isNullBranch));
    const chosen = candidates.length === 1 ? candidates[0]! : nonNull.length === 1 ? nonNull[0]! : undefined;
    if (chosen && chosen.length > 0) return out.push({ from: start, problems: chosen });
    // The shape that asked least of the value, when one did: the likeliest one the vendor meant.
    const fewest = Math.min(...branches.map((b) => b.length));
    const closest = branches.filter((b) => b.length === fewest).length === 1 ? branches.findIndex((b) => b.length === fewest) : -1;
    const each = branches.map((b, i) => `shape ${i + 1}${i === closest ? ' (closest)' : ''} ${asked(b, problem.path)}`).join('; ');
    const message = `${problem.path || '(body)'} matches none of the ${counts.length} documented shapes (${problem.rule}): ${each}`;
    return out.push({ from: start, problems: [{ path: problem.path, rule: problem.rule, message }] });
  });
  return out.flatMap((u) => u.problems);
}

const isNullBranch = (p: SchemaProblem) => p.rule === 'type' && p.message.endsWith(' must be null');

/**
 * The problems that are causes, not echoes of one, when another problem says more: an anyOf, or
 * a oneOf none of whose branches passed ("must match a schema"); a nullable's "must be null"
 * branch (`oneOf [X, {type: null}]`, either order); a type error at a field whose break shows
 * deeper down (the branch that did not apply); the enum a value of the wrong type also misses.
 * Separate breaks at one field (too long, and not matching its pattern) are all kept.
 */
function causes(problems: SchemaProblem[]): SchemaProblem[] {
  // Indexed once: asking every problem about every other took seconds on a page of thousands of
  // broken items, on the caller's event loop, past the call's deadline.
  const atPath = new Map<string, number>();
  const above = new Set<string>();
  const typed = new Set<string>();
  for (const o of problems) {
    atPath.set(o.path, (atPath.get(o.path) ?? 0) + 1);
    // Every pointer this one is under: '/data/0/id' is under '/data/0', '/data' and ''.
    for (let end = o.path.lastIndexOf('/'); end >= 0; end = end === 0 ? -1 : o.path.lastIndexOf('/', end - 1)) above.add(o.path.slice(0, end));
    if (o.rule === 'type' && !isNullBranch(o)) typed.add(o.path);
  }
  const deeper = (p: SchemaProblem) => above.has(p.path);
  const others = (p: SchemaProblem) => atPath.get(p.path)! > 1 || deeper(p);
  const wrongType = (path: string) => typed.has(path);
  return problems.filter((p) => {
    if (p.echo || isNullBranch(p)) return !others(p);
    if (p.rule === 'type') return !deeper(p);
    if (p.rule === 'enum' || p.rule === 'const') return !wrongType(p.path);
    return true;
  });
}

/**
 * The problems with those that differ only in array indices folded into the first: a field whose
 * type changed breaks in every item of a list, and a 1,000-item page must not be 1,000 findings
 * (and 1,000 onViolation calls) for one change.
 */
function onePerBreak(problems: SchemaProblem[]): { problem: SchemaProblem; repeats: number }[] {
  const first = new Map<string, { problem: SchemaProblem; repeats: number }>();
  // The same problem at the same place is one: anyOf branches alike in what they ask of a value
  // (two object schemas, given a string) each say it, and it is no repeat "at other indices".
  const said = new Set<string>();
  for (const problem of problems) {
    const exact = `${problem.rule} ${problem.path} ${problem.message}`;
    if (said.has(exact)) continue;
    said.add(exact);
    // What is said too: "must be object" and "must be null" at the same field are two things.
    const key = `${problem.rule} ${problem.message.replace(/\/\d+(?=\/|\s|$)/g, '/*')}`;
    const seen = first.get(key);
    if (seen) seen.repeats += 1;
    else first.set(key, { problem, repeats: 0 });
  }
  return [...first.values()];
}
