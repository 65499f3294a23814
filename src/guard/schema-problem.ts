/**
 * A schema error as a finding, its rule said in words: what the guard's judging (violation.ts), the
 * mock, the contract suite and the Placewise webhook verifier say of a JSON Schema error. Apart from
 * the judging, which a client loads only with its validators (CLIENT-230), because the webhook
 * verifier ships with the Placewise client and needs only this.
 */

/** A JSON Schema finding in a body. */
export interface SchemaProblem {
  /** JSON pointer into the body, '' for the root. */
  path: string;
  /** The JSON Schema keyword that failed. */
  rule: string;
  message: string;
  /** An anyOf, or a oneOf no branch of which passed: it echoes the branches' own problems. */
  echo?: boolean;
  /** On such an echo: how many problems each branch added, in branch order, just before it (scripts/lib/branch-errors.ts). */
  branches?: number[];
}

/** The parts of an Ajv ErrorObject that are read (standalone validators produce the same shape). */
export interface SchemaError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
  /** Set on an error of `propertyNames`: the key that broke it. */
  propertyName?: string;
}

/**
 * An Ajv error as a finding: `required` and `additionalProperties` point at the field itself, and
 * so does a key that breaks `propertyNames` (`/leadsByAccountId/abc`, not the map holding it).
 */
export function schemaProblem(error: SchemaError): SchemaProblem {
  const key = (name: unknown) => `${error.instancePath}/${String(name).replaceAll('~', '~0').replaceAll('/', '~1')}`;
  const field =
    error.keyword === 'required'
      ? key(error.params.missingProperty)
      : error.keyword === 'additionalProperties'
        ? key(error.params.additionalProperty)
        : error.keyword === 'unevaluatedProperties'
          ? key(error.params.unevaluatedProperty)
          : error.propertyName !== undefined
            ? key(error.propertyName)
            : error.instancePath;
  const echo = error.keyword === 'anyOf' || (error.keyword === 'oneOf' && !Array.isArray(error.params.passingSchemas));
  const branches = echo && Array.isArray(error.params.branchErrors) ? (error.params.branchErrors as number[]) : undefined;
  return { path: field, rule: error.keyword, message: `${field || '(body)'} ${ruleAtPath(error)}`, ...(echo ? { echo } : {}), ...(branches ? { branches } : {}) };
}

/**
 * The rule as said of the place `schemaProblem` points at: where that is a key breaking
 * `propertyNames`, the rule is the key's, not its value's.
 */
export function ruleAtPath(error: SchemaError): string {
  const rule = ruleText(error);
  return error.propertyName !== undefined ? `(the key) ${rule}` : rule;
}

/** How many allowed values an `enum` finding lists before it only counts the rest. */
const SHOWN_VALUES = 10;

/** The formats the specs use, in words a reader can act on; another is named as it is. */
const FORMATS: Record<string, string> = {
  date: 'a date as YYYY-MM-DD',
  'date-time': 'a date and time as RFC 3339 writes it, e.g. 2026-12-01T10:00:00Z',
  email: 'an e-mail address',
  uri: 'an absolute URI, with its scheme',
};

const plural = (count: unknown, one: string) => `${String(count)} ${one}${count === 1 ? '' : 's'}`;
const values = (list: unknown[]) =>
  list.slice(0, SHOWN_VALUES).map((v) => JSON.stringify(v)).join(', ') + (list.length > SHOWN_VALUES ? `, … (${list.length} in all)` : '');
/** A schema's own description as part of a sentence: "Then actionType must be sale." → "then actionType must be sale". */
const clause = (text: unknown) => (typeof text === 'string' && text.trim() !== '' ? text.trim().replace(/\.$/, '').replace(/^./, (c) => c.toLowerCase()) : undefined);

/**
 * The rule an error broke, said from its keyword and parameters (the limit, the allowed values,
 * the format, what a `not` or an `if` says of itself), not in Ajv's words: the clients' generated
 * validators, the suite's and the traffic checker's Ajv and the mock all give the same parameters.
 * A keyword said nowhere here, or an error without the parameters that say it, keeps its
 * validator's message (the webhook validators' own rule for integers past 2^53). The webhook
 * verifier's problems say their rules with it too.
 */
