import { createRequire } from 'node:module';
import type * as PrismHttp from '@stoplight/prism-http';
import type * as PrismCore from '@stoplight/prism-core';
import { checkPeers } from './peers.js';
import { ruleAtPath, schemaProblem, type SchemaError } from '../guard/schema-problem.js';

/**
 * Prism's engine, in process. Prism is an optional peer dependency: only the mock needs it, so it
 * is loaded on first use and a missing install is a clear error, not a failed import.
 */
export type Operation = Awaited<ReturnType<typeof PrismHttp.getHttpOperationsFromSpec>>[number];
export type PrismInput = Parameters<ReturnType<typeof PrismHttp.createInstance>['request']>[0];
export interface PrismOutput {
  statusCode: number;
  headers?: Record<string, string>;
  body?: unknown;
}
/** One thing wrong with a request, as `sl-violations` names it. */
export interface Violation {
  location: string[];
  message: string;
  severity: string;
  /** Prism's code for it (401: the credentials; `required`: no body), which the header leaves out. */
  code?: string | number;
}
export interface PrismResult {
  output: PrismOutput;
  violations: Violation[];
}
export type PrismFailure = Error & { status?: number; detail?: string; additional?: { headers?: Record<string, string> } };

const SEVERITY = ['Error', 'Warning', 'Information', 'Hint'];

export interface PreferConfig {
  code?: number;
  exampleKey?: string;
  dynamic?: boolean;
  seed?: string;
}

interface Loaded {
  http: typeof PrismHttp;
  core: typeof PrismCore;
  preferences: (input: PrismInput) => { _tag: 'Left'; left: PrismFailure } | { _tag: 'Right'; right: PreferConfig };
  mimeHeader: (contentType: string) => [string | null, string];
}

/**
 * Prism imports modules at start-up that only features the mock never uses need: every faker
 * locale (dynamic responses only, ≈0.7 s), node-fetch (callbacks and proxying) and the Postman
 * collection reader. A placeholder in the module cache defers each import until a property is
 * first read, when the real module replaces it. This halves the mock's start-up.
 */
function defer(from: NodeRequire, name: string, keys: string[]) {
  const path = from.resolve(name);
  if (from.cache[path]) return;
  let real: Record<string, unknown> | undefined;
  const load = () => (real ??= (delete from.cache[path], from(name) as Record<string, unknown>));
  const exports = {};
  for (const key of keys) {
    // A stand-in, not the export itself: json-schema-faker reads faker's export while importing
    // and keeps it, so the real module loads only when the stand-in is first used or called.
    const value = () => load()[key] as object;
    const standIn = new Proxy(function standIn() {}, {
      get: (_target, property) => Reflect.get(value(), property),
      has: (_target, property) => Reflect.has(value(), property),
      set: (_target, property, v) => Reflect.set(value(), property, v),
      apply: (_target, self, args) => Reflect.apply(value() as (...a: unknown[]) => unknown, self, args),
    });
    Object.defineProperty(exports, key, { enumerable: true, value: standIn });
  }
  from.cache[path] = { id: path, filename: path, loaded: true, exports } as NodeJS.Module;
}

/**
 * uri-template-lite (Prism's path matching) exports by assigning to its top-level `this`, which
 * Node's loader makes `exports`. Vitest's vm pools (vmThreads, vmForks) run it with the vm's
 * global as `this`: the export went there, and every request was a 500 (MOCK-174). It is put back
 * where Prism reads it.
 */
function exportUriTemplate(from: NodeRequire) {
  const lite = from('uri-template-lite') as { URI?: unknown };
  lite.URI ??= (globalThis as { URI?: unknown }).URI;
}

type ConvertAjvErrors = (errors: SchemaError[], ...rest: unknown[]) => unknown;

/**
 * Prism words each request violation in `sl-violations` from Ajv's message ("must be equal to one
 * of the allowed values: android, ios, ", "must have required property 'url'"), where the rest of
 * the package says the rule with `ruleText`. Its validators call their module's exported
 * `convertAjvErrors`, so each error is handed to it pointing at the field (`required`,
 * `additionalProperties` and a key breaking `propertyNames`, as findings do) with the rule in our
 * words and no parameters for Prism to append. Prism's own text around it ("Request body property
 * …") and the violation's code stay as Prism makes them.
 */
function sayRulesInOurWords(from: NodeRequire) {
  const utils = from('@stoplight/prism-http/dist/validator/validators/utils.js') as { convertAjvErrors?: ConvertAjvErrors };
  const theirs = utils.convertAjvErrors;
  if (typeof theirs !== 'function' || (theirs as { ours?: true }).ours) return;
  const ours: ConvertAjvErrors = (errors, ...rest) => theirs(errors.map(inOurWords), ...rest);
  utils.convertAjvErrors = Object.assign(ours, { ours: true as const });
}

function inOurWords(error: SchemaError): SchemaError {
  return { ...error, instancePath: schemaProblem(error).path, params: {}, message: ruleAtPath(error) };
}

