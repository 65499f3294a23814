/**
 * A stand-in vendor on a plain node:http server (no Prism): it answers every operation of a spec
 * with the first documented success example, and a secured operation called without its
 * credentials with the documented 401. `breaks` may turn chosen operations' answers into broken
 * ones (the drift list) — which is how the unit project proves the harness catches drift. With
 * `validate`, a request that lacks a required query parameter or top-level body field, breaks a
 * top-level maxLength/maximum, or has an undocumented content type gets the documented 400/422
 * naming the field (in an `sl-violations` header, as Prism does); `breaks` may break those
 * refusals too. Its rules are written here on their own, not borrowed from the harness they test.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { matchOperation } from './match.js';
import { deref, type LoadedSpec, type OperationRef } from './spec.js';

export interface Answer {
  status: number;
  contentType: string;
  body: string;
  /** Sent as `sl-violations`: what a refused request got wrong, as Prism names it. */
  violations?: string;
}

export interface Break {
  operationId: string;
  /** Accept calls without credentials (a vendor whose auth broke). */
  acceptsAnonymous?: boolean;
  breakResponse?: (answer: Answer, request: { authorization?: string }) => Answer;
  /** Turns a refusal (the 401 of a call without credentials, the 400/422 of a broken request) into a broken one. */
  breakRefusal?: (answer: Answer) => Answer;
}

/** The first documented answer for a status range ('2' for success, '401' exactly), from its examples. */
function documentedAnswer(spec: LoadedSpec, op: OperationRef, wanted: (status: string) => boolean): Answer | undefined {
  const entry = Object.entries<any>(op.operation.responses ?? {}).find(([status]) => wanted(status));
  if (!entry) return undefined;
  const status = Number(entry[0]);
  const response = deref(spec.doc, entry[1]);
  const [contentType, media] = Object.entries<any>(response.content ?? {})[0] ?? [];
  if (!contentType) return { status, contentType: '', body: '' };
  const example = media.example !== undefined ? media.example : deref(spec.doc, Object.values<any>(media.examples ?? {})[0])?.value;
  const json = contentType === 'application/json' || contentType.endsWith('+json');
  // Binary media (an image) documents no example: any bytes of that type are faithful.
  if (example === undefined && !json) return { status, contentType, body: 'stand-in bytes' };
  if (example === undefined) throw new Error(`${spec.vendor.name} ${op.operation.operationId}: ${status} ${contentType} has no example to serve`);
  return { status, contentType, body: typeof example === 'string' && !json ? example : JSON.stringify(example) };
}

/** Whether the request carries some credential for every scheme of one of the operation's requirements. */
function authenticated(spec: LoadedSpec, op: OperationRef, req: IncomingMessage, url: URL): boolean {
  const requirements: Record<string, string[]>[] = op.operation.security ?? spec.doc.security ?? [];
  if (requirements.length === 0) return true;
  const schemes = spec.doc.components?.securitySchemes ?? {};
  return requirements.some((requirement) =>
    Object.keys(requirement).every((name) => {
      const scheme = schemes[name];
      if (!scheme) return false;
      if (scheme.type === 'apiKey' && scheme.in === 'query') return url.searchParams.has(scheme.name!);
      if (scheme.type === 'apiKey' && scheme.in === 'header') return Boolean(req.headers[scheme.name!.toLowerCase()]);
      return Boolean(req.headers.authorization);
    }),
  );
}

const follow = (spec: LoadedSpec, node: any) => deref(spec.doc, node);

/** Top-level required names and property schemas of an object schema, through allOf. */
function topLevel(spec: LoadedSpec, schema: any): { required: string[]; properties: Record<string, any> } {
  const s = follow(spec, schema) ?? {};
  const out = { required: [...(s.required ?? [])], properties: { ...s.properties } };
  for (const part of s.allOf ?? []) {
    const inner = topLevel(spec, part);
    out.required.push(...inner.required);
    Object.assign(out.properties, inner.properties);
  }
  return out;
}

function limitBroken(spec: LoadedSpec, schema: any, value: unknown): boolean {
  const s = follow(spec, schema) ?? {};
  if (typeof s.maxLength === 'number' && String(value).length > s.maxLength) return true;
  return typeof s.maximum === 'number' && Number(value) > s.maximum;
}

