import index from '../generated/vendors.json' with { type: 'json' };

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
  auth: string[];
}

/** The vendor list as the build wrote it (generated/vendors.json, derived from redocly.yaml). */
export const vendors: VendorInfo[] = index;

export function findVendor(name: string): VendorInfo | undefined {
  return vendors.find((v) => v.name === name.toLowerCase());
}
