/**
 * Checks each operation's `x-mock` before the mock reads it: against its schema (a misspelt key,
 * an unknown action, a value of the wrong kind), and the parameter names it uses against the
 * operation's own parameters. The interpreter ignores what it does not know, so a mistake here
 * left the mock answering examples where the spec meant it to keep state.
 */
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { behaviourSchema } from '../../src/mock/state/behaviour-schema.js';
import type { Condition, MockBehaviour, ValueSource } from '../../src/mock/state/behaviour.js';
import { listOperations, type OpenApiDocument } from '../lib/openapi.js';

type Parameter = { name?: string; in?: string; $ref?: string };

const validate = new Ajv2020({ allErrors: true, strict: false }).compile(behaviourSchema);

const described = (error: ErrorObject) =>
  `${error.instancePath || '/'}: ${error.keyword === 'additionalProperties' ? `unknown key "${(error.params as { additionalProperty: string }).additionalProperty}"` : error.message}`;

/** The operation's parameters by location, `$ref`s to components followed. */
function parametersOf(doc: OpenApiDocument, listed: unknown[]): Record<'path' | 'query', Set<string>> {
  const out = { path: new Set<string>(), query: new Set<string>() };
  for (let parameter of listed as Parameter[]) {
    if (parameter.$ref?.startsWith('#/components/parameters/')) parameter = ((doc as { components?: { parameters?: Record<string, Parameter> } }).components?.parameters?.[parameter.$ref.split('/').pop()!] ?? {}) as Parameter;
    if ((parameter.in === 'path' || parameter.in === 'query') && parameter.name) out[parameter.in].add(parameter.name);
  }
  return out;
}

type Place = 'path' | 'path or query' | 'query';

/** The request parameters a source or condition reads (a lookup's id is a source too). */
function sourceNames(source: ValueSource | Condition | undefined): [string | undefined, Place][] {
  if (!source || typeof source !== 'object') return [];
  const lookup = (source as ValueSource).lookup;
  return [[source.query, 'query'], [source.path, 'path'], ...(lookup ? sourceNames(lookup.id) : [])];
}

/** The names a behaviour (and its cases and further effects) takes from the request, each with where it must be declared. */
function namesUsed(behaviour: MockBehaviour): [string, Place][] {
  const sources = [behaviour.idFrom, typeof behaviour.owner === 'object' ? behaviour.owner : undefined, ...Object.values(behaviour.echo ?? {}), ...Object.values(behaviour.assign ?? {}), behaviour.adjust?.by, behaviour.adjust?.record, behaviour.token?.identity];
  const conditions = [...(behaviour.cases ?? []), ...(behaviour.examples ?? [])].flatMap((variant) => [variant.when].flat());
  const own: [string | undefined, Place][] = [
    ...[...sources, ...conditions].flatMap(sourceNames),
    [behaviour.id, 'path'],
    [behaviour.via?.param, 'path'],
    [behaviour.left, 'path'],
    [behaviour.right, 'path'],
    ...(behaviour.requires ?? []).map((needed): [string, 'path'] => [needed.id, 'path']),
    // A `{name}` filter matches query keys the spec cannot list (Placewise's properties[<name>]).
    ...Object.keys(behaviour.filters ?? {}).filter((name) => !name.includes('{name}')).map((name): [string, 'path or query'] => [name, 'path or query']),
    [behaviour.page?.page, 'query'],
    [behaviour.page?.size, 'query'],
    [behaviour.page?.offset, 'query'],
  ];
  const nested = [...(behaviour.cases ?? []), ...(behaviour.also ?? [])].flatMap((inner) => namesUsed(inner as MockBehaviour));
  return [...own.filter((entry): entry is [string, Place] => entry[0] !== undefined), ...nested];
}

