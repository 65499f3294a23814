/**
 * Checks each operation's `x-mock` before the mock reads it: against its schema (a misspelt key,
 * an unknown action, a value of the wrong kind), and the parameter names it uses against the
 * operation's own parameters. The interpreter ignores what it does not know, so a mistake here
 * left the mock answering examples where the spec meant it to keep state.
 */
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { ruleText, schemaProblem } from '../../src/guard/schema-problem.js';
import { behaviourSchema } from '../../src/mock/state/behaviour-schema.js';
import type { Condition, MockBehaviour, ValueSource } from '../../src/mock/state/behaviour.js';
import { boundNames, tokens } from '../../src/mock/state/pointer.js';
import { dereference } from '../lib/dereference.js';
import { listOperations, type OpenApiDocument } from '../lib/openapi.js';

type Parameter = { name?: string; in?: string };
type Schema = { properties?: Record<string, Schema>; allOf?: Schema[]; type?: string | string[]; items?: unknown };
type Operation = { operationId?: string; parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> }; responses?: Record<string, { content?: Record<string, { examples?: Record<string, unknown>; schema?: Schema }>; headers?: Record<string, unknown> }>; 'x-mock'?: unknown };

const validate = new Ajv2020({ allErrors: true, strict: false }).compile(behaviourSchema);

/** Where the x-mock breaks its vocabulary and the rule, said as the package says every rule (`ruleText`); a missing key is pointed at by its own name. */
const described = (error: ErrorObject) =>
  error.keyword === 'additionalProperties'
    ? `${error.instancePath || '/'}: unknown key "${(error.params as { additionalProperty: string }).additionalProperty}"`
    : `${schemaProblem(error).path || '/'}: ${ruleText(error)}`;

type Place = 'path' | 'path or query' | 'query' | 'header';

/** A behaviour with its cases and further effects, each of which the interpreter may run. */
const everyPart = (behaviour: MockBehaviour): MockBehaviour[] => [behaviour, ...[...(behaviour.cases ?? []), ...(behaviour.also ?? []), ...(behaviour.embed ? [behaviour.embed] : [])].flatMap((inner) => everyPart(inner as MockBehaviour))];

/** The request parameters a source or condition reads (a lookup's id is a source too). */
function sourceNames(source: ValueSource | Condition | undefined): [string | undefined, Place][] {
  if (!source || typeof source !== 'object') return [];
  const { lookup, times, per, plus, join = [] } = source as ValueSource;
  return [
    [source.query, 'query'],
    [source.path, 'path'],
    [source.header, 'header'],
    ...[lookup?.id, ...Object.values(lookup?.where ?? {}), times, per, plus, ...join].flatMap(sourceNames),
  ];
}

/** The names one part of a behaviour takes from the request, each with where it must be declared. */
function namesUsed(behaviour: MockBehaviour): [string | undefined, Place][] {
  const sources = [behaviour.idFrom, typeof behaviour.owner === 'object' ? behaviour.owner : undefined, ...Object.values(behaviour.echo ?? {}), ...Object.values(behaviour.assign ?? {}), behaviour.adjust?.by, behaviour.adjust?.record, behaviour.token?.identity];
  const conditions = [...(behaviour.cases ?? []), ...(behaviour.examples ?? [])].flatMap((variant) => [variant.when].flat());
  return [
    ...[...sources, ...conditions].flatMap(sourceNames),
    [behaviour.id, 'path'],
    [behaviour.scope, 'path'],
    [behaviour.via?.param, 'path'],
    [behaviour.left, 'path'],
    [behaviour.right, 'path'],
    ...(behaviour.requires ?? []).flatMap(({ id }): [string | undefined, Place][] => (typeof id === 'string' ? [[id, 'path']] : sourceNames(id))),
    // A `{name}` filter matches query keys the spec cannot list (Placewise's properties[<name>]).
    ...[behaviour.filters, behaviour.via?.find?.filters].flatMap((filters) => Object.keys(filters ?? {}).filter((name) => !name.includes('{name}')).map((name): [string, 'path or query'] => [name, 'path or query'])),
    [behaviour.page?.page, 'query'],
    [behaviour.page?.size, 'query'],
    [behaviour.page?.offset, 'query'],
    [behaviour.search?.param, 'query'],
    [behaviour.sort?.by, 'query'],
    ...[behaviour.sort?.order].flat().map((name): [string | undefined, 'query'] => [name, 'query']),
  ];
}

