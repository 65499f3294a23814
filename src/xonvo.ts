import type { paths, components } from '../generated/xonvo/schema.js';
import { basicAuth } from './auth/basic.js';
import { createVendorClient, type Client, type CommonOptions } from './client.js';
import { requireOption } from './errors.js';
import type { VendorRuntime } from './vendor-runtime.js';

export type { paths, components, operations } from '../generated/xonvo/schema.js';
export type XonvoClient = Client<paths>;
export type XonvoSchemas = components['schemas'];

export interface XonvoClientOptions extends CommonOptions {
  /** The API user name XONVO issued; sent with HTTP Basic. */
  username: string;
  password: string;
}

/** A typed XONVO client; every request carries HTTP Basic credentials. */
export function createXonvoClient(options: XonvoClientOptions): XonvoClient {
  const username = requireOption('xonvo', options, 'username');
  const password = requireOption('xonvo', options, 'password');
  return createVendorClient<paths>({ vendor: 'xonvo', options, middleware: [basicAuth({ username, password })] });
}

export const vendor: VendorRuntime<'username' | 'password'> = {
  name: 'xonvo',
  env: { username: 'XONVO_USERNAME', password: 'XONVO_PASSWORD' },
  create: ({ baseUrl, username, password }, fetch) => createXonvoClient({ baseUrl, username, password, fetch }),
};
