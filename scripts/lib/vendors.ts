import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const root = fileURLToPath(new URL('../../', import.meta.url));

export interface VendorEntry {
  name: string;
  /** Hand-written spec, relative to the repo root. */
  spec: string;
  /** Bundled spec, relative to the repo root. */
  bundle: string;
  types: string;
  mockPort: number;
}

interface ApiConfig {
  root?: string;
  output?: string;
  'x-openapi-ts'?: { output?: string };
  'x-mock-port'?: number;
}

/** The vendor list: the `apis:` entries of redocly.yaml, in file order. */
export function loadVendors(configFile = `${root}redocly.yaml`): VendorEntry[] {
  const config = parse(readFileSync(configFile, 'utf8')) as { apis?: Record<string, ApiConfig> };
  return Object.entries(config.apis ?? {}).map(([name, api]) => {
    const missing = (field: string) => new Error(`redocly.yaml: apis.${name}.${field} is required`);
    if (!api.root) throw missing('root');
    if (!api.output) throw missing('output');
    if (!api['x-openapi-ts']?.output) throw missing('x-openapi-ts.output');
    if (!Number.isInteger(api['x-mock-port'])) throw missing('x-mock-port (an integer port)');
    return {
      name,
      spec: api.root,
      bundle: api.output,
      types: api['x-openapi-ts'].output,
      mockPort: api['x-mock-port'] as number,
    };
  });
}

/** The entries named on the command line, or all; an unknown name is an error listing the known ones. */
export function selectVendors(names: string[], vendors = loadVendors()): VendorEntry[] {
  if (names.length === 0) return vendors;
  return names.map((name) => {
    const found = vendors.find((v) => v.name === name);
    if (!found) throw new Error(`unknown vendor "${name}"; known: ${vendors.map((v) => v.name).join(', ')}`);
    return found;
  });
}