export function ruleText(error: SchemaError): string {
  return inWords(error) ?? error.message ?? error.keyword;
}

/** The rule in words, or undefined where the error lacks the parameters that say it. */
function inWords({ keyword, params }: SchemaError): string | undefined {
  const needs = (...names: string[]) => names.every((name) => params[name] !== undefined);
  const limit = params.limit;
  if (['minLength', 'maxLength', 'minItems', 'maxItems', 'items', 'unevaluatedItems', 'minProperties', 'maxProperties', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'].includes(keyword) && !needs('limit')) return undefined;
  switch (keyword) {
    case 'type':
      return !needs('type') ? undefined : `must be ${String(params.type).split(',').join(' or ')}`;
    case 'required':
      return 'is required but missing';
    case 'additionalProperties':
    case 'unevaluatedProperties':
      return 'is not a documented field, and this object takes no others';
    case 'enum':
      return Array.isArray(params.allowedValues) ? `must be one of ${values(params.allowedValues)}` : undefined;
    case 'const':
      return !('allowedValue' in params) ? undefined : `must be ${JSON.stringify(params.allowedValue)}`;
    case 'format':
      return !needs('format') ? undefined : `must be ${FORMATS[String(params.format)] ?? 'in its format'} (format "${String(params.format)}")`;
    case 'pattern':
      return !needs('pattern') ? undefined : `must match the pattern ${JSON.stringify(params.pattern)}`;
    case 'minLength':
      return limit === 1 ? 'must not be empty' : `must be at least ${plural(limit, 'character')} long`;
    case 'maxLength':
      return `must be at most ${plural(limit, 'character')} long`;
    case 'minItems':
      return `must hold at least ${plural(limit, 'item')}`;
    case 'maxItems':
    case 'items':
    case 'unevaluatedItems':
      return `must hold at most ${plural(limit, 'item')}`;
    case 'minProperties':
      return `must have at least ${plural(limit, 'field')}`;
    case 'maxProperties':
      return `must have at most ${plural(limit, 'field')}`;
    case 'minimum':
      return `must be at least ${String(limit)}`;
    case 'maximum':
      return `must be at most ${String(limit)}`;
    case 'exclusiveMinimum':
      return `must be more than ${String(limit)}`;
    case 'exclusiveMaximum':
      return `must be less than ${String(limit)}`;
    case 'multipleOf':
      return !needs('multipleOf') ? undefined : `must be a multiple of ${String(params.multipleOf)}`;
    case 'uniqueItems':
      return !needs('i', 'j') ? undefined : `must not repeat an item (items ${String(params.j)} and ${String(params.i)} are the same)`;
    case 'dependentRequired':
      return !needs('property', 'missingProperty') ? undefined : `must have ${String(params.missingProperty)} when it has ${String(params.property)}`;
    case 'contains':
      return !needs('minContains') ? undefined : `must hold at least ${plural(params.minContains, 'item')} of the kind it documents (contains)`;
    case 'propertyNames':
      return !needs('propertyName') ? undefined : `has a key that is not allowed: ${JSON.stringify(params.propertyName)}`;
    case 'false schema':
      return 'is not allowed here';
    case 'not': {
      const forbids = clause(params.forbids);
      return forbids ? `must not be what its schema forbids (not): ${forbids}` : 'matches what its schema forbids (not)';
    }
    case 'if': {
      const [when, then] = [clause(params.condition), clause(params.rule)];
      if (when && then) return `breaks a conditional rule: when ${when}, ${then}`;
      return params.failingKeyword === 'else'
        ? 'fails the "if" of a conditional rule, so must match its "else", and does not'
        : 'matches the "if" of a conditional rule, so must match its "then", and does not';
    }
    case 'anyOf':
      return 'matches none of the documented shapes (anyOf)';
    case 'oneOf':
      return Array.isArray(params.passingSchemas)
        ? `matches ${params.passingSchemas.length} of the documented shapes (${params.passingSchemas.map((i) => Number(i) + 1).join(' and ')}), where exactly one is allowed (oneOf)`
        : 'matches none of the documented shapes (oneOf)';
    default:
      return undefined;
  }
}
