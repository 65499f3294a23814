/** The operations of a bundle, from `paths` and from 3.1 `webhooks`, and their parts. */
import { resolve, resolveSchema } from './schema-shape.js';
import { isObject, type Json, type JsonObject, type Operation } from './types.js';

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * Keyed so that a renamed path parameter (`/a/{id}` → `/a/{accountId}`) is the same operation:
 * a caller's URL does not change. An operation's `callbacks` are listed as webhooks are (the
 * vendor sends the request, the consumer's handler reads it), under the operation they belong to.
 */
export function listOperations(doc: JsonObject): Map<string, Operation> {
  const operations = new Map<string, Operation>();
  type Naming = (name: string, method: string, id: string) => { key: string; label: string };
  // A callback, or its path item, behind a ref the check cannot follow is left out, not fatal (REL-30).
  // One that holds itself (a ping whose callback is the ping) is listed once: `within` holds the
  // callbacks on the way here.
  const add = (group: Json | undefined, webhook: boolean, naming: Naming, lenient = false, within = new Set<JsonObject>()) => {
    if (!isObject(group) || within.has(group)) return;
    within = new Set([...within, group]);
    for (const [name, rawItem] of Object.entries(group)) {
      const item = (lenient ? resolveSchema : resolve)(doc, rawItem).schema;
      const pathParameters = Array.isArray(item.parameters) ? item.parameters : [];
      for (const method of methods) {
        const node = item[method];
        if (!isObject(node)) continue;
        const { key, label } = naming(name, method, typeof node.operationId === 'string' ? ` (${node.operationId})` : '');
        operations.set(key, { key, label, webhook, method, node, pathParameters, servers: node.servers ?? item.servers });
        if (!isObject(node.callbacks)) continue;
        for (const [callback, rawCallback] of Object.entries(node.callbacks)) {
          add(
            resolveSchema(doc, rawCallback).schema,
            true,
            (expression, hook, hookId) => ({
              key: `callback ${key} ${callback} ${expression} ${hook}`,
              label: `callback ${callback} ${hook.toUpperCase()} ${expression}${hookId} of ${label}`,
            }),
            true,
            within,
          );
        }
      }
    }
  };
  add(doc.paths, false, (name, method, id) => ({ key: `${method} ${name.replace(/\{[^}]*\}/g, '{}')}`, label: `${method.toUpperCase()} ${name}${id}` }));
  add(doc.webhooks, true, (name, method, id) => ({ key: `webhook ${name} ${method}`, label: `webhook ${name}${id}` }));
  return operations;
}

export interface Parameter {
  key: string;
  name: string;
  in: string;
  required: boolean;
  schema: Json | undefined;
  words: string;
  /** How it is written on the wire (style and explode, defaults put in; OpenAPI 3.1 §4.8.12.4). */
  form: string;
}

/** Path-level and operation-level parameters, the operation's winning, refs resolved. */
export function parameters(doc: JsonObject, operation: Operation): Map<string, Parameter> {
  const result = new Map<string, Parameter>();
  const own = Array.isArray(operation.node.parameters) ? operation.node.parameters : [];
  for (const raw of [...operation.pathParameters, ...own]) {
    const parameter = resolve(doc, raw).schema;
    if (typeof parameter.name !== 'string' || typeof parameter.in !== 'string') continue;
    // Header names are case-insensitive; path parameters are matched by position, not name.
    const name = parameter.in === 'header' ? parameter.name.toLowerCase() : parameter.name;
    const key = parameter.in === 'path' ? `path:${pathIndex(operation, parameter.name)}` : `${parameter.in}:${name}`;
    let schema: Json | undefined = parameter.schema;
    if (schema === undefined && isObject(parameter.content)) schema = Object.values(parameter.content).map((media) => (isObject(media) ? media.schema : undefined))[0];
    result.set(key, {
      key,
      name: parameter.name,
      in: parameter.in,
      required: parameter.required === true,
      schema,
      words: `${parameter.in} parameter \`${parameter.name}\``,
      form: formOf(parameter),
    });
  }
  return result;
}

/** `form, exploded`: a parameter's style and explode as the spec says them, or their defaults. */
function formOf(parameter: JsonObject): string {
  if (parameter.content !== undefined) return 'as its media type';
  const style = typeof parameter.style === 'string' ? parameter.style : parameter.in === 'query' || parameter.in === 'cookie' ? 'form' : 'simple';
  const explode = typeof parameter.explode === 'boolean' ? parameter.explode : style === 'form';
  return `${style}, ${explode ? 'exploded' : 'not exploded'}${parameter.allowReserved === true ? ', reserved characters unencoded' : ''}`;
}

function pathIndex(operation: Operation, name: string): number | string {
  const names = [...operation.label.matchAll(/\{([^}]*)\}/g)].map((match) => match[1]);
  const index = names.indexOf(name);
  return index >= 0 ? index : name;
}

/** The request body's media types (schema per type) and whether the body is required. */
export function requestBody(doc: JsonObject, operation: Operation): { required: boolean; content: Record<string, Json | undefined> } | undefined {
  if (operation.node.requestBody === undefined) return undefined;
  const body = resolve(doc, operation.node.requestBody).schema;
  return { required: body.required === true, content: mediaSchemas(body.content) };
}

/** Responses by status: media type → schema. */
export function responses(doc: JsonObject, operation: Operation): Map<string, Record<string, Json | undefined>> {
  const result = new Map<string, Record<string, Json | undefined>>();
  if (!isObject(operation.node.responses)) return result;
  for (const [status, raw] of Object.entries(operation.node.responses)) {
    result.set(status, mediaSchemas(resolve(doc, raw).schema.content));
  }
  return result;
}

export interface Header {
  name: string;
  required: boolean;
  schema: Json | undefined;
}

/** Response headers by status, keyed by lower-case name (header names are case-insensitive); refs resolved. */
export function responseHeaders(doc: JsonObject, operation: Operation): Map<string, Map<string, Header>> {
  const result = new Map<string, Map<string, Header>>();
  if (!isObject(operation.node.responses)) return result;
  for (const [status, raw] of Object.entries(operation.node.responses)) {
    const headers = new Map<string, Header>();
    const declared = resolve(doc, raw).schema.headers;
    for (const [name, rawHeader] of Object.entries(isObject(declared) ? declared : {})) {
      const header = resolve(doc, rawHeader).schema;
      let schema: Json | undefined = header.schema;
      if (schema === undefined && isObject(header.content)) schema = Object.values(header.content).map((media) => (isObject(media) ? media.schema : undefined))[0];
      headers.set(name.toLowerCase(), { name, required: header.required === true, schema });
    }
    result.set(status, headers);
  }
  return result;
}

function mediaSchemas(content: Json | undefined): Record<string, Json | undefined> {
  const result: Record<string, Json | undefined> = {};
  if (!isObject(content)) return result;
  for (const [type, media] of Object.entries(content)) result[type] = isObject(media) ? media.schema : undefined;
  return result;
}

export const isSuccess = (status: string) => /^2/.test(status);
