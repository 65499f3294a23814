/**
 * A Postman collection (v2.1) per vendor, converted from the bundled spec at build time with
 * openapi-to-postmanv2: one folder per tag, one request per operation. `{{baseUrl}}` defaults to
 * the vendor's local mock (`npm start`), so every request works out of the box against it; the
 * variable's description names the vendor's own server for when you want the real API.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { convertV2 } from 'openapi-to-postmanv2';
import { listOperations, type OpenApiDocument, type OperationRef, type SecurityRequirement } from '../lib/openapi.js';
import { defaultBaseUrl } from '../../src/client.js';
import { toFormBody } from '../../src/form.js';
import type { VendorInfo } from '../../src/vendors.js';

export const POSTMAN_SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

export interface PostmanVariable {
  key: string;
  value: string;
  type?: string;
  description?: string;
}

export interface PostmanRequest {
  method: string;
  url: { raw?: string; host?: string[]; path?: string[]; query?: unknown[]; variable?: unknown[] };
  [field: string]: unknown;
}

export interface PostmanItem {
  id?: string;
  name: string;
  item?: PostmanItem[];
  request?: PostmanRequest;
  response?: { id?: string; [field: string]: unknown }[];
  [field: string]: unknown;
}

export interface PostmanCollection {
  info: { _postman_id: string; name: string; schema: string; description?: { content: string; type: string } | string };
  item: PostmanItem[];
  variable: PostmanVariable[];
  auth?: unknown;
  [field: string]: unknown;
}

export const mockUrl = (vendor: VendorInfo) => `http://127.0.0.1:${vendor.mockPort}`;

/** Leaf requests of a collection, depth first, with the folder path that holds each. */
export function requestsOf(items: PostmanItem[], folders: string[] = []): { folders: string[]; item: PostmanItem }[] {
  return items.flatMap((item) => (item.item ? requestsOf(item.item, [...folders, item.name]) : item.request ? [{ folders, item }] : []));
}

/** "GET /accounts/{accountId}" for a converted request (Postman writes path parameters as `:name`). */
export function requestKey(request: PostmanRequest): string {
  const path = (request.url.path ?? []).map((segment) => segment.replace(/^:(.+)$/, '{$1}')).join('/');
  return `${request.method.toUpperCase()} /${path}`;
}

/** mulberry32: a small seeded PRNG, so the schema faker's values are the same on every build. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The json-schema-faker instance openapi-to-postmanv2 requires (the package has no `exports`
 * map, so the asset is reachable, and Node's module cache makes it the very same instance).
 */
const schemaFaker = createRequire(import.meta.url)('openapi-to-postmanv2/assets/json-schema-faker.js') as {
  option(options: { random: () => number }): void;
};

function convert(spec: OpenApiDocument, seed: number): Record<string, unknown> {
  // openapi-to-postmanv2 fakes values for schemas without an example: json-schema-faker draws
  // from its `random` option (Math.random, captured when it loads) and randexp from Math.random.
  // The conversion calls back synchronously, so seeding both for the length of the call makes the
  // output reproducible: rebuilding the site changes nothing unless the spec did.
  const random = Math.random;
  const seeded = seededRandom(seed);
  Math.random = seeded;
  schemaFaker.option({ random: seeded });
  let outcome: { error?: unknown; result?: { result: boolean; reason?: string; output?: { type: string; data: unknown }[] } } | undefined;
  try {
    convertV2(
      // A copy: the converter resolves references in the object it is given, in place.
      { type: 'json', data: structuredClone(spec) as unknown as object },
      { folderStrategy: 'Tags', requestNameSource: 'Fallback', parametersResolution: 'Example', includeAuthInfoInExample: true },
      (error: unknown, result: any) => {
        outcome = { error, result };
      },
    );
  } finally {
    Math.random = random;
    schemaFaker.option({ random });
  }
  if (!outcome) throw new Error('openapi-to-postmanv2 did not convert synchronously; the seeded faker in postman.ts needs revisiting');
  if (outcome.error) throw outcome.error instanceof Error ? outcome.error : new Error(String(outcome.error));
  const collection = outcome.result?.output?.find((o) => o.type === 'collection')?.data;
  if (!outcome.result?.result || !collection) throw new Error(`openapi-to-postmanv2: ${outcome.result?.reason ?? 'no collection produced'}`);
  // The converter hands back postman-collection SDK objects; keep their JSON form only.
  return JSON.parse(JSON.stringify(collection));
}

