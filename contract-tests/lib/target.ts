import createClient, { type Client } from 'openapi-fetch';
import { ConfigError } from '../../src/errors.js';
import { toFormBody } from '../../src/form.js';
import { vendors } from '../../src/vendors.js';
import type { VendorRuntime, VendorSettings } from '../../src/vendor-runtime.js';
import { pacedAnswer } from '../../src/record/paced-answer.js';
import { honourRetryAfter, retryRulesOf } from './retry-after.js';
import { createStallBreaker } from './stalls.js';
import { toMultipart, type ContractRequest } from './request.js';
import { loadSpec, type LoadedSpec, type OperationRef } from './spec.js';

export interface Target {
  kind: 'mock' | 'sandbox';
  /** Why this vendor is not tested, when it is not. */
  skip?: string;
  settings?: VendorSettings<string>;
  /**
   * Why the vendor's clients refuse its sandbox settings (a user name holding ':'), naming the
   * variable: the vendor fails with it, and the other vendors still run.
   */
  refused?: string;
  /**
   * Security schemes whose setting was left unset (a runtime's `onlyFor`), each with its
   * variable: the operations only they would let through are not checked (`notChecked`).
   */
  unsetSchemes?: Record<string, string>;
  /** Against a sandbox, calls that change data run only when asked for. */
  allowWrites: boolean;
}

/**
 * How long dredd and respect wait for a sandbox's answer: neither waits for ever, and a vendor
 * that never answers fails the request that hung, not the whole run.
 */
export const ANSWER_TIMEOUT_MS = 20_000;

const READ_METHODS = new Set(['get', 'head', 'options']);
export const isWrite = (method: string) => !READ_METHODS.has(method);

export function envPrefix(vendor: string) {
  return vendor.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/**
 * The vendors CONTRACT_VENDORS names (undefined: all). Every part of a run reads it here, so the
 * contract suite, dredd and the workflows skip the same vendors; a name it does not know is an
 * error, or a typo would quietly skip every vendor.
 */
export function chosenVendors(env: Record<string, string | undefined>, known: string[]): string[] | undefined {
  const names = env.CONTRACT_VENDORS?.split(',').map((v) => v.trim()).filter(Boolean);
  if (!names?.length) return undefined;
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length) throw new Error(`CONTRACT_VENDORS names ${unknown.map((n) => `"${n}"`).join(', ')}, which is not a vendor; the vendors are ${known.join(', ')}`);
  return names;
}

/**
 * What CONTRACT_TARGET names: unset or empty (as .env.example leaves it) is the mocks. Anything
 * else but the two names was read as "sandbox": `mok` tested nothing and passed.
 */
export function contractTarget(env: Record<string, string | undefined>): 'mock' | 'sandbox' {
  const value = env.CONTRACT_TARGET?.trim() ?? '';
  if (value === '' || value === 'mock') return 'mock';
  if (value === 'sandbox') return 'sandbox';
  throw new Error(`CONTRACT_TARGET must be "mock" (the default, also when empty) or "sandbox" (got "${value.slice(0, 40)}")`);
}

/**
 * Settings the mock must recognise, where a dummy value will not do: the mock gives no Perx user
 * token for a user it does not have, as Perx does not, and 66666 is the user its examples show.
 */
const MOCK_SETTINGS: Record<string, Record<string, string>> = { perx: { userIdentifier: '66666' } };

/** Where a vendor's contract suite runs: its mock, or its sandbox configured from the environment. */
export function targetFor(
  runtime: VendorRuntime,
  mockUrls: Record<string, string>,
  env: Record<string, string | undefined> = process.env,
): Target {
  const only = chosenVendors(env, vendors.map((v) => v.name));
  const kind = contractTarget(env);
  if (only && !only.includes(runtime.name)) return { kind, skip: `not in CONTRACT_VENDORS=${env.CONTRACT_VENDORS}`, allowWrites: false };
  if (kind === 'mock') {
    const baseUrl = mockUrls[runtime.name];
    if (!baseUrl) return { kind: 'mock', skip: 'no mock is running for it', allowWrites: true };
    const settings: Record<string, string> = { baseUrl };
    for (const setting of Object.keys(runtime.env)) settings[setting] = MOCK_SETTINGS[runtime.name]?.[setting] ?? `mock-${setting}`;
    return { kind: 'mock', settings: settings as VendorSettings<string>, allowWrites: true };
  }
  const baseVar = `${envPrefix(runtime.name)}_BASE_URL`;
  const wanted: Record<string, string> = { baseUrl: baseVar, ...runtime.env };
  const defaults: Record<string, string | undefined> = runtime.defaults ?? {};
  const onlyFor: Record<string, string | undefined> = runtime.onlyFor ?? {};
  const value = (setting: string) => env[wanted[setting]!] || defaults[setting];
  const unset = Object.keys(wanted).filter((setting) => !value(setting));
  const unsetSchemes = Object.fromEntries(unset.filter((s) => onlyFor[s]).map((s) => [onlyFor[s]!, wanted[s]!]));
  const missing = unset.filter((s) => !onlyFor[s] || !anyOperationWithout(runtime.name, unsetSchemes)).map((s) => wanted[s]!);
  if (missing.length > 0) return { kind: 'sandbox', skip: `set ${missing.join(', ')}`, allowWrites: false };
  const settings = Object.fromEntries(Object.keys(wanted).filter((s) => value(s)).map((s) => [s, value(s)!])) as VendorSettings<string>;
  const refused = refusedSettings(runtime, settings, wanted);
  return {
    kind: 'sandbox',
    settings,
    ...(refused ? { refused } : {}),
    ...(unset.length > 0 ? { unsetSchemes } : {}),
    allowWrites: env.CONTRACT_ALLOW_WRITES === '1',
  };
}

