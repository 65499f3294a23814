import type { paths } from '../generated/imprzd/schema.js';
import { bearerToken } from './auth/bearer.js';
import { createVendorClient, type Client, type CommonOptions } from './client.js';
import { requireOption } from './errors.js';
import type { VendorRuntime } from './vendor-runtime.js';

export type { paths } from '../generated/imprzd/schema.js';
/** No Imprzd operation is documented yet, so this client has no typed paths (see the spec). */
export type ImprzdClient = Client<paths>;

export interface ImprzdClientOptions extends CommonOptions {
  /** A JWT from Imprzd's login call, which the caller makes (that call is not documented). */
  token: string;
}

export function createImprzdClient(options: ImprzdClientOptions): ImprzdClient {
  const token = requireOption('imprzd', options, 'token');
  return createVendorClient<paths>({ vendor: 'imprzd', options, middleware: [bearerToken(token)] });
}

export const vendor: VendorRuntime<'token'> = {
  name: 'imprzd',
  env: { token: 'IMPRZD_TOKEN' },
  create: (settings, fetch) => createImprzdClient({ ...settings, fetch }),
};
