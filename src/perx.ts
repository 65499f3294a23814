import createClient from 'openapi-fetch';
import type { paths, components } from '../generated/perx/schema.js';
import { forPaths } from './auth/scoped.js';
import { createTokenCache, type TokenCache } from './auth/token-cache.js';
import { readToken } from './auth/token-endpoint.js';
import { asBearer, tokenAuth } from './auth/token-auth.js';
import { createVendorClient, defaultBaseUrl, type Client, type CommonOptions } from './client.js';
import { requireOption } from './errors.js';
import type { VendorRuntime } from './vendor-runtime.js';

export type { paths, components, operations } from '../generated/perx/schema.js';
export type PerxSchemas = components['schemas'];
export type PerxUserClient = Client<paths>;
export interface PerxClient extends Client<paths> {
  /**
   * A client acting for one user (`identifier` is your own id for the user, as registered with
   * Perx). Its user token is fetched with the app credentials and cached; the same identifier
   * always gets the same client.
   */
  asUser(identifier: string): PerxUserClient;
}

export interface PerxClientOptions extends CommonOptions {
  clientId: string;
  clientSecret: string;
  /** Lifetime to ask for user tokens, in seconds; Perx's default applies when omitted. */
  userTokenSeconds?: number;
}

/**
 * A typed Perx client. Calls carry an application token (client credentials), cached until it
 * expires and refreshed once on a 401; `asUser()` gives clients that carry user tokens.
 */
export function createPerxClient(options: PerxClientOptions): PerxClient {
  const clientId = requireOption('perx', options, 'clientId');
  const clientSecret = requireOption('perx', options, 'clientSecret');
  const baseUrl = options.baseUrl ?? defaultBaseUrl('perx');
  const tokens = createClient<paths>({ baseUrl: baseUrl.replace(/\/+$/, ''), ...(options.fetch ? { fetch: options.fetch } : {}) });

  const issue = (scope?: string) => async () =>
    readToken(
      'perx',
      await tokens.POST('/v4/oauth/token', {
        body: {
          client_id: clientId,
          client_secret: clientSecret,
          grant_type: 'client_credentials',
          ...(scope ? { scope } : {}),
          ...(scope && options.userTokenSeconds ? { expires_in: options.userTokenSeconds } : {}),
        },
      }),
    );

  // The token endpoints take the client credentials in the request itself.
  const isTokenEndpoint = (path: string) => /^\/v\d+\/oauth\/token$/.test(path);
  const withToken = (cache: TokenCache) =>
    createVendorClient<paths>({
      vendor: 'perx',
      options: { ...options, baseUrl },
      middleware: [forPaths((path) => !isTokenEndpoint(path), tokenAuth(cache, asBearer))],
    });

  const users = new Map<string, PerxUserClient>();
  const app = withToken(createTokenCache(issue())) as PerxClient;
  app.asUser = (identifier) => {
    if (typeof identifier !== 'string' || identifier.trim() === '') {
      throw new TypeError('perx: asUser(identifier) needs the user identifier as a non-empty string');
    }
    let user = users.get(identifier);
    if (!user) {
      user = withToken(createTokenCache(issue(`user_account(identifier:${identifier})`)));
      users.set(identifier, user);
    }
    return user;
  };
  return app;
}

export const vendor: VendorRuntime<'clientId' | 'clientSecret' | 'userIdentifier'> = {
  name: 'perx',
  env: { clientId: 'PERX_CLIENT_ID', clientSecret: 'PERX_CLIENT_SECRET', userIdentifier: 'PERX_USER_IDENTIFIER' },
  create: (settings, fetch) => createPerxClient({ ...settings, fetch }),
  forScheme: {
    userToken: (settings, fetch) => createPerxClient({ ...settings, fetch }).asUser(settings.userIdentifier),
  },
};