/** Whether the vendor's spec has an operation that none of these schemes is needed for. */
function anyOperationWithout(vendor: string, schemes: Record<string, string>): boolean {
  const spec = loadSpec(vendors.find((v) => v.name === vendor)!);
  return spec.operations.some((op) => !schemesNeeded(spec, op, schemes));
}

/**
 * The schemes among `schemes` an operation cannot be called without: undefined when one of its
 * security requirements (public `[]`, or an optional `{}`, included) needs none of them.
 */
function schemesNeeded(spec: LoadedSpec, op: OperationRef, schemes: Record<string, string>): string[] | undefined {
  const requirements = (op.operation.security ?? spec.doc.security ?? []) as Record<string, string[]>[];
  const blocked = requirements.map((requirement) => Object.keys(requirement).filter((name) => name in schemes));
  if (blocked.length === 0 || blocked.some((names) => names.length === 0)) return undefined;
  return [...new Set(blocked.flat())];
}

/**
 * Why an operation is not checked against this target, when its security needs a setting left
 * unset (Imprzd's token, were a secured operation added): it is named, never sent without it.
 */
export function notChecked(target: Target, spec: LoadedSpec, op: OperationRef): string | undefined {
  const schemes = target.unsetSchemes ?? {};
  const needed = schemesNeeded(spec, op, schemes);
  if (!needed) return undefined;
  const variables = [...new Set(needed.map((name) => schemes[name]!))];
  return `not checked: its security (${needed.join(', ')}) needs ${variables.join(', ')}, which is not set`;
}

/**
 * What the vendor's clients say of its settings when they refuse them, under the variable's name.
 * Found where each part first built a client, it failed every vendor: the suite's file as it
 * collected its tests, dredd's whole report.
 */
function refusedSettings(runtime: VendorRuntime, settings: VendorSettings<string>, variables: Record<string, string>): string | undefined {
  try {
    runtime.create(settings);
    for (const create of Object.values(runtime.forScheme ?? {})) create(settings);
    return undefined;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const variable = variables[error.option];
    return variable ? `${variable} ${error.rule}` : error.message;
  }
}

/**
 * The one line a run against the sandboxes fails with when no vendor is configured: it checked
 * nothing, and passed (a nightly job whose secrets are gone). `skips`: each vendor's skip reason
 * (`Target.skip`), undefined for one that runs; undefined when one does.
 */
export function nothingToCheck(skips: [vendor: string, skip: string | undefined][]): string | undefined {
  if (skips.some(([, skip]) => skip === undefined)) return undefined;
  const reasons = skips.map(([vendor, skip]) => `${vendor}: ${skip}`).join('; ');
  return `Nothing to run against the sandboxes: no vendor is configured (${reasons}). .env.example lists every variable.`;
}

/** Names of the security schemes an operation's first requirement lists ([] when unauthenticated). */
export function securitySchemes(spec: LoadedSpec, op: OperationRef): string[] {
  const requirements = (op.operation.security ?? spec.doc.security ?? []) as Record<string, string[]>[];
  return Object.keys(requirements[0] ?? {});
}

/**
 * The vendor's typed clients for a target: the default one, and one per security scheme that
 * needs its own (Perx user tokens), each built once so tokens are fetched once per run.
 */
export function vendorClients(runtime: VendorRuntime, settings: VendorSettings<string>, fetch: (r: Request) => Promise<Response>) {
  const main = runtime.create(settings, fetch);
  const byScheme = new Map<string, Client<any>>();
  return (spec: LoadedSpec, op: OperationRef): Client<any> => {
    const scheme = securitySchemes(spec, op).find((name) => runtime.forScheme?.[name]);
    if (!scheme) return main;
    if (!byScheme.has(scheme)) byScheme.set(scheme, runtime.forScheme![scheme]!(settings, fetch));
    return byScheme.get(scheme)!;
  };
}

