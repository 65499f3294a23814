import createClient, { type Client } from 'openapi-fetch';
import { toFormBody } from '../../src/form.js';
import type { VendorRuntime, VendorSettings } from '../../src/vendor-runtime.js';
import { toMultipart, type ContractRequest } from './request.js';

export interface Target {
  kind: 'mock' | 'sandbox';
  /** Why this vendor is not tested, when it is not. */
  skip?: string;
  settings?: VendorSettings<string>;
  /** Against a sandbox, calls that change data run only when asked for. */
  allowWrites: boolean;
}

const READ_METHODS = new Set(['get', 'head', 'options']);
export const isWrite = (method: string) => !READ_METHODS.has(method);

export function envPrefix(vendor: string) {
  return vendor.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** Where a vendor's contract suite runs: its mock, or its sandbox configured from the environment. */
export function targetFor(
  runtime: VendorRuntime,
  mockUrls: Record<string, string>,
  env: Record<string, string | undefined> = process.env,
): Target {
  if ((env.CONTRACT_TARGET ?? 'mock') === 'mock') {
    const baseUrl = mockUrls[runtime.name];
    if (!baseUrl) return { kind: 'mock', skip: 'no mock is running for it', allowWrites: true };
    const settings: Record<string, string> = { baseUrl };
    for (const setting of Object.keys(runtime.env)) settings[setting] = `mock-${setting}`;
    return { kind: 'mock', settings: settings as VendorSettings<string>, allowWrites: true };
  }
  const baseVar = `${envPrefix(runtime.name)}_BASE_URL`;
  const wanted: Record<string, string> = { baseUrl: baseVar, ...runtime.env };
  const missing = Object.values(wanted).filter((name) => !env[name]);
  if (missing.length > 0) return { kind: 'sandbox', skip: `set ${missing.join(', ')}`, allowWrites: false };
  const settings = Object.fromEntries(Object.entries(wanted).map(([setting, name]) => [setting, env[name]!]));
  return { kind: 'sandbox', settings: settings as VendorSettings<string>, allowWrites: env.CONTRACT_ALLOW_WRITES === '1' };
}

/** A client with no credentials at all, to check that the vendor refuses it. */
export function anonymousClient(baseUrl: string, fetch: (r: Request) => Promise<Response>): Client<any> {
  return createClient<any>({ baseUrl, fetch });
}

/**
 * A fetch that keeps an unread copy of each response: openapi-fetch consumes error bodies, and
 * the harness validates the bytes the server really sent.
 */
export function createRecorder() {
  let last: Response | undefined;
  const fetch = async (request: Request) => {
    const response = await globalThis.fetch(request);
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

/** Sends a contract request through a typed client; returns the raw response. */
export async function send(
  client: Client<any>,
  recorder: ReturnType<typeof createRecorder>,
  method: string,
  path: string,
  request: ContractRequest,
): Promise<Response> {
  const form = request.mediaType === 'application/x-www-form-urlencoded';
  const multipart = request.mediaType === 'multipart/form-data';
  await client.request(method as 'get', path as never, {
    params: request.params,
    body: multipart ? toMultipart(request) : request.body,
    ...(form ? { bodySerializer: toFormBody, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } } : {}),
  } as never);
  return recorder.take();
}
