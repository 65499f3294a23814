import { deref, operationPointer, resolve, type LoadedSpec, type OperationRef } from './spec.js';

type Location = 'path' | 'query' | 'header';

export interface ContractRequest {
  params: Record<Location, Record<string, unknown>>;
  body?: unknown;
  mediaType?: string;
  /** Per-field content types of a multipart body (the media type's `encoding`). */
  partTypes?: Record<string, string>;
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
      const partTypes = Object.entries<any>(media.encoding ?? {}).filter(([, e]) => e.contentType);
      if (partTypes.length) request.partTypes = Object.fromEntries(partTypes.map(([field, e]) => [field, e.contentType]));
    }
  }
  return request;
}

/** A broken copy of the example request, and the field whose rule it breaks. */
export interface NegativeCase {
  kind: 'missing-required' | 'over-limit';
  field: string;
  request: ContractRequest;
}

interface PropertySchema {
  maxLength?: number;
  maximum?: number;
  type?: unknown;
}

/** A value just past the schema's maxLength or maximum, or undefined when it sets neither. */
function overLimit(schema: PropertySchema | undefined): string | number | undefined {
  if (typeof schema?.maxLength === 'number') return 'x'.repeat(schema.maxLength + 1);
  if (typeof schema?.maximum === 'number') return schema.maximum + 1;
  return undefined;
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
  // Header parameters are left alone: vendor clients set required headers themselves.
  const params = parametersOf(spec, op).filter((p) => p.in === 'query') as (Parameter & { in: 'query' })[];

  const requiredField = body?.required.find((name) => name in (base.body as object));
  const requiredParam = params.find((p) => p.required && base.params.query[p.name] !== undefined);
  if (requiredField) {
    const request = clone(base);
    delete (request.body as Record<string, unknown>)[requiredField];
    cases.push({ kind: 'missing-required', field: requiredField, request });
  } else if (requiredParam) {
    const request = clone(base);
    delete request.params.query[requiredParam.name];
    cases.push({ kind: 'missing-required', field: requiredParam.name, request });
  }

  const limitedField = body && Object.entries(body.properties).find(([, prop]) => overLimit(prop) !== undefined);
  const limitedParam = params.find((p) => overLimit(deref(spec.doc, p.schema)) !== undefined);
  if (limitedField) {
    const [name, prop] = limitedField;
    const request = clone(base);
    (request.body as Record<string, unknown>)[name] = overLimit(prop);
    cases.push({ kind: 'over-limit', field: name, request });
  } else if (limitedParam) {
    const request = clone(base);
    request.params.query[limitedParam.name] = overLimit(deref(spec.doc, limitedParam.schema));
    cases.push({ kind: 'over-limit', field: limitedParam.name, request });
  }
  return cases;
}

/** A multipart body from an example: a part per field (repeated for arrays), files as Blobs. */
export function toMultipart(request: ContractRequest): FormData {
  const form = new FormData();
  for (const [field, value] of Object.entries((request.body ?? {}) as Record<string, unknown>)) {
    const type = request.partTypes?.[field];
    for (const [index, item] of (Array.isArray(value) ? value : [value]).entries()) {
      if (type) form.append(field, new Blob([String(item)], { type }), `${field}-${index}`);
      else form.append(field, typeof item === 'string' ? item : JSON.stringify(item));
    }
  }
  return form;
}

