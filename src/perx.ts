import type { paths, components } from '../generated/perx/schema.js';
import type { pathsByScheme } from '../generated/perx/paths-by-scheme.js';
import { forPaths } from './auth/scoped.js';
import { createTokenCache, type TokenCache } from './auth/token-cache.js';
import { requestToken, tokenAnswerStatus, tokenClientOptions } from './auth/token-endpoint.js';
import { asBearer, tokenAuth } from './auth/token-auth.js';
import { CALL_METHODS, createVendorClient, defaultBaseUrl, type Client, type CommonOptions, type Middleware } from './client.js';
import { transport } from './transport.js';
import { ConfigError } from './errors.js';
import { checkOptions, checkValue, commonCombinations, commonRules, credential, DEFAULT_TIMEOUT_MS, integer, required } from './options.js';
import { recentlyUsed, type RecentlyUsed } from './recently-used.js';
import type { VendorRuntime } from './vendor-runtime.js';

export type { paths, components, operations } from '../generated/perx/schema.js';
export * from './public.js';
export type { pathsByScheme } from '../generated/perx/paths-by-scheme.js';
export type PerxSchemas = components['schemas'];
/**
 * The operations a user token can call (security `userToken`, and the token endpoints): calling
 * one of the app token's (`/v4/pos/*`, sign-up) is a type error, as Perx refuses it.
 */
export type PerxUserClient = Client<pathsByScheme['userToken']>;
/**
 * Every operation: no operation of the spec names a merchant-user scheme, so what a merchant
 * user's `bearer_token` can call is not known.
 */
export type PerxMerchantUserClient = Client<paths>;
/**
 * The operations the app token can call (security `appToken`: `/v4/pos/*`, sign-up and the
 * password helpers, and the token endpoints); a user's (`GET /v4/rewards`) is a type error:
 * call it on `asUser(identifier)`.
 */
export interface PerxClient extends Client<pathsByScheme['appToken']> {
  /**
   * A client acting for one user (`identifier` is your own id for the user, as registered with
   * Perx). Its user token is fetched with the app credentials and cached; the same identifier
   * gets the same client while it is among the `maxUserClients` most recently used. Middleware
   * added to this client with `use()` is on it too.
   */
  asUser(identifier: string): PerxUserClient;
  /**
   * A client acting as one merchant user (`identifier` is the merchant user's identifier). Its
   * bearer token (`scope: merchant_user_account`, answered as `bearer_token`) is fetched with the
   * app credentials and cached; the same identifier gets the same client while it is among the
   * `maxUserClients` most recently used. Middleware added to this client with `use()` is on it too.
   */
  asMerchantUser(identifier: string): PerxMerchantUserClient;
}

export interface PerxClientOptions extends CommonOptions {
  clientId: string;
  clientSecret: string;
  /** Lifetime to ask for user tokens, in seconds (1 – 31536000); Perx's default applies when omitted. */
  userTokenSeconds?: number | undefined;
  /**
   * How many user clients (and as many merchant-user clients) are kept, with their tokens, for
   * the identifiers used most recently (1 – 1000000, default 1000). One past that is made again,
   * with a new token, when its identifier comes back.
   */
  maxUserClients?: number | undefined;
}

/** User clients kept by default: about 12 MB with their token caches (12 kB each, measured). */
const DEFAULT_MAX_USER_CLIENTS = 1000;

export const perxOptionRules = {
  ...commonRules,
  clientId: required(credential()),
  clientSecret: required(credential()),
  userTokenSeconds: integer(1, 31_536_000),
  maxUserClients: integer(1, 1_000_000),
};

type TokenBody = NonNullable<paths['/v4/oauth/token']['post']['requestBody']>['content']['application/json'];

/**
 * A typed Perx client. Calls carry an application token (client credentials), cached until it
 * expires and refreshed once on a 401; `asUser()` and `asMerchantUser()` give clients that carry
 * user and merchant-user tokens.
 */
