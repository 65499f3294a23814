import type { paths, components } from '../generated/xonvo/schema.js';
import { basicAuthorization, basicSecrets } from './auth/basic.js';
import { createVendorClient, type Client, type CommonOptions } from './client.js';
import { checkOptions, commonCombinations, commonRules, basicUser, credential, required } from './options.js';
import type { VendorRuntime } from './vendor-runtime.js';

export type { paths, components, operations } from '../generated/xonvo/schema.js';
export * from './public.js';
export type XonvoClient = Client<paths>;
export type XonvoSchemas = components['schemas'];

export interface XonvoClientOptions extends CommonOptions {
  /** The API user name XONVO issued; sent with HTTP Basic. */
  username: string;
  password: string;
}

export const xonvoOptionRules = { ...commonRules, username: required(basicUser()), password: required(credential()) };

/** A typed XONVO client; every request carries HTTP Basic credentials. */
export function createXonvoClient(options: XonvoClientOptions): XonvoClient {
  const checked = checkOptions('xonvo', 'createXonvoClient', options, xonvoOptionRules, commonCombinations);
  const { username, password } = checked;
  return createVendorClient<paths>({
    vendor: 'xonvo',
    options: checked,
    headers: { Authorization: basicAuthorization({ username, password }) },
    secrets: [username, password, ...basicSecrets({ username, password })],
    validators: () => import('../generated/xonvo/validators.js'),
  });
}

export const vendor: VendorRuntime<'username' | 'password'> = {
  name: 'xonvo',
  env: { username: 'XONVO_USERNAME', password: 'XONVO_PASSWORD' },
  create: ({ baseUrl, username, password }, fetch) => createXonvoClient({ baseUrl, username, password, fetch }),
};
