import type { paths } from '../generated/imprzd/schema.js';
import { createVendorClient, type Client, type CommonOptions } from './client.js';
import { bearerToken, checkOptions, commonCombinations, commonRules } from './options.js';
import type { VendorRuntime } from './vendor-runtime.js';

export type { paths, components, operations } from '../generated/imprzd/schema.js';
export * from './public.js';
/** Imprzd documents almost nothing yet: the spec grows from recorded traffic (see the README). */
export type ImprzdClient = Client<paths>;

export interface ImprzdClientOptions extends CommonOptions {
  /**
   * A JWT from Imprzd's login call, which the caller makes (that call is not documented). The one
   * known operation, the image call, is public (IMPRZD-7): without a token it is sent with no
   * `Authorization` header, as a browser's `<img src>` sends it.
   */
  token?: string;
}

export const imprzdOptionRules = { ...commonRules, token: bearerToken() };

export function createImprzdClient(options: ImprzdClientOptions): ImprzdClient {
  const checked = checkOptions('imprzd', 'createImprzdClient', options, imprzdOptionRules, commonCombinations);
  const { token } = checked;
  return createVendorClient<paths>({
    vendor: 'imprzd',
    options: checked,
    headers: token === undefined ? {} : { Authorization: `Bearer ${token}` },
    secrets: token === undefined ? [] : [token],
    validators: () => import('../generated/imprzd/validators.js'),
  });
}

export const vendor: VendorRuntime<'token'> = {
  name: 'imprzd',
  env: { token: 'IMPRZD_TOKEN' },
  // The one known call is public (IMPRZD-7): IMPRZD_BASE_URL alone checks it.
  onlyFor: { token: 'bearerAuth' },
  create: (settings, fetch) => createImprzdClient({ ...settings, fetch }),
};
