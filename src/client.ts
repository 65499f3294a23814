import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { requireOption } from './errors.js';
import { toFormBody } from './form.js';
import { findVendor } from './vendors.js';

export type { Client, Middleware };

export interface CommonOptions {
  /** The vendor's base URL; defaults to the first server of the vendor's spec. */
  baseUrl?: string;
  /** A fetch implementation (tests, proxies); defaults to globalThis.fetch. */
  fetch?: (input: Request) => Promise<Response>;
}

/** The spec's first server URL with its variables filled (given values first, then defaults). */
export function defaultBaseUrl(vendor: string, values: Record<string, string> = {}): string {
  const server = findVendor(vendor)?.servers[0];
  if (!server) throw new Error(`${vendor}: the bundled spec declares no server; pass baseUrl`);
  return server.url.replace(/\{([^}]+)\}/g, (_, name: string) => values[name] ?? server.variables?.[name]?.default ?? '');
}

export interface VendorClientSetup {
  vendor: string;
  options: CommonOptions;
  middleware: Middleware[];
  /** Form-encoded APIs: bodies are sent as bracketed form fields with the form content type. */
  form?: boolean;
  baseUrl?: string;
}

// openapi-fetch labels every body as JSON, even the URLSearchParams a form serializer returns.
const formContentType: Middleware = {
  onRequest({ request }) {
    const multipart = request.headers.get('Content-Type')?.startsWith('multipart/form-data');
    if (request.body && !multipart) request.headers.set('Content-Type', 'application/x-www-form-urlencoded');
    return request;
  },
};

/** An openapi-fetch client for one vendor with its auth middleware installed. */
export function createVendorClient<Paths extends {}>(setup: VendorClientSetup): Client<Paths> {
  const baseUrl = setup.options.baseUrl ?? setup.baseUrl ?? defaultBaseUrl(setup.vendor);
  requireOption(setup.vendor, { baseUrl }, 'baseUrl', 'url');
  const client = createClient<Paths>({
    baseUrl: baseUrl.replace(/\/+$/, ''),
    ...(setup.options.fetch ? { fetch: setup.options.fetch } : {}),
    ...(setup.form ? { bodySerializer: toFormBody } : {}),
  });
  if (setup.form) client.use(formContentType);
  client.use(...setup.middleware);
  return client;
}