/** `{{name}}` references in the string values of `value`, descriptions aside (they only quote). */
function variablesIn(value: unknown, found = new Set<string>()): Set<string> {
  if (typeof value === 'string') for (const m of value.matchAll(/\{\{([^{}]+)\}\}/g)) found.add(m[1]!);
  else if (Array.isArray(value)) for (const v of value) variablesIn(v, found);
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) if (key !== 'description') variablesIn(v, found);
  }
  return found;
}

/** The first example of a media type (`example`, or the first of `examples`, local $refs followed). */
function firstExample(spec: OpenApiDocument, media: Record<string, any> | undefined): unknown {
  if (!media) return undefined;
  if ('example' in media) return media.example;
  let example = Object.values(media.examples ?? {})[0] as Record<string, any> | undefined;
  for (let hops = 0; example?.$ref && hops < 10; hops++) {
    example = String(example.$ref)
      .replace(/^#\//, '')
      .split('/')
      .reduce<any>((node, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
  }
  return example?.value;
}

/**
 * openapi-to-postmanv2 fills form (x-www-form-urlencoded) bodies from the schema with faked
 * values and ignores the spec's examples, so the mock rejects many of them. Such bodies are
 * replaced with the spec's first example (what the contract tests send), encoded in bracket
 * notation exactly as the clients do (src/form.ts); the converter's field descriptions are kept.
 */
function useFormExamples(spec: OpenApiDocument, operation: OperationRef, request: PostmanRequest): void {
  const body = request.body as { mode?: string; urlencoded?: { key: string; description?: unknown }[] } | undefined;
  if (body?.mode !== 'urlencoded') return;
  const example = firstExample(spec, operation.operation.requestBody?.content?.['application/x-www-form-urlencoded']);
  if (example === undefined || example === null || typeof example !== 'object') return;
  const described = new Map((body.urlencoded ?? []).map((field) => [field.key.replace(/\[.*$/, ''), field.description]));
  body.urlencoded = [...(toFormBody(example) as URLSearchParams)].map(([key, value]) => {
    const description = described.get(key.replace(/\[.*$/, ''));
    return { key, value, disabled: false, ...(description ? { description } : {}) };
  });
}

/**
 * Postman fills a form-data body's Content-Type in itself, with the boundary that separates the
 * parts; a Content-Type header the request carries wins over it. The converter writes
 * `multipart/form-data` with no boundary, so the upload went out unreadable (the mock answered
 * 400; FOOTPRINTS-21 says the vendor's own samples fail the same way).
 */
function dropMultipartContentType(request: PostmanRequest): void {
  const body = request.body as { mode?: string } | undefined;
  if (body?.mode !== 'formdata' || !Array.isArray(request.header)) return;
  request.header = (request.header as { key: string }[]).filter((header) => header.key.toLowerCase() !== 'content-type');
}

/**
 * The converter names every bearer token `{{bearerToken}}`, so Perx's app token and user token
 * were one variable, and a reader holding one token sent it where the other is needed (Perx
 * answers 401 invalid-token). A bearer token is named after its security scheme instead
 * (`{{appToken}}`, `{{userToken}}`), as the reference and the provenance pages name it.
 */
function bearerAuthFor(spec: OpenApiDocument, security: SecurityRequirement[] | undefined): unknown {
  const names = (security ?? []).flatMap((requirement) => Object.keys(requirement));
  const scheme = names.length === 1 ? spec.components?.securitySchemes?.[names[0]!] : undefined;
  if (scheme?.type !== 'http' || scheme.scheme?.toLowerCase() !== 'bearer') return undefined;
  return { type: 'bearer', bearer: [{ key: 'token', value: `{{${names[0]}}}`, type: 'string' }] };
}

/**
 * The converter lists a folder's requests in the spec's path order, so Placewise's folder deleted
 * group 6813 before the requests that read it: run top to bottom (Postman's collection runner)
 * against one mock, they answered 404. In each folder the deletes now come last, a nested
 * resource's before the one holding it (a member leaves a group before the group goes), and the
 * rest keep the converter's order. Sorting is stable, so the file stays the same from build to build.
 */
function deletesLast(items: PostmanItem[]): PostmanItem[] {
  const deletes = (item: PostmanItem) => item.request?.method.toUpperCase() === 'DELETE';
  const depth = (item: PostmanItem) => item.request!.url.path?.length ?? 0;
  const folders = items.map((item) => (item.item ? { ...item, item: deletesLast(item.item) } : item));
  return [...folders.filter((item) => !deletes(item)), ...folders.filter(deletes).sort((a, b) => depth(b) - depth(a))];
}

function stripIds(items: PostmanItem[]): void {
  for (const item of items) {
    delete item.id;
    for (const response of item.response ?? []) delete response.id;
    if (item.item) stripIds(item.item);
  }
}

function uuidFrom(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The vendor's collection, or null when the spec has no operations. An empty collection would
 * import as a folderless shell with nothing to send, and there is no mock to send it to (the mock
 * launcher skips vendors without operations), so the site offers none and says why instead.
 */
export function postmanCollection(vendor: VendorInfo, spec: OpenApiDocument, specText = JSON.stringify(spec)): PostmanCollection | null {
  const operations = listOperations(spec);
  if (operations.length === 0) return null;

  const seed = createHash('sha256').update(vendor.name).digest().readUInt32BE(0);
  const collection = convert(spec, seed) as unknown as PostmanCollection;
  stripIds(collection.item);
  collection.item = deletesLast(collection.item);
  collection.info = { ...collection.info, _postman_id: uuidFrom(`${vendor.name}\n${specText}`) };
  delete (collection.info as Record<string, unknown>).version;

  const mock = mockUrl(vendor);
  const server = defaultBaseUrl(vendor.name);
  const note =
    `This collection targets the local mock by default: {{baseUrl}} is ${mock} (start it with \`npm start\`). ` +
    'Each folder sends its deletes last, so a run from top to bottom (the collection runner) against a freshly started mock reads each record before deleting it. ' +
    `To call ${vendor.title} itself, set baseUrl to its server: the spec's default is ${server}` +
    ((spec.servers?.length ?? 0) > 1 ? ' (the reference lists the others).' : '.');
  const description = collection.info.description;
  const existing = typeof description === 'string' ? description : (description?.content ?? '');
  collection.info.description = { content: `${note}\n\n${existing}`.trim(), type: 'text/markdown' };

  const byKey = new Map(operations.map((op) => [`${op.method.toUpperCase()} ${op.path}`, op]));
  for (const { item } of requestsOf(collection.item)) {
    const operation = byKey.get(requestKey(item.request!));
    if (operation) useFormExamples(spec, operation, item.request!);
    dropMultipartContentType(item.request!);
    // The converter writes `security: []` as `auth: null`, which Postman reads as "inherit from
    // parent": a public call (Imprzd's image, IMPRZD-7) would go with the collection's credential.
    if (operation?.operation.security?.length === 0) item.request!.auth = { type: 'noauth' };
    else if (operation?.operation.security) item.request!.auth = bearerAuthFor(spec, operation.operation.security) ?? item.request!.auth;
  }
  collection.auth = bearerAuthFor(spec, spec.security) ?? collection.auth;

  // The converter declares the spec's server variables and a baseUrl built from them. baseUrl now
  // points at the mock and server variables no request uses are dropped. Variables the requests
  // or the auth use but nobody declares (the credentials, and placeholders a vendor example keeps
  // verbatim, such as Footprints' `{{username}}` App Key) get a placeholder value the mock accepts.
  const requests = requestsOf(collection.item).map(({ item }) => item.request);
  const used = variablesIn([collection.auth, ...requests]);
  const kept = (collection.variable ?? []).filter((v) => v.key !== 'baseUrl' && used.has(v.key));
  const declared = new Set(['baseUrl', ...kept.map((v) => v.key)]);
  const placeholders: PostmanVariable[] = [...used]
    .filter((key) => !declared.has(key))
    .sort()
    .map((key) => ({
      key,
      value: `mock-${key}`,
      type: 'string',
      description: 'Placeholder the mock accepts. Put real values (credentials) in a Postman environment or the current value, not in the shared collection.',
    }));
  collection.variable = [
    { key: 'baseUrl', value: mock, type: 'string', description: `Local mock (npm start). ${server ? `${vendor.title}'s server: ${server}` : ''}`.trim() },
    ...kept,
    ...placeholders,
  ];

  const expected = operations.map(({ method, path }) => `${method.toUpperCase()} ${path}`).sort();
  const converted = requestsOf(collection.item).map(({ item }) => requestKey(item.request!)).sort();
  if (JSON.stringify(expected) !== JSON.stringify(converted)) {
    throw new Error(`${vendor.name}: the Postman collection's requests do not match the spec's operations\nspec: ${expected.join(', ')}\npostman: ${converted.join(', ')}`);
  }
  return collection;
}
