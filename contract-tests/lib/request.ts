import { deref, operationPointer, resolve, type LoadedSpec, type OperationRef } from './spec.js';

type Location = 'path' | 'query' | 'header';

export interface ContractRequest {
  params: Record<Location, Record<string, unknown>>;
  body?: unknown;
  mediaType?: string;
}

interface Parameter {
  name: string;
  in: Location | 'cookie';
  required?: boolean;
  schema?: any;
  example?: unknown;
  examples?: Record<string, any>;
}

function firstExample(doc: LoadedSpec['doc'], holder: { example?: unknown; examples?: Record<string, any> }) {
  if (holder.example !== undefined) return holder.example;
  const first = Object.values(holder.examples ?? {})[0];
  return first === undefined ? undefined : deref(doc, first).value;
}

export function parametersOf(spec: LoadedSpec, op: OperationRef): Parameter[] {
  const byKey = new Map<string, Parameter>();
  for (const raw of [...op.pathParameters, ...(op.operation.parameters ?? [])]) {
    const param = deref<Parameter>(spec.doc, raw);
    byKey.set(`${param.in}:${param.name}`, param);
  }
  return [...byKey.values()];
}

function parameterValue(spec: LoadedSpec, param: Parameter): unknown {
  const schema = param.schema ? deref(spec.doc, param.schema) : {};
  return firstExample(spec.doc, param) ?? schema.example ?? schema.examples?.[0] ?? schema.default ?? schema.enum?.[0];
}

/** The request the spec's own examples describe: the first example of every parameter and of the body. */
export function exampleRequest(spec: LoadedSpec, op: OperationRef): ContractRequest {
  const where = `${spec.vendor.name} ${op.operation.operationId}`;
  const request: ContractRequest = { params: { path: {}, query: {}, header: {} } };
  for (const param of parametersOf(spec, op)) {
    if (param.in === 'cookie') continue;
    const value = parameterValue(spec, param);
    if (value === undefined) {
      if (param.required) throw new Error(`${where}: required ${param.in} parameter "${param.name}" has no example`);
      continue;
    }
    request.params[param.in][param.name] = value;
  }
  if (op.operation.requestBody) {
    const body = resolve(spec.doc, `${operationPointer(op)}/requestBody`).value;
    const [mediaType, media] = Object.entries<any>(body.content ?? {})[0] ?? [];
    if (mediaType) {
      const value = firstExample(spec.doc, media);
      if (value === undefined && body.required) throw new Error(`${where}: the request body has no example`);
      request.mediaType = mediaType;
      request.body = value;
    }
  }
  return request;
}

/** A broken copy of the example request, and the field whose rule it breaks. */
export interface NegativeCase {
  kind: 'missing-required' | 'too-long';
  field: string;
  request: ContractRequest;
}

interface PropertySchema {
  maxLength?: number;
  type?: unknown;
}

/** Top-level required names and properties of a body schema, through $refs and allOf. */
function flatten(spec: LoadedSpec, schema: any): { required: string[]; properties: Record<string, PropertySchema> } {
  const resolved = deref(spec.doc, schema) ?? {};
  const required: string[] = [...(resolved.required ?? [])];
  const properties: Record<string, PropertySchema> = {};
  for (const [name, prop] of Object.entries<any>(resolved.properties ?? {})) properties[name] = deref(spec.doc, prop);
  for (const part of resolved.allOf ?? []) {
    const inner = flatten(spec, part);
    required.push(...inner.required);
    Object.assign(properties, inner.properties);
  }
  return { required, properties };
}

function clone(request: ContractRequest): ContractRequest {
  return structuredClone(request);
}

function bodySchema(spec: LoadedSpec, op: OperationRef, request: ContractRequest) {
  if (!request.mediaType || !request.body || typeof request.body !== 'object') return undefined;
  const body = resolve(spec.doc, `${operationPointer(op)}/requestBody`).value;
  return flatten(spec, body.content[request.mediaType].schema);
}

export function negativeCases(spec: LoadedSpec, op: OperationRef, base: ContractRequest): NegativeCase[] {
  const cases: NegativeCase[] = [];
  const body = bodySchema(spec, op, base);
  const params = parametersOf(spec, op).filter((p) => p.in !== 'cookie' && p.in !== 'path') as (Parameter & {
    in: Location;
  })[];

  const requiredField = body?.required.find((name) => name in (base.body as object));
  const requiredParam = params.find((p) => p.required && base.params[p.in][p.name] !== undefined);
  if (requiredField) {
    const request = clone(base);
    delete (request.body as Record<string, unknown>)[requiredField];
    cases.push({ kind: 'missing-required', field: requiredField, request });
  } else if (requiredParam) {
    const request = clone(base);
    delete request.params[requiredParam.in][requiredParam.name];
    cases.push({ kind: 'missing-required', field: requiredParam.name, request });
  }

  const longField = body && Object.entries(body.properties).find(([, prop]) => typeof prop.maxLength === 'number');
  const longParam = params.find((p) => typeof deref(spec.doc, p.schema)?.maxLength === 'number');
  if (longField) {
    const [name, prop] = longField;
    const request = clone(base);
    (request.body as Record<string, unknown>)[name] = 'x'.repeat(prop.maxLength! + 1);
    cases.push({ kind: 'too-long', field: name, request });
  } else if (longParam) {
    const request = clone(base);
    request.params[longParam.in][longParam.name] = 'x'.repeat(deref(spec.doc, longParam.schema).maxLength + 1);
    cases.push({ kind: 'too-long', field: longParam.name, request });
  }
  return cases;
}