/** The documented answers one part of a behaviour asks Prism for: a status, an example, or both. */
const answersUsed = (behaviour: MockBehaviour): { status?: number; example?: string }[] => [
  behaviour.missing ?? {},
  behaviour.malformed ?? {},
  behaviour.deleted ?? {},
  behaviour.from ?? {},
  behaviour.adjust ?? {},
  behaviour.violations ?? {},
  behaviour.token?.known ?? {},
  ...(behaviour.unique ?? []),
  // A record the call needs that does not exist is a 404 unless the requirement names its answer.
  ...(behaviour.requires ?? []).map(({ status = 404, example }) => ({ status, example })),
  ...(behaviour.examples ?? []),
];

/** The headers an operation's 2xx answers document, in lower case (HTTP reads them in any case). */
const successHeaders = (operation: Operation): Set<string> =>
  new Set(Object.entries(operation.responses ?? {}).flatMap(([status, response]) => (status.startsWith('2') ? Object.keys(response.headers ?? {}).map((name) => name.toLowerCase()) : [])));

/** The names of the examples an operation's answers document. */
const exampleNames = (operation: Operation): Set<string> =>
  new Set(Object.values(operation.responses ?? {}).flatMap((response) => Object.values(response.content ?? {}).flatMap((media) => Object.keys(media.examples ?? {}))));

/**
 * Whether the operation's JSON request body declares the field a pointer names: a `filedAs` or
 * `freeForm` pointer to a field it does not (a misspelling) would never match a body, silently.
 */
function bodyDeclares(operation: Operation, pointer: string): boolean {
  let schema = Object.entries(operation.requestBody?.content ?? {}).find(([media]) => /json/.test(media))?.[1].schema;
  for (const token of tokens(pointer)) schema = schema?.properties?.[token];
  return schema !== undefined;
}

/** The schemas at a pointer into a schema, through its allOf parts. */
function schemasAt(schema: Schema, pointer: string): Schema[] {
  const parts = (s: Schema): Schema[] => [s, ...(s.allOf ?? []).flatMap(parts)];
  let found = [schema];
  for (const token of tokens(pointer)) found = found.flatMap(parts).flatMap((s) => (s.properties?.[token] ? [s.properties[token]] : []));
  return found.flatMap(parts);
}

/** Whether the success answers' JSON schemas (where any has one) declare no array at an embed's `at`: the page would be written beside the answer's fields, shown nowhere it is read. */
function embedMisses(operation: Operation, at: string): boolean {
  const schemas = Object.entries(operation.responses ?? {})
    .filter(([code]) => code.startsWith('2'))
    .flatMap(([, response]) => Object.entries(response.content ?? {}).flatMap(([media, content]) => (/json/.test(media) && content.schema ? [content.schema] : [])));
  return schemas.length > 0 && !schemas.some((schema) => schemasAt(schema, at).some((found) => [found.type].flat().includes('array') || found.items !== undefined));
}

/**
 * What would make a bulk call's `{name}` tokens misread: a name the path declares (an item's key
 * would then override the URL's value), a name bound twice (the inner key would win), or a token
 * at the end (each item would be the list under the key, not a record).
 */
function eachProblems(where: string, each: string, inPath: ReadonlySet<string | undefined>): string[] {
  const names = boundNames(each);
  const problems = names.filter((name, i) => inPath.has(name) || names.indexOf(name) !== i).map((name) =>
    inPath.has(name) ? `${where}.each binds "${name}", a path parameter the operation declares: an item's key would override the URL's` : `${where}.each binds "${name}" twice`,
  );
  const last = boundNames(each.slice(each.lastIndexOf('/')));
  if (last.length) problems.push(`${where}.each ends with {${last[0]}}: a {name} token names the key records are listed under, so a record's own token must follow it`);
  return problems;
}