/** The example names a behaviour (and its cases and effects) asks Prism for. */
function examplesUsed(behaviour: MockBehaviour): string[] {
  const own = [behaviour.missing?.example, behaviour.from?.example, behaviour.adjust?.example, ...(behaviour.unique ?? []).map((rule) => rule.example), ...(behaviour.examples ?? []).map((choice) => choice.example)];
  const nested = [...(behaviour.cases ?? []), ...(behaviour.also ?? [])].flatMap((inner) => examplesUsed(inner as MockBehaviour));
  return [...own.filter((name): name is string => name !== undefined), ...nested];
}

/** The statuses a behaviour (and its cases and effects) answers with. */
function statusesUsed(behaviour: MockBehaviour): number[] {
  const own = [behaviour.missing?.status, behaviour.from?.status, behaviour.adjust?.status, ...(behaviour.unique ?? []).map((rule) => rule.status), ...(behaviour.examples ?? []).map((choice) => choice.status)];
  const nested = [...(behaviour.cases ?? []), ...(behaviour.also ?? [])].flatMap((inner) => statusesUsed(inner as MockBehaviour));
  return [...own.filter((status): status is number => status !== undefined), ...nested];
}

/** The names of the examples an operation's answers document, `$ref`s to response components followed. */
function exampleNames(doc: OpenApiDocument, operation: { responses?: Record<string, unknown> }): Set<string> {
  const names = new Set<string>();
  const components = (doc as { components?: { responses?: Record<string, unknown> } }).components?.responses ?? {};
  for (let response of Object.values(operation.responses ?? {}) as { $ref?: string; content?: Record<string, { examples?: Record<string, unknown> }> }[]) {
    if (response.$ref?.startsWith('#/components/responses/')) response = (components[response.$ref.split('/').pop()!] ?? {}) as typeof response;
    for (const media of Object.values(response.content ?? {})) for (const name of Object.keys(media.examples ?? {})) names.add(name);
  }
  return names;
}

export function mockBehaviourProblems(doc: OpenApiDocument): string[] {
  const problems: string[] = [];
  for (const { method, path, operation, pathParameters } of listOperations(doc)) {
    const behaviour = (operation as { 'x-mock'?: unknown })['x-mock'];
    if (behaviour === undefined) continue;
    const where = `${(operation as { operationId?: string }).operationId ?? `${method.toUpperCase()} ${path}`}: x-mock`;
    if (!validate(behaviour)) {
      // anyOf alternatives each report their own failure; the first few say enough.
      problems.push(...validate.errors!.slice(0, 3).map((error) => `${where}${described(error)} (docs/mock-behaviour.md lists the vocabulary)`));
      continue;
    }
    const declared = parametersOf(doc, [...pathParameters, ...(((operation as { parameters?: unknown[] }).parameters) ?? [])]);
    const checked = behaviour as MockBehaviour;
    for (const [name, place] of namesUsed(checked)) {
      const found = place === 'path' ? declared.path.has(name) : place === 'query' ? declared.query.has(name) : declared.path.has(name) || declared.query.has(name);
      if (!found) problems.push(`${where} uses the ${place} parameter "${name}", which the operation does not declare`);
    }
    const responses = (operation as { responses?: Record<string, unknown> }).responses ?? {};
    for (const status of statusesUsed(checked)) if (!Object.hasOwn(responses, String(status))) problems.push(`${where} answers with status ${status}, which the operation does not document`);
    const documented = exampleNames(doc, operation as { responses?: Record<string, unknown> });
    for (const name of examplesUsed(checked)) if (!documented.has(name)) problems.push(`${where} names the example "${name}", which no answer of the operation documents`);
    for (const [param, field] of Object.entries(checked.filters ?? {})) {
      const template = typeof field === 'string' ? field : field.field;
      if (param.includes('{name}') && (param.split('{name}').length !== 2 || !template.includes('{name}'))) problems.push(`${where} filter "${param}" → "${template}": a {name} filter has {name} once in the parameter and in the field`);
    }
    const webhook = checked.notify?.webhook;
    if (webhook !== undefined && !Object.hasOwn((doc as { webhooks?: object }).webhooks ?? {}, webhook)) problems.push(`${where} notifies with the webhook "${webhook}", which the spec's webhooks do not have`);
  }
  return problems;
}
