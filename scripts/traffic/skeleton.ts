import type { OpenApiDocument } from '../lib/openapi.js';
import { isCredentialParameter } from '../../src/record/har.js';
import { parseBody } from './body.js';
import { camel, parameterValues } from './guess.js';
import type { Exchange } from './har.js';

/** Requests recorded for one undocumented method + path template. */
export interface RecordedOperation {
  method: string;
  path: string;
  /** Each exchange with the API path it was cut to (after the server part). */
  calls: { exchange: Exchange; path: string }[];
}

/**
 * A starting point for the operation in the spec's own conventions (docs/spec-style.md): the
 * facts the recording shows (parameters, bodies, statuses, whether credentials were sent) are
 * filled in; what only a person can say is `TODO`, so lint and review catch it.
 */
export function suggestOperation(doc: OpenApiDocument, recorded: RecordedOperation, harName: string): Record<string, unknown> {
  const { method, path, calls } = recorded;
  const exchanges = calls.map((c) => c.exchange);
  const suggestion: Record<string, unknown> = {
    operationId: operationId(method, path),
    summary: 'TODO',
    description: 'TODO: what the call does, in our own words.',
    tags: ['TODO'],
  };
  if ((doc.security ?? []).length > 0 && !exchanges.some((e) => sendsCredentials(doc, e))) suggestion.security = [];
  suggestion['x-source'] = `${harName} › ${exchanges.map((e) => `log.entries[${e.index}]`).join(', ')}`;
  suggestion['x-confidence'] = 'low';
  const requests = exchanges.length === 1 ? 'one recorded request' : `${exchanges.length} recorded requests`;
  suggestion['x-inferred'] = [
    `Method, path and parameters are read from ${requests}; parameter names are guesses, and a query parameter is marked required when every recorded request sent it.`,
    'Schemas give only the top-level type of the recorded bodies; the examples are the recorded ones, with secret-looking values redacted.',
  ];
  const parameters = [...pathParameters(calls, path), ...queryParameters(doc, exchanges)];
  if (parameters.length) suggestion.parameters = parameters;
  const requestBody = requestBodyOf(exchanges);
  if (requestBody) suggestion.requestBody = requestBody;
  suggestion.responses = responsesOf(exchanges);
  return suggestion;
}

/** `POST /api/v1/auth/login` → `postAuthLogin`: mechanical on purpose, so nobody mistakes it for the vendor's name. */
function operationId(method: string, path: string): string {
  const words = path
    .split('/')
    .filter((s) => s && !s.startsWith('{') && !/^(api|v\d+)$/i.test(s))
    .map((s) => camel(s))
    .map((w) => w[0]!.toUpperCase() + w.slice(1));
  return method.toLowerCase() + words.join('');
}

function pathParameters(calls: RecordedOperation['calls'], template: string) {
  const samples = new Map<string, string[]>();
  for (const call of calls) {
    for (const { name, value } of parameterValues(template, call.path)) samples.set(name, [...(samples.get(name) ?? []), value]);
  }
  return [...samples].map(([name, values]) => ({ name, in: 'path', required: true, ...typed(values) }));
}

function queryParameters(doc: OpenApiDocument, exchanges: Exchange[]) {
  const credentials = apiKeys(doc, 'query');
  const samples = new Map<string, string[]>();
  for (const exchange of exchanges) {
    for (const [name, value] of exchange.url.searchParams) {
      if (!credentials.includes(name)) samples.set(name, [...(samples.get(name) ?? []), value]);
    }
  }
  return [...samples].map(([name, values]) => ({
    name,
    in: 'query',
    // Only what every recorded call sent is likely to be required.
    required: exchanges.every((e) => e.url.searchParams.has(name)),
    // A credential sent in the query (`?access_token=`) is as secret as one in a body.
    ...(isSecretParameter(name) ? { schema: { type: 'string' }, example: '<redacted>' } : typed(values)),
  }));
}

