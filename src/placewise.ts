import type { paths, components } from '../generated/placewise/schema.js';
import { createVendorClient, defaultBaseUrl, type Client, type CommonOptions } from './client.js';
import { checkOptions, commonCombinations, commonRules, pathSegment, required, headerText, type Combination } from './options.js';
import type { WithSuppliedHeaders } from './supplied-headers.js';
import type { VendorRuntime } from './vendor-runtime.js';

export type { paths, components, operations } from '../generated/placewise/schema.js';
export * from './public.js';
/** The required X-User-Agent / X-Product-Name headers are set by the client, so they are optional per call. */
export type PlacewisePaths = WithSuppliedHeaders<paths, 'X-User-Agent' | 'X-Product-Name'>;
export type PlacewiseClient = Client<PlacewisePaths>;
export type PlacewiseSchemas = components['schemas'];

export interface PlacewiseClientOptions extends CommonOptions {
  /**
   * The loyalty club's slug, filled into the spec's server URL (`…/v3/{loyalty_club_slug}`).
   * Give it or `baseUrl`, not both: `baseUrl` already ends with the club's path.
   */
  clubSlug?: string | undefined;
  /** The integration token Placewise issued; sent as `X-Client-Authorization`. Server side only. */
  token: string;
  /** Sent as `X-User-Agent`, which Placewise requires on every call. */
  userAgent: string;
  /** Sent as `X-Product-Name`, which Placewise requires on every call. */
  productName: string;
}

export const placewiseOptionRules = {
  ...commonRules,
  clubSlug: pathSegment(),
  token: required(headerText()),
  userAgent: required(headerText()),
  productName: required(headerText()),
};

const placewiseCombinations: Combination[] = [
  { option: 'clubSlug', rule: 'is required when baseUrl is not given', broken: (o) => o.baseUrl === undefined && o.clubSlug === undefined },
  // baseUrl already ends with the club's path: a slug beside it would be ignored, maybe not the club meant.
  { option: 'clubSlug', rule: "cannot be given with baseUrl, which already ends with the club's path (give one of them)", broken: (o) => o.baseUrl !== undefined && o.clubSlug !== undefined },
  ...commonCombinations,
];

/** A typed Placewise MPC client; every request carries the token and the two required headers. */
export function createPlacewiseClient(options: PlacewiseClientOptions): PlacewiseClient {
  const checked = checkOptions('placewise', 'createPlacewiseClient', options, placewiseOptionRules, placewiseCombinations);
  const { clubSlug, token, userAgent, productName } = checked;
  const baseUrl = checked.baseUrl ?? defaultBaseUrl('placewise', { loyalty_club_slug: clubSlug! });
  const headers = { 'X-Client-Authorization': token, 'X-User-Agent': userAgent, 'X-Product-Name': productName };
  return createVendorClient<PlacewisePaths>({
    vendor: 'placewise',
    options: checked,
    baseUrl,
    headers,
    secrets: [token],
    // "Any of" property filters: properties[<name>][]=a&properties[<name>][]=b.
    bracketLists: true,
    validators: () => import('../generated/placewise/validators.js'),
  });
}

export const vendor: VendorRuntime<'token' | 'userAgent' | 'productName'> = {
  name: 'placewise',
  env: { token: 'PLACEWISE_TOKEN', userAgent: 'PLACEWISE_USER_AGENT', productName: 'PLACEWISE_PRODUCT_NAME' },
  defaults: { userAgent: 'martech-contracts', productName: 'default' },
  create: (settings, fetch) => createPlacewiseClient({ ...settings, fetch }),
};

// Member-change webhooks: receiving them (and the payload types), see src/webhooks/.
export { verifyPlacewiseWebhook, validatePlacewisePayload, PLACEWISE_TOKEN_HEADER, PLACEWISE_MAX_BODY_BYTES } from './webhooks/placewise.js';
export type { PlacewiseWebhookPayload, PlacewiseMemberChangesV2, PlacewiseMemberChangesV1, RawWebhook, RequestLike, HeadersLike, VerifyOptions, WebhookHeaders } from './webhooks/placewise.js';
export { WebhookError } from './webhooks/errors.js';
export type { WebhookErrorReason, WebhookProblem } from './webhooks/errors.js';
export { buildMemberChangeNotification, buildMemberChangeNotificationV1 } from './webhooks/member-changes.js';
export type { webhooks } from '../generated/placewise/schema.js';
