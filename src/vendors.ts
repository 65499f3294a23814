import index from '../generated/vendors.json' with { type: 'json' };
import { MAX_PORT } from './options.js';
import type { SpecOperation } from './spec-operations.js';

export interface ServerInfo {
  url: string;
  description?: string;
  variables?: Record<string, { default: string; enum?: string[]; description?: string }>;
}

export interface VendorInfo {
  name: string;
  title: string;
  version: string;
  mockPort: number;
  /** The bundled spec, relative to the package root. */
  bundle: string;
  servers: ServerInfo[];
  operationCount: number;
  /** The operations whose success answer issues a token (the spec's `x-issues-token`): a recording masks every token-shaped string in it. */
  tokenOperations: SpecOperation[];
  /** The PUT and DELETE operations that act each time they are sent (the spec's `x-idempotent: false`): `retry` never resends them. */
  notIdempotent: SpecOperation[];
  auth: string[];
}

/** The vendor list as the build wrote it (generated/vendors.json, derived from redocly.yaml). */
export const vendors: VendorInfo[] = index;

/** The highest port base (startMocks' portBase, --port-base): vendor i listens on base + i, and the last one's must be a port too. */
export const PORT_BASE_MAX = MAX_PORT - (vendors.length - 1);

export function findVendor(name: string): VendorInfo | undefined {
  return vendors.find((v) => v.name === name.toLowerCase());
}