let loaded: Loaded | undefined;
function load(): Loaded {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  try {
    const generator = createRequire(require.resolve('@stoplight/prism-http/dist/mocker/generator/JSONSchema.js'));
    defer(generator, '@faker-js/faker', ['default', 'faker']);
    defer(createRequire(require.resolve('@stoplight/prism-http/dist/mocker/callback/callbacks.js')), 'node-fetch', ['default']);
    defer(createRequire(require.resolve('@stoplight/prism-http/dist/utils/operations.js')), '@stoplight/http-spec/postman/operation', ['transformPostmanCollectionOperations']);
    exportUriTemplate(createRequire(require.resolve('@stoplight/prism-http/dist/validator/index.js')));
    sayRulesInOurWords(require);
    loaded = {
      http: require('@stoplight/prism-http'),
      core: require('@stoplight/prism-core'),
      preferences: require('@stoplight/prism-http-server/dist/getHttpConfigFromRequest.js').getHttpConfigFromRequest,
      mimeHeader: require('@stoplight/prism-http/dist/validator/validators/headers.js').parseMIMEHeader,
    };
    // Dynamic answers carry only the documented properties (Prism's CLI: --json-schema-faker-fillProperties=false);
    // set after Prism's import, which resets the generator's options.
    generator('json-schema-faker').JSONSchemaFaker.option('fillProperties', false);
  } catch (error) {
    checkPeers();
    throw error;
  }
  return loaded;
}

export function loadOperations(file: string): Promise<Operation[]> {
  return load().http.getHttpOperationsFromSpec(file);
}

/**
 * Prism's failure, with the status it lost. Asked for a documented status and an example that
 * status does not have, Prism's negotiator rethrows its 404 as a plain Error whose message is the
 * problem's type and title twice ("…#NOT_FOUND: … We tried default response, but we got …"), so
 * it would be answered as a 500.
 */
function withStatus(failure: PrismFailure, prefer: PreferConfig): PrismFailure {
  if (failure.status !== undefined || !failure.message.startsWith('https://stoplight.io/prism/errors#NOT_FOUND:')) return failure;
  const detail = prefer.code !== undefined && prefer.exampleKey !== undefined ? `the ${prefer.code} response has no example "${prefer.exampleKey}"` : failure.message;
  return Object.assign(new Error('The server cannot find the requested content'), { status: 404, detail });
}

/** The query parameters Prism reads its preferences from when no Prefer header is sent. */
const PREFER_QUERY = ['__code', '__dynamic', '__seed', '__example'];

/** Prefer header (or __code/__example query) → Prism's per-request config; Prism's own parser. */
export function preferences(input: PrismInput): { config?: PreferConfig; error?: PrismFailure } {
  // Most requests ask for nothing: what Prism's parser gives them then, without its decoder's cost (a few µs a request).
  if (!input.headers?.prefer && !PREFER_QUERY.some((name) => input.url.query?.[name] !== undefined)) return { config: { code: undefined, exampleKey: undefined, dynamic: undefined, seed: undefined } };
  const parsed = load().preferences(input);
  return parsed._tag === 'Left' ? { error: parsed.left } : { config: parsed.right };
}

/**
 * The multipart boundary exactly as Prism reads it from Content-Type (a quoted one unescaped, a
 * quoted `;boundary=` inside another parameter skipped), or undefined where it finds none.
 */
export function multipartBoundary(contentType: string): string | undefined {
  try {
    return load().mimeHeader(contentType)[0] || undefined;
  } catch {
    return undefined;
  }
}

/**
 * One Prism instance for a vendor. It is handed only the operation our router already matched, so
 * Prism's per-request routing over every operation never runs; its security check, input
 * validation, content negotiation and example/dynamic responses do.
 */
export function createPrism(options: { dynamic: boolean; seed?: string }) {
  const { http, core } = load();
  // Prism's negotiator needs Prism's logger (a plain pino one lacks the `success` level).
  const logger = core.createLogger('mock', { level: 'silent' });
  const instance = http.createInstance(
    {
      mock: { dynamic: options.dynamic, ...(options.seed ? { seed: options.seed } : {}) },
      checkSecurity: true,
      validateRequest: true,
      // The engine validates every answer itself, with its own compiled validators.
      validateResponse: false,
      errors: false,
      upstreamProxy: undefined,
      isProxy: false,
    } as never,
    { logger },
  );
  return async function run(input: PrismInput, operation: Operation, prefer: PreferConfig): Promise<{ ok: PrismResult } | { failure: PrismFailure }> {
    const config = { mock: { dynamic: options.dynamic, ...(options.seed ? { seed: options.seed } : {}), ...stripUndefined(prefer) } };
    const result = await instance.request(input, [operation], config as never)();
    if (result._tag === 'Left') return { failure: withStatus(result.left as PrismFailure, prefer) };
    const { output, validations } = result.right;
    const violations = [...validations.input].map((v) => ({
      location: ['request', ...(v.path ?? [])].map(String),
      message: v.message,
      // Prism's numeric DiagnosticSeverity, named as its own server names it in sl-violations.
      severity: SEVERITY[Number(v.severity)] ?? String(v.severity),
      code: v.code,
    }));
    return { ok: { output: output as PrismOutput, violations } };
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