/** A client with no credentials at all, to check that the vendor refuses it. */
export function anonymousClient(baseUrl: string, fetch: (r: Request) => Promise<Response>): Client<any> {
  return createClient<any>({ baseUrl, fetch });
}

/** What to do about a vendor whose sandbox stopped answering, said when its calls stop being sent. */
export function stalledHint(vendor: string): string {
  return `check that ${envPrefix(vendor)}_BASE_URL points at a sandbox that is up, then run again`;
}

export interface RecorderOptions {
  log?: (line: string) => void;
  /** performance.now() time: a Retry-After wait that would end past it is not made, and the 429 is the answer. */
  deadlineAt?: () => number;
  /** The bound on each exchange, body included; a test shortens it. */
  answerTimeoutMs?: number;
  /** The vendor, named in what to do when it stops answering. */
  vendor?: string;
}

/**
 * A fetch that keeps an unread copy of each response: openapi-fetch consumes error bodies, and
 * the harness validates the bytes the server really sent.
 */
export function createRecorder(options: RecorderOptions = {}) {
  const { log, deadlineAt, answerTimeoutMs = ANSWER_TIMEOUT_MS } = options;
  let last: Response | undefined;
  const stalls = createStallBreaker({ timeoutMs: answerTimeoutMs, hint: options.vendor ? stalledHint(options.vendor) : 'check that the vendor is up, then run again', vendor: options.vendor });
  // Each exchange, its body included, within the answer timeout: the clients' own 30 s equals
  // vitest's testTimeout, which won, and a hang was reported as "Error: STACK_TRACE_ERROR".
  const bounded = async (request: Request) => {
    const stopped = stalls.stopped();
    if (stopped) throw new Error(stopped);
    const call = `${request.method} ${new URL(request.url).pathname}`;
    const late = new Error(`${call} got no answer within ${answerTimeoutMs / 1000} s: the vendor did not answer in time`);
    const controller = new AbortController();
    request.signal.addEventListener('abort', () => controller.abort(request.signal.reason), { once: true });
    const sent = new Request(request, { signal: controller.signal });
    // Not cleared when the headers come: a body that stalls is bounded too (a body read rejects
    // with the abort's reason). undici follows a signal through a WeakRef: the timer holds `sent`,
    // or a garbage collection lost the abort and the exchange hung on.
    let expire: (error: Error) => void = () => undefined;
    const expired = new Promise<never>((_, reject) => (expire = reject));
    const timer = setTimeout(() => {
      controller.abort(late);
      void sent.signal;
      expire(late);
      const line = stalls.timedOut(call);
      if (line) log?.(`✗ ${line}`);
    }, answerTimeoutMs).unref();
    // Cleared once the body is read: it held the exchange for the rest of its 20 s after every answer.
    const over = () => clearTimeout(timer);
    let response: Response;
    try {
      response = await Promise.race([globalThis.fetch(sent), expired]);
    } catch (error) {
      over();
      throw error;
    }
    const answered = () => (over(), stalls.answered());
    const read = pacedAnswer(response, 64 * 1024, { take: () => undefined, end: (error) => (error === undefined ? answered() : over()), cancelled: over });
    if (!read) answered();
    return read ?? response;
  };
  // A 503 with a Retry-After is waited out as a 429 is, as the clients do (`retry.on`): a sandbox
  // that blinked for a second is then checked, not reported as down.
  // The clients' rule on what may be sent twice, with their vendor's operations that act on each send and that issue tokens.
  const vendor = vendors.find((v) => v.name === options.vendor);
  const send = honourRetryAfter(bounded, { log, on: [429, 503], ...retryRulesOf(vendor) });
  const fetch = async (request: Request) => {
    const response = await send(request, { deadlineAt: deadlineAt?.() });
    last = response.clone();
    return response;
  };
  return {
    fetch,
    take(): Response {
      if (!last) throw new Error('no response was recorded');
      const response = last;
      last = undefined;
      return response;
    },
  };
}

/** Sends a contract request through a typed client (the client's fetch sees the raw response). */
export async function send(client: Client<any>, method: string, path: string, request: ContractRequest): Promise<void> {
  const form = request.mediaType === 'application/x-www-form-urlencoded';
  const multipart = request.mediaType === 'multipart/form-data';
  await client.request(method as 'get', path as never, {
    params: request.params,
    body: multipart ? toMultipart(request) : request.body,
    // The client must not parse the body: a body that is not what the spec says is a finding.
    parseAs: 'stream',
    ...(form ? { bodySerializer: toFormBody, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } } : {}),
  } as never);
}