export function createPerxClient(options: PerxClientOptions): PerxClient {
  const checked = checkOptions('perx', 'createPerxClient', options, perxOptionRules, commonCombinations);
  const { clientId, clientSecret, userTokenSeconds, maxUserClients = DEFAULT_MAX_USER_CLIENTS } = checked;
  const withBaseUrl = { ...checked, baseUrl: checked.baseUrl ?? defaultBaseUrl('perx') };
  // One transport for the token requests and the calls: one recording, one retry policy.
  const fetch = transport('perx', checked, [clientId, clientSecret]);
  const validators = () => import('../generated/perx/validators.js');
  const tokens = createVendorClient<paths>({
    vendor: 'perx',
    options: tokenClientOptions(withBaseUrl),
    transport: fetch,
    middleware: [tokenAnswerStatus],
    retryWithinMs: checked.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    secrets: [clientId, clientSecret],
    validators,
    issuesTokens: true,
  });
  const credentials = { client_id: clientId, client_secret: clientSecret, grant_type: 'client_credentials' } as const;

  /** A token cache for one kind of token; `field` is where the answer carries it. */
  const cache = (body: TokenBody, fields?: string[]) =>
    createTokenCache(
      (signal) => requestToken({ vendor: 'perx', signal, fields, secrets: [clientId, clientSecret], send: () => tokens.POST('/v4/oauth/token', { body, parseAs: 'text', signal }) }),
      { carriedForMs: checked.timeoutMs ?? DEFAULT_TIMEOUT_MS },
    );

  // The token endpoints take the client credentials in the request itself.
  const isTokenEndpoint = (path: string) => /^\/v\d+\/oauth\/(exchange_)?token$/.test(path);
  const withToken = (tokenCache: ReturnType<typeof cache>) =>
    createVendorClient<paths>({
      vendor: 'perx',
      options: withBaseUrl,
      transport: fetch,
      secrets: [clientId, clientSecret],
      issued: tokenCache.issued,
      validators,
      middleware: [forPaths((path) => !isTokenEndpoint(path), tokenAuth(tokenCache, asBearer))],
    });

  // Middleware a caller adds to the app client (logging, tracing) is on every user and merchant-user
  // client too, those kept and those made later: a user client made on first use, and made again
  // after it was dropped, would otherwise go without it.
  const shared: Middleware[] = [];
  const kept: RecentlyUsed<string, Client<paths>>[] = [];

  /**
   * One client per identifier, made on first use and kept while it is among the most recently used.
   * One made again while a dropped one still has a call in flight takes over its token cache: a
   * cache of its own would ask for a token while the dropped one's request was still out, and users
   * alternating past `maxUserClients` sent one token request per call, 200 at once for one user.
   */
  const perIdentifier = (method: string, what: string, tokenBody: (identifier: string) => TokenBody, fields?: string[], inScope = false) => {
    const made = recentlyUsed<string, Client<paths>>(maxUserClients);
    kept.push(made);
    const busy: Busy = new Map();
    const withShared = (identifier: string) => {
      const tokenCache = busy.get(identifier)?.tokenCache ?? cache(tokenBody(identifier), fields);
      const client = counted(withToken(tokenCache), identifier, tokenCache, busy);
      if (shared.length > 0) client.use(...shared);
      return client;
    };
    return (identifier: string) => {
      if (typeof identifier !== 'string' || identifier.trim() === '') {
        throw new ConfigError('perx', `${method}(identifier)`, `needs the ${what} identifier as a non-empty string`);
      }
      // Sent in the token request's body as it is, as a credential is: one read from a file or the environment with its line break is refused by Perx, with nothing to say why.
      checkValue('perx', `${method}(identifier)`, identifier, credential());
      // A ')' would end the scope early (a token for "victim" when asked for "victim)x"), and
      // OAuth scopes are separated by spaces.
      if (inScope && /[\s()]/.test(identifier)) {
        throw new ConfigError('perx', `${method}(identifier)`, 'must not contain spaces or parentheses (it is written into the scope user_account(identifier:…))');
      }
      return made.get(identifier, () => withShared(identifier));
    };
  };

  const app = withToken(cache(credentials)) as PerxClient;
  const { use, eject } = app;
  app.use = (...middleware) => {
    use(...middleware);
    shared.push(...middleware.filter(Boolean));
    for (const made of kept) for (const client of made.values()) client.use(...middleware);
  };
  app.eject = (...middleware) => {
    eject(...middleware);
    // Only copies the app client shared: one added to a user client itself is that client's to eject.
    const sharedCopies = middleware.filter((m) => shared.includes(m) && shared.splice(shared.indexOf(m), 1));
    for (const made of kept) for (const client of made.values()) client.eject(...sharedCopies);
  };
  app.asUser = perIdentifier(
    'asUser',
    'user',
    (identifier) => ({
      ...credentials,
      scope: `user_account(identifier:${identifier})`,
      ...(userTokenSeconds !== undefined ? { expires_in: userTokenSeconds } : {}),
    }),
    undefined,
    true,
  );
  app.asMerchantUser = perIdentifier('asMerchantUser', 'merchant user', (identifier) => ({ ...credentials, scope: 'merchant_user_account', identifier }), ['bearer_token', 'access_token']);
  return app;
}

/** Per identifier, the token cache of its clients' calls in flight, and how many there are. */
type Busy = Map<string, { tokenCache: TokenCache; calls: number }>;

/** The client, its calls counted under its identifier in `busy` while any is in flight. */
function counted(client: Client<paths>, identifier: string, tokenCache: TokenCache, busy: Busy): Client<paths> {
  const calls = client as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const name of [...CALL_METHODS, 'request']) {
    const call = calls[name]!;
    calls[name] = (...args) => {
      const held = busy.get(identifier);
      // A client kept by its caller after it was dropped, whose identifier has another cache in use by now.
      if (held && held.tokenCache !== tokenCache) return call(...args);
      const entry = held ?? { tokenCache, calls: 0 };
      busy.set(identifier, entry);
      entry.calls += 1;
      const leave = () => {
        if (--entry.calls === 0 && busy.get(identifier) === entry) busy.delete(identifier);
      };
      try {
        const answer = call(...args);
        answer.then(leave, leave);
        return answer;
      } catch (error) {
        leave();
        throw error;
      }
    };
  }
  return client;
}

export const vendor: VendorRuntime<'clientId' | 'clientSecret' | 'userIdentifier'> = {
  name: 'perx',
  env: { clientId: 'PERX_CLIENT_ID', clientSecret: 'PERX_CLIENT_SECRET', userIdentifier: 'PERX_USER_IDENTIFIER' },
  create: (settings, fetch) => createPerxClient({ ...settings, fetch }),
  forScheme: {
    userToken: (settings, fetch) => createPerxClient({ ...settings, fetch }).asUser(settings.userIdentifier),
  },
};
