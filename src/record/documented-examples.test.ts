/**
 * Every documented example of every bundled spec through the recordings' mask, in the order a
 * recording of them would hold them (one mask per vendor, so what it learns from one example
 * meets the next): the values it changes are the credentials', and only those. A rule that masks
 * a documented value that is no secret makes `npm run traffic` report drift that never happened.
 */
import { describe, expect, it } from 'vitest';
import { loadSpecs } from '../../contract-tests/lib/spec.js';
import { toFormBody } from '../form.js';
import { createCredentialMask } from './har.js';

type Mask = ReturnType<typeof createCredentialMask>;

/** Where a documented example sits, and the name a request or an answer carries it under. */
type Sample =
  | { kind: 'body'; mimeType: string; value: unknown }
  | { kind: 'query' | 'header' | 'path'; name: string; value: unknown };

const isObject = (node: unknown): node is Record<string, unknown> => typeof node === 'object' && node !== null && !Array.isArray(node);

/** An `examples` map of Example objects (a media type's, a parameter's) or a schema's list of values. */
const examplesOf = (node: Record<string, unknown>): unknown[] => [
  ...('example' in node ? [node.example] : []),
  ...(Array.isArray(node.examples) ? node.examples : isObject(node.examples) ? Object.values(node.examples).map((example) => (isObject(example) ? example.value : undefined)) : []),
];

/** The documented examples of a spec, in document order, each as the wire carries it. */
function samplesOf(doc: unknown): Sample[] {
  const samples: Sample[] = [];
  const walk = (node: unknown, path: string[]) => {
    if (Array.isArray(node)) return node.forEach((item) => walk(item, path));
    if (!isObject(node)) return;
    const found = examplesOf(node).filter((value) => value !== undefined);
    const [grandparent, parent] = path.slice(-2);
    for (const value of found) {
      if (typeof node.in === 'string' && typeof node.name === 'string') samples.push({ kind: node.in === 'header' ? 'header' : node.in === 'query' ? 'query' : 'path', name: node.name, value });
      else if (grandparent === 'headers' && parent) samples.push({ kind: 'header', name: parent, value });
      else if (grandparent === 'content' && parent) samples.push({ kind: 'body', mimeType: parent, value });
      // A property's own example, as an answer or a request body holds it.
      else if (grandparent === 'properties' && parent) samples.push({ kind: 'body', mimeType: 'application/json', value: { [parent]: value } });
      else samples.push({ kind: 'body', mimeType: 'application/json', value });
    }
    for (const [key, child] of Object.entries(node)) if (key !== 'example' && key !== 'examples') walk(child, [...path, key]);
  };
  walk(doc, []);
  return samples;
}

/** Each leaf of a JSON value by its path, the name it sits under last. */
function leaves(node: unknown, path: string[] = [], out = new Map<string, { name: string; value: unknown }>()) {
  if (Array.isArray(node)) node.forEach((item, i) => leaves(item, [...path, String(i)], out));
  else if (isObject(node)) for (const [key, value] of Object.entries(node)) leaves(value, [...path, key], out);
  else out.set(JSON.stringify(path), { name: [...path].reverse().find((segment) => !/^\d+$/.test(segment)) ?? '', value: node });
  return out;
}

/** The names whose values the mask changed (a name it changed itself counts as its own). */
function changedNames(before: Map<string, { name: string; value: unknown }>, after: Map<string, { name: string; value: unknown }>): string[] {
  const changed = new Set<string>();
  for (const [path, { name, value }] of before) if (!after.has(path) || after.get(path)!.value !== value) changed.add(name);
  return [...changed];
}

const pairs = (params: URLSearchParams) => new Map([...params].map(([name, value], i) => [`${i}`, { name, value }]));

function masked(mask: Mask, sample: Sample): string[] {
  if (sample.kind === 'body') return maskedBody(mask, sample.mimeType, sample.value);
  if (sample.kind === 'header') {
    const value = typeof sample.value === 'string' ? sample.value : JSON.stringify(sample.value);
    return mask.header({ name: sample.name, value }).value === value ? [] : [sample.name];
  }
  const url = new URL('https://vendor.example/p');
  if (sample.kind === 'path') url.pathname = `/p/${encodeURIComponent(String(sample.value))}`;
  else if (isObject(sample.value)) for (const [key, value] of Object.entries(sample.value)) url.searchParams.append(`${sample.name}[${key}]`, String(value));
  else for (const value of [sample.value].flat()) url.searchParams.append(sample.name, String(value));
  const after = new URL(mask.url(url.href));
  return after.pathname !== url.pathname ? [sample.name] : changedNames(pairs(url.searchParams), pairs(after.searchParams));
}

function maskedBody(mask: Mask, mimeType: string, value: unknown): string[] {
  // A form as the clients write it; a multipart example holds no file a JSON spec could carry, so it is written as a form too.
  if (mimeType.startsWith('application/x-www-form-urlencoded') || mimeType.startsWith('multipart/')) {
    const text = String(toFormBody(value));
    return changedNames(pairs(new URLSearchParams(text)), pairs(new URLSearchParams(mask.body(text, 'application/x-www-form-urlencoded'))));
  }
  if (typeof value === 'string' && !mimeType.includes('json')) return mask.body(value, mimeType) === value ? [] : ['(text)'];
  return changedNames(leaves(value), leaves(JSON.parse(mask.body(JSON.stringify(value), mimeType))));
}

/** What the mask changed, by vendor, where the example sits, and the name of the value. */
function maskedNames(): string[] {
  const found = new Set<string>();
  for (const { vendor, doc } of loadSpecs()) {
    const mask = createCredentialMask([]);
    for (const sample of samplesOf(doc)) for (const name of masked(mask, sample)) found.add(`${vendor.name} ${sample.kind} ${name}`);
  }
  return [...found].sort();
}

/**
 * What the mask changed in the documented examples before the names added after the fourth round
 * (CLIENT-79), and still changes: credentials, every one of them. A name new here is a documented
 * value masked that the traffic checker reads; a name gone, a credential recorded in clear.
 */
const CREDENTIALS_DOCUMENTED = [
  'footprints body access_token',
  'footprints body appkey',
  'footprints body applicationKey',
  'footprints body password',
  'footprints body pin',
  'footprints body pushNotificationToken',
  'footprints body refresh_token',
  'footprints query appKey',
  'perx body access_token',
  'perx body bearer_token',
  'perx body client_secret',
  'perx body confirmation_token',
  'perx body old_password',
  'perx body password',
  'perx body password_confirmation',
  'perx body pin',
  'perx query client_secret',
  'perx query jwt_token',
  'placewise body app_token',
  'placewise body password',
  'placewise body registration_password',
  'placewise body secret_token',
];

describe('the documented examples through the mask', () => {
  it('change under credential names only, and each credential name documented is masked', () => {
    expect(maskedNames()).toEqual(CREDENTIALS_DOCUMENTED);
  });
});
