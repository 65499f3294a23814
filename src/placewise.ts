import type { paths, components } from '../generated/placewise/schema.js';
import { staticHeaders } from './auth/headers.js';
import { createVendorClient, defaultBaseUrl, type Client, type CommonOptions } from './client.js';
import { ConfigError, requireOption } from './errors.js';
import type { WithSuppliedHeaders } from './supplied-headers.js';
import type { VendorRuntime } from './vendor-runtime.js';

export type { paths, components, operations } from '../generated/placewise/schema.js';
/** The required X-User-Agent / X-Product-Name headers are set by the client, so they are optional per call. */
export type PlacewisePaths = WithSuppliedHeaders<paths, 'X-User-Agent' | 'X-Product-Name'>;
export type PlacewiseClient = Client<PlacewisePaths>;
export type PlacewiseSchemas = components['schemas'];

export interface PlacewiseClientOptions extends CommonOptions {
  /**
   * The loyalty club's slug, filled into the spec's server URL (`…/v3/{loyalty_club_slug}`).
   * Not needed when `baseUrl` is given: that already ends with the club's path.
   */
  clubSlug?: string;
  /** The integration token Placewise issued; sent as `X-Client-Authorization`. Server side only. */
  token: string;
  /** Sent as `X-User-Agent`, which Placewise requires on every call. */
  userAgent: string;
  /** Sent as `X-Product-Name`, which Placewise requires on every call. */
  productName: string;
}

/** A typed Placewise MPC client; every request carries the token and the two required headers. */
export function createPlacewiseClient(options: PlacewiseClientOptions): PlacewiseClient {
  if (options.baseUrl === undefined && options.clubSlug === undefined) {
    throw new ConfigError('placewise', 'clubSlug', 'is required when baseUrl is not given');
  }
  const baseUrl =
    options.baseUrl ?? defaultBaseUrl('placewise', { loyalty_club_slug: requireOption('placewise', options, 'clubSlug') });
  const headers = {
    'X-Client-Authorization': requireOption('placewise', options, 'token'),
    'X-User-Agent': requireOption('placewise', options, 'userAgent'),
    'X-Product-Name': requireOption('placewise', options, 'productName'),
  };
  return createVendorClient<PlacewisePaths>({ vendor: 'placewise', options, baseUrl, middleware: [staticHeaders(headers)] });
}

export const vendor: VendorRuntime<'token' | 'userAgent' | 'productName'> = {
  name: 'placewise',
  env: { token: 'PLACEWISE_TOKEN', userAgent: 'PLACEWISE_USER_AGENT', productName: 'PLACEWISE_PRODUCT_NAME' },
  defaults: { userAgent: 'martech-contracts', productName: 'default' },
  create: (settings, fetch) => createPlacewiseClient({ ...settings, fetch }),
};
