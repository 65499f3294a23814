import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors.js';
import { findVendor, vendors, type VendorInfo } from '../vendors.js';

/** Package root: the folder that holds generated/, whether running from src/ or dist/. */
const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

export function bundlePath(vendor: VendorInfo): string {
  return `${packageRoot}${vendor.bundle}`;
}

/** Resolves names to vendors whose bundled spec is present; errors name the problem and the fix. */
export function pickVendors(names: string[]): VendorInfo[] {
  const twice = names.find((name, i) => findVendor(name) !== undefined && names.findIndex((other) => findVendor(other) === findVendor(name)) !== i);
  if (twice !== undefined) throw new ConfigError('mock', 'vendors', `names ${findVendor(twice)!.name} twice ("${twice}"); give each vendor once`);
  const picked = names.length === 0 ? vendors : names.map((name) => {
    const found = findVendor(name);
    if (!found) throw new ConfigError('mock', 'vendors', `names an unknown vendor "${name}"; known vendors: ${vendors.map((v) => v.name).join(', ')}`);
    return found;
  });
  for (const vendor of picked) {
    if (!existsSync(bundlePath(vendor))) {
      throw new Error(`${vendor.name}: its spec ${vendor.bundle} is missing (in a clone: npm run build; in an installed package: reinstall martech-contracts)`);
    }
  }
  return picked;
}