/** Schema and example for parameter values, which are always strings on the wire. */
function typed(values: string[]) {
  const all = (regex: RegExp) => values.every((v) => regex.test(v));
  if (all(/^-?\d+$/)) return { schema: { type: 'integer' }, example: Number(values[0]) };
  if (all(/^(true|false)$/)) return { schema: { type: 'boolean' }, example: values[0] === 'true' };
  if (all(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i)) return { schema: { type: 'string', format: 'uuid' }, example: values[0] };
  return { schema: { type: 'string' }, example: values[0] };
}

function requestBodyOf(exchanges: Exchange[]) {
  const withBody = exchanges.filter((e) => e.requestBody && (e.requestBody.text !== '' || e.requestBody.incomplete !== undefined));
  // A body the recording does not have whole is no example.
  const first = withBody.find((e) => e.requestBody!.incomplete === undefined)?.requestBody;
  if (!first) return undefined;
  return {
    required: withBody.length === exchanges.length,
    content: { [first.contentType || 'application/octet-stream']: media(first.contentType, first.text) },
  };
}

function responsesOf(exchanges: Exchange[]) {
  const responses: Record<string, unknown> = {};
  // Answers whose whole body was recorded first: one let go or cut off shows none, or part of one.
  const whole = (e: Exchange) => (e.response.incomplete === undefined ? 0 : 1);
  for (const exchange of [...exchanges].sort((a, b) => a.response.status - b.response.status || whole(a) - whole(b))) {
    const { status, contentType, text, incomplete } = exchange.response;
    if (status === 0 || String(status) in responses) continue;
    responses[String(status)] = {
      description: 'TODO',
      ...(text.trim() && incomplete === undefined ? { content: { [contentType || 'application/octet-stream']: media(contentType, text) } } : {}),
    };
  }
  return responses;
}

function media(contentType: string, text: string) {
  const parsed = parseBody(contentType, text);
  if (parsed.kind === 'json' || parsed.kind === 'form') {
    return { schema: { type: typeOf(parsed.value) }, example: redact(parsed.value) };
  }
  // A body nested deeper than the checks go: its type, and no example (which would be as deep).
  if (parsed.kind === 'invalid' && parsed.depth !== undefined) return { schema: { type: text.trimStart().startsWith('[') ? 'array' : 'object' } };
  return { schema: { type: 'string' } };
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

// Examples end up in a committed spec: values under these names are replaced, keeping the field names.
const SECRET = /pass(word)?|secret|token|ap[ip].?key|authori[sz]ation|credential|pin$/i;

/** A query parameter whose value a report never shows: a secret-looking name, or one the recordings mask as a URL's (OAuth's `code`). */
const isSecretParameter = (name: string) => SECRET.test(name) || isCredentialParameter(name);

/** A recorded URL as a report shows it: its credential parameters' values redacted. */
export function reportedUrl(url: URL): string {
  const shown = new URL(url);
  for (const name of new Set(shown.searchParams.keys())) if (isSecretParameter(name)) shown.searchParams.set(name, '<redacted>');
  return shown.href;
}

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, SECRET.test(key) && typeof item !== 'object' ? '<redacted>' : redact(item)]),
    );
  }
  return value;
}

function apiKeys(doc: OpenApiDocument, where: 'query' | 'header' | 'cookie'): string[] {
  return Object.values(doc.components?.securitySchemes ?? {})
    .filter((s) => s.type === 'apiKey' && s.in === where && s.name)
    .map((s) => s.name!);
}

/** Whether a request carries any credential the spec's security schemes know of. */
function sendsCredentials(doc: OpenApiDocument, exchange: Exchange): boolean {
  const cookies = exchange.requestHeaders.get('cookie') ?? '';
  return (
    exchange.requestHeaders.has('authorization') ||
    apiKeys(doc, 'header').some((name) => exchange.requestHeaders.has(name.toLowerCase())) ||
    apiKeys(doc, 'query').some((name) => exchange.url.searchParams.has(name)) ||
    apiKeys(doc, 'cookie').some((name) => cookies.split(';').some((c) => c.trim().startsWith(`${name}=`)))
  );
}
