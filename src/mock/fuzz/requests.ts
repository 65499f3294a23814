/**
 * Requests generated from a bundled spec, for the fuzz load: one valid request per operation
 * (from its examples), and mutations that each break one named thing. A mutation that breaks a
 * field carries the field's name: the mock's refusal must name it.
 */
import type { Operation } from '../prism.js';

export interface FuzzRequest {
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** The status class the mock must answer with ('4xx'), or any status below 500 ('any'). */
  expect: '4xx' | 'any';
  /** The mock's refusal must name this (in its body or its sl-violations header). */
  names?: string;
}

type Json = unknown;
const exampleOf = (holder: { examples?: readonly object[] } | undefined): unknown => (holder?.examples?.find((e) => 'value' in e) as { value?: unknown } | undefined)?.value;

function credentials(operation: Operation): { headers: Record<string, string>; query: Record<string, string> } {
  const headers: Record<string, string> = {};
  const query: Record<string, string> = {};
  for (const scheme of operation.security?.[0] ?? []) {
    const s = scheme as { type: string; scheme?: string; in?: string; name?: string };
    if (s.type === 'http' && s.scheme === 'basic') headers.authorization = `Basic ${Buffer.from('user:secret').toString('base64')}`;
    else if (s.type === 'http' || s.type === 'oauth2' || s.type === 'openIdConnect') headers.authorization = 'Bearer fuzz-token';
    else if (s.type === 'apiKey' && s.in === 'header') headers[s.name!.toLowerCase()] = 'fuzz-key';
    else if (s.type === 'apiKey' && s.in === 'query') query[s.name!] = 'fuzz-key';
  }
  return { headers, query };
}

/** The operation's example request: path, query and header parameters from their examples, the body example. */
export function validRequest(operation: Operation): { path: string; query: URLSearchParams; headers: Record<string, string>; body?: Json; mediaType?: string } {
  const auth = credentials(operation);
  let path = operation.path;
  for (const param of operation.request?.path ?? []) path = path.replace(`{${param.name}}`, encodeURIComponent(String(exampleOf(param) ?? 1)));
  const query = new URLSearchParams(auth.query);
  for (const param of operation.request?.query ?? []) {
    const value = exampleOf(param);
    if (param.required && value !== undefined) for (const v of [value].flat()) query.append(param.name, String(v));
  }
  const headers = { ...auth.headers };
  for (const param of operation.request?.headers ?? []) {
    const value = exampleOf(param);
    if (param.required && value !== undefined) headers[param.name.toLowerCase()] = String(value);
  }
  const content = operation.request?.body?.contents?.find((c) => /json|x-www-form-urlencoded/.test(c.mediaType));
  const body = content ? exampleOf(content) : undefined;
  return { path, query, headers, body, mediaType: content?.mediaType };
}

export function encodeBody(body: Json, mediaType: string | undefined): string | undefined {
  if (body === undefined) return undefined;
  if (mediaType === 'application/x-www-form-urlencoded') {
    const form = new URLSearchParams();
    const walk = (value: unknown, name: string) => {
      if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, name ? `${name}[${k}]` : k);
      else form.append(name, String(value));
    };
    walk(body, '');
    return form.toString();
  }
  return JSON.stringify(body);
}

function request(label: string, operation: Operation, parts: ReturnType<typeof validRequest>, expect: FuzzRequest['expect'], names?: string): FuzzRequest {
  const query = parts.query.toString();
  const body = encodeBody(parts.body, parts.mediaType);
  return {
    label: `${operation.iid} ${label}`,
    method: operation.method.toUpperCase(),
    path: `${parts.path}${query ? `?${query}` : ''}`,
    headers: { ...parts.headers, ...(body !== undefined ? { 'content-type': parts.mediaType! } : {}) },
    body,
    expect,
    names,
  };
}

/** A request to break one thing in; URLSearchParams is not structured-cloneable (Node 22+ throws). */
const clone = (valid: ReturnType<typeof validRequest>): ReturnType<typeof validRequest> => ({
  ...valid,
  query: new URLSearchParams(valid.query),
  headers: { ...valid.headers },
  body: structuredClone(valid.body),
});

/** The valid request and one request per thing that can be broken in it. */
export function requestsFor(operation: Operation): FuzzRequest[] {
  const valid = validRequest(operation);
  const out: FuzzRequest[] = [request('as documented', operation, valid, 'any')];
  const schema = operation.request?.body?.contents?.find((c) => c.mediaType === valid.mediaType)?.schema as { required?: string[]; properties?: Record<string, { type?: string | string[]; maxLength?: number }> } | undefined;
  const body = valid.body as Record<string, unknown> | undefined;
  if (body && typeof body === 'object' && !Array.isArray(body) && schema) {
    for (const field of schema.required ?? []) {
      if (!(field in body)) continue;
      const broken = clone(valid);
      delete (broken.body as Record<string, unknown>)[field];
      out.push(request(`without required body field ${field}`, operation, broken, '4xx', field));
    }
    for (const [field, property] of Object.entries(schema.properties ?? {})) {
      const types = [property.type].flat();
      if (types.includes('string') && !types.includes('null') && !types.includes('number') && !types.includes('integer') && !types.includes('boolean') && valid.mediaType?.includes('json')) {
        const broken = clone(valid);
        (broken.body as Record<string, unknown>)[field] = { not: 'a string' };
        out.push(request(`with body field ${field} of the wrong type`, operation, broken, '4xx', field));
      }
      if (property.maxLength !== undefined && property.maxLength < 100_000) {
        const broken = clone(valid);
        (broken.body as Record<string, unknown>)[field] = 'x'.repeat(property.maxLength + 1);
        out.push(request(`with body field ${field} over its maxLength`, operation, broken, '4xx', field));
      }
    }
  }
  for (const param of operation.request?.query ?? []) {
    if (!param.required || !valid.query.has(param.name)) continue;
    const broken = clone(valid);
    broken.query.delete(param.name);
    out.push(request(`without required query parameter ${param.name}`, operation, broken, '4xx', param.name));
  }
  for (const param of operation.request?.path ?? []) {
    const broken = clone(valid);
    broken.path = operation.path.replace(`{${param.name}}`, '%E0%A4%A');
    for (const other of operation.request?.path ?? []) if (other !== param) broken.path = broken.path.replace(`{${other.name}}`, '1');
    out.push(request(`with a malformed escape in path parameter ${param.name}`, operation, broken, '4xx', '%E0%A4%A'));
  }
  if (operation.security?.length && valid.headers.authorization) {
    const broken = clone(valid);
    broken.headers.authorization = 'Garbage !!!';
    if (!operation.security.some((alternative) => alternative.length === 0)) out.push(request('with garbage in Authorization', operation, broken, '4xx'));
  }
  if (valid.mediaType) {
    out.push({ ...request('with an unparseable Content-Type', operation, valid, '4xx', 'Content-Type'), headers: { ...request('', operation, valid, '4xx').headers, 'content-type': 'garbage;;;===' } });
    out.push({ ...request('with a 10,000-deep JSON body', operation, valid, '4xx'), headers: { ...valid.headers, 'content-type': 'application/json' }, body: '['.repeat(10_000) });
  }
  return out;
}
