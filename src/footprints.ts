import type { paths, components } from '../generated/footprints/schema.js';
import { basicAuth, basicAuthorization, basicSecrets } from './auth/basic.js';
import { forPaths } from './auth/scoped.js';
import { createTokenCache } from './auth/token-cache.js';
import { requestToken, tokenAnswerStatus, tokenClientOptions } from './auth/token-endpoint.js';
import { asQueryParameter, tokenAuth } from './auth/token-auth.js';
import { createVendorClient, defaultBaseUrl, type Client, type CommonOptions } from './client.js';
import { transport } from './transport.js';
import { checkOptions, commonCombinations, basicUser, commonRules, credential, DEFAULT_TIMEOUT_MS, required, variants } from './options.js';
import type { VendorRuntime } from './vendor-runtime.js';

export type { paths, components, operations } from '../generated/footprints/schema.js';
export * from './public.js';
export type FootprintsClient = Client<paths>;
export type FootprintsSchemas = components['schemas'];
/** How to ask `/api/token` for a token: client credentials (the default), a user's password, or a PIN. */
export type FootprintsGrant = components['schemas']['TokenRequest'];

export interface FootprintsClientOptions extends CommonOptions {
  /** The API key; with `secret`, sent as HTTP Basic to the token endpoint only. */
  key: string;
  secret: string;
  grant?: FootprintsGrant | undefined;
}

/** The grant shapes of the spec's TokenRequest (one per `grant_type`), as option rules. */
export const footprintsOptionRules = {
  ...commonRules,
  key: required(basicUser()),
  secret: required(credential()),
  grant: variants('grant_type', {
    client_credentials: { pin: credential() },
    password: { username: required(credential()), password: required(credential()) },
    pin: { pin: required(credential()) },
  }),
};

const TOKEN_PATH = '/api/token';
// The tracking calls authenticate with the `appkey` in their body, not with a token.
const usesAppKey = (schemaPath: string) => /^\/(jsapi|mobileapi)\//.test(schemaPath);

/**
 * A typed Footprints client. It fetches a token from `/api/token` (HTTP Basic with key:secret,
 * form-encoded grant), caches it until `expires_in`, adds it as the `access_token` query
 * parameter, and refreshes it once on a 401 (concurrent calls share the refresh). Request
 * bodies are sent form-encoded with bracketed keys (`customDetails[a]=…`,
 * `marketingChannels[0][type]=…`); pass a FormData body for the document upload.
 */
export function createFootprintsClient(options: FootprintsClientOptions): FootprintsClient {
  const checked = checkOptions('footprints', 'createFootprintsClient', options, footprintsOptionRules, commonCombinations);
  const { key, secret } = checked;
  const credentials = { username: key, password: secret };
  const grant: FootprintsGrant = checked.grant ?? { grant_type: 'client_credentials' };
  const secrets = [key, secret, ...basicSecrets(credentials), ...Object.entries(grant).filter(([k]) => k !== 'grant_type' && k !== 'username').map(([, v]) => String(v))];
  const withBaseUrl = { ...checked, baseUrl: checked.baseUrl ?? defaultBaseUrl('footprints') };
  // One transport for the token requests and the calls: one recording, one retry policy.
  const fetch = transport('footprints', checked, secrets);

  const validators = () => import('../generated/footprints/validators.js');
  const tokenClient = createVendorClient<paths>({
    vendor: 'footprints',
    options: tokenClientOptions(withBaseUrl),
    transport: fetch,
    form: true,
    headers: { Authorization: basicAuthorization(credentials) },
    middleware: [tokenAnswerStatus],
    retryWithinMs: checked.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    secrets,
    validators,
    issuesTokens: true,
  });
  const tokens = createTokenCache(
    (signal) => requestToken({ vendor: 'footprints', signal, secrets, send: () => tokenClient.POST(TOKEN_PATH, { body: grant, parseAs: 'text', signal }) }),
    { carriedForMs: checked.timeoutMs ?? DEFAULT_TIMEOUT_MS },
  );

  return createVendorClient<paths>({
    vendor: 'footprints',
    options: withBaseUrl,
    transport: fetch,
    form: true,
    secrets,
    issued: tokens.issued,
    validators,
    middleware: [
      forPaths((path) => path === TOKEN_PATH, basicAuth(credentials)),
      forPaths((path) => path !== TOKEN_PATH && !usesAppKey(path), tokenAuth(tokens, asQueryParameter('access_token'))),
    ],
  });
}

export const vendor: VendorRuntime<'key' | 'secret'> = {
  name: 'footprints',
  env: { key: 'FOOTPRINTS_KEY', secret: 'FOOTPRINTS_SECRET' },
  create: (settings, fetch) => createFootprintsClient({ ...settings, fetch }),
};
