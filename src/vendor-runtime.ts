import type { Client } from 'openapi-fetch';
import type { Fetch } from './call-request.js';

export type VendorSettings<Setting extends string> = { baseUrl: string } & Record<Setting, string>;

/**
 * What the shared tooling (contract tests, dredd, workflows) needs to know about a vendor's
 * client: how to build it, and which environment variables configure it against a sandbox.
 * Each `src/<vendor>.ts` exports one as `vendor`.
 */
export interface VendorRuntime<Setting extends string = string> {
  name: string;
  /**
   * Setting → environment variable for sandbox runs; every one listed must be set.
   * `baseUrl` is always `<NAME>_BASE_URL`. Against the mock, each setting gets a dummy value.
   */
  env: Record<Setting, string>;
  /** Values for settings whose environment variable may be left unset. */
  defaults?: Partial<Record<Setting, string>>;
  /**
   * Settings that only the operations under one security scheme need, with that scheme's name
   * (Imprzd's token: `bearerAuth`). Left unset against a sandbox, the vendor still runs the
   * operations the spec's `security` lets it call without them, and names the others as not
   * checked; a vendor with no such operation is skipped, naming the variable.
   */
  onlyFor?: Partial<Record<Setting, string>>;
  create(settings: VendorSettings<Setting>, fetch?: Fetch): Client<any>;
  /**
   * A client for operations secured by a scheme the default client does not satisfy (a token
   * endpoint's Basic auth, Perx user tokens), keyed by security scheme name.
   */
  forScheme?: Record<string, (settings: VendorSettings<Setting>, fetch?: Fetch) => Client<any>>;
}