/** The request's top-level body fields, however it was encoded. */
async function bodyFields(header: string, raw: Buffer): Promise<Record<string, unknown>> {
  const contentType = header.split(';')[0]!.trim().toLowerCase();
  if (raw.length === 0) return {};
  if (contentType === 'application/json') return JSON.parse(raw.toString());
  if (contentType === 'application/x-www-form-urlencoded') {
    const fields: Record<string, unknown> = {};
    for (const [key, value] of new URLSearchParams(raw.toString())) fields[key.split('[')[0]!] ??= value;
    return fields;
  }
  if (contentType === 'multipart/form-data') {
    const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': header } }).formData();
    return Object.fromEntries([...form.keys()].map((key) => [key, form.get(key)]));
  }
  return {};
}

/** What is wrong with a request, one `{ field, message }` each (empty when it is valid). */
async function requestViolations(spec: LoadedSpec, op: OperationRef, req: IncomingMessage, url: URL, raw: Buffer) {
  const problems: { field: string; message: string }[] = [];
  const params = [...op.pathParameters, ...(op.operation.parameters ?? [])].map((p) => follow(spec, p)).filter((p) => p.in === 'query');
  for (const param of params) {
    const value = url.searchParams.get(param.name);
    if (value === null && param.required) problems.push({ field: param.name, message: `query parameter ${param.name} is required` });
    if (value !== null && limitBroken(spec, param.schema, value)) problems.push({ field: param.name, message: `query parameter ${param.name} is over its limit` });
  }
  const requestBody = follow(spec, op.operation.requestBody);
  if (!requestBody) return problems;
  const header = req.headers['content-type'] ?? '';
  const contentType = header.split(';')[0]!.trim().toLowerCase();
  if (raw.length === 0) {
    if (requestBody.required) problems.push({ field: 'body', message: 'the request body is required' });
    return problems;
  }
  const media = requestBody.content?.[contentType];
  if (!media) return [...problems, { field: 'content-type', message: `content type "${contentType}" is not documented` }];
  const fields = await bodyFields(header, raw);
  const { required, properties } = topLevel(spec, media.schema);
  for (const name of required) if (fields[name] === undefined) problems.push({ field: name, message: `body field ${name} is required` });
  for (const [name, schema] of Object.entries(properties)) {
    if (fields[name] !== undefined && limitBroken(spec, schema, fields[name])) problems.push({ field: name, message: `body field ${name} is over its limit` });
  }
  return problems;
}

export async function startExampleServer(spec: LoadedSpec, breaks: Break[] = [], options: { validate?: boolean } = {}) {
  const server: Server = createServer((req, res) => {
    answer(req)
      .catch((error: Error) => ({ status: 500, contentType: 'text/plain', body: `stand-in failed: ${error.message}` }))
      .then(({ status, contentType, body, violations }: Answer) => {
        const headers: Record<string, string> = contentType && body ? { 'content-type': contentType } : {};
        if (violations) headers['sl-violations'] = violations;
        res.writeHead(status, headers);
        res.end(body);
      });
  });
  async function answer(req: IncomingMessage): Promise<Answer> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url!, 'http://stand-in');
    const op = matchOperation(spec, req.method!, url.pathname);
    let answer: Answer;
    let violations: { field: string; message: string }[] = [];
    if (!op) {
      answer = { status: 404, contentType: 'text/plain', body: 'no such operation' };
    } else {
      const broken = breaks.find((b) => b.operationId === op.operation.operationId);
      const refuse = (refusal: Answer) => broken?.breakRefusal?.(refusal) ?? refusal;
      if (!broken?.acceptsAnonymous && !authenticated(spec, op, req, url)) {
        answer = refuse(documentedAnswer(spec, op, (s) => s === '401') ?? { status: 401, contentType: '', body: '' });
      } else if (options.validate && (violations = await requestViolations(spec, op, req, url, Buffer.concat(chunks))).length > 0) {
        const refusal = documentedAnswer(spec, op, (s) => s === '400') ?? documentedAnswer(spec, op, (s) => s === '422');
        answer = refuse({ ...(refusal ?? { status: 400, contentType: '', body: '' }), violations: JSON.stringify(violations) });
      } else {
        answer = documentedAnswer(spec, op, (s) => s.startsWith('2'))!;
        if (broken?.breakResponse) answer = broken.breakResponse(answer, { authorization: req.headers.authorization });
      }
    }
    return answer;
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