export function mockBehaviourProblems(doc: OpenApiDocument): string[] {
  const problems: string[] = [];
  // Parameters and responses are often shared components: read through their $refs once.
  const plain = dereference(doc);
  problems.push(...callerProblems(plain));
  for (const { method, path, operation: listed, pathParameters } of listOperations(plain)) {
    const operation = listed as Operation;
    const behaviour = operation['x-mock'];
    if (behaviour === undefined) continue;
    const where = `${operation.operationId ?? `${method.toUpperCase()} ${path}`}: x-mock`;
    if (!validate(behaviour)) {
      // anyOf alternatives each report their own failure; the first few say enough.
      problems.push(...validate.errors!.slice(0, 3).map((error) => `${where}${described(error)} (docs/mock-behaviour.md lists the vocabulary)`));
      continue;
    }
    const parameters = [...(pathParameters as Parameter[]), ...(operation.parameters ?? [])];
    // Header names are compared in lower case, as HTTP reads them in any case.
    const declared = (place: 'path' | 'query' | 'header') => new Set(parameters.filter((p) => p.in === place).map((p) => (place === 'header' ? p.name?.toLowerCase() : p.name)));
    const [inPath, inQuery, inHeaders] = [declared('path'), declared('query'), declared('header')];
    const each = (behaviour as MockBehaviour).each;
    if (each !== undefined) problems.push(...eachProblems(where, each, inPath));
    // A bulk call's `{name}` tokens give each item a path parameter of that name (see MockBehaviour.each).
    for (const name of boundNames(each ?? '')) inPath.add(name);
    const responses = operation.responses ?? {};
    const documented = exampleNames(operation);
    for (const part of everyPart(behaviour as MockBehaviour)) {
      for (const [name, place] of namesUsed(part)) {
        if (name === undefined) continue;
        const found = place === 'path' ? inPath.has(name) : place === 'query' ? inQuery.has(name) : place === 'header' ? inHeaders.has(name.toLowerCase()) : inPath.has(name) || inQuery.has(name);
        if (!found) problems.push(`${where} uses the ${place} parameter "${name}", which the operation does not declare`);
      }
      // A paging number goes only into a header the success answer documents: any other would never be read or checked.
      for (const header of Object.values(part.page?.headers ?? {})) {
        if (!successHeaders(operation).has(header.toLowerCase())) problems.push(`${where} shows a paging number in the header "${header}", which no success answer of the operation documents`);
      }
      for (const { status, example } of answersUsed(part)) {
        if (status !== undefined && !Object.hasOwn(responses, String(status))) problems.push(`${where} answers with status ${status}, which the operation does not document`);
        if (example !== undefined && !documented.has(example)) problems.push(`${where} names the example "${example}", which no answer of the operation documents`);
      }
    }
    const checked = behaviour as MockBehaviour;
    // Only a read shows an embed: on any other action it would be ignored, silently.
    for (const part of [checked, ...(checked.cases ?? [])]) if (part.embed && (part.action ?? checked.action) !== 'read') problems.push(`${where} embeds ${part.embed.resource} in a ${part.action ?? checked.action ?? 'call without an action'}: only a read shows an embed`);
    for (const part of [checked, ...(checked.cases ?? [])]) if (part.embed && embedMisses(operation, part.embed.at)) problems.push(`${where} embeds ${part.embed.resource} at ${part.embed.at}, where the success answer's schema has no array`);
    for (const [param, field] of Object.entries(checked.filters ?? {})) {
      const template = typeof field === 'string' ? field : field.field;
      if (param.includes('{name}') && (param.split('{name}').length !== 2 || !template.includes('{name}'))) problems.push(`${where} filter "${param}" → "${template}": a {name} filter has {name} once in the parameter and in the field`);
    }
    const fields = [...Object.keys(checked.violations?.filedAs ?? {}), ...(operation.requestBody ? (checked.freeForm ?? []) : [])];
    // `''` is the body as a whole, which any request can send.
    for (const field of fields.filter((pointer) => pointer !== '' && !bodyDeclares(operation, pointer))) problems.push(`${where} names the body field "${field}", which the operation's request body does not declare`);
    // Only a free-form object is written key by key: elsewhere a nullRemoves pointer would do nothing, silently.
    for (const field of (checked.nullRemoves ?? []).filter((pointer) => !(checked.freeForm ?? []).includes(pointer))) problems.push(`${where} nullRemoves "${field}", which is not one of its freeForm objects`);
    const webhook = checked.notify?.webhook;
    if (webhook !== undefined && !Object.hasOwn((doc as { webhooks?: object }).webhooks ?? {}, webhook)) problems.push(`${where} notifies with the webhook "${webhook}", which the spec's webhooks do not have`);
  }
  return problems;
}

/**
 * A security scheme's `x-mock-caller`, which the engine reads to refuse a token of the other kind:
 * a value it does not know made every token the mock issued a 401 on the scheme's operations, and
 * a misspelt key turned the check off, both silently.
 */
function callerProblems(doc: OpenApiDocument): string[] {
  const schemes = Object.entries((doc.components?.securitySchemes ?? {}) as unknown as Record<string, Record<string, unknown>>);
  return schemes.flatMap(([name, scheme]) => [
    ...('x-mock-caller' in scheme && !['user', 'tenant'].includes(scheme['x-mock-caller'] as string)
      ? [`securitySchemes.${name}: x-mock-caller must be user or tenant (got ${JSON.stringify(scheme['x-mock-caller'])})`]
      : []),
    ...Object.keys(scheme)
      .filter((key) => key !== 'x-mock-caller' && key.startsWith('x-mock'))
      .map((key) => `securitySchemes.${name}: ${key} is not an extension the mock reads (x-mock-caller is)`),
  ]);
}
