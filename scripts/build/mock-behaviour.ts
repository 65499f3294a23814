/**
 * Checks each operation's `x-mock` before the mock reads it: against its schema (a misspelt key,
 * an unknown action, a value of the wrong kind), and the parameter names it uses against the
 * operation's own parameters. The interpreter ignores what it does not know, so a mistake here
 * left the mock answering examples where the spec meant it to keep state.
 */
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { behaviourSchema } from '../../src/mock/state/behaviour-schema.js';
import type { MockBehaviour } from '../../src/mock/state/behaviour.js';
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

/** The names a behaviour (and its cases and further effects) takes from the request, each with where it must be declared. */
function namesUsed(behaviour: MockBehaviour): [string, 'path' | 'path or query' | 'query'][] {
  const own: [string | undefined, 'path' | 'path or query' | 'query'][] = [
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
  return [...own.filter((entry): entry is [string, 'path' | 'path or query' | 'query'] => entry[0] !== undefined), ...nested];
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
    for (const [name, place] of namesUsed(behaviour as MockBehaviour)) {
      const found = place === 'path' ? declared.path.has(name) : place === 'query' ? declared.query.has(name) : declared.path.has(name) || declared.query.has(name);
      if (!found) problems.push(`${where} uses the ${place} parameter "${name}", which the operation does not declare`);
    }
  }
  return problems;
}
